import { describe, it } from 'vitest';
import { SignalTester, makeOrder, makeRefund, makeReturn, refundContext, returnContext } from '../../sdk/testing/index.ts';
import returns7d from './returns-7d.ts';

const order = makeOrder({ createdAt: '2026-05-01T10:00:00Z' });
const now = '2026-06-01T00:00:00Z';
const subject = makeReturn(order, { createdAt: now });
/** `n` past returns, `daysAgo` days before now. */
const past = (n: number, daysAgo: number) =>
  Array.from({ length: n }, (_, i) => makeReturn(order, { createdAt: new Date(Date.parse(now) - daysAgo * 86_400_000 - i * 3_600_000).toISOString() }));
const onReturn = (returns: ReturnType<typeof past>) => returnContext(subject, order, { history: { orders: [order], returns } });
const refund = makeRefund(order, { createdAt: now });

new SignalTester({ describe, it }).run(returns7d, {
  hits: [
    { name: 'three returns this week', ctx: onReturn(past(2, 3)), strength: 0.65, evidence: { returns: 3, days: 7, threshold: 2 }, messageId: 'many' },
    {
      name: 'a refund after four returns this week',
      ctx: refundContext(refund, order, { history: { orders: [order], returns: past(4, 2) } }),
      strength: 1,
      message: '4 returns in the last 7 days, above the threshold of 2.',
    },
    {
      name: "a refund whose own return is not yet in the history",
      ctx: refundContext(refund, order, { return: subject, history: { orders: [order], returns: past(2, 1) } }),
      evidence: { returns: 3 },
    },
  ],
  quiet: [
    { name: 'two returns this week', ctx: onReturn(past(1, 3)), evidence: { returns: 2 }, messageId: 'normal' },
    { name: 'earlier returns are older than a week', ctx: onReturn(past(3, 10)), evidence: { returns: 1 } },
    { name: 'a raised threshold', ctx: onReturn(past(2, 3)), params: { threshold: 3 } },
  ],
  insufficient: [{ name: 'guest checkout', ctx: returnContext(subject, order, { customer: null }), messageId: 'guest' }],
  invalidParams: [
    { name: 'zero threshold', params: { threshold: 0 }, pointer: '/threshold' },
    { name: 'unknown param', params: { days: 14 }, pointer: '/days' },
  ],
});

import { describe, it } from 'vitest';
import { SignalTester, makeOrder, makeRefund, makeReturn, refundContext, returnContext } from '../../sdk/testing/index.ts';
import returns30d from './returns-30d.ts';

const order = makeOrder({ createdAt: '2026-04-01T10:00:00Z' });
const now = '2026-06-01T00:00:00Z';
const subject = makeReturn(order, { createdAt: now });
/** `n` past returns, `daysAgo` days before now. */
const past = (n: number, daysAgo: number) =>
  Array.from({ length: n }, (_, i) => makeReturn(order, { createdAt: new Date(Date.parse(now) - daysAgo * 86_400_000 - i * 3_600_000).toISOString() }));
const onReturn = (returns: ReturnType<typeof past>) => returnContext(subject, order, { history: { orders: [order], returns } });

new SignalTester({ describe, it }).run(returns30d, {
  hits: [
    { name: 'five returns this month', ctx: onReturn(past(4, 20)), strength: [0.47, 0.48], evidence: { returns: 5, days: 30, threshold: 4 }, messageId: 'many' },
    {
      name: 'a refund after eight returns this month',
      ctx: refundContext(makeRefund(order, { createdAt: now }), order, { history: { orders: [order], returns: past(8, 5) } }),
      strength: 1,
      evidence: { returns: 8 },
    },
  ],
  quiet: [
    { name: 'four returns this month', ctx: onReturn(past(3, 20)), evidence: { returns: 4 }, messageId: 'normal' },
    { name: 'earlier returns are older than a month', ctx: onReturn([...past(5, 40), ...past(1, 10)]), evidence: { returns: 2 } },
    { name: 'a raised threshold', ctx: onReturn(past(4, 20)), params: { threshold: 5 } },
  ],
  insufficient: [{ name: 'guest checkout', ctx: returnContext(subject, order, { customer: null }), messageId: 'guest' }],
  invalidParams: [{ name: 'fractional threshold', params: { threshold: 2.5 }, pointer: '/threshold' }],
});

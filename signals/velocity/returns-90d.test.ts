import { describe, it } from 'vitest';
import { SignalTester, makeOrder, makeRefund, makeReturn, refundContext, returnContext } from '../../sdk/testing/index.ts';
import returns90d from './returns-90d.ts';

const order = makeOrder({ createdAt: '2026-02-01T10:00:00Z' });
const now = '2026-06-01T00:00:00Z';
const subject = makeReturn(order, { createdAt: now });
/** `n` past returns, `daysAgo` days before now. */
const past = (n: number, daysAgo: number) =>
  Array.from({ length: n }, (_, i) => makeReturn(order, { createdAt: new Date(Date.parse(now) - daysAgo * 86_400_000 - i * 3_600_000).toISOString() }));
const returns90d95 = (p95: number, n = 500) => ({ measures: { 'customer.returns90d': { p50: 0, p75: 1, p90: 2, p95, p99: 15, n } } });
const onReturn = (returns: ReturnType<typeof past>, baseline = {}) =>
  returnContext(subject, order, { history: { orders: [order], returns }, baseline });

new SignalTester({ describe, it }).run(returns90d, {
  hits: [
    { name: 'nine returns in three months', ctx: onReturn(past(8, 60)), strength: [0.38, 0.39], evidence: { returns: 9, days: 90, threshold: 8 }, messageId: 'many' },
    {
      name: "five returns where the shop's p95 is three before a return",
      ctx: onReturn(past(4, 60), returns90d95(3)),
      strength: [0.47, 0.48],
      evidence: { returns: 5, threshold: 4 },
      message: '5 returns in the last 90 days, above the threshold of 4.',
    },
    {
      name: 'a refund after sixteen returns',
      ctx: refundContext(makeRefund(order, { createdAt: now }), order, { history: { orders: [order], returns: past(16, 30) } }),
      strength: 1,
    },
  ],
  quiet: [
    { name: 'eight returns in three months', ctx: onReturn(past(7, 60)), evidence: { returns: 8 }, messageId: 'normal' },
    { name: "nine returns where the shop's p95 is twelve", ctx: onReturn(past(8, 60), returns90d95(12)), evidence: { threshold: 13 } },
    { name: 'a baseline of too few observations is ignored', ctx: onReturn(past(4, 60), returns90d95(3, 10)), evidence: { threshold: 8 } },
    { name: 'older returns are outside the window', ctx: onReturn(past(12, 100)), evidence: { returns: 1 } },
  ],
  insufficient: [{ name: 'guest checkout', ctx: returnContext(subject, order, { customer: null }), messageId: 'guest' }],
  invalidParams: [{ name: 'negative threshold', params: { threshold: -1 }, pointer: '/threshold' }],
});

import { describe, it } from 'vitest';
import { SignalTester, makeOrder, makeRefund, refundContext } from '../../sdk/testing/index.ts';
import refundValue30d from './refund-value-30d.ts';

const order = makeOrder({ createdAt: '2026-05-01T10:00:00Z' });
const now = '2026-06-01T00:00:00Z';
const refundOf = (amount: number, createdAt = now) => makeRefund(order, { amount, createdAt });
const ctx = (amount: number, earlier: ReturnType<typeof refundOf>[], baseline = {}) =>
  refundContext(refundOf(amount), order, { history: { orders: [order], refunds: earlier }, baseline });
const valueBaseline = (p95: number) => ({ measures: { 'customer.refundValue30d': { p50: 0, p75: 40, p90: 90, p95, p99: 900, n: 300 } } });

new SignalTester({ describe, it }).run(refundValue30d, {
  hits: [
    {
      name: '600 over three refunds this month',
      ctx: ctx(200, [refundOf(250, '2026-05-10T00:00:00Z'), refundOf(150, '2026-05-20T00:00:00Z')]),
      strength: 0.65,
      evidence: { value: 600, refunds: 3, threshold: 300, ratio: 2 },
      messageId: 'high',
    },
    {
      name: "250 against the shop's p95 of 100",
      ctx: ctx(100, [refundOf(150, '2026-05-20T00:00:00Z')], valueBaseline(100)),
      strength: [0.82, 0.83],
      message: '250 refunded over 2 refunds in the last 30 days, 2.5× the threshold of 100.',
    },
    {
      name: 'a single large refund when one is allowed to count',
      ctx: ctx(1000, []),
      params: { minRefunds: 1 },
      strength: 1,
      evidence: { refunds: 1, ratio: 3.33 },
    },
  ],
  quiet: [
    { name: '250 over two refunds', ctx: ctx(100, [refundOf(150, '2026-05-20T00:00:00Z')]), evidence: { value: 250 }, messageId: 'normal' },
    { name: 'an earlier refund outside the 30 days', ctx: ctx(100, [refundOf(500, '2026-04-01T00:00:00Z')]), evidence: { value: 100, refunds: 1 } },
    { name: 'one large refund alone', ctx: ctx(1000, []), evidence: { refunds: 1 } },
    { name: "600 under the shop's p95 of 800", ctx: ctx(200, [refundOf(400, '2026-05-10T00:00:00Z')], valueBaseline(800)), evidence: { threshold: 800 } },
  ],
  insufficient: [{ name: 'guest checkout', ctx: refundContext(refundOf(500), order, { customer: null }), messageId: 'guest' }],
  invalidParams: [
    { name: 'zero threshold', params: { threshold: 0 }, pointer: '/threshold' },
    { name: 'zero refunds', params: { minRefunds: 0 }, pointer: '/minRefunds' },
  ],
});

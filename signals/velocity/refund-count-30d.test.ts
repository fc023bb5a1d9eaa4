import { describe, it } from 'vitest';
import { SignalTester, makeOrder, makeRefund, refundContext } from '../../sdk/testing/index.ts';
import refundCount30d from './refund-count-30d.ts';

const order = makeOrder({ createdAt: '2026-05-01T10:00:00Z' });
const now = '2026-06-01T00:00:00Z';
const refundOn = (day: string) => makeRefund(order, { createdAt: `${day}T12:00:00Z` });
const ctx = (earlier: ReturnType<typeof refundOn>[]) =>
  refundContext(makeRefund(order, { createdAt: now }), order, { history: { orders: [order], refunds: earlier } });

new SignalTester({ describe, it }).run(refundCount30d, {
  hits: [
    {
      name: 'three refunds this month',
      ctx: ctx([refundOn('2026-05-10'), refundOn('2026-05-25')]),
      strength: 0.65,
      evidence: { refunds: 3, threshold: 2 },
      message: '3 refunds in the last 30 days, above the threshold of 2.',
    },
    {
      name: 'five refunds this month',
      ctx: ctx([refundOn('2026-05-05'), refundOn('2026-05-10'), refundOn('2026-05-20'), refundOn('2026-05-25')]),
      strength: 1,
      evidence: { refunds: 5 },
    },
  ],
  quiet: [
    { name: 'two refunds this month', ctx: ctx([refundOn('2026-05-25')]), evidence: { refunds: 2 }, messageId: 'normal' },
    { name: 'earlier refunds outside the 30 days', ctx: ctx([refundOn('2026-03-01'), refundOn('2026-04-20')]), evidence: { refunds: 1 } },
    { name: 'a raised threshold', ctx: ctx([refundOn('2026-05-10'), refundOn('2026-05-25')]), params: { threshold: 3 } },
  ],
  insufficient: [{ name: 'guest checkout', ctx: refundContext(makeRefund(order, { createdAt: now }), order, { customer: null }), messageId: 'guest' }],
  invalidParams: [{ name: 'zero threshold', params: { threshold: 0 }, pointer: '/threshold' }],
});

import { describe, it } from 'vitest';
import { SignalTester, makeOrder, makeRefund, refundContext } from '../../sdk/testing/index.ts';
import refundExceedsPaid from './refund-exceeds-paid.ts';

const order = makeOrder({ id: 'gid://shopify/Order/1', totalPrice: 100 });
const refund = (n: number, amount: number, orderId = order.id) =>
  makeRefund(order, { id: `gid://shopify/Refund/${n}`, orderId, amount, createdAt: `2026-01-1${n}T00:00:00Z` });

new SignalTester({ describe, it }).run(refundExceedsPaid, {
  hits: [
    {
      name: 'a second full refund',
      ctx: refundContext(refund(5, 100), order, { history: { refunds: [refund(1, 100)] } }),
      strength: 1,
      evidence: { refunds: 2, refunded: 200, paid: 100, excess: 100 },
      messageId: 'exceeds',
    },
    {
      name: 'three partial refunds slightly over',
      ctx: refundContext(refund(5, 40), order, { history: { refunds: [refund(1, 40), refund(2, 30)] } }),
      strength: [0.55, 0.6],
      message: '3 refund(s) total 110 on an order that cost 100: 10 too much.',
    },
    { name: 'a single refund above the price', ctx: refundContext(refund(5, 130), order), evidence: { refunds: 1, excess: 30 } },
  ],
  quiet: [
    { name: 'one full refund', ctx: refundContext(refund(5, 100), order), messageId: 'within', evidence: { excess: 0 } },
    { name: 'refunds on other orders do not count', ctx: refundContext(refund(5, 100), order, { history: { refunds: [refund(1, 100, 'gid://shopify/Order/2')] } }) },
    { name: 'rounding within the tolerance', ctx: refundContext(refund(5, 50.5), order, { history: { refunds: [refund(1, 50)] } }) },
    { name: 'a larger tolerance', ctx: refundContext(refund(5, 40), order, { history: { refunds: [refund(1, 40), refund(2, 30)] } }), params: { toleranceAmount: 15 } },
  ],
  invalidParams: [{ name: 'negative tolerance', params: { toleranceAmount: -0.5 }, pointer: '/toleranceAmount' }],
});

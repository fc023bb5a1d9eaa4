import { describe, it } from 'vitest';
import { SignalTester, makeOrder, makeRefund, refundContext } from '../../sdk/testing/index.ts';
import multipleRefunds from './multiple-refunds.ts';

const order = makeOrder({ id: 'gid://shopify/Order/1', totalPrice: 300 });
const refund = (n: number, amount = 20, orderId = order.id) =>
  makeRefund(order, { id: `gid://shopify/Refund/${n}`, orderId, amount, createdAt: `2026-01-1${n}T00:00:00Z` });
const earlier = (count: number) => Array.from({ length: count }, (_, i) => refund(i + 1));

new SignalTester({ describe, it }).run(multipleRefunds, {
  hits: [
    {
      name: 'third refund on the order',
      ctx: refundContext(refund(9, 25), order, { history: { refunds: earlier(2) } }),
      strength: 0.4,
      evidence: { refunds: 3, refunded: 65 },
      message: '3 refunds on this order, 65 in all.',
    },
    { name: 'sixth refund', ctx: refundContext(refund(9), order, { history: { refunds: earlier(5) } }), strength: 1, evidence: { refunds: 6 } },
    { name: 'second refund with a lower bar', ctx: refundContext(refund(9), order, { history: { refunds: earlier(1) } }), params: { minRefunds: 2 }, strength: 0.4 },
  ],
  quiet: [
    { name: 'a first refund', ctx: refundContext(refund(9), order), messageId: 'few', evidence: { refunds: 1 } },
    { name: 'a second refund', ctx: refundContext(refund(9), order, { history: { refunds: earlier(1) } }) },
    {
      name: 'refunds on other orders',
      ctx: refundContext(refund(9), order, { history: { refunds: [refund(1, 20, 'gid://shopify/Order/2'), refund(2, 20, 'gid://shopify/Order/3')] } }),
    },
  ],
  invalidParams: [{ name: 'one refund is not many', params: { minRefunds: 1 }, pointer: '/minRefunds' }],
});

import { describe, it } from 'vitest';
import type { FulfillmentRecord, OrderRecord } from '../../sdk/index.ts';
import { SignalTester, makeLineItem, makeOrder, makeRefund, makeReturn, refundContext } from '../../sdk/testing/index.ts';
import manualRefundNoReturn from './manual-refund-no-return.ts';

const order = makeOrder({ id: 'gid://shopify/Order/1', lineItems: [makeLineItem({ price: 100 })] });
const shipped = (o: OrderRecord): FulfillmentRecord[] => [
  { id: `gid://shopify/Fulfillment/${o.id.slice(-1)}`, orderId: o.id, createdAt: '2026-01-12T00:00:00Z', lineItems: [] },
];
const history = { orders: [order], fulfillments: shipped(order) };
const ret = makeReturn(order, { id: 'gid://shopify/Return/1' });

new SignalTester({ describe, it }).run(manualRefundNoReturn, {
  hits: [
    {
      name: 'full refund of a shipped order, no return',
      ctx: refundContext(makeRefund(order, { id: 'gid://shopify/Refund/1', amount: 100 }), order, { history }),
      strength: 1,
      evidence: { amount: 100, sharePercent: 100, manual: false },
      messageId: 'noReturn',
    },
    {
      name: 'staff-flagged manual refund of part of the order',
      ctx: refundContext(makeRefund(order, { id: 'gid://shopify/Refund/2', amount: 60, manual: true }), order, { history }),
      strength: [0.7, 0.71],
      message: '60 (60% of the order) refunded on shipped goods with no return on record.',
    },
    {
      name: 'marked manual even though a return exists',
      ctx: refundContext(makeRefund(order, { id: 'gid://shopify/Refund/3', amount: 100, manual: true }), order, { history, return: ret }),
      evidence: { manual: true },
    },
  ],
  quiet: [
    {
      name: 'refund after a return',
      ctx: refundContext(makeRefund(order, { id: 'gid://shopify/Refund/4', returnId: ret.id }), order, { history, return: ret }),
      messageId: 'withReturn',
    },
    { name: 'refund before shipping', ctx: refundContext(makeRefund(order, { id: 'gid://shopify/Refund/5' }), order), messageId: 'notShipped' },
    {
      name: 'gift card only',
      ctx: (() => {
        const giftOrder = makeOrder({ id: 'gid://shopify/Order/2', lineItems: [makeLineItem({ giftCard: true, requiresShipping: false })] });
        return refundContext(makeRefund(giftOrder, { id: 'gid://shopify/Refund/6' }), giftOrder, { history: { fulfillments: shipped(giftOrder) } });
      })(),
    },
    {
      name: 'cancelled order',
      ctx: (() => {
        const cancelled = { ...order, cancelledAt: '2026-01-13T00:00:00Z' };
        return refundContext(makeRefund(cancelled, { id: 'gid://shopify/Refund/7' }), cancelled, { history });
      })(),
    },
    {
      name: 'a small goodwill refund',
      ctx: refundContext(makeRefund(order, { id: 'gid://shopify/Refund/8', amount: 10 }), order, { history }),
      evidence: { sharePercent: 10 },
      messageId: 'small',
    },
  ],
  invalidParams: [{ name: 'share above 1', params: { minShare: 2 }, pointer: '/minShare' }],
});

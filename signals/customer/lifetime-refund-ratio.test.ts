import { describe, it } from 'vitest';
import { SignalTester, makeOrder, makeRefund, makeReturn, refundContext, returnContext } from '../../sdk/testing/index.ts';
import lifetimeRefundRatio from './lifetime-refund-ratio.ts';

const orders = Array.from({ length: 4 }, (_, i) => makeOrder({ id: `gid://shopify/Order/${10 + i}`, totalPrice: 100 }));
const current = orders[3];
const refundOf = (order: (typeof orders)[number], amount: number) => makeRefund(order, { amount, createdAt: '2026-01-15T00:00:00Z' });

new SignalTester({ describe, it }).run(lifetimeRefundRatio, {
  hits: [
    {
      name: 'three of four orders refunded in full (refund subject)',
      ctx: refundContext(refundOf(current, 100), current, { history: { orders, refunds: [refundOf(orders[0], 100), refundOf(orders[1], 100)] } }),
      strength: [0.6, 0.7],
      evidence: { orders: 4, orderValue: 400, refundValue: 300, ratioPercent: 75 },
      messageId: 'high',
    },
    {
      name: 'the return being judged tips the ratio over',
      ctx: returnContext(makeReturn(current, { totalValue: 100 }), current, {
        history: { orders, refunds: [refundOf(orders[0], 100), refundOf(orders[1], 50)] },
      }),
      evidence: { refundValue: 250, ratioPercent: 63 },
      message: 'Refunds of 250 on 400 spent over 4 orders (63%), above 50%.',
    },
    {
      name: 'everything refunded',
      ctx: refundContext(refundOf(current, 100), current, {
        history: { orders, refunds: orders.slice(0, 3).map((o) => refundOf(o, 100)) },
      }),
      strength: 1,
    },
  ],
  quiet: [
    {
      name: 'one refund in four orders',
      ctx: refundContext(refundOf(current, 100), current, { history: { orders } }),
      evidence: { ratioPercent: 25 },
      messageId: 'normal',
    },
    {
      name: 'refunds of cancelled orders are left out',
      ctx: refundContext(refundOf(current, 50), current, {
        history: {
          orders: [...orders, makeOrder({ id: 'gid://shopify/Order/99', totalPrice: 500, cancelledAt: '2026-01-11T00:00:00Z' })],
          refunds: [refundOf(orders[0], 100), { ...refundOf(orders[0], 500), orderId: 'gid://shopify/Order/99' }],
        },
      }),
      evidence: { orders: 4, refundValue: 150 },
    },
    {
      name: 'a higher threshold',
      ctx: refundContext(refundOf(current, 100), current, { history: { orders, refunds: [refundOf(orders[0], 100), refundOf(orders[1], 100)] } }),
      params: { threshold: 0.8 },
    },
  ],
  insufficient: [
    {
      name: 'a first order',
      ctx: refundContext(refundOf(current, 100), current),
      evidence: { orders: 1, minOrders: 2 },
      messageId: 'tooFew',
    },
    {
      name: 'too little money spent',
      ctx: refundContext(refundOf(current, 10), current, { history: { orders: orders.map((o) => ({ ...o, totalPrice: 20 })) } }),
      evidence: { orders: 4, orderValue: 80 },
    },
  ],
  invalidParams: [
    { name: 'threshold above 1', params: { threshold: 1.5 }, pointer: '/threshold' },
    { name: 'zero orders', params: { minOrders: 0 }, pointer: '/minOrders' },
  ],
});

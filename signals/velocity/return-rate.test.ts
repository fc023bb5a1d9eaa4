import { describe, it } from 'vitest';
import { SignalTester, makeOrder, makeReturn, returnContext } from '../../sdk/testing/index.ts';
import returnRate from './return-rate.ts';

const orders = Array.from({ length: 4 }, (_, i) => makeOrder({ id: `gid://shopify/Order/${100 + i}` }));
const current = orders[3];
const returnOf = (order: (typeof orders)[number]) => makeReturn(order, { createdAt: '2026-01-05T00:00:00Z' });

new SignalTester({ describe, it }).run(returnRate, {
  hits: [
    {
      name: 'three of four orders returned, no baseline',
      ctx: returnContext(undefined, current, { history: { orders, returns: [returnOf(orders[0]), returnOf(orders[1])] } }),
      strength: [0.45, 0.55],
      evidence: { orders: 4, returnedOrders: 3, ratePercent: 75 },
      messageId: 'high',
    },
    {
      name: "judged against the shop's p90 when there is a baseline",
      ctx: returnContext(undefined, current, {
        history: { orders, returns: [] },
        baseline: { measures: { 'customer.returnRate': { p50: 0.05, p75: 0.1, p90: 0.2, p95: 0.3, p99: 0.5, n: 900 } } },
      }),
      evidence: { returnedOrders: 1, thresholdPercent: 20 },
      message: 'Returned from 1 of 4 orders (25%), above the 20% threshold.',
    },
  ],
  quiet: [
    {
      name: 'one of four orders returned',
      ctx: returnContext(undefined, current, { history: { orders, returns: [] } }),
      messageId: 'normal',
    },
    {
      name: 'a raised threshold',
      ctx: returnContext(undefined, current, { history: { orders, returns: [returnOf(orders[0]), returnOf(orders[1])] } }),
      params: { threshold: 0.8 },
    },
  ],
  insufficient: [
    {
      name: 'a second order is too few to judge',
      ctx: returnContext(undefined, current, { history: { orders: orders.slice(2) } }),
      evidence: { orders: 2, minOrders: 3 },
      messageId: 'tooFew',
    },
  ],
  invalidParams: [
    { name: 'unknown param', params: { minOrder: 3 }, pointer: '/minOrder' },
    { name: 'threshold above 1', params: { threshold: 2 }, pointer: '/threshold' },
  ],
});

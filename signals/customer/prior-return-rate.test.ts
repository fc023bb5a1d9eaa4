import { describe, it } from 'vitest';
import { SignalTester, makeOrder, makeReturn, orderContext } from '../../sdk/testing/index.ts';
import priorReturnRate from './prior-return-rate.ts';

const past = Array.from({ length: 4 }, (_, i) => makeOrder({ id: `gid://shopify/Order/${100 + i}`, createdAt: `2025-0${i + 1}-01T00:00:00Z` }));
const order = makeOrder({ id: 'gid://shopify/Order/200', createdAt: '2026-03-01T00:00:00Z' });
const returned = (n: number) => past.slice(0, n).map((o) => makeReturn(o, { createdAt: '2025-06-01T00:00:00Z' }));
const baseline = { measures: { 'customer.returnRate': { p50: 0.05, p75: 0.1, p90: 0.2, p95: 0.3, p99: 0.5, n: 500 } } };

new SignalTester({ describe, it }).run(priorReturnRate, {
  hits: [
    {
      name: 'three of four earlier orders returned, no baseline',
      ctx: orderContext(order, { history: { orders: past, returns: returned(3) } }),
      strength: [0.6, 0.7],
      evidence: { orders: 4, returnedOrders: 3, ratePercent: 75, thresholdPercent: 50 },
      messageId: 'high',
    },
    {
      name: "one of four against the shop's p90 of 20%",
      ctx: orderContext(order, { history: { orders: past, returns: returned(1) }, baseline }),
      strength: [0.3, 0.35],
      message: 'Returned from 1 of 4 earlier orders (25%), above the 20% threshold.',
    },
    {
      name: 'every order returned, two returns on one',
      ctx: orderContext(order, { history: { orders: past.slice(0, 3), returns: [...returned(3), ...returned(1)] } }),
      strength: 1,
      evidence: { returnedOrders: 3 },
    },
  ],
  quiet: [
    { name: 'one of four, no baseline', ctx: orderContext(order, { history: { orders: past, returns: returned(1) } }), messageId: 'normal' },
    { name: 'no returns, with baseline', ctx: orderContext(order, { history: { orders: past }, baseline }), evidence: { returnedOrders: 0 } },
    { name: 'raised threshold', ctx: orderContext(order, { history: { orders: past, returns: returned(3) } }), params: { threshold: 0.8 } },
  ],
  insufficient: [
    { name: 'two earlier orders', ctx: orderContext(order, { history: { orders: past.slice(0, 2), returns: returned(2) } }), evidence: { orders: 2 }, messageId: 'tooFew' },
    { name: 'guest with no history', ctx: orderContext(makeOrder({ id: 'gid://shopify/Order/201', customerId: null })) },
  ],
  invalidParams: [{ name: 'threshold above 1', params: { threshold: 1.2 }, pointer: '/threshold' }],
});

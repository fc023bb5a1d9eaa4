import { describe, it } from 'vitest';
import { SignalTester, makeOrder, makeReturn, orderContext } from '../../sdk/testing/index.ts';
import trustedLongTerm from './trusted-long-term.ts';

const pastOrders = Array.from({ length: 10 }, (_, i) => makeOrder({ id: `gid://shopify/Order/${i + 1}` }));
const order = makeOrder({ createdAt: '2026-06-01T00:00:00Z' });
const customer = { id: 'gid://shopify/Customer/7', createdAt: '2024-01-01T00:00:00Z', tags: [], identity: {} };
const chargeback = { id: 'gid://shopify/ShopifyPaymentsDispute/1', orderId: pastOrders[0].id, initiatedAt: '2025-01-01T00:00:00Z', amount: 5 };

new SignalTester({ describe, it }).run(trustedLongTerm, {
  hits: [
    { name: 'ten kept orders over two years', ctx: orderContext(order, { customer, history: { orders: pastOrders } }), strength: 1 },
    {
      name: 'five orders, one returned',
      ctx: orderContext(order, { customer, history: { orders: pastOrders.slice(0, 5), returns: [makeReturn(pastOrders[0])] } }),
      strength: 0.5,
      evidence: { orders: 5, returnRatePercent: 20 },
    },
  ],
  quiet: [
    { name: 'a new account', ctx: orderContext(order, { customer: { ...customer, createdAt: '2026-05-01T00:00:00Z' }, history: { orders: pastOrders } }) },
    { name: 'a chargeback on record', ctx: orderContext(order, { customer, history: { orders: pastOrders, chargebacks: [chargeback] } }) },
    { name: 'few orders', ctx: orderContext(order, { customer, history: { orders: pastOrders.slice(0, 2) } }), messageId: 'notTrusted' },
  ],
  insufficient: [{ name: 'guest checkout', ctx: orderContext(order, { customer: null }) }],
});

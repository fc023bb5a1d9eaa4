import type { ChargebackRecord, SignalContext } from '../sdk/index.ts';
import { makeLineItem, makeOrder, makeRefund, makeReturn, orderContext, refundContext, returnContext } from '../sdk/testing/index.ts';

/**
 * Six hand-made point-in-time contexts for the CLI demo and the CLI tests; written to
 * rulesets/examples/events.jsonl by `node cli/demoEvents.ts > rulesets/examples/events.jsonl`.
 */
export function demoContexts(): SignalContext[] {
  const customer = (n: number, since: string) => ({ id: `gid://shopify/Customer/${n}`, createdAt: since, tags: [], identity: {} });
  const pastOrders = (customerN: number, count: number) =>
    Array.from({ length: count }, (_, i) =>
      makeOrder({
        id: `gid://shopify/Order/${customerN}${String(i).padStart(3, '0')}`,
        customerId: `gid://shopify/Customer/${customerN}`,
        createdAt: `2025-${String((i % 12) + 1).padStart(2, '0')}-10T10:00:00Z`,
      }),
    );
  const chargeback = (orderId: string, at: string): ChargebackRecord => ({
    id: `gid://shopify/ShopifyPaymentsDispute/${at.slice(0, 10).replaceAll('-', '')}`,
    orderId,
    initiatedAt: at,
    amount: 120,
    reason: 'fraudulent',
  });

  const cleanOrder = makeOrder({ id: 'gid://shopify/Order/5001', customerId: 'gid://shopify/Customer/1', createdAt: '2026-03-02T09:00:00Z' });
  const stackedOrder = makeOrder({
    id: 'gid://shopify/Order/5002',
    customerId: 'gid://shopify/Customer/2',
    createdAt: '2026-03-02T11:00:00Z',
    lineItems: [makeLineItem({ id: 'gid://shopify/LineItem/1', price: 200, totalDiscount: 150 })],
    discountCodes: ['WELCOME20', 'INFLUENCER50'],
  });
  const guestOrder = makeOrder({ id: 'gid://shopify/Order/5003', customerId: null, createdAt: '2026-03-02T12:00:00Z' });

  const serialHistory = pastOrders(4, 6);
  const serialReturns = serialHistory.slice(0, 4).map((o, i) => makeReturn(o, { id: `gid://shopify/Return/40${i}`, createdAt: o.createdAt.replace('-10T', '-20T') }));
  const serialOrder = makeOrder({ id: 'gid://shopify/Order/5004', customerId: 'gid://shopify/Customer/4', createdAt: '2026-03-01T10:00:00Z' });
  const serialReturn = makeReturn(serialOrder, { id: 'gid://shopify/Return/5004', createdAt: '2026-03-09T10:00:00Z' });

  const disputeHistory = pastOrders(5, 3);
  const disputedOrder = makeOrder({ id: 'gid://shopify/Order/5005', customerId: 'gid://shopify/Customer/5', createdAt: '2026-02-20T10:00:00Z', lineItems: [makeLineItem({ price: 240 })] });

  const loyalHistory = pastOrders(6, 12);
  const loyalOrder = makeOrder({ id: 'gid://shopify/Order/5006', customerId: 'gid://shopify/Customer/6', createdAt: '2026-02-25T10:00:00Z' });

  return [
    orderContext(cleanOrder, { customer: customer(1, '2025-11-01T00:00:00Z') }),
    orderContext(stackedOrder, { customer: customer(2, '2026-03-02T10:55:00Z') }),
    orderContext(guestOrder, { customer: null }),
    returnContext(serialReturn, serialOrder, {
      customer: customer(4, '2024-12-01T00:00:00Z'),
      history: { orders: [...serialHistory, serialOrder], returns: serialReturns },
    }),
    refundContext(makeRefund(disputedOrder, { id: 'gid://shopify/Refund/5005', createdAt: '2026-03-01T10:00:00Z' }), disputedOrder, {
      customer: customer(5, '2025-01-15T00:00:00Z'),
      history: {
        orders: [...disputeHistory, disputedOrder],
        chargebacks: [chargeback(disputeHistory[0].id, '2025-06-01T00:00:00Z'), chargeback(disputeHistory[1].id, '2025-09-01T00:00:00Z')],
        returns: disputeHistory.map((o, i) => makeReturn(o, { id: `gid://shopify/Return/50${i}` })),
      },
    }),
    returnContext(makeReturn(loyalOrder, { id: 'gid://shopify/Return/5006', createdAt: '2026-03-05T10:00:00Z' }), loyalOrder, {
      customer: customer(6, '2023-05-01T00:00:00Z'),
      history: { orders: [...loyalHistory, loyalOrder] },
    }),
  ];
}

if (import.meta.main) {
  for (const ctx of demoContexts()) process.stdout.write(`${JSON.stringify(ctx)}\n`);
}

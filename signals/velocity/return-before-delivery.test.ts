import { describe, it } from 'vitest';
import type { FulfillmentRecord, OrderRecord } from '../../sdk/index.ts';
import { SignalTester, gid, makeLineItem, makeOrder, makeReturn, returnContext } from '../../sdk/testing/index.ts';
import returnBeforeDelivery from './return-before-delivery.ts';

const order = makeOrder({ createdAt: '2026-03-01T10:00:00Z', lineItems: [makeLineItem(), makeLineItem()] });
const [first, second] = order.lineItems;
const fulfilled = (o: OrderRecord, createdAt: string, deliveredAt: string | null = null, lines = o.lineItems): FulfillmentRecord => ({
  id: gid('Fulfillment'),
  orderId: o.id,
  createdAt,
  deliveredAt,
  lineItems: lines.map((li) => ({ lineItemId: li.id, quantity: li.quantity })),
});
const returnAt = (createdAt: string, fulfillments: FulfillmentRecord[]) =>
  returnContext(makeReturn(order, { createdAt }), order, { history: { orders: [order], fulfillments } });

new SignalTester({ describe, it }).run(returnBeforeDelivery, {
  hits: [
    {
      name: 'delivered a day after the return request',
      ctx: returnAt('2026-03-03T10:00:00Z', [fulfilled(order, '2026-03-02T10:00:00Z', '2026-03-04T10:00:00Z')]),
      strength: 1,
      evidence: { hoursEarly: 24, fulfillments: 1 },
      message: 'Return requested 24 h before the shipment was delivered.',
    },
    {
      name: 'shipped yesterday, no delivery scan',
      ctx: returnAt('2026-03-03T10:00:00Z', [fulfilled(order, '2026-03-02T10:00:00Z')]),
      strength: [0.71, 0.73],
      evidence: { daysSinceShipped: 1 },
      messageId: 'inTransit',
    },
    {
      name: 'the returned line is in the split shipment still travelling',
      ctx: returnAt('2026-03-06T10:00:00Z', [
        fulfilled(order, '2026-03-02T10:00:00Z', '2026-03-03T10:00:00Z', [second]),
        fulfilled(order, '2026-03-05T10:00:00Z', null, [first]),
      ]),
      evidence: { daysSinceShipped: 1, fulfillments: 1 },
    },
  ],
  quiet: [
    {
      name: 'delivered before the request',
      ctx: returnAt('2026-03-06T10:00:00Z', [fulfilled(order, '2026-03-02T10:00:00Z', '2026-03-04T10:00:00Z')]),
      messageId: 'delivered',
    },
    {
      name: 'shipped long ago without a scan: presumably delivered',
      ctx: returnAt('2026-03-20T10:00:00Z', [fulfilled(order, '2026-03-02T10:00:00Z')]),
      evidence: { daysSinceShipped: 18 },
    },
    {
      name: 'a shorter transit time',
      ctx: returnAt('2026-03-05T10:00:00Z', [fulfilled(order, '2026-03-02T10:00:00Z')]),
      params: { transitDays: 2 },
    },
  ],
  insufficient: [
    { name: 'nothing shipped yet', ctx: returnAt('2026-03-03T10:00:00Z', []), messageId: 'unfulfilled' },
    {
      name: "only another order's shipment is known",
      ctx: returnAt('2026-03-03T10:00:00Z', [fulfilled(makeOrder(), '2026-03-02T10:00:00Z', '2026-03-02T20:00:00Z')]),
      evidence: { orderId: order.id },
    },
  ],
  invalidParams: [{ name: 'transit too long', params: { transitDays: 60 }, pointer: '/transitDays' }],
});

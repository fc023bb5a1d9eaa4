import { describe, it } from 'vitest';
import type { FulfillmentRecord, OrderRecord } from '../../sdk/index.ts';
import { SignalTester, gid, makeOrder, makeReturn, returnContext } from '../../sdk/testing/index.ts';
import fastReturn from './fast-return.ts';

const order = makeOrder({ createdAt: '2026-03-01T10:00:00Z' });
const fulfilled = (o: OrderRecord, createdAt: string, deliveredAt: string | null = null): FulfillmentRecord => ({
  id: gid('Fulfillment'),
  orderId: o.id,
  createdAt,
  deliveredAt,
  lineItems: o.lineItems.map((li) => ({ lineItemId: li.id, quantity: li.quantity })),
});
const delivered = fulfilled(order, '2026-03-02T10:00:00Z', '2026-03-04T10:00:00Z');
const returnAt = (createdAt: string, fulfillments: FulfillmentRecord[] = [delivered]) =>
  returnContext(makeReturn(order, { createdAt }), order, { history: { orders: [order], fulfillments } });

new SignalTester({ describe, it }).run(fastReturn, {
  hits: [
    {
      name: 'two hours after delivery',
      ctx: returnAt('2026-03-04T12:00:00Z'),
      strength: [0.94, 0.95],
      evidence: { hours: 2, source: 'delivery' },
      message: 'Return requested 2 h after delivery, under 24 h.',
    },
    { name: 'twenty hours after delivery', ctx: returnAt('2026-03-05T06:00:00Z'), strength: [0.41, 0.42], evidence: { hours: 20 }, messageId: 'fast' },
    {
      name: 'six hours after shipping, no delivery recorded',
      ctx: returnAt('2026-03-02T16:00:00Z', [fulfilled(order, '2026-03-02T10:00:00Z')]),
      evidence: { hours: 6, source: 'fulfillment' },
    },
  ],
  quiet: [
    { name: 'three days after delivery', ctx: returnAt('2026-03-07T10:00:00Z'), evidence: { hours: 72 }, messageId: 'normal' },
    { name: 'before delivery is left to another signal', ctx: returnAt('2026-03-03T10:00:00Z'), evidence: { hours: -24 } },
    { name: 'a shorter limit', ctx: returnAt('2026-03-05T06:00:00Z'), params: { maxHours: 12 } },
  ],
  insufficient: [{ name: 'the order was never fulfilled', ctx: returnAt('2026-03-04T12:00:00Z', []), messageId: 'noDelivery' }],
  invalidParams: [{ name: 'zero hours', params: { maxHours: 0 }, pointer: '/maxHours' }],
});

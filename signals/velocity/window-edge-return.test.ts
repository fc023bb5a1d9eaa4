import { describe, it } from 'vitest';
import type { FulfillmentRecord, OrderRecord } from '../../sdk/index.ts';
import { SignalTester, gid, makeOrder, makeReturn, returnContext } from '../../sdk/testing/index.ts';
import windowEdgeReturn from './window-edge-return.ts';

const order = makeOrder({ createdAt: '2026-03-01T10:00:00Z' });
const fulfilled = (o: OrderRecord, createdAt: string, deliveredAt: string | null = null): FulfillmentRecord => ({
  id: gid('Fulfillment'),
  orderId: o.id,
  createdAt,
  deliveredAt,
  lineItems: o.lineItems.map((li) => ({ lineItemId: li.id, quantity: li.quantity })),
});
const delivered = fulfilled(order, '2026-03-02T10:00:00Z', '2026-03-04T10:00:00Z'); // the window runs to 3 April
const returnAt = (createdAt: string, fulfillments: FulfillmentRecord[] = [delivered]) =>
  returnContext(makeReturn(order, { createdAt }), order, { history: { orders: [order], fulfillments } });

new SignalTester({ describe, it }).run(windowEdgeReturn, {
  hits: [
    { name: 'on the last day', ctx: returnAt('2026-04-03T10:00:00Z'), strength: 1, evidence: { days: 30, source: 'delivery' }, messageId: 'edge' },
    {
      name: 'as the edge begins',
      ctx: returnAt('2026-03-31T10:00:00Z'),
      strength: 0.5,
      message: 'Return requested 27 days after delivery, in the last 3 days of the 30-day window.',
    },
    {
      name: 'after the window closed',
      ctx: returnAt('2026-04-10T10:00:00Z'),
      strength: 1,
      evidence: { days: 37 },
      message: 'Return requested 37 days after delivery, after the 30-day window closed.',
    },
    {
      name: 'counted from shipping when delivery is unknown',
      ctx: returnAt('2026-03-31T10:00:00Z', [fulfilled(order, '2026-03-02T10:00:00Z')]),
      strength: [0.8, 0.85],
      evidence: { days: 29, source: 'fulfillment' },
    },
  ],
  quiet: [
    { name: 'a week after delivery', ctx: returnAt('2026-03-11T10:00:00Z'), evidence: { days: 7 }, messageId: 'normal' },
    { name: 'the day before the edge', ctx: returnAt('2026-03-30T10:00:00Z'), evidence: { days: 26 } },
    { name: 'a longer window', ctx: returnAt('2026-04-03T10:00:00Z'), params: { windowDays: 60 } },
  ],
  insufficient: [{ name: 'the order was never fulfilled', ctx: returnAt('2026-04-03T10:00:00Z', []), messageId: 'noDelivery' }],
  invalidParams: [
    { name: 'zero edge', params: { edgeDays: 0 }, pointer: '/edgeDays' },
    { name: 'a window over a year', params: { windowDays: 400 }, pointer: '/windowDays' },
  ],
});

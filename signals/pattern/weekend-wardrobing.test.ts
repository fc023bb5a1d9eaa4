import { describe, it } from 'vitest';
import type { FulfillmentRecord, OrderRecord } from '../../sdk/index.ts';
import { SignalTester, makeLineItem, makeOrder, makeReturn, returnContext } from '../../sdk/testing/index.ts';
import weekendWardrobing from './weekend-wardrobing.ts';

// 2026-01-15 is a Thursday; 01-18 Sunday, 01-20 Tuesday, 01-21 Wednesday.
const dressOrder = (n: number) =>
  makeOrder({
    id: `gid://shopify/Order/${n}`,
    lineItems: [makeLineItem({ id: `gid://shopify/LineItem/${n}`, title: 'Sequin party dress', productType: 'Dresses', price: 180 })],
  });
const shirtOrder = makeOrder({ lineItems: [makeLineItem({ title: 'Linen shirt', productType: 'Shirts' })] });
const delivered = (order: OrderRecord, deliveredAt: string | null): FulfillmentRecord => ({
  id: `gid://shopify/Fulfillment/${order.id.split('/').pop()}`,
  orderId: order.id,
  createdAt: '2026-01-12T10:00:00Z',
  deliveredAt,
  lineItems: order.lineItems.map((l) => ({ lineItemId: l.id, quantity: l.quantity })),
});

const order = dressOrder(1);
const returnAt = (o: OrderRecord, createdAt: string) => makeReturn(o, { createdAt });
const ctxFor = (createdAt: string, deliveredAt: string | null, extra: { orders?: OrderRecord[]; past?: ReturnType<typeof makeReturn>[]; fulfillments?: FulfillmentRecord[] } = {}) =>
  returnContext(returnAt(order, createdAt), order, {
    history: {
      orders: [...(extra.orders ?? []), order],
      returns: extra.past ?? [],
      fulfillments: [...(extra.fulfillments ?? []), delivered(order, deliveredAt)],
    },
  });

// Two earlier orders worn over a weekend: delivered Friday 2025-11-07, returned Monday 11-10, and Thursday 12-04 → Sunday 12-07.
const pastA = dressOrder(2);
const pastB = dressOrder(3);
const history = {
  orders: [pastA, pastB],
  past: [returnAt(pastA, '2025-11-10T09:00:00Z'), returnAt(pastB, '2025-12-07T12:00:00Z')],
  fulfillments: [delivered(pastA, '2025-11-07T15:00:00Z'), delivered(pastB, '2025-12-04T15:00:00Z')],
};

new SignalTester({ describe, it }).run(weekendWardrobing, {
  hits: [
    {
      name: 'dress delivered Thursday, returned Sunday, first time',
      ctx: ctxFor('2026-01-18T11:00:00Z', '2026-01-15T14:00:00Z'),
      strength: 0.5,
      evidence: { deliveredOn: 'Thursday', returnedOn: 'Sunday', wornUnits: 1, priorTimes: 0 },
      messageId: 'wardrobing',
    },
    {
      name: 'delivered Friday, returned Tuesday, done twice before',
      ctx: ctxFor('2026-01-20T08:00:00Z', '2026-01-16T12:00:00Z', history),
      strength: 1,
      evidence: { deliveredOn: 'Friday', returnedOn: 'Tuesday', daysHeld: 3.83, priorTimes: 2 },
    },
  ],
  quiet: [
    {
      name: 'returned on a Wednesday',
      ctx: ctxFor('2026-01-21T11:00:00Z', '2026-01-15T14:00:00Z'),
      messageId: 'normal',
    },
    {
      name: 'delivered on a Monday',
      ctx: ctxFor('2026-01-18T11:00:00Z', '2026-01-12T14:00:00Z'),
    },
    {
      name: 'a shirt is not a worn-once item',
      ctx: returnContext(returnAt(shirtOrder, '2026-01-18T11:00:00Z'), shirtOrder, {
        history: { fulfillments: [delivered(shirtOrder, '2026-01-15T14:00:00Z')] },
      }),
    },
    {
      name: 'held longer than maxDays',
      ctx: ctxFor('2026-01-20T11:00:00Z', '2026-01-15T14:00:00Z'),
      params: { maxDays: 4 },
    },
  ],
  insufficient: [
    { name: 'no delivery time', ctx: ctxFor('2026-01-18T11:00:00Z', null), messageId: 'noDelivery' },
    {
      name: 'items without title or type',
      ctx: (() => {
        const bare = makeOrder({ lineItems: [makeLineItem({ title: undefined, productType: undefined })] });
        return returnContext(returnAt(bare, '2026-01-18T11:00:00Z'), bare);
      })(),
      messageId: 'unknownItems',
    },
  ],
  invalidParams: [
    { name: 'empty keyword list', params: { keywords: [] }, pointer: '/keywords' },
    { name: 'maxDays above a week', params: { maxDays: 9 }, pointer: '/maxDays' },
  ],
});

import { describe, it } from 'vitest';
import type { FulfillmentRecord, OrderRecord } from '../../sdk/index.ts';
import { SignalTester, gid, makeOrder, makeReturn, returnContext } from '../../sdk/testing/index.ts';
import sameDayReturnCycling from './same-day-return-cycling.ts';

const fulfilled = (order: OrderRecord, createdAt: string, deliveredAt: string | null = null): FulfillmentRecord => ({
  id: gid('Fulfillment'),
  orderId: order.id,
  createdAt,
  deliveredAt,
  lineItems: order.lineItems.map((li) => ({ lineItemId: li.id, quantity: li.quantity })),
});

// Older orders D (delivered 20 Jan), A (delivered 4 Feb), and the new order B (delivered 4 Mar).
const orderD = makeOrder({ createdAt: '2026-01-15T10:00:00Z' });
const orderA = makeOrder({ createdAt: '2026-02-01T10:00:00Z' });
const orderB = makeOrder({ createdAt: '2026-03-01T10:00:00Z' });
const fulfillments = [
  fulfilled(orderD, '2026-01-17T10:00:00Z', '2026-01-20T10:00:00Z'),
  fulfilled(orderA, '2026-02-02T10:00:00Z', '2026-02-04T10:00:00Z'),
  fulfilled(orderB, '2026-03-02T10:00:00Z', '2026-03-04T09:00:00Z'),
];
const orders = [orderD, orderA, orderB];
const quickD = makeReturn(orderD, { createdAt: '2026-01-20T20:00:00Z' }); // 10 h after its delivery
const quickA = makeReturn(orderA, { createdAt: '2026-02-04T15:00:00Z' }); // 5 h after its delivery
const swapD = makeReturn(orderD, { createdAt: '2026-02-04T13:00:00Z' }); // 3 h after A arrived
const swapA = makeReturn(orderA, { createdAt: '2026-03-04T11:00:00Z' }); // 2 h after B arrived
const returnB = (createdAt: string) => makeReturn(orderB, { createdAt });
const ctx = (subject: ReturnType<typeof makeReturn>, order: OrderRecord, returns: ReturnType<typeof makeReturn>[], fs = fulfillments) =>
  returnContext(subject, order, { history: { orders, fulfillments: fs, returns } });

new SignalTester({ describe, it }).run(sameDayReturnCycling, {
  hits: [
    {
      name: 'the new order returned 9 h after delivery, as the last one was',
      ctx: ctx(returnB('2026-03-04T18:00:00Z'), orderB, [quickA]),
      strength: 0.3,
      evidence: { cycles: 2, quick: 2, swap: 0, hoursAfterDelivery: 9 },
      messageId: 'cycling',
    },
    {
      name: 'older items sent back each time a new order lands',
      ctx: ctx(makeReturn(orderA, { createdAt: '2026-03-04T12:00:00Z' }), orderA, [quickD, swapD]),
      strength: [0.5, 0.55],
      evidence: { cycles: 3, quick: 1, swap: 2, hoursAfterDelivery: 674 },
    },
    {
      name: "other items returned on the day this order arrived",
      ctx: ctx(returnB('2026-03-10T10:00:00Z'), orderB, [quickD, swapA]),
      evidence: { cycles: 2, quick: 1, swap: 1 },
      message:
        '2 returns in the last 180 days were requested within 12 h of a delivery (1 of the delivered order, 1 of an older one), this return among that pattern.',
    },
  ],
  quiet: [
    {
      name: 'a single same-day return',
      ctx: ctx(returnB('2026-03-04T18:00:00Z'), orderB, []),
      evidence: { cycles: 1 },
      messageId: 'normal',
    },
    {
      name: 'past cycles, but this return came days after delivery',
      ctx: ctx(returnB('2026-03-09T10:00:00Z'), orderB, [quickD, quickA]),
      evidence: { cycles: 2, hoursAfterDelivery: 121 },
    },
    {
      name: 'the earlier cycle is outside a short look-back',
      ctx: ctx(returnB('2026-03-04T18:00:00Z'), orderB, [quickA]),
      params: { lookbackDays: 14 },
      evidence: { cycles: 1 },
    },
  ],
  insufficient: [
    {
      name: 'the order was never fulfilled',
      ctx: ctx(returnB('2026-03-04T18:00:00Z'), orderB, [quickA], fulfillments.slice(0, 2)),
      messageId: 'noDelivery',
    },
  ],
  invalidParams: [
    { name: 'zero hours', params: { sameDayHours: 0 }, pointer: '/sameDayHours' },
    { name: 'unknown param', params: { hours: 12 }, pointer: '/hours' },
  ],
});

import { describe, it } from 'vitest';
import type { FulfillmentRecord, OrderRecord, ReturnRecord } from '../../sdk/index.ts';
import { SignalTester, gid, makeOrder, makeRefund, makeReturn, refundContext, returnContext } from '../../sdk/testing/index.ts';
import buyReturnCycles from './buy-return-cycles.ts';

const delivered = (o: OrderRecord, deliveredAt: string): FulfillmentRecord => ({
  id: gid('Fulfillment'),
  orderId: o.id,
  createdAt: o.createdAt,
  deliveredAt,
  lineItems: o.lineItems.map((li) => ({ lineItemId: li.id, quantity: li.quantity })),
});
const now = '2026-06-01T10:00:00Z';
const o1 = makeOrder({ createdAt: '2026-02-01T10:00:00Z' }); // delivered 4 Feb, returned 2 days later: a cycle
const o2 = makeOrder({ createdAt: '2026-03-01T10:00:00Z' }); // never scanned, returned 4 days after the order: a cycle
const o3 = makeOrder({ createdAt: '2026-04-01T10:00:00Z' }); // delivered 4 Apr, returned 16 days later: kept a while
const o4 = makeOrder({ createdAt: '2026-05-20T10:00:00Z' }); // delivered 25 May, returned 7 days later: a cycle
const o5 = makeOrder({ createdAt: '2026-05-01T10:00:00Z' }); // no fulfilment, returned 2 days after the order
const orders = [o1, o2, o3, o5, o4];
const fulfillments = [delivered(o1, '2026-02-04T10:00:00Z'), delivered(o3, '2026-04-04T10:00:00Z'), delivered(o4, '2026-05-25T10:00:00Z')];
const r1 = makeReturn(o1, { createdAt: '2026-02-06T10:00:00Z' });
const r2 = makeReturn(o2, { createdAt: '2026-03-05T10:00:00Z' });
const r3 = makeReturn(o3, { createdAt: '2026-04-20T10:00:00Z' });
const r5 = makeReturn(o5, { createdAt: '2026-05-03T10:00:00Z' });
const r4 = makeReturn(o4, { createdAt: now });
const onReturn = (returns: ReturnRecord[], history: OrderRecord[] = orders.filter((o) => o !== o5)) =>
  returnContext(r4, o4, { history: { orders: history, fulfillments, returns } });
const refund = makeRefund(o4, { createdAt: now });

new SignalTester({ describe, it }).run(buyReturnCycles, {
  hits: [
    {
      name: 'three of four orders sent back within a week',
      ctx: onReturn([r1, r2, r3]),
      strength: 0.3,
      evidence: { cycles: 3, orders: 4 },
      message: '3 of 4 orders in the last 180 days were returned within 7 days of arriving.',
    },
    {
      name: 'a refund after four quick returns',
      ctx: refundContext(refund, o4, { history: { orders, fulfillments, returns: [r1, r2, r3, r5, makeReturn(o4, { createdAt: '2026-05-28T10:00:00Z' })] } }),
      strength: [0.53, 0.54],
      evidence: { cycles: 4, orders: 5 },
      messageId: 'cycling',
    },
    {
      name: "a refund whose return is not in the history yet",
      ctx: refundContext(refund, o4, { return: r4, history: { orders, fulfillments, returns: [r1, r2, r5] } }),
      evidence: { cycles: 4, orders: 5 },
    },
  ],
  quiet: [
    { name: 'two quick returns only', ctx: onReturn([r1, r3]), evidence: { cycles: 2, orders: 4 }, messageId: 'normal' },
    { name: 'a shorter cycle', ctx: onReturn([r1, r2, r3]), params: { cycleDays: 3 }, evidence: { cycles: 1 } },
    { name: 'a higher minimum', ctx: onReturn([r1, r2, r3]), params: { minCycles: 4 } },
  ],
  insufficient: [
    { name: 'a first order', ctx: onReturn([], [o4]), evidence: { orders: 1, minCycles: 3 }, messageId: 'tooFew' },
    { name: 'a short look-back holds one order', ctx: onReturn([r1, r2, r3]), params: { lookbackDays: 60 }, evidence: { orders: 1 } },
  ],
  invalidParams: [
    { name: 'zero cycle days', params: { cycleDays: 0 }, pointer: '/cycleDays' },
    { name: 'unknown param', params: { cycles: 3 }, pointer: '/cycles' },
  ],
});

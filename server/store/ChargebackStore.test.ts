import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision } from '../../engine/index.ts';
import type { HistoryEvent } from '../../engine/history/index.ts';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { createStores, type Stores } from './index.ts';

// One database for the file; two shops with the same order and customer ids. A's customer 1
// disputed orders 1 and 2 (order 1 also refunded: a double dip); B has one dispute on its order 1.
let db: TestDatabase;
let stores: Stores;
const A = 'chargebacks-a.myshopify.com';
const B = 'chargebacks-b.myshopify.com';
const customer = 'gid://shopify/Customer/1';
const orderId = (n: number) => `gid://shopify/Order/${n}`;
const from = new Date('2026-10-01T00:00:00Z');
const to = new Date('2026-12-01T00:00:00Z');

const order = (n: number, total: number, createdAt: string, extra: Record<string, unknown> = {}): HistoryEvent =>
  ({ type: 'order', order: { id: orderId(n), customerId: customer, createdAt, totalPrice: total, currency: 'EUR', lineItems: [], discountCodes: [], gateways: [], tags: [], ...extra } }) as unknown as HistoryEvent;
const dispute = (n: number, orderN: number, amount: number, initiatedAt: string, status: string | null, reason = 'fraudulent'): HistoryEvent =>
  ({ type: 'chargeback', chargeback: { id: `gid://shopify/ShopifyPaymentsDispute/${n}`, orderId: orderId(orderN), initiatedAt, amount, currency: 'EUR', reason, type: 'chargeback', ...(status ? { status } : {}) } }) as unknown as HistoryEvent;

async function decide(shop: string, n: number, at: string, score: number): Promise<string> {
  const decision = { subject: { kind: 'order', id: orderId(n), at }, ruleset: { id: 'default', version: 1, contentHash: 'h' }, score, zone: score >= 66 ? 'high' : 'low', signals: [] } as unknown as Decision;
  const [written] = await stores.decisions.insertManyWithEffects([{ shopId: shop, decision, orderId: orderId(n), customerId: customer, actions: [{ action: { ruleId: 'hold', type: 'fulfillment.hold' } as never, status: 'pending' }] }]);
  return written!.row.id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
  for (const shop of [A, B]) await stores.shops.install(shop, 'shpat_test', 'read_orders');
  await stores.events.upsertAll(A, [
    order(1, 100, '2026-10-01T10:00:00.000Z'),
    order(2, 50, '2026-10-02T10:00:00.000Z'),
    order(3, 70, '2026-11-20T10:00:00.000Z'),
    order(4, 90, '2026-11-21T10:00:00.000Z', { cancelledAt: '2026-11-21T11:00:00.000Z' }),
    { type: 'refund', refund: { id: 'gid://shopify/Refund/1', orderId: orderId(1), createdAt: '2026-10-05T10:00:00.000Z', amount: 100, currency: 'EUR' } } as unknown as HistoryEvent,
    dispute(1, 1, 100, '2026-10-20T10:00:00.000Z', 'needs_response'),
    dispute(2, 2, 50, '2026-11-03T10:00:00.000Z', 'lost', 'product_not_received'),
  ]);
  await stores.events.upsertAll(B, [order(1, 999, '2026-10-01T10:00:00.000Z'), dispute(1, 1, 999, '2026-10-21T10:00:00.000Z', null)]);
  await decide(A, 1, '2026-10-01T10:00:00.000Z', 80);
  await decide(A, 3, '2026-11-20T10:00:00.000Z', 40);
  await decide(A, 4, '2026-11-21T10:00:00.000Z', 95);
  await decide(B, 1, '2026-10-01T10:00:00.000Z', 10);
  await decide(B, 3, '2026-11-20T10:00:00.000Z', 99);
  await stores.outcomes.label(A, { subjectKind: 'order', subjectId: orderId(1), customerId: customer, decisionId: null, label: 'fraud', source: 'merchant' });
  await stores.outcomes.label(B, { subjectKind: 'order', subjectId: orderId(1), customerId: customer, decisionId: null, label: 'legit', source: 'merchant' });
});
afterAll(async () => {
  await db?.drop();
});

describe('ChargebackStore', () => {
  it('sums the shop’s disputes of the period by status, reason and month; open includes those without a status', async () => {
    expect(await stores.chargebacks.summary(A, from, to)).toEqual({
      disputes: 2,
      amount: 150,
      open: { disputes: 1, amount: 100 },
      byStatus: expect.arrayContaining([{ status: 'needs_response', disputes: 1, amount: 100 }, { status: 'lost', disputes: 1, amount: 50 }]),
      byReason: expect.arrayContaining([{ reason: 'fraudulent', disputes: 1, amount: 100 }, { reason: 'product_not_received', disputes: 1, amount: 50 }]),
      byMonth: [{ month: '2026-10', disputes: 1, amount: 100 }, { month: '2026-11', disputes: 1, amount: 50 }],
    });
    expect(await stores.chargebacks.summary(B, from, to)).toMatchObject({ disputes: 1, amount: 999, open: { disputes: 1, amount: 999 }, byStatus: [{ status: 'unknown', disputes: 1, amount: 999 }] });
    expect((await stores.chargebacks.summary(A, new Date('2026-11-01T00:00:00Z'), to)).disputes).toBe(1);
  });

  it('finds repeat offenders over their orders, and each dispute with the order’s decision made before it', async () => {
    expect(await stores.chargebacks.repeatOffenders(A, to)).toEqual([{ customerId: customer, chargebacks: 2, amount: 150, lastAt: '2026-11-03T10:00:00.000Z' }]);
    expect(await stores.chargebacks.repeatOffenders(A, new Date('2026-11-01T00:00:00Z'))).toEqual([]);
    expect(await stores.chargebacks.repeatOffenders(B, to)).toEqual([]);
    const predictions = await stores.chargebacks.predictions(A, from, to);
    expect(predictions.map((row) => [row.orderId, row.score, row.zone])).toEqual([[orderId(1), 80, 'high'], [orderId(2), null, null]]);
    expect((await stores.chargebacks.predictions(B, from, to)).map((row) => [row.orderId, row.score])).toEqual([[orderId(1), 10]]);
  });

  it('finds double dips: disputed orders also refunded or returned', async () => {
    expect(await stores.chargebacks.doubleDips(A, from, to)).toEqual([
      { orderId: orderId(1), customerId: customer, refunded: 100, returns: 0, chargedBack: 100, firstRefundOrReturnAt: '2026-10-05T10:00:00.000Z', disputedAt: '2026-10-20T10:00:00.000Z' },
    ]);
    expect(await stores.chargebacks.doubleDips(B, from, to)).toEqual([]);
  });

  it('lists the shop’s decided orders not fulfilled nor cancelled, riskiest first', async () => {
    await stores.events.upsert(A, { type: 'fulfillment', fulfillment: { id: 'gid://shopify/Fulfillment/1', orderId: orderId(1), createdAt: '2026-10-02T10:00:00.000Z' } } as unknown as HistoryEvent);
    expect((await stores.chargebacks.unshipped(A, from)).map((row) => [row.orderId, row.score, row.total])).toEqual([[orderId(3), 40, 70]]);
    // B's order 1 (A's was fulfilled); B's order 3 was decided but never stored: nothing to ship.
    expect((await stores.chargebacks.unshipped(B, from)).map((row) => [row.orderId, row.score, row.total])).toEqual([[orderId(1), 10, 999]]);
  });

  it('gathers an order’s evidence from its own shop only', async () => {
    const evidence = await stores.chargebacks.evidence(A, orderId(1));
    expect(evidence.order).toMatchObject({ id: orderId(1), customerId: customer, body: { totalPrice: 100 } });
    expect(evidence.events.map((event) => event.kind)).toEqual(['fulfillment', 'refund', 'chargeback']);
    expect(evidence.decisions.map((decision) => [decision.subjectId, decision.score])).toEqual([[orderId(1), 80]]);
    expect(evidence.actions.map((action) => action.type)).toEqual(['fulfillment.hold']);
    expect(evidence.outcomes.map((outcome) => [outcome.label, outcome.source])).toEqual([['fraud', 'merchant']]);
    // The customer's history before the order: none before order 1; orders 1 and 2 before order 3 (4 was cancelled, and later).
    expect(evidence.customerHistory).toEqual({ orders: 0, firstOrderAt: null, fulfilled: 0, delivered: 0, refunded: 0, disputed: 0 });
    await stores.events.upsert(A, { type: 'fulfillment', fulfillment: { id: 'gid://shopify/Fulfillment/2', orderId: orderId(2), createdAt: '2026-10-03T10:00:00.000Z', deliveredAt: '2026-10-05T10:00:00.000Z', lineItems: [] } } as unknown as HistoryEvent);
    expect((await stores.chargebacks.evidence(A, orderId(3))).customerHistory).toEqual({ orders: 2, firstOrderAt: '2026-10-01T10:00:00.000Z', fulfilled: 2, delivered: 1, refunded: 1, disputed: 2 });
    expect((await stores.chargebacks.evidence(A, orderId(4))).customerHistory).toMatchObject({ orders: 3 });
    const ofB = await stores.chargebacks.evidence(B, orderId(1));
    expect(ofB.order!.body).toMatchObject({ totalPrice: 999 });
    expect(ofB.events.map((event) => event.kind)).toEqual(['chargeback']);
    expect(ofB.decisions.map((decision) => decision.score)).toEqual([10]);
    expect(ofB.outcomes.map((outcome) => outcome.label)).toEqual(['legit']);
    expect(await stores.chargebacks.evidence(B, orderId(2))).toEqual({ order: undefined, events: [], decisions: [], actions: [], outcomes: [], customerHistory: null });
  });
});

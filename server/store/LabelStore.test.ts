import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision } from '../../engine/index.ts';
import type { HistoryEvent } from '../../engine/history/index.ts';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { createStores, type Stores } from './index.ts';

// One database for the file; two shops with the same order ids, where only A's order 1 was
// disputed and only B's order 1 was labelled fraud by the merchant: neither may show in the other.
let db: TestDatabase;
let stores: Stores;
const A = 'labels-a.myshopify.com';
const B = 'labels-b.myshopify.com';
const customer = 'gid://shopify/Customer/1';
const orderId = (n: number) => `gid://shopify/Order/${n}`;

const order = (n: number, total: number, day: number): HistoryEvent =>
  ({ type: 'order', order: { id: orderId(n), customerId: customer, createdAt: `2026-10-${String(day).padStart(2, '0')}T10:00:00.000Z`, totalPrice: total, currency: 'EUR', lineItems: [], discountCodes: [], gateways: ['shopify_payments'], tags: [] } }) as unknown as HistoryEvent;

async function decide(shop: string, n: number, day: number, version: number, signals: Decision['signals'] = []): Promise<void> {
  const decision = { subject: { kind: 'order', id: orderId(n), at: `2026-10-${String(day).padStart(2, '0')}T10:00:00.000Z` }, ruleset: { id: 'default', version, contentHash: 'h' }, score: 10 * n, zone: 'low', signals } as unknown as Decision;
  await stores.decisions.insertManyWithEffects([{ shopId: shop, decision, orderId: orderId(n), customerId: customer, actions: [] }]);
}

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
  for (const shop of [A, B]) await stores.shops.install(shop, 'shpat_test', 'read_orders');
  await stores.events.upsertAll(A, [
    order(1, 100, 1),
    order(2, 40, 5),
    order(3, 60, 9),
    { type: 'refund', refund: { id: 'gid://shopify/Refund/1', orderId: orderId(1), createdAt: '2026-10-03T10:00:00.000Z', amount: 100, currency: 'EUR' } } as unknown as HistoryEvent,
    { type: 'chargeback', chargeback: { id: 'gid://shopify/ShopifyPaymentsDispute/1', orderId: orderId(1), initiatedAt: '2026-10-20T10:00:00.000Z', amount: 100, currency: 'EUR', reason: 'fraudulent', type: 'chargeback' } } as unknown as HistoryEvent,
  ]);
  await stores.events.upsertAll(B, [order(1, 999, 1)]);
  await decide(A, 1, 1, 1, [{ id: 'velocity.return-rate', status: 'hit', strength: 0.5 } as never]);
  await decide(A, 2, 5, 2);
  await decide(B, 1, 1, 1);
  await stores.outcomes.label(A, { subjectKind: 'order', subjectId: orderId(2), customerId: customer, decisionId: null, label: 'legit', source: 'merchant' });
  await stores.outcomes.label(B, { subjectKind: 'order', subjectId: orderId(1), customerId: customer, decisionId: null, label: 'fraud', source: 'merchant' });
});
afterAll(async () => {
  await db?.drop();
});

describe('LabelStore', () => {
  it('reads each decided subject of the shop with its order’s disputes, first payback and merchant labels', async () => {
    const subjects = await stores.labels.subjects(A);
    expect(subjects.map((subject) => [subject.subjectId, subject.value, subject.rulesetVersion])).toEqual([[orderId(1), 100, 1], [orderId(2), 40, 2]]);
    expect(subjects[0]!.facts).toMatchObject({
      kind: 'order',
      gateways: ['shopify_payments'],
      orderTotal: 100,
      disputes: [{ at: '2026-10-20T10:00:00.000Z', reason: 'fraudulent', type: 'chargeback' }],
      firstPaybackAt: '2026-10-03T10:00:00.000Z',
      merchant: [],
    });
    expect(subjects[1]!.facts).toMatchObject({ disputes: [], firstPaybackAt: null, merchant: [{ label: 'legit' }] });
    const [ofB] = await stores.labels.subjects(B);
    expect(ofB!.facts).toMatchObject({ orderTotal: 999, disputes: [], firstPaybackAt: null, merchant: [{ label: 'fraud' }] });
    expect(ofB!.value).toBe(999);
  });

  it('filters by time, kind and ruleset version, and adds the stored signal results when asked', async () => {
    expect((await stores.labels.subjects(A, { from: new Date('2026-10-02T00:00:00Z') })).map((s) => s.subjectId)).toEqual([orderId(2)]);
    expect((await stores.labels.subjects(A, { to: new Date('2026-10-02T00:00:00Z') })).map((s) => s.subjectId)).toEqual([orderId(1)]);
    expect(await stores.labels.subjects(A, { kind: 'refund' })).toEqual([]);
    expect((await stores.labels.subjects(A, { versions: [2] })).map((s) => s.subjectId)).toEqual([orderId(2)]);
    const [withSignals] = await stores.labels.subjects(A, { versions: [1], withSignals: true });
    expect(withSignals!.signals).toEqual([{ id: 'velocity.return-rate', status: 'hit', strength: 0.5 }]);
    expect((await stores.labels.subjects(A, { versions: [2], withSignals: true }))[0]!.signals).toEqual([]);
  });

  it('offers for aging the shop’s matured subjects with no dispute and no aging label, a page at a time', async () => {
    const candidates = (options: Partial<Parameters<Stores['labels']['agingCandidates']>[2]> = {}) =>
      db.knex.transaction((trx) => stores.labels.agingCandidates(trx, A, { minDays: 30, now: new Date('2026-11-06T12:00:00Z'), afterId: null, limit: 10, ...options }));
    // Order 1 was disputed; its refund too (same order). Order 3 is 28 days old, too young.
    expect((await candidates()).map((c) => c.subjectId)).toEqual([orderId(2)]);
    const older = await candidates({ now: new Date('2026-12-01T00:00:00Z') });
    expect(older.map((c) => [c.subjectId, c.orderTotal, c.gateways])).toEqual([[orderId(2), 40, ['shopify_payments']], [orderId(3), 60, ['shopify_payments']]]);
    expect((await candidates({ now: new Date('2026-12-01T00:00:00Z'), afterId: older[0]!.id })).map((c) => c.subjectId)).toEqual([orderId(3)]);
    expect((await candidates({ now: new Date('2026-12-01T00:00:00Z'), window: { from: new Date('2026-10-06T00:00:00Z'), to: new Date('2026-11-01T00:00:00Z') } })).map((c) => c.subjectId)).toEqual([orderId(3)]);
    const label = { kind: 'order' as const, subjectId: orderId(2), customerId: customer, maturedAt: '2026-11-04T10:00:00.000Z', note: 'no dispute in 30 days' };
    expect(await db.knex.transaction((trx) => stores.labels.insertAging(trx, A, [label]))).toBe(1);
    expect(await db.knex.transaction((trx) => stores.labels.insertAging(trx, A, [label]))).toBe(0);
    expect(await candidates()).toEqual([]);
    // An aging label in B (of order 3) does not age A's order 3.
    expect(await db.knex.transaction((trx) => stores.labels.insertAging(trx, B, [{ ...label, subjectId: orderId(3) }]))).toBe(1);
    expect((await candidates({ now: new Date('2026-12-01T00:00:00Z') })).map((c) => c.subjectId)).toEqual([orderId(3)]);
  });
});

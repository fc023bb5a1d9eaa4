import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision, Zone } from '../../engine/index.ts';
import type { HistoryEvent } from '../../engine/history/index.ts';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { createStores, type Stores } from './index.ts';
import type { QueueFilters } from './QueueStore.ts';

// One database for the file; two shops with the same order and customer ids, each labelling,
// holding and alerting different ones, so a read that forgets its shop shows the other's rows.
let db: TestDatabase;
let stores: Stores;
const A = 'queue-a.myshopify.com';
const B = 'queue-b.myshopify.com';
const orderId = (n: number) => `gid://shopify/Order/${n}`;
const customerOf = (n: number) => `gid://shopify/Customer/${n}`;
const ALL: QueueFilters = { ringDays: 7 };

const order = (n: number, total: number, currency = 'EUR'): HistoryEvent =>
  ({ type: 'order', order: { id: orderId(n), name: `#${1000 + n}`, customerId: customerOf(n), createdAt: `2026-10-0${n}T10:00:00.000Z`, totalPrice: total, currency, lineItems: [], discountCodes: [], gateways: [], tags: [], identity: {} } }) as unknown as HistoryEvent;

/** A decision of order `n` whose trace fired two signals (the headline is the one with more points). */
async function decide(shop: string, n: number, zone: Zone, score: number, hold?: 'done' | 'released' | 'skipped'): Promise<string> {
  const signals = [
    { id: 'a.small', status: 'hit', points: 5, message: 'small reason' },
    { id: 'b.big', status: 'hit', points: score - 5, message: `big reason ${n}` },
    { id: 'c.quiet', status: 'no_hit', points: 0, message: 'quiet' },
  ];
  const decision = { subject: { kind: 'order', id: orderId(n), at: `2026-10-0${n}T10:00:00.000Z` }, ruleset: { id: 'default', version: 1, contentHash: 'h' }, score, zone, signals } as unknown as Decision;
  const actions = hold ? [{ action: { ruleId: 'hold', type: 'fulfillment.hold' } as never, status: 'pending' as const }] : [];
  const [written] = await stores.decisions.insertManyWithEffects([{ shopId: shop, decision, orderId: orderId(n), customerId: customerOf(n), actions }]);
  if (hold) await db.knex('actions').where({ shop_id: shop, decision_id: written!.row.id }).update({ status: hold });
  return written!.row.id;
}

async function alert(shop: string, n: number, daysAgo: number) {
  await db.knex('ring_alerts').insert({ shop_id: shop, ring_key: `ring-${n}`, order_id: orderId(n), customer_id: customerOf(n), member: true, matched: JSON.stringify(['address']), ring_score: 50, ring_members: 3, order_at: '2026-10-01T00:00:00Z', created_at: db.knex.raw(`now() - make_interval(days => ?)`, [daysAgo]) });
}

const ids: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
  for (const shop of [A, B]) await stores.shops.install(shop, 'shpat_test', 'read_orders');
  await stores.events.upsertAll(A, [order(1, 300), order(2, 900), order(3, 50), order(4, 400), order(5, 300), order(6, 20)]);
  await stores.events.upsertAll(B, [order(1, 5000, 'GBP'), order(3, 10, 'GBP'), order(4, 400, 'GBP')]);
  ids.a1 = await decide(A, 1, 'medium', 40);
  ids.a2 = await decide(A, 2, 'high', 80, 'done');
  ids.a3 = await decide(A, 3, 'low', 10);
  ids.a4 = await decide(A, 4, 'medium', 50);
  ids.a5 = await decide(A, 5, 'medium', 45);
  ids.a6 = await decide(A, 6, 'low', 12, 'released');
  ids.b1 = await decide(B, 1, 'medium', 40);
  ids.b3 = await decide(B, 3, 'low', 10, 'done');
  ids.b4 = await decide(B, 4, 'high', 70);
  // A labelled its order 4, B its order 1; A's order 3 matched a ring 2 days ago, B's order 4 ten days ago.
  await stores.outcomes.label(A, { subjectKind: 'order', subjectId: orderId(4), customerId: customerOf(4), decisionId: null, label: 'legit', source: 'merchant' });
  await stores.outcomes.label(B, { subjectKind: 'order', subjectId: orderId(1), customerId: customerOf(1), decisionId: null, label: 'fraud', source: 'aging' });
  await alert(A, 3, 2);
  await alert(B, 4, 10);
});
afterAll(async () => {
  await db?.drop();
});

describe('QueueStore', () => {
  it('reads one shop’s queue: unlabelled MEDIUM/HIGH, holds in force, recent ring alerts; by value then id, with name, currency and headline', async () => {
    const rows = await stores.queue.page(A, { ...ALL, limit: 50 });
    // 5 and 1 are worth the same: the higher decision id first.
    expect(rows.map((r) => [r.id, r.value, r.unlabelled, r.held, r.ring])).toEqual([
      [ids.a2, '900', true, true, false],
      [ids.a5, '300', true, false, false],
      [ids.a1, '300', true, false, false],
      [ids.a3, '50', false, false, true],
    ]);
    expect(rows[0]).toMatchObject({ subject_kind: 'order', order_name: '#1002', currency: 'EUR', customer_id: customerOf(2), zone: 'high', score: '80.00', headline: 'big reason 2', hold_status: 'done' });
    expect(rows[3]!.hold_status).toBeNull();
    // B: its own labels, holds and alerts (its order 1 labelled by aging, its order 3 held, its order 4's alert too old).
    const b = await stores.queue.page(B, { ...ALL, limit: 50 });
    expect(b.map((r) => [r.id, r.value, r.currency, r.unlabelled, r.held, r.ring])).toEqual([
      [ids.b4, '400', 'GBP', true, false, false],
      [ids.b3, '10', 'GBP', false, true, false],
    ]);
    expect((await stores.queue.page(B, { ringDays: 11, limit: 50 })).find((r) => r.id === ids.b4)!.ring).toBe(true);
  });

  it('pages by keyset (value, id), ties included', async () => {
    const first = await stores.queue.page(A, { ...ALL, limit: 2 });
    expect(first.map((r) => r.id)).toEqual([ids.a2, ids.a5]);
    const second = await stores.queue.page(A, { ...ALL, limit: 2, after: { value: first[1]!.value, id: first[1]!.id } });
    expect(second.map((r) => r.id)).toEqual([ids.a1, ids.a3]);
    expect(await stores.queue.page(A, { ...ALL, limit: 2, after: { value: '50', id: ids.a3! } })).toEqual([]);
  });

  it('counts per filter value under the other filters, within the shop', async () => {
    expect(await stores.queue.counts(A, ALL)).toEqual({ total: 4, zone: { low: 1, medium: 2, high: 1 }, kind: { order: 4, return: 0, refund: 0 }, reason: { unlabelled: 3, held: 1, ring: 1 } });
    expect(await stores.queue.counts(A, { ...ALL, zone: 'medium', reason: 'unlabelled' })).toEqual({ total: 2, zone: { low: 0, medium: 2, high: 1 }, kind: { order: 2, return: 0, refund: 0 }, reason: { unlabelled: 2, held: 0, ring: 0 } });
    expect(await stores.queue.counts(B, ALL)).toEqual({ total: 2, zone: { low: 1, medium: 0, high: 1 }, kind: { order: 2, return: 0, refund: 0 }, reason: { unlabelled: 1, held: 1, ring: 0 } });
  });

  it('searches by order name prefix (LIKE wildcards taken literally), customer, order', async () => {
    const found = async (search: QueueFilters['search']) => (await stores.queue.page(A, { ...ALL, search, limit: 50 })).map((r) => r.id);
    expect(await found({ orderName: '#1001' })).toEqual([ids.a1]);
    expect(await found({ orderName: '1001' })).toEqual([ids.a1]);
    expect(await found({ orderName: '#100' })).toEqual([ids.a2, ids.a5, ids.a1, ids.a3]);
    expect(await found({ orderName: '#10_1' })).toEqual([]);
    expect(await found({ orderName: '%' })).toEqual([]);
    expect(await found({ customerId: customerOf(5) })).toEqual([ids.a5]);
    expect(await found({ orderId: orderId(3) })).toEqual([ids.a3]);
    expect(await found({ emailHash: 'f'.repeat(64) })).toEqual([]);
  });
});

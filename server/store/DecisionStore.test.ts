import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChosenAction, Decision, Zone } from '../../engine/index.ts';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import type { DecisionEntry } from './DecisionStore.ts';
import { createStores, type Stores } from './index.ts';

// One database for the file; two shops that use the same subject and customer ids, so a query
// that forgets its shop shows the other shop's rows.
let db: TestDatabase;
let stores: Stores;
const A = 'decisions-a.myshopify.com';
const B = 'decisions-b.myshopify.com';

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
  for (const shop of [A, B]) await stores.shops.install(shop, 'shpat_test', 'read_orders');
});
afterAll(async () => {
  await db?.drop();
});

/** A decision as the engine makes it, with only what the store reads filled in. */
function decision(shopId: string, n: number, at: string, zone: Zone, score: number, signals: Decision['signals'] = []): Decision {
  return {
    schema: 'refundsentry.decision/1',
    shopId,
    subject: { kind: 'order', id: `gid://shopify/Order/${n}`, at },
    ruleset: { id: 'default', version: 1, contentHash: 'hash' },
    score,
    zone,
    rawScore: score,
    scaled: false,
    coverage: {} as Decision['coverage'],
    signals,
    derived: {},
    actionRules: [],
    actions: [],
  };
}

const tag: ChosenAction = { ruleId: 'tag-customer-by-zone', type: 'customer.tag' } as ChosenAction;

function entry(shopId: string, n: number, at: string, zone: Zone, score: number, customer: string | null = 'gid://shopify/Customer/1'): DecisionEntry {
  return { shopId, decision: decision(shopId, n, at, zone, score), orderId: `gid://shopify/Order/${n}`, customerId: customer, actions: [{ action: tag, status: 'pending' }] };
}

describe('DecisionStore', () => {
  it('writes a decision, its actions and its customer profile once per subject, per shop', async () => {
    const [a] = await stores.decisions.insertManyWithEffects([entry(A, 1, '2026-11-01T10:00:00Z', 'high', 80)]);
    const [b] = await stores.decisions.insertManyWithEffects([entry(B, 1, '2026-11-01T10:00:00Z', 'low', 5)]);
    expect(a!.created && b!.created).toBe(true);
    expect(a!.actions).toHaveLength(1);
    // Again for A (a retried job): nothing written, the stored decision comes back.
    const [again] = await stores.decisions.insertManyWithEffects([entry(A, 1, '2026-11-01T10:00:00Z', 'low', 1)]);
    expect(again).toMatchObject({ created: false, actions: [], row: { id: a!.row.id, zone: 'high' } });
    expect((await stores.decisions.bySubject(A, 'gid://shopify/Order/1'))!.zone).toBe('high');
    expect((await stores.decisions.bySubject(B, 'gid://shopify/Order/1'))!.zone).toBe('low');
    expect(await stores.decisions.get(B, a!.row.id)).toBeUndefined();
    expect(await stores.actions.forDecision(B, a!.row.id)).toEqual([]);
    const profiles = await db.knex('customers').where({ id: 'gid://shopify/Customer/1' }).orderBy('shop_id').select('shop_id', 'current_zone', 'decisions_count');
    expect(profiles).toEqual([
      { shop_id: A, current_zone: 'high', decisions_count: 1 },
      { shop_id: B, current_zone: 'low', decisions_count: 1 },
    ]);
  });

  it('a customer decided twice in one batch counts two decisions and keeps the latest zone', async () => {
    const customer = 'gid://shopify/Customer/2';
    await stores.decisions.insertManyWithEffects([entry(A, 21, '2026-11-02T12:00:00Z', 'medium', 40, customer), entry(A, 20, '2026-11-02T10:00:00Z', 'high', 90, customer)]);
    const profile = await db.knex('customers').where({ shop_id: A, id: customer }).first();
    expect(profile).toMatchObject({ current_zone: 'medium', decisions_count: 2 });
  });

  it('lists a shop’s decisions newest first by decision time, with filters, and pages through all of them', async () => {
    // Stored out of time order (a late webhook of an older order is decided after newer ones).
    const times = ['2026-10-10T00:00:00Z', '2026-10-05T00:00:00Z', '2026-10-20T00:00:00Z', '2026-10-01T00:00:00Z', '2026-10-15T00:00:00Z'];
    for (const [i, at] of times.entries()) await stores.decisions.insertManyWithEffects([entry(A, 100 + i, at, i % 2 === 0 ? 'low' : 'medium', i)]);
    await stores.decisions.insertManyWithEffects([entry(B, 100, '2026-10-12T00:00:00Z', 'low', 3)]);
    const window = { from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z' };
    const all = await stores.decisions.list(A, { ...window, limit: 50 });
    expect(all.map((row) => row.decided_at.toISOString())).toEqual([...times].sort().reverse().map((at) => new Date(at).toISOString()));
    const pages: string[] = [];
    let before: string | undefined;
    for (let page = 0; page < 5; page++) {
      const rows = await stores.decisions.list(A, { ...window, limit: 2, ...(before ? { before } : {}) });
      if (rows.length === 0) break;
      pages.push(...rows.map((row) => row.subject_id));
      before = rows.at(-1)!.id;
    }
    expect(pages).toEqual(all.map((row) => row.subject_id));
    expect((await stores.decisions.list(A, { ...window, zone: 'medium', limit: 50 })).map((row) => row.subject_id).sort()).toEqual(['gid://shopify/Order/101', 'gid://shopify/Order/103']);
    expect(await stores.decisions.list(A, { ...window, kind: 'return', limit: 50 })).toEqual([]);
    // A decision id of the other shop pages nothing of this one.
    const [other] = await stores.decisions.list(B, { ...window, limit: 1 });
    expect(await stores.decisions.list(A, { ...window, before: other!.id, limit: 50 })).toEqual([]);
  });

  it('counts, signal lines and customer look-ups stay within the shop', async () => {
    const countsA = await stores.decisions.countsByZone(A);
    const countsB = await stores.decisions.countsByZone(B);
    expect(countsB).toEqual({ low: 2 });
    expect(Object.values(countsA).reduce((sum, n) => sum + n, 0)).toBe(8);
    expect((await stores.decisions.signalsSince(B, new Date('2026-01-01'))).map((row) => row.subject_id).sort()).toEqual(['gid://shopify/Order/1', 'gid://shopify/Order/100']);
    const ofCustomer = await stores.decisions.forCustomerOrOrders(B, 'gid://shopify/Customer/1', []);
    expect(ofCustomer.every((row) => row.shop_id === B)).toBe(true);
    expect(ofCustomer).toHaveLength(2);
    expect(await stores.decisions.forCustomerOrOrders(B, 'nobody', ['gid://shopify/Order/101'])).toEqual([]);
    expect(await stores.decisions.deleteForCustomerOrOrders(B, 'nobody', ['gid://shopify/Order/101'])).toBe(0);
    expect(await stores.decisions.countsByZone(A)).toEqual(countsA);
  });
});

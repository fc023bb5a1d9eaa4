import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { createStores, type Stores } from './index.ts';

// One database for the file; two shops listing the same hashes, each seeing only its own entries.
let db: TestDatabase;
let stores: Stores;
const A = 'lists-a.myshopify.com';
const B = 'lists-b.myshopify.com';

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
  for (const shop of [A, B]) await stores.shops.install(shop, 'shpat_test', 'read_orders');
});
afterAll(async () => {
  await db?.drop();
});

describe('ListStore', () => {
  it('groups a shop’s entries by list and kind for scoring; locked holds the non-overridable blocked ones', async () => {
    await stores.lists.add(A, 'blocked', 'email', 'e1', 'chargeback twice', { nonOverridable: true, createdBy: 'staff@a' });
    await stores.lists.add(A, 'blocked', 'email', 'e2');
    await stores.lists.add(A, 'blocked', 'phone', 'p1');
    // Only a blocked entry can be non-overridable.
    await stores.lists.add(A, 'allowed', 'email', 'e3', undefined, { nonOverridable: true });
    await stores.lists.add(B, 'allowed', 'email', 'e1');
    const lists = await stores.lists.forShop(A);
    expect({ ...lists, blocked: { ...lists.blocked, email: [...lists.blocked.email!].sort() } }).toEqual({
      blocked: { email: ['e1', 'e2'], phone: ['p1'] },
      allowed: { email: ['e3'] },
      locked: { email: ['e1'] },
    });
    expect(await stores.lists.forShop(B)).toEqual({ blocked: {}, allowed: { email: ['e1'] }, locked: {} });
    expect((await stores.lists.entries(A, 'allowed')).map((entry) => [entry.hash, entry.non_overridable])).toEqual([['e3', false]]);
  });

  it('adding an entry again updates its note and flag, keeping who created it', async () => {
    const entry = await stores.lists.add(A, 'blocked', 'email', 'e1', 'cleared with the customer');
    expect(entry).toMatchObject({ note: 'cleared with the customer', non_overridable: false, created_by: 'staff@a' });
    expect((await stores.lists.entries(A)).filter((row) => row.hash === 'e1')).toHaveLength(1);
    expect((await stores.lists.forShop(A)).locked).toEqual({});
  });

  it('removes an entry of its own shop only', async () => {
    expect(await stores.lists.remove(B, 'blocked', 'email', 'e2')).toBe(false);
    expect(await stores.lists.remove(A, 'blocked', 'email', 'e2')).toBe(true);
    expect(await stores.lists.remove(A, 'blocked', 'email', 'e2')).toBe(false);
    expect((await stores.lists.entries(A, 'blocked')).map((entry) => entry.hash).sort()).toEqual(['e1', 'p1']);
    expect(await stores.lists.entries(B)).toHaveLength(1);
  });

  it('the cached lists follow this process’s own writes at once', async () => {
    expect((await stores.lists.forShopCached(B)).blocked).toEqual({});
    await stores.lists.add(B, 'blocked', 'ip', 'i1');
    expect((await stores.lists.forShopCached(B)).blocked).toEqual({ ip: ['i1'] });
    await db.knex.transaction((trx) => stores.lists.remove(B, 'blocked', 'ip', 'i1', trx));
    expect((await stores.lists.forShopCached(B)).blocked).toEqual({});
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { createStores, type Stores } from './index.ts';

// One database for the file, several shops: each write touches its own shop's row only.
let db: TestDatabase;
let stores: Stores;
const A = 'shops-a.myshopify.com';
const B = 'shops-b.myshopify.com';

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
});
afterAll(async () => {
  await db?.drop();
});

describe('ShopStore', () => {
  it('installs a shop with a hash key of its own, kept across re-installs', async () => {
    const a = await stores.shops.install(A, 'shpat_a1', 'read_orders');
    const b = await stores.shops.install(B, 'shpat_b1', 'read_orders');
    expect(a.hash_key).toMatch(/^[0-9a-f]{64}$/);
    expect(b.hash_key).not.toBe(a.hash_key);
    await stores.shops.markUninstalled(A);
    expect(await stores.shops.get(A)).toMatchObject({ status: 'uninstalled', access_token: null });
    expect(await stores.shops.get(B)).toMatchObject({ status: 'active', access_token: 'shpat_b1' });
    const again = await stores.shops.install(A, 'shpat_a2', 'read_orders,write_orders');
    // The keyed hashes stored before the uninstall still match new ones.
    expect(again).toMatchObject({ status: 'active', access_token: 'shpat_a2', scopes: 'read_orders,write_orders', hash_key: a.hash_key, uninstalled_at: null });
  });

  it('the cached row is forgotten when this process changes the shop', async () => {
    expect((await stores.shops.getCached(A))!.status).toBe('active');
    await stores.shops.markReconnect(A);
    expect((await stores.shops.getCached(A))!.status).toBe('reconnect');
    await db.knex.transaction((trx) => stores.shops.markUninstalled(A, trx));
    expect((await stores.shops.getCached(A))!.status).toBe('uninstalled');
    expect(await stores.shops.activeIds()).toEqual([B]);
    await stores.shops.install(A, 'shpat_a3', 'read_orders');
    expect(await stores.shops.activeIds()).toEqual([A, B]);
  });

  it('merges settings by top-level key, in the shop’s row only', async () => {
    expect(await stores.shops.updateSettings(A, { holdout: { share: 0.05 }, currency: 'EUR' })).toEqual({ holdout: { share: 0.05 }, currency: 'EUR' });
    expect(await stores.shops.updateSettings(A, { holdout: { share: 0.1 } })).toEqual({ holdout: { share: 0.1 }, currency: 'EUR' });
    expect((await stores.shops.getCached(A))!.settings).toEqual({ holdout: { share: 0.1 }, currency: 'EUR' });
    expect((await stores.shops.get(B))!.settings).toEqual({});
    expect(await stores.shops.updateSettings('unknown.myshopify.com', { a: 1 })).toEqual({});
  });

  it('shop/redact deletes every row of the shop and forgets its cached data, and nothing of another shop', async () => {
    for (const shop of [A, B]) {
      await stores.lists.add(shop, 'blocked', 'email', `hash-of-${shop}`);
      await stores.audit.record(shop, 'merchant', 'list.add', null);
      await db.knex('webhook_deliveries').insert({ shop_id: shop, webhook_id: `w-${shop}`, topic: 'orders/create', status: 'enqueued' });
    }
    expect((await stores.lists.forShopCached(A)).blocked.email).toEqual([`hash-of-${A}`]);
    await stores.shops.deleteEverything(A);
    expect(await stores.shops.get(A)).toBeUndefined();
    expect(await stores.shops.getCached(A)).toBeUndefined();
    expect(await stores.lists.forShopCached(A)).toEqual({ blocked: {}, allowed: {}, locked: {} });
    expect(await db.knex('webhook_deliveries').where({ shop_id: A })).toEqual([]);
    expect(await stores.audit.list(A)).toEqual([]);
    expect((await stores.lists.forShop(B)).blocked.email).toEqual([`hash-of-${B}`]);
    expect(await db.knex('webhook_deliveries').where({ shop_id: B }).pluck('webhook_id')).toEqual([`w-${B}`]);
    expect((await stores.audit.list(B)).map((line) => line.action)).toEqual(['list.add']);
  });
});

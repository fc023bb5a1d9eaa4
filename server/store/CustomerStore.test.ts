import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerSnapshot } from '../../sdk/index.ts';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { createStores, type Stores } from './index.ts';

// One database for the file; two shops with a customer under the same id.
let db: TestDatabase;
let stores: Stores;
const A = 'customers-a.myshopify.com';
const B = 'customers-b.myshopify.com';
const id = 'gid://shopify/Customer/1';
const snapshot = (email: string, tags: string[] = []): CustomerSnapshot => ({ id, identity: { email }, tags, createdAt: '2026-01-01T00:00:00.000Z' }) as CustomerSnapshot;
const version = (shop: string) => db.knex('customers').where({ shop_id: shop, id }).first(db.knex.raw('xmin::text as v')).then((row) => row?.v as string | undefined);

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
  for (const shop of [A, B]) await stores.shops.install(shop, 'shpat_test', 'read_orders');
});
afterAll(async () => {
  await db?.drop();
});

describe('CustomerStore', () => {
  it('upserts a snapshot per shop; an unchanged one keeps its row version', async () => {
    await stores.customers.upsertSnapshot(A, snapshot('hash-a', ['vip']));
    await stores.customers.upsertSnapshot(B, snapshot('hash-b'));
    const before = await version(A);
    await stores.customers.upsertSnapshot(A, snapshot('hash-a', ['vip']));
    expect(await version(A)).toBe(before);
    await stores.customers.upsertSnapshot(A, snapshot('hash-a', ['vip', 'wholesale']));
    expect(await version(A)).not.toBe(before);
    expect(await stores.customers.get(A, id)).toMatchObject({ identity: { email: 'hash-a' }, tags: ['vip', 'wholesale'] });
    expect(await stores.customers.get(B, id)).toMatchObject({ identity: { email: 'hash-b' }, tags: [] });
  });

  it('sets the merchant’s override and deletes in the shop only', async () => {
    expect(await stores.customers.setOverride(A, id, 'trusted')).toBe(true);
    expect(await stores.customers.setOverride(A, 'gid://shopify/Customer/404', 'flagged')).toBe(false);
    expect((await stores.customers.get(A, id))!.manual_override).toBe('trusted');
    expect((await stores.customers.get(B, id))!.manual_override).toBeNull();
    expect(await stores.customers.delete(B, id)).toBe(1);
    expect(await stores.customers.get(B, id)).toBeUndefined();
    expect(await stores.customers.get(A, id)).toBeDefined();
  });
});

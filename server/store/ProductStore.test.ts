import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { createStores, type Stores } from './index.ts';

// One database for the file; two shops with facts of the same product id.
let db: TestDatabase;
let stores: Stores;
const A = 'products-a.myshopify.com';
const B = 'products-b.myshopify.com';
const product = (n: number) => `gid://shopify/Product/${n}`;

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
  for (const shop of [A, B]) await stores.shops.install(shop, 'shpat_test', 'read_orders');
});
afterAll(async () => {
  await db?.drop();
});

describe('ProductStore', () => {
  it('stores facts per shop; a product fetched again replaces its row', async () => {
    await stores.products.upsert(A, [{ productId: product(1), productType: 'Dress', compareAt: { 'gid://shopify/ProductVariant/1': 80 } }, { productId: product(2), productType: null, compareAt: {} }]);
    await stores.products.upsert(B, [{ productId: product(1), productType: 'Shoes', compareAt: {} }]);
    await stores.products.upsert(A, [{ productId: product(1), productType: 'Evening dress', compareAt: {} }]);
    await stores.products.upsert(A, []);
    const facts = await stores.products.factsFor(A, [product(1), product(2), product(3)]);
    expect([...facts.keys()].sort()).toEqual([product(1), product(2)]);
    expect(facts.get(product(1))).toEqual({ productId: product(1), productType: 'Evening dress', compareAt: {} });
    expect((await stores.products.factsFor(B, [product(1), product(2)])).get(product(1))!.productType).toBe('Shoes');
    expect((await stores.products.factsFor(B, [product(2)])).size).toBe(0);
    expect((await stores.products.factsFor(A, [])).size).toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { createStores, type Stores } from './index.ts';

// One database for the file; two shops labelling the same subject ids.
let db: TestDatabase;
let stores: Stores;
const A = 'outcomes-a.myshopify.com';
const B = 'outcomes-b.myshopify.com';
const customer = 'gid://shopify/Customer/1';
const subject = 'gid://shopify/Order/1';

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
  for (const shop of [A, B]) await stores.shops.install(shop, 'shpat_test', 'read_orders');
});
afterAll(async () => {
  await db?.drop();
});

const label = (shop: string, value: 'fraud' | 'legit', source: 'merchant' | 'chargeback' | 'aging', note?: string) =>
  stores.outcomes.label(shop, { subjectKind: 'order', subjectId: subject, customerId: customer, decisionId: null, label: value, source, ...(note ? { note } : {}) });

describe('OutcomeStore', () => {
  it('keeps one label per subject and source: labelling again replaces it', async () => {
    await label(A, 'fraud', 'merchant', 'stolen card');
    await label(A, 'legit', 'aging');
    await label(B, 'legit', 'merchant');
    await label(A, 'legit', 'merchant', 'customer explained');
    const ofA = await stores.outcomes.forSubject(A, subject);
    expect(ofA.map((row) => [row.label, row.source, row.note]).sort()).toEqual([['legit', 'aging', null], ['legit', 'merchant', 'customer explained']]);
    expect((await stores.outcomes.forSubject(B, subject)).map((row) => row.source)).toEqual(['merchant']);
  });

  it('reads and deletes a customer’s labels within the shop', async () => {
    expect(await stores.outcomes.forCustomer(A, customer)).toHaveLength(2);
    expect(await db.knex.transaction((trx) => stores.outcomes.deleteForCustomer(A, customer, trx))).toBe(2);
    expect(await stores.outcomes.forCustomer(A, customer)).toEqual([]);
    expect(await stores.outcomes.forCustomer(B, customer)).toHaveLength(1);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { createStores, type Stores } from './index.ts';

// One database for the file; two shops snoozing the same customer id and signal.
let db: TestDatabase;
let stores: Stores;
const A = 'snoozes-a.myshopify.com';
const B = 'snoozes-b.myshopify.com';
const customer = 'gid://shopify/Customer/1';
const other = 'gid://shopify/Customer/2';

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
  for (const shop of [A, B]) await stores.shops.install(shop, 'shpat_test', 'read_orders');
  // A: one running through November, one in December, one of another customer; B: one of the same customer.
  await stores.snoozes.add(A, { customerId: customer, signalId: 'velocity.return-rate', startsAt: '2026-11-01T00:00:00Z', expiresAt: '2026-12-01T00:00:00Z', createdBy: 'staff@a', reason: 'known reseller' });
  await stores.snoozes.add(A, { customerId: customer, signalId: 'pattern.wardrobing', startsAt: '2026-12-01T00:00:00Z', expiresAt: '2026-12-15T00:00:00Z', createdBy: 'staff@a' });
  await stores.snoozes.add(A, { customerId: other, signalId: 'velocity.return-rate', startsAt: '2026-11-01T00:00:00Z', expiresAt: '2027-01-01T00:00:00Z', createdBy: 'staff@a' });
  await stores.snoozes.add(B, { customerId: customer, signalId: 'velocity.return-rate', startsAt: '2026-11-01T00:00:00Z', expiresAt: '2027-01-01T00:00:00Z', createdBy: 'staff@b' });
});
afterAll(async () => {
  await db?.drop();
});

describe('SnoozeStore', () => {
  it('lists the snoozes in force at a time, of a customer, in the shop only', async () => {
    const at = (time: string, customerId?: string) => stores.snoozes.list(A, { activeAt: time, ...(customerId ? { customerId } : {}) }).then((rows) => rows.map((row) => `${row.customer_id} ${row.signal_id}`).sort());
    expect(await at('2026-11-15T00:00:00Z')).toEqual([`${customer} velocity.return-rate`, `${other} velocity.return-rate`]);
    expect(await at('2026-11-15T00:00:00Z', customer)).toEqual([`${customer} velocity.return-rate`]);
    // Starts inclusive, ends exclusive.
    expect(await at('2026-12-01T00:00:00Z', customer)).toEqual([`${customer} pattern.wardrobing`]);
    expect(await at('2026-10-31T23:59:59Z')).toEqual([]);
    expect((await stores.snoozes.list(B)).map((row) => row.created_by)).toEqual(['staff@b']);
  });

  it('reads the snoozes of customers that end after a time, for scoring', async () => {
    const rows = await stores.snoozes.forCustomers(A, [customer], '2026-11-20T00:00:00Z');
    expect(rows.map((row) => row.signal_id).sort()).toEqual(['pattern.wardrobing', 'velocity.return-rate']);
    expect((await stores.snoozes.forCustomers(A, [customer], '2026-12-01T00:00:00Z')).map((row) => row.signal_id)).toEqual(['pattern.wardrobing']);
    expect(await stores.snoozes.forCustomers(A, [], '2026-01-01T00:00:00Z')).toEqual([]);
    expect((await stores.snoozes.forCustomers(B, [customer, other], '2026-01-01T00:00:00Z')).map((row) => row.shop_id)).toEqual([B]);
    const all = await stores.snoozes.forShop(A);
    expect(all).toHaveLength(3);
    expect(all[0]).toEqual({ customerId: customer, signalId: 'velocity.return-rate', startsAt: '2026-11-01T00:00:00.000Z', expiresAt: '2026-12-01T00:00:00.000Z', by: 'staff@a', reason: 'known reseller' });
  });

  it('removes a snooze of its own shop only, and a customer’s for GDPR', async () => {
    const [ofB] = await stores.snoozes.list(B);
    expect(await stores.snoozes.remove(A, ofB!.id)).toBe(false);
    expect(await stores.snoozes.remove(B, ofB!.id)).toBe(true);
    expect(await stores.snoozes.list(B)).toEqual([]);
    expect(await db.knex.transaction((trx) => stores.snoozes.deleteForCustomer(trx, A, customer))).toBe(2);
    expect((await stores.snoozes.list(A)).map((row) => row.customer_id)).toEqual([other]);
  });
});

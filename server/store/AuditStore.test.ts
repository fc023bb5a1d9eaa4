import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { createStores, type Stores } from './index.ts';

// One database for the file; two shops' audit lines.
let db: TestDatabase;
let stores: Stores;
const A = 'audit-a.myshopify.com';
const B = 'audit-b.myshopify.com';

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
  for (const shop of [A, B]) await stores.shops.install(shop, 'shpat_test', 'read_orders');
});
afterAll(async () => {
  await db?.drop();
});

describe('AuditStore', () => {
  it('lists the shop’s lines newest first, with their details; a line written in a rolled-back transaction is not there', async () => {
    await stores.audit.record(A, 'staff@a', 'hold.release', '17', { released: ['h1'] });
    await stores.audit.record(B, 'staff@b', 'list.add', null);
    await stores.audit.record(A, 'staff@a', 'label.set', 'gid://shopify/Order/1');
    await db.knex.transaction(async (trx) => {
      await stores.audit.record(A, 'staff@a', 'ruleset.publish', 'v9', {}, trx);
      await trx.rollback();
    }).catch(() => undefined);
    const lines = await stores.audit.list(A);
    expect(lines.map((line) => [line.action, line.subject])).toEqual([['label.set', 'gid://shopify/Order/1'], ['hold.release', '17']]);
    expect(lines[1]).toMatchObject({ actor: 'staff@a', details: { released: ['h1'] } });
    expect(lines[1]!.at).toBeInstanceOf(Date);
    expect(await stores.audit.list(A, 1)).toHaveLength(1);
    expect((await stores.audit.list(B)).map((line) => line.action)).toEqual(['list.add']);
  });
});

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
    expect(await stores.audit.list(A, { limit: 1 })).toHaveLength(1);
    expect((await stores.audit.list(B)).map((line) => line.action)).toEqual(['list.add']);
  });

  it('filters by subject and by action or its family, and pages by keyset on the row id', async () => {
    await stores.audit.record(A, 'staff@a', 'ruleset.publish', 'v2');
    await stores.audit.record(A, 'staff@a', 'ruleset.rollback', 'v1');
    await stores.audit.record(A, 'staff@a', 'rulesets_x', 'v1'); // not of the `ruleset` family
    await stores.audit.record(A, 'refundsentry', 'decision.revise', 'gid://shopify/Order/1', { revision: 1 });
    expect((await stores.audit.list(A, { subject: 'gid://shopify/Order/1' })).map((l) => l.action)).toEqual(['decision.revise', 'label.set']);
    expect((await stores.audit.list(A, { action: 'ruleset' })).map((l) => l.action)).toEqual(['ruleset.rollback', 'ruleset.publish']);
    expect((await stores.audit.list(A, { action: 'ruleset.publish' })).map((l) => l.subject)).toEqual(['v2']);
    expect((await stores.audit.list(A, { action: 'ruleset', subject: 'v1' })).map((l) => l.action)).toEqual(['ruleset.rollback']);
    expect(await stores.audit.list(A, { action: 'rule' })).toEqual([]);
    const all = await stores.audit.list(A);
    const pages: string[][] = [];
    for (let before: string | undefined; ; ) {
      const page = await stores.audit.list(A, { limit: 2, ...(before ? { before } : {}) });
      if (page.length === 0) break;
      pages.push(page.map((l) => l.id));
      before = page.at(-1)!.id;
    }
    expect(pages.flat()).toEqual(all.map((l) => l.id));
    expect(pages.map((p) => p.length)).toEqual([2, 2, 2]);
    expect(await stores.audit.list(B, { before: all[0]!.id, subject: 'gid://shopify/Order/1' })).toEqual([]);
  });
});

import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDecision } from '../testing/testDecision.ts';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { ContextStore } from './ContextStore.ts';
import { ProductStore } from './ProductStore.ts';
import { DecisionStore, type DecisionEntry } from './DecisionStore.ts';
import { createStores } from './index.ts';

let db: TestDatabase;
const shopId = 'named.myshopify.com';

beforeAll(async () => {
  db = await createTestDatabase();
  await createStores(db.knex).shops.install(shopId, '', 'read_orders');
});
afterAll(async () => {
  await db?.drop();
});

/** This connection's prepared statements of ours, with how often each was run on a generic plan and on a custom one. */
async function preparedOnConnection(trx: Knex): Promise<Map<string, { generic: number; custom: number }>> {
  const { rows } = await trx.raw(`select name, generic_plans, custom_plans from pg_prepared_statements where name like 'refundsentry_%'`);
  return new Map((rows as { name: string; generic_plans: string; custom_plans: string }[]).map((r) => [r.name, { generic: Number(r.generic_plans), custom: Number(r.custom_plans) }]));
}

function entry(n: number): DecisionEntry {
  return {
    shopId,
    decision: testDecision([['customer.velocity', 10]], { shopId, subject: { kind: 'order', id: `gid://shopify/Order/${n}`, at: '2026-07-01T10:00:00Z' } }),
    orderId: `gid://shopify/Order/${n}`,
    customerId: `gid://shopify/Customer/${n % 3}`,
    actions: [],
  };
}

describe('named statements of the live path', () => {
  it('plan the context read once per connection: after the first runs, PostgreSQL keeps a generic plan', async () => {
    await db.knex.transaction(async (trx) => {
      const context = new ContextStore(trx, new ProductStore(trx));
      for (let i = 0; i < 8; i++) {
        await context.material(shopId, [`gid://shopify/Customer/${i}`], [`gid://shopify/Order/${i}`], '2026-07-01T00:00:00Z');
      }
      const material = (await preparedOnConnection(trx)).get('refundsentry_context_material');
      expect(material).toBeDefined();
      expect(material!.generic + material!.custom).toBe(8);
      expect(material!.generic).toBeGreaterThan(0);
    });
  });

  it('give decision batches of nearby sizes one statement (power-of-two trace slots), and store each batch exactly', async () => {
    await db.knex.transaction(async (trx) => {
      const decisions = new DecisionStore(trx);
      let n = 100;
      for (const size of [3, 4, 3, 4, 4, 3, 4]) {
        const batch = Array.from({ length: size }, () => entry(n++));
        const written = await decisions.insertManyWithEffects(batch);
        expect(written.map((w) => [w.created, w.row.subject_id])).toEqual(batch.map((e) => [true, e.decision.subject.id]));
      }
      const single = await decisions.insertManyWithEffects([entry(n++)]);
      expect(single[0]!.created).toBe(true);

      const prepared = await preparedOnConnection(trx);
      expect([...prepared.keys()].filter((name) => name.startsWith('refundsentry_insert_decisions_')).sort()).toEqual(['refundsentry_insert_decisions_1', 'refundsentry_insert_decisions_4']);
      expect(prepared.get('refundsentry_insert_decisions_4')!.generic).toBeGreaterThan(0);
      // Every trace went to its own decision: none lost to the null slots, none swapped.
      const { rows } = await trx.raw(`select subject_id, trace->'subject'->>'id' as traced from decisions where shop_id = ? order by id`, [shopId]);
      expect(rows).toHaveLength(25 + 1);
      for (const row of rows as { subject_id: string; traced: string }[]) expect(row.traced).toBe(row.subject_id);
    });
  });
});

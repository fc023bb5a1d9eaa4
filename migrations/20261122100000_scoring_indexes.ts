import type { Knex } from 'knex';

/**
 * Indexes for the batched scoring reads.
 * - Decisions by order: the context of a guest's subject reads the earlier decisions about its
 *   order, and GDPR redaction finds a customer's decisions through their orders; without this
 *   index both scan every decision of the shop.
 * - Events by (shop, time) instead of (shop, kind, time): with kind in it, the planner could take
 *   it for a record lookup by (shop, kind, resource id) when the table's statistics are young
 *   (a fresh install, a backfill under way) and filter the shop's whole kind row by row; without
 *   kind, only the unique index matches such a lookup. Baselines still read a shop in time order.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('decisions', (t) => {
    t.index(['shop_id', 'order_id']);
  });
  await knex.schema.alterTable('events', (t) => {
    t.dropIndex(['shop_id', 'kind', 'occurred_at']);
    t.index(['shop_id', 'occurred_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('events', (t) => {
    t.dropIndex(['shop_id', 'occurred_at']);
    t.index(['shop_id', 'kind', 'occurred_at']);
  });
  await knex.schema.alterTable('decisions', (t) => {
    t.dropIndex(['shop_id', 'order_id']);
  });
}

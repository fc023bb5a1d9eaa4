import type { Knex } from 'knex';

/**
 * Fraud rings: each shop's latest ring build (rebuilt whole by the rings job), its rings with
 * their members, links and identifiers (the keyed hashes new orders are matched on), and the
 * alerts raised when a new order matched a known ring. Plus a GIN index on order events'
 * identity hashes, so scoring finds the customers sharing an identifier without a scan.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create index events_order_identity on events using gin ((body -> 'identity') jsonb_path_ops) where kind = 'order'`);
  await knex.schema.createTable('ring_builds', (t) => {
    t.text('shop_id').primary().references('shops.id').onDelete('CASCADE');
    t.text('status').notNullable(); // queued | running | done | failed
    t.timestamp('requested_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('started_at', { useTz: true });
    t.timestamp('finished_at', { useTz: true });
    t.jsonb('stats');
    t.text('error');
  });
  await knex.schema.createTable('rings', (t) => {
    t.bigIncrements('id');
    t.text('shop_id').notNullable().references('shops.id').onDelete('CASCADE');
    t.text('ring_key').notNullable();
    t.float('score').notNullable();
    t.integer('members').notNullable();
    t.jsonb('components').notNullable();
    t.timestamp('first_order_at', { useTz: true });
    t.timestamp('last_order_at', { useTz: true });
    t.timestamp('built_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['shop_id', 'ring_key']);
    t.index(['shop_id', 'score']);
  });
  await knex.schema.createTable('ring_members', (t) => {
    t.bigInteger('ring_id').notNullable().references('rings.id').onDelete('CASCADE');
    t.text('shop_id').notNullable();
    t.text('member_key').notNullable(); // customer:<id> | guest:<order id>
    t.text('customer_id');
    t.integer('orders').notNullable();
    t.integer('returned_orders').notNullable();
    t.integer('chargebacks').notNullable();
    t.integer('fraud_labels').notNullable();
    t.timestamp('first_order_at', { useTz: true });
    t.timestamp('last_order_at', { useTz: true });
    t.primary(['ring_id', 'member_key']);
    t.index(['shop_id', 'customer_id']);
  });
  await knex.schema.createTable('ring_links', (t) => {
    t.bigInteger('ring_id').notNullable().references('rings.id').onDelete('CASCADE');
    t.text('source').notNullable();
    t.text('target').notNullable();
    t.jsonb('kinds').notNullable();
    t.integer('identifiers').notNullable();
    t.primary(['ring_id', 'source', 'target']);
  });
  await knex.schema.createTable('ring_identifiers', (t) => {
    t.bigInteger('ring_id').notNullable().references('rings.id').onDelete('CASCADE');
    t.text('shop_id').notNullable();
    t.text('kind').notNullable();
    t.text('hash').notNullable();
    t.integer('members').notNullable();
    t.primary(['ring_id', 'kind', 'hash']);
    t.index(['shop_id', 'kind', 'hash']);
  });
  await knex.schema.createTable('ring_alerts', (t) => {
    t.bigIncrements('id');
    t.text('shop_id').notNullable().references('shops.id').onDelete('CASCADE');
    t.text('ring_key').notNullable();
    t.text('order_id').notNullable();
    t.text('customer_id');
    t.boolean('member').notNullable(); // the order's customer is already one of the ring's members
    t.jsonb('matched').notNullable(); // identifier kinds that matched
    t.float('ring_score').notNullable();
    t.integer('ring_members').notNullable();
    t.timestamp('order_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['shop_id', 'order_id', 'ring_key']);
    t.index(['shop_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('ring_alerts');
  await knex.schema.dropTable('ring_identifiers');
  await knex.schema.dropTable('ring_links');
  await knex.schema.dropTable('ring_members');
  await knex.schema.dropTable('rings');
  await knex.schema.dropTable('ring_builds');
  await knex.raw('drop index if exists events_order_identity');
}

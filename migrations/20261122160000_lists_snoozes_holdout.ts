import type { Knex } from 'knex';

/**
 * Lists and overrides: a block entry can be non-overridable (an allow entry does not beat it),
 * entries say who added them; per-customer snoozes of a signal with an expiry; decisions of the
 * holdout sample (HIGH decisions whose actions were deliberately not executed) are marked.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('lists', (t) => {
    t.boolean('non_overridable').notNullable().defaultTo(false);
    t.text('created_by');
  });
  await knex.schema.createTable('snoozes', (t) => {
    t.bigIncrements('id');
    t.text('shop_id').notNullable().references('shops.id').onDelete('CASCADE');
    t.text('customer_id').notNullable();
    t.text('signal_id').notNullable();
    t.timestamp('starts_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.text('created_by').notNullable();
    t.text('reason');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['shop_id', 'customer_id', 'expires_at']);
  });
  await knex.schema.alterTable('decisions', (t) => {
    t.boolean('holdout').notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('decisions', (t) => t.dropColumn('holdout'));
  await knex.schema.dropTableIfExists('snoozes');
  await knex.schema.alterTable('lists', (t) => {
    t.dropColumn('non_overridable');
    t.dropColumn('created_by');
  });
}

import type { Knex } from 'knex';

/** Simulator reports: a ruleset version replayed against the live one over a window, kept so a report can be reopened. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('simulations', (t) => {
    t.bigIncrements('id');
    t.text('shop_id').notNullable().references('shops.id').onDelete('CASCADE');
    t.integer('version').notNullable();
    t.integer('against_version').notNullable();
    t.timestamp('window_from', { useTz: true }).notNullable();
    t.timestamp('window_to', { useTz: true }).notNullable();
    t.text('created_by');
    t.jsonb('report').notNullable();
    t.integer('duration_ms').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['shop_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('simulations');
}

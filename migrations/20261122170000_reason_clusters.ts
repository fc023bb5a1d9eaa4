import type { Knex } from 'knex';

/**
 * Return-reason clusters: one computed report per run (the API shows a shop's latest), and the
 * cache of LLM label refinements (keyed by a hash of model + prompt, so a re-run asks nothing new).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('reason_clusterings', (t) => {
    t.bigIncrements('id');
    t.text('shop_id').notNullable().references('shops.id').onDelete('CASCADE');
    t.text('status').notNullable(); // running | done | failed
    t.text('trigger').notNullable(); // backfill | request
    t.jsonb('report');
    t.text('error');
    t.integer('duration_ms').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.index(['shop_id', 'id']);
  });
  await knex.schema.createTable('llm_label_cache', (t) => {
    t.text('key').primary(); // sha256(model + prompt)
    t.text('model').notNullable();
    t.jsonb('answer').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('llm_label_cache');
  await knex.schema.dropTable('reason_clusterings');
}

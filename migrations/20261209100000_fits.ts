import type { Knex } from 'knex';

/**
 * Fitted ruleset versions (issue 21): a fit runs as a job (`fits`: status, progress, the label
 * counts it started from, its report once done, the draft it made), and a version made by a fit
 * keeps its note beside its body (`rulesets.note`: the labels used, split, period and metrics;
 * its held-out calibration feeds the risk figures once it is published).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('fits', (t) => {
    t.bigIncrements('id');
    t.text('shop_id').notNullable().references('shops.id').onDelete('CASCADE');
    t.text('status').notNullable(); // running | cancelling | done | failed | cancelled
    t.float('progress').notNullable().defaultTo(0);
    t.jsonb('options').notNullable().defaultTo('{}');
    t.timestamp('as_of', { useTz: true }).notNullable();
    t.integer('against_version').notNullable();
    t.jsonb('labels').notNullable().defaultTo('{}');
    t.integer('draft_version');
    t.jsonb('report');
    t.jsonb('refusal');
    t.text('error');
    t.text('created_by');
    t.integer('duration_ms').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['shop_id', 'created_at']);
  });
  await knex.schema.alterTable('rulesets', (t) => {
    t.jsonb('note');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('rulesets', (t) => {
    t.dropColumn('note');
  });
  await knex.schema.dropTable('fits');
}

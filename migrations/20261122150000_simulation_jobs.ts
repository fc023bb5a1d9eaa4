import type { Knex } from 'knex';

/** Simulations run as jobs: their status and progress, and the report once done (null before). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('simulations', (t) => {
    t.text('status').notNullable().defaultTo('done'); // running | cancelling | done | failed | cancelled
    t.float('progress').notNullable().defaultTo(1);
    t.text('error');
  });
  await knex.raw('alter table simulations alter column report drop not null');
}

export async function down(knex: Knex): Promise<void> {
  await knex('simulations').whereNull('report').delete();
  await knex.raw('alter table simulations alter column report set not null');
  await knex.schema.alterTable('simulations', (t) => {
    t.dropColumn('status');
    t.dropColumn('progress');
    t.dropColumn('error');
  });
}

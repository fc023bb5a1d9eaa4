import type { Knex } from 'knex';

/**
 * The window the backfill's current pass fetches and scores. The first pass covers the whole
 * window (null: window_from..window_to); extending the window back (60 days to 12 months) runs a
 * second pass over the gap only (pass_from..pass_to = new window_from..old window_from).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('backfills', (t) => {
    t.timestamp('pass_from', { useTz: true });
    t.timestamp('pass_to', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('backfills', (t) => {
    t.dropColumn('pass_from');
    t.dropColumn('pass_to');
  });
}

import type { Knex } from 'knex';

/**
 * The historical backfill: one row per shop (its source and window) and one checkpoint row per
 * stage (status, cursor, pages and records done, error), so a crashed or paused backfill resumes
 * where it stopped and the admin can show each stage's progress.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('backfills', (t) => {
    t.text('shop_id').primary().references('shops.id').onDelete('CASCADE');
    t.jsonb('source').notNullable(); // { kind: 'file', path } | { kind: 'bulk' }
    t.timestamp('window_from', { useTz: true }).notNullable();
    t.timestamp('window_to', { useTz: true }).notNullable();
    t.integer('aging_days').notNullable().defaultTo(120);
    t.text('status').notNullable().defaultTo('running'); // running | done | failed | paused
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
  });
  await knex.schema.createTable('backfill_stages', (t) => {
    t.text('shop_id').notNullable().references('shops.id').onDelete('CASCADE');
    t.text('stage').notNullable();
    t.integer('position').notNullable();
    t.text('status').notNullable().defaultTo('pending'); // pending | running | done | failed | paused
    t.text('cursor');
    t.integer('pages').notNullable().defaultTo(0);
    t.integer('processed').notNullable().defaultTo(0);
    t.integer('total');
    t.text('error');
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('started_at', { useTz: true });
    t.timestamp('finished_at', { useTz: true });
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['shop_id', 'stage']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('backfill_stages');
  await knex.schema.dropTable('backfills');
}

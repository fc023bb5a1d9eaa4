import type { Knex } from 'knex';

/**
 * `GET /api/audit` (issue 23): the log is read newest first by row id, a page at a time (keyset on
 * the id), for the shop or one subject of it; revisions write a line each, so these reads must not
 * scan the table. (The `(shop_id, at)` index of the first migration stays for time-range reads.)
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index audit_log_shop_id on audit_log (shop_id, id)');
  await knex.raw('create index audit_log_shop_subject_id on audit_log (shop_id, subject, id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index audit_log_shop_subject_id');
  await knex.raw('drop index audit_log_shop_id');
}

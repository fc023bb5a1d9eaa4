import type { Knex } from 'knex';

const COLUMNS: [string, string][] = [
  ['decisions', 'trace'],
  ['shadow_decisions', 'trace'],
  ['events', 'body'],
];

/**
 * Decision traces (several KB of jsonb each) and event bodies are compressed when stored (TOAST).
 * lz4 compresses several times faster than PostgreSQL's default pglz, and writing a decision is
 * the largest cost PostgreSQL has per scored event. Only where the server was built with lz4
 * (PostgreSQL ≥ 14 with --with-lz4, as Debian's 15 is; the embedded 18's binaries are not, see
 * the trace_storage migration); new values only.
 */
export async function lz4Available(knex: Knex): Promise<boolean> {
  const { rows } = await knex.raw(`select 'lz4' = any(enumvals) as ok from pg_settings where name = 'default_toast_compression'`);
  return Boolean(rows[0]?.ok);
}

export async function up(knex: Knex): Promise<void> {
  if (!(await lz4Available(knex))) return;
  for (const [table, column] of COLUMNS) await knex.raw('alter table ?? alter column ?? set compression lz4', [table, column]);
}

export async function down(knex: Knex): Promise<void> {
  if (!(await lz4Available(knex))) return;
  for (const [table, column] of COLUMNS) await knex.raw('alter table ?? alter column ?? set compression pglz', [table, column]);
}

import type { Knex } from 'knex';
import { lz4Available } from './20261122180000_lz4_compression.ts';

const COLUMNS: [string, string][] = [
  ['decisions', 'trace'],
  ['shadow_decisions', 'trace'],
];

/**
 * On a server without lz4 (the embedded PostgreSQL's binaries are built without it), decision
 * traces are stored out of line uncompressed (storage `external`) instead of compressed with
 * pglz. A trace is ~9 KB of JSON written once per scored event and read whole; pglz spent
 * ~120 µs of PostgreSQL's CPU per trace compressing it (measured: 27 traces inserted in 10.0 ms
 * compressed, 7.0 ms not), about a fifteenth of PostgreSQL's CPU per event, to save ~6 KB of
 * disk per decision (3.3 KB compressed vs 9 KB). Where lz4 exists (Debian's builds, managed
 * services), traces stay compressed with lz4, which costs a fraction of that. New values only.
 */
export async function up(knex: Knex): Promise<void> {
  if (await lz4Available(knex)) return;
  for (const [table, column] of COLUMNS) await knex.raw('alter table ?? alter column ?? set storage external', [table, column]);
}

export async function down(knex: Knex): Promise<void> {
  for (const [table, column] of COLUMNS) await knex.raw('alter table ?? alter column ?? set storage extended', [table, column]);
}

import type { Knex } from 'knex';
import { lz4Available } from './20261122180000_lz4_compression.ts';

const COLUMNS: [string, string][] = [
  ['decisions', 'trace'],
  ['shadow_decisions', 'trace'],
];

/**
 * Decision traces are stored as `json` (the text as written) instead of `jsonb`. A trace is
 * written once per scored event and read whole (the decision page, the evidence report), so
 * jsonb's binary form bought nothing on the hot path and cost the most: building it was about a
 * third of the decision insert, PostgreSQL's largest cost per event, and reading a trace back
 * turned it into text again. The few reports that look inside traces (signal insights, weight
 * suggestions, re-weighting previews) use the json operators, which read the text as they go.
 * Compression stays lz4 where the server has it.
 */
export async function up(knex: Knex): Promise<void> {
  const lz4 = await lz4Available(knex);
  for (const [table, column] of COLUMNS) {
    await knex.raw('alter table ?? alter column ?? type json using ??::json', [table, column, column]);
    if (lz4) await knex.raw('alter table ?? alter column ?? set compression lz4', [table, column]);
  }
}

export async function down(knex: Knex): Promise<void> {
  const lz4 = await lz4Available(knex);
  for (const [table, column] of COLUMNS) {
    await knex.raw('alter table ?? alter column ?? type jsonb using ??::jsonb', [table, column, column]);
    if (lz4) await knex.raw('alter table ?? alter column ?? set compression lz4', [table, column]);
  }
}

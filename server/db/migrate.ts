import type { Knex } from 'knex';
import { migrationSource } from '../../migrations/index.ts';

/** Brings the schema up to date; safe to run on every start (knex locks the migration table). */
export async function migrateLatest(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest({ migrationSource })) as [number, string[]];
  return applied;
}

export async function rollbackAll(knex: Knex): Promise<void> {
  await knex.migrate.rollback({ migrationSource }, true);
}

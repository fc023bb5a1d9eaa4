import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { lz4Available } from '../../migrations/20261122180000_lz4_compression.ts';
import { migrationSource } from '../../migrations/index.ts';
import { migrateLatest, rollbackAll } from './migrate.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe('migrations', () => {
  it('create every table, are idempotent, and roll back cleanly', async () => {
    const tables = async () =>
      (await db.knex.raw(`select tablename from pg_tables where schemaname = 'public' and tablename not like 'knex%' order by 1`)).rows.map((r: { tablename: string }) => r.tablename);
    expect(await tables()).toEqual(['actions', 'alert_breaches', 'alert_deliveries', 'alert_rules', 'audit_log', 'backfill_stages', 'backfills', 'customers', 'decision_revisions', 'decisions', 'events', 'fits', 'goals', 'identity_orders', 'identity_uses', 'lists', 'llm_label_cache', 'outcomes', 'product_facts', 'reason_clusterings', 'ring_alerts', 'ring_builds', 'ring_identifiers', 'ring_links', 'ring_members', 'rings', 'rulesets', 'shadow_decisions', 'shops', 'simulations', 'snoozes', 'webhook_deliveries']);
    expect(await migrateLatest(db.knex)).toEqual([]);
    await rollbackAll(db.knex);
    expect(await tables()).toEqual([]);
    expect(await migrateLatest(db.knex)).toEqual(await migrationSource.getMigrations([]));
    const indexes = (await db.knex.raw(`select indexname from pg_indexes where tablename in ('events', 'decisions') order by 1`)).rows.map((r: { indexname: string }) => r.indexname);
    expect(indexes).toContain('decisions_shop_id_order_id_index');
    expect(indexes).toContain('events_shop_id_occurred_at_index');
    expect(indexes).not.toContain('events_shop_id_kind_occurred_at_index');
    // Traces: lz4-compressed where the server has lz4, else stored uncompressed (never pglz: its CPU cost per trace).
    const trace = (await db.knex.raw(`select attstorage, attcompression from pg_attribute where attrelid = 'decisions'::regclass and attname = 'trace'`)).rows[0];
    expect(trace).toEqual((await lz4Available(db.knex)) ? { attstorage: 'x', attcompression: 'l' } : { attstorage: 'e', attcompression: '' });
  });
});

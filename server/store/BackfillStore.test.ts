import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../engine/history/index.ts';
import { BACKFILL_STAGES } from '../backfill/HistorySource.ts';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { createStores, type Stores } from './index.ts';

// One database for the file; two shops, each backfilling its own window.
let db: TestDatabase;
let stores: Stores;
const A = 'backfills-a.myshopify.com';
const B = 'backfills-b.myshopify.com';
const window = { from: '2026-09-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' };

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
  for (const shop of [A, B]) await stores.shops.install(shop, 'shpat_test', 'read_orders');
});
afterAll(async () => {
  await db?.drop();
});

const statuses = async (shop: string) => (await stores.backfills.stages(shop)).map((stage) => `${stage.stage}:${stage.status}`);

describe('BackfillStore', () => {
  it('creates a shop’s backfill once, with its stages in order', async () => {
    expect(await stores.backfills.create(A, { kind: 'bulk' }, window, 90)).toBe(true);
    expect(await stores.backfills.create(A, { kind: 'file', path: '/tmp/other.jsonl' }, window, 30)).toBe(false);
    expect(await stores.backfills.get(A)).toMatchObject({ source: { kind: 'bulk' }, aging_days: 90, status: 'running', pass_from: null });
    expect((await stores.backfills.stages(A)).map((stage) => stage.stage)).toEqual([...BACKFILL_STAGES]);
    expect(await stores.backfills.stages(B)).toEqual([]);
    expect(await stores.backfills.running()).toEqual([A]);
  });

  it('checkpoints pages: the next stage is the first not done; a waiting page counts no page', async () => {
    const [first, second] = BACKFILL_STAGES;
    await db.knex.transaction(async (trx) => {
      expect((await stores.backfills.lock(trx, A))!.shop_id).toBe(A);
      expect((await stores.backfills.nextStage(trx, A))!.stage).toBe(first);
      await stores.backfills.savePage(trx, A, first!, { cursor: 'c1', processed: 250, total: 400, done: false });
      await stores.backfills.savePage(trx, A, first!, { cursor: 'c1', processed: 0, done: false, waiting: true });
    });
    expect((await stores.backfills.stages(A))[0]).toMatchObject({ status: 'running', cursor: 'c1', pages: 1, processed: 250, total: 400 });
    await db.knex.transaction(async (trx) => {
      await stores.backfills.savePage(trx, A, first!, { cursor: null, processed: 150, done: true });
      expect((await stores.backfills.nextStage(trx, A))!.stage).toBe(second);
    });
    expect((await stores.backfills.stages(A))[0]).toMatchObject({ status: 'done', pages: 2, processed: 400, total: 400 });
    expect((await stores.backfills.stages(A))[0]!.finished_at).not.toBeNull();
  });

  it('counts failed attempts; failing or pausing stops the backfill and resume restarts it', async () => {
    const stage = BACKFILL_STAGES[1]!;
    expect(await stores.backfills.recordError(A, stage, 'throttled', 'running', 'retry-from')).toBe(1);
    expect(await stores.backfills.recordError(A, stage, 'throttled', 'running')).toBe(2);
    expect((await stores.backfills.get(A))!.status).toBe('running');
    expect(await stores.backfills.recordError(A, stage, 'token revoked', 'paused')).toBe(3);
    expect((await stores.backfills.get(A))!.status).toBe('paused');
    expect((await stores.backfills.stages(A))[1]).toMatchObject({ status: 'paused', attempts: 3, error: 'token revoked', cursor: 'retry-from' });
    expect(await stores.backfills.running()).toEqual([]);
    expect(await stores.backfills.resume(B)).toBe(false);
    expect(await stores.backfills.resume(A)).toBe(true);
    expect((await stores.backfills.stages(A))[1]).toMatchObject({ status: 'pending', attempts: 0, cursor: 'retry-from' });
    expect((await stores.backfills.get(A))!.status).toBe('running');
  });

  it('extends a finished backfill over the gap only; busy while a pass runs, covered when it already reaches back', async () => {
    expect(await stores.backfills.extend(B, new Date('2026-01-01T00:00:00Z'))).toBe('none');
    expect(await stores.backfills.extend(A, new Date('2026-06-01T00:00:00Z'))).toBe('busy');
    await db.knex.transaction((trx) => stores.backfills.finish(trx, A));
    expect(await stores.backfills.extend(A, new Date('2026-09-01T00:00:00Z'))).toBe('covered');
    expect(await stores.backfills.extend(A, new Date('2026-06-01T00:00:00Z'))).toBe('extended');
    expect(await stores.backfills.get(A)).toMatchObject({ status: 'running', window_from: new Date('2026-06-01T00:00:00Z'), pass_from: new Date('2026-06-01T00:00:00Z'), pass_to: new Date(window.from), finished_at: null });
    expect((await statuses(A)).every((line) => line.endsWith(':pending'))).toBe(true);
    expect((await stores.backfills.stages(A)).every((stage) => stage.pages === 0 && stage.cursor === null)).toBe(true);
  });

  it('pages the window’s subjects in time order after a (time, id) cursor, in the shop only', async () => {
    const order = (n: number, createdAt: string): HistoryEvent =>
      ({ type: 'order', order: { id: `gid://shopify/Order/${n}`, customerId: null, createdAt, totalPrice: 1, currency: 'EUR', lineItems: [], discountCodes: [], gateways: [], tags: [] } }) as unknown as HistoryEvent;
    // Two at the same instant (the id breaks the tie), one outside the window.
    await stores.events.upsertAll(A, [order(1, '2026-10-02T00:00:00.000Z'), order(2, '2026-10-01T00:00:00.000Z'), order(3, '2026-10-01T00:00:00.000Z'), order(4, '2026-12-05T00:00:00.000Z')]);
    await stores.events.upsertAll(B, [order(1, '2026-10-01T12:00:00.000Z')]);
    const span = { from: new Date(window.from), to: new Date(window.to) };
    expect(await stores.backfills.countSubjects(A, span)).toBe(3);
    const seen: string[] = [];
    let after: { at: string; id: string } | null = null;
    for (let page = 0; page < 5; page++) {
      const rows = await stores.backfills.subjectsPage(A, span, after, 2);
      if (rows.length === 0) break;
      seen.push(...rows.map((row) => row.resource_id));
      after = { at: rows.at(-1)!.at, id: rows.at(-1)!.id };
    }
    expect(seen).toEqual(['gid://shopify/Order/2', 'gid://shopify/Order/3', 'gid://shopify/Order/1']);
    expect((await stores.backfills.subjectsPage(B, span, null, 10)).map((row) => row.at)).toEqual(['2026-10-01T12:00:00.000Z']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../engine/history/index.ts';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { createStores, type Stores } from './index.ts';
import type { ReasonReport } from './ReasonStore.ts';

// One database for the file; two shops with returns under the same ids.
let db: TestDatabase;
let stores: Stores;
const A = 'reasons-a.myshopify.com';
const B = 'reasons-b.myshopify.com';

const returned = (n: number, day: number, lines: Record<string, unknown>[]): HistoryEvent =>
  ({ type: 'return', return: { id: `gid://shopify/Return/${n}`, orderId: `gid://shopify/Order/${n}`, customerId: 'gid://shopify/Customer/1', createdAt: `2026-10-${String(day).padStart(2, '0')}T10:00:00.000Z`, lineItems: lines } }) as unknown as HistoryEvent;
const report = (notes: number) => ({ notes }) as unknown as ReasonReport;

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
  for (const shop of [A, B]) await stores.shops.install(shop, 'shpat_test', 'read_orders');
  await stores.events.upsertAll(A, [
    returned(1, 1, [{ reasonNote: 'too small', reason: 'SIZE_TOO_SMALL', sku: 'S-1', productId: 'gid://shopify/Product/1', quantity: 2 }, { reasonNote: '', sku: 'S-2' }, { sku: 'S-3' }]),
    returned(2, 3, [{ reasonNote: 'colour differs', quantity: 'two' }]),
    returned(3, 2, [{ reasonNote: 'arrived late' }]),
  ]);
  await stores.events.upsertAll(B, [returned(1, 1, [{ reasonNote: 'B only' }])]);
});
afterAll(async () => {
  await db?.drop();
});

describe('ReasonStore', () => {
  it('reads the shop’s returned lines with a note, the newest `limit` of them, oldest first', async () => {
    const notes = await stores.reasons.returnNotes(A);
    expect(notes.map((row) => [row.return_id, row.line, row.note])).toEqual([
      ['gid://shopify/Return/1', 0, 'too small'],
      ['gid://shopify/Return/3', 0, 'arrived late'],
      ['gid://shopify/Return/2', 0, 'colour differs'],
    ]);
    expect(notes[0]).toMatchObject({ reason: 'SIZE_TOO_SMALL', sku: 'S-1', product_id: 'gid://shopify/Product/1', quantity: 2, customer_id: 'gid://shopify/Customer/1' });
    // A quantity that is not a number reads as unknown.
    expect(notes[2]!.quantity).toBeNull();
    expect((await stores.reasons.returnNotes(A, 2)).map((row) => row.note)).toEqual(['arrived late', 'colour differs']);
    expect((await stores.reasons.returnNotes(B)).map((row) => row.note)).toEqual(['B only']);
  });

  it('keeps the latest finished report of the shop (older finished ones go; running and other shops’ stay)', async () => {
    const first = await stores.reasons.start(A, 'backfill');
    await stores.reasons.finish(first.id, A, report(1), 10);
    const ofB = await stores.reasons.start(B, 'request');
    await stores.reasons.finish(ofB.id, B, report(9), 10);
    const running = await stores.reasons.start(A, 'request');
    const second = await stores.reasons.start(A, 'request');
    // Finishing under another shop's id writes nothing.
    await stores.reasons.finish(second.id, B, report(99), 10);
    expect((await stores.reasons.latest(A)).last).toMatchObject({ id: second.id, status: 'running' });
    await stores.reasons.finish(second.id, A, report(2), 10);
    const { last, done } = await stores.reasons.latest(A);
    expect(last).toMatchObject({ id: second.id, status: 'done', report: { notes: 2 } });
    expect(done!.id).toBe(second.id);
    expect((await db.knex('reason_clusterings').where({ shop_id: A }).orderBy('id').pluck('id'))).toEqual([running.id, second.id]);
    expect((await stores.reasons.latest(B)).done).toMatchObject({ report: { notes: 9 } });
  });

  it('a failed run is the last, and the last finished report is still shown', async () => {
    const run = await stores.reasons.start(A, 'request');
    await stores.reasons.fail(run.id, 'clustering failed', 5);
    const { last, done } = await stores.reasons.latest(A);
    expect(last).toMatchObject({ id: run.id, status: 'failed', error: 'clustering failed' });
    expect(done).toMatchObject({ status: 'done', report: { notes: 2 } });
  });

  it('customers/redact drops the shop’s reports only', async () => {
    expect(await stores.reasons.forgetShopReports(A)).toBe(3);
    expect(await stores.reasons.latest(A)).toEqual({ last: undefined, done: undefined });
    expect((await stores.reasons.latest(B)).done).toBeDefined();
  });

  it('caches LLM answers by their content key', async () => {
    expect(await stores.reasons.cachedAnswer('k1')).toBeUndefined();
    await stores.reasons.cacheAnswer('k1', 'model-a', { label: 'Sizing' });
    await stores.reasons.cacheAnswer('k1', 'model-a', { label: 'Sizing runs small' });
    expect(await stores.reasons.cachedAnswer('k1')).toEqual({ label: 'Sizing runs small' });
  });
});

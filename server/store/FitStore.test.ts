import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { createStores, type Stores } from './index.ts';

// One database for the file: the fits of two shops.
let db: TestDatabase;
let stores: Stores;
const A = 'fits-a.myshopify.com';
const B = 'fits-b.myshopify.com';

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
  for (const shop of [A, B]) await stores.shops.install(shop, 'shpat_test', 'read_orders');
});
afterAll(async () => {
  await db?.drop();
});

const ask = (shop: string, by = 'staff') => stores.fits.create({ shop_id: shop, options: { split: 'auto' }, as_of: new Date('2026-12-01T00:00:00Z'), against_version: 1, labels: { order: { fraud: 30, legit: 300 } }, created_by: by });

describe('FitStore', () => {
  it('runs a fit: progress only goes up, and a cancel asked by the shop stops it at its next progress point', async () => {
    const fit = await ask(A);
    expect(fit).toMatchObject({ status: 'running', progress: 0, options: { split: 'auto' }, labels: { order: { fraud: 30, legit: 300 } } });
    expect(await stores.fits.progress(fit.id, 0.5)).toBe('running');
    expect(await stores.fits.progress(fit.id, 0.25)).toBe('running');
    expect((await stores.fits.get(A, fit.id))!.progress).toBe(0.5);
    expect(await stores.fits.cancel(B, fit.id)).toBe(false);
    expect(await stores.fits.cancel(A, fit.id)).toBe(true);
    expect(await stores.fits.cancel(A, fit.id)).toBe(false);
    expect(await stores.fits.progress(fit.id, 0.6)).toBe('cancelling');
    await stores.fits.end(fit.id, 'cancelled', null, 1200);
    expect(await stores.fits.get(A, fit.id)).toMatchObject({ status: 'cancelled', duration_ms: 1200 });
  });

  it('records a done fit with its draft and report, and a refused one with its counts', async () => {
    const done = await ask(A);
    await stores.fits.finish(done.id, 7, { split: { kind: 'time' } }, 3000);
    expect(await stores.fits.get(A, done.id)).toMatchObject({ status: 'done', progress: 1, draft_version: 7, report: { split: { kind: 'time' } }, error: null });
    const refused = await ask(A);
    await stores.fits.end(refused.id, 'failed', 'too few labels', 10, { counts: { order: { fraud: 2 } } });
    expect(await stores.fits.get(A, refused.id)).toMatchObject({ status: 'failed', error: 'too few labels', refusal: { counts: { order: { fraud: 2 } } } });
  });

  it('lists a shop’s fits newest first, without reports; another shop’s fit is not found', async () => {
    const ofB = await ask(B, 'staff@b');
    const list = await stores.fits.list(A);
    expect(list).toHaveLength(3);
    expect(list.map((row) => Number(row.id))).toEqual([...list.map((row) => Number(row.id))].sort((x, y) => y - x));
    expect(list.every((row) => !('report' in row))).toBe(true);
    expect(await stores.fits.list(A, 1)).toHaveLength(1);
    expect((await stores.fits.list(B)).map((row) => row.id)).toEqual([ofB.id]);
    expect(await stores.fits.get(A, ofB.id)).toBeUndefined();
  });
});

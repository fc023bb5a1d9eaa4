import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulationReport } from '../../engine/index.ts';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { createStores, type Stores } from './index.ts';

// One database for the file: the simulations of two shops.
let db: TestDatabase;
let stores: Stores;
const A = 'simulations-a.myshopify.com';
const B = 'simulations-b.myshopify.com';

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
  for (const shop of [A, B]) await stores.shops.install(shop, 'shpat_test', 'read_orders');
});
afterAll(async () => {
  await db?.drop();
});

const start = (shop: string) => stores.simulations.create({ shop_id: shop, version: 2, against_version: 1, window_from: new Date('2026-09-01T00:00:00Z'), window_to: new Date('2026-12-01T00:00:00Z'), created_by: 'staff' });
const reportFlipping = (...customerIds: string[]) => ({ flips: customerIds.map((customerId, i) => ({ subjectId: `gid://shopify/Order/${i}`, customerId, from: 'low', to: 'high' })) }) as unknown as SimulationReport;

describe('SimulationStore', () => {
  it('runs a simulation to its report; progress only goes up; a cancel is the shop’s own', async () => {
    const run = await start(A);
    expect(run).toMatchObject({ status: 'running', progress: 0, report: null });
    expect(await stores.simulations.progress(run.id, 0.4)).toBe('running');
    expect(await stores.simulations.progress(run.id, 0.1)).toBe('running');
    expect((await stores.simulations.get(A, run.id))!.progress).toBe(0.4);
    expect(await stores.simulations.cancel(B, run.id)).toBe(false);
    await stores.simulations.finish(run.id, reportFlipping('gid://shopify/Customer/1'), 900);
    expect(await stores.simulations.get(A, run.id)).toMatchObject({ status: 'done', progress: 1, duration_ms: 900, report: reportFlipping('gid://shopify/Customer/1') });
    expect(await stores.simulations.cancel(A, run.id)).toBe(false);
    const other = await start(A);
    expect(await stores.simulations.cancel(A, other.id)).toBe(true);
    expect(await stores.simulations.progress(other.id, 0.5)).toBe('cancelling');
    await stores.simulations.end(other.id, 'cancelled', null, 50);
    expect(await stores.simulations.get(A, other.id)).toMatchObject({ status: 'cancelled' });
  });

  it('lists a shop’s simulations without their reports', async () => {
    const ofB = await start(B);
    expect((await stores.simulations.list(A)).map((row) => row.shop_id)).toEqual([A, A]);
    expect((await stores.simulations.list(A)).every((row) => !('report' in row))).toBe(true);
    expect((await stores.simulations.list(B)).map((row) => row.id)).toEqual([ofB.id]);
    expect(await stores.simulations.get(A, ofB.id)).toBeUndefined();
  });

  it('customers/redact deletes the shop’s reports that name the customer, and only those', async () => {
    const ofB = await start(B);
    await stores.simulations.finish(ofB.id, reportFlipping('gid://shopify/Customer/1'), 10);
    const keep = await start(A);
    await stores.simulations.finish(keep.id, reportFlipping('gid://shopify/Customer/2'), 10);
    const naming = async (shop: string) => {
      const ids: string[] = [];
      for (const row of await stores.simulations.list(shop)) if (JSON.stringify((await stores.simulations.get(shop, row.id))!.report ?? {}).includes('Customer/1"')) ids.push(row.id);
      return ids;
    };
    expect(await naming(A)).toHaveLength(1);
    const countA = (await stores.simulations.list(A)).length;
    expect(await stores.simulations.forgetCustomer(A, 'gid://shopify/Customer/1')).toBe(1);
    expect(await naming(A)).toEqual([]);
    expect(await stores.simulations.list(A)).toHaveLength(countA - 1);
    expect(await stores.simulations.get(A, keep.id)).toBeDefined();
    expect(await stores.simulations.get(B, ofB.id)).toBeDefined();
    expect(await stores.simulations.forgetCustomer(A, 'gid://shopify/Customer/1')).toBe(0);
  });
});

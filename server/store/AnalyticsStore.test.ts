import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision } from '../../engine/index.ts';
import type { HistoryEvent } from '../../engine/history/index.ts';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { createStores, type Stores } from './index.ts';

// One database for the file; two shops with records under the same ids, B's ten times larger.
let db: TestDatabase;
let stores: Stores;
const A = 'analytics-a.myshopify.com';
const B = 'analytics-b.myshopify.com';
const from = new Date('2026-10-01T00:00:00Z');
const to = new Date('2026-11-01T00:00:00Z');

function history(scale: number): HistoryEvent[] {
  const line = (sku: string, quantity: unknown) => ({ sku, title: `Item ${sku}`, quantity, price: 10 * scale });
  return [
    { type: 'order', order: { id: 'gid://shopify/Order/1', customerId: null, createdAt: '2026-10-01T10:00:00.000Z', totalPrice: 100 * scale, currency: 'EUR', lineItems: [line('S-1', 3), line('S-2', 1)], discountCodes: [], gateways: [], tags: [] } },
    { type: 'order', order: { id: 'gid://shopify/Order/2', customerId: null, createdAt: '2026-10-10T10:00:00.000Z', totalPrice: 50 * scale, currency: 'EUR', lineItems: [line('S-1', 1)], discountCodes: [], gateways: [], tags: [] } },
    // Outside the period.
    { type: 'order', order: { id: 'gid://shopify/Order/3', customerId: null, createdAt: '2026-11-02T10:00:00.000Z', totalPrice: 999, currency: 'EUR', lineItems: [], discountCodes: [], gateways: [], tags: [] } },
    { type: 'return', return: { id: 'gid://shopify/Return/1', orderId: 'gid://shopify/Order/1', createdAt: '2026-10-06T10:00:00.000Z', totalValue: 30 * scale, lineItems: [line('S-1', 2), line('S-2', 'one')] } },
    { type: 'return', return: { id: 'gid://shopify/Return/2', orderId: 'gid://shopify/Order/2', createdAt: '2026-10-14T10:00:00.000Z', totalValue: 10 * scale, lineItems: [line('S-1', 1)] } },
    { type: 'refund', refund: { id: 'gid://shopify/Refund/1', orderId: 'gid://shopify/Order/1', createdAt: '2026-10-07T10:00:00.000Z', amount: 30 * scale, currency: 'EUR' } },
    { type: 'chargeback', chargeback: { id: 'gid://shopify/ShopifyPaymentsDispute/1', orderId: 'gid://shopify/Order/1', initiatedAt: '2026-10-20T10:00:00.000Z', amount: 100 * scale, currency: 'EUR', reason: 'fraudulent', type: 'chargeback' } },
  ] as unknown as HistoryEvent[];
}

async function decide(shop: string, kind: 'order' | 'refund', id: string, at: string, zone: 'low' | 'medium' | 'high', actions: { type: string; status: 'pending' | 'done' }[] = []): Promise<void> {
  const decision = { subject: { kind, id, at }, ruleset: { id: 'default', version: 1, contentHash: 'h' }, score: 1, zone, signals: [] } as unknown as Decision;
  await stores.decisions.insertManyWithEffects([{ shopId: shop, decision, orderId: 'gid://shopify/Order/1', customerId: null, actions: actions.map((a, i) => ({ action: { ruleId: `r${i}`, type: a.type } as never, status: a.status })) }]);
}

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
  for (const shop of [A, B]) await stores.shops.install(shop, 'shpat_test', 'read_orders');
  await stores.events.upsertAll(A, history(1));
  await stores.events.upsertAll(B, history(10));
  await decide(A, 'order', 'gid://shopify/Order/1', '2026-10-01T10:00:00.000Z', 'high', [{ type: 'fulfillment.hold', status: 'done' }, { type: 'customer.tag', status: 'done' }]);
  await decide(A, 'order', 'gid://shopify/Order/2', '2026-10-10T10:00:00.000Z', 'low', [{ type: 'fulfillment.hold', status: 'pending' }]);
  await decide(A, 'refund', 'gid://shopify/Refund/1', '2026-10-07T10:00:00.000Z', 'high');
  await decide(B, 'order', 'gid://shopify/Order/1', '2026-10-01T10:00:00.000Z', 'medium', [{ type: 'fulfillment.hold', status: 'done' }]);
});
afterAll(async () => {
  await db?.drop();
});

describe('AnalyticsStore', () => {
  it('sums the shop’s period by its records’ own times, with decisions, holds placed and double dips', async () => {
    expect(await stores.analytics.periodMetrics(A, from, to)).toEqual({
      orders: 2, orderValue: 150, returns: 2, returnedValue: 40, refunds: 1, refundedValue: 30, refundValueHigh: 30,
      chargebacks: 1, chargebackAmount: 100, doubleDips: 1, decisions: { low: 1, medium: 0, high: 2 }, holds: 1,
    });
    expect(await stores.analytics.periodMetrics(B, from, to)).toMatchObject({ orders: 2, orderValue: 1500, refundValueHigh: 0, decisions: { low: 0, medium: 1, high: 0 }, holds: 1 });
  });

  it('gives each SKU’s units sold and returned in a period (the alert rules’ return rates): sold-only SKUs too, filtered by floors or by SKU', async () => {
    // S-2: one sold, its one return's quantity is not a number (no unit).
    expect(await stores.analytics.skuUnits(A, from, to)).toEqual([{ sku: 'S-1', title: 'Item S-1', sold: 4, returned: 3 }, { sku: 'S-2', title: 'Item S-2', sold: 1, returned: 0 }]);
    expect(await stores.analytics.skuUnits(A, from, to, { minReturned: 1, minSold: 4 })).toEqual([{ sku: 'S-1', title: 'Item S-1', sold: 4, returned: 3 }]);
    expect(await stores.analytics.skuUnits(A, from, to, { minSold: 5 })).toEqual([]);
    expect(await stores.analytics.skuUnits(A, from, to, { skus: ['S-2', "it's-not-there"] })).toEqual([{ sku: 'S-2', title: 'Item S-2', sold: 1, returned: 0 }]);
    expect(await stores.analytics.skuUnits(A, from, to, { skus: [] })).toEqual([]);
    expect((await stores.analytics.skuUnits(B, from, to)).map((r) => [r.sku, r.sold, r.returned])).toEqual([['S-1', 4, 3], ['S-2', 1, 0]]);
    expect(await stores.analytics.skuUnits(A, to, new Date('2026-12-01T00:00:00Z'))).toEqual([]);
  });

  it('ranks the SKUs returned most, with units sold and every week’s returns (a non-numeric quantity counts no unit)', async () => {
    const trends = await stores.analytics.skuTrends(A, from, to, 'week');
    expect(trends.map((trend) => [trend.sku, trend.sold, trend.returned])).toEqual([['S-1', 4, 3]]);
    expect(trends[0]!.title).toBe('Item S-1');
    expect(trends[0]!.series).toEqual([
      { bucket: '2026-09-28', returned: 0 },
      { bucket: '2026-10-05', returned: 2 },
      { bucket: '2026-10-12', returned: 1 },
      { bucket: '2026-10-19', returned: 0 },
      { bucket: '2026-10-26', returned: 0 },
    ]);
    expect((await stores.analytics.skuTrends(B, from, to, 'month')).map((trend) => [trend.sku, trend.series])).toEqual([['S-1', [{ bucket: '2026-10-01', returned: 3 }]]]);
  });

  it('adds, lists and deletes the shop’s goals', async () => {
    const goal = await stores.analytics.addGoal({ shop_id: A, metric: 'refundedValue' as never, reduce_by_pct: '20', starts_on: '2026-10-01', ends_on: '2026-12-31', note: null, created_by: 'staff@a' });
    expect(goal).toMatchObject({ shop_id: A, starts_on: '2026-10-01', ends_on: '2026-12-31' });
    expect((await stores.analytics.goals(A)).map((row) => row.id)).toEqual([goal.id]);
    expect(await stores.analytics.goals(B)).toEqual([]);
    expect(await stores.analytics.deleteGoal(B, goal.id)).toBe(false);
    expect(await stores.analytics.deleteGoal(A, goal.id)).toBe(true);
    expect(await stores.analytics.goals(A)).toEqual([]);
  });
});

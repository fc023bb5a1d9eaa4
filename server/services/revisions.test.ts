import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecisionDetail } from '../../contract/index.ts';
import { readWebhookFixture } from '../shopify/fixtures/readWebhookFixture.ts';
import { returnWithLines } from '../shopify/fixtures/webhookVariants.ts';
import { parseWebhookBody } from '../shopify/normalize/parseWebhookBody.ts';
import type { DecisionRow } from '../store/index.ts';
import { startShopifyDouble, type ShopifyDouble } from '../testing/shopifyDouble.ts';
import { startTestApp, type TestApp } from '../testing/testApp.ts';

/**
 * Issue 23, decision revisions end to end: a signed replay, through POST /webhooks, of the facts
 * that arrive after an order's first decision — its payment transaction (AVS and CVV failing), a
 * chargeback on an earlier order of the same customer, an edit of another order (a storm of
 * identical orders/updated), a delivery that arrives after a return was decided — with the real
 * scoring workers, the action runner against the Shopify double, and the API's view of each
 * decision's revisions. The bodies are Shopify's samples, varied.
 */

const SHOP = 'revisions.myshopify.com';
const SAMPLE_ORDER = '820982911946154508';
const SAMPLE_CUSTOMER = '115310627314723954';
const orderSample = readWebhookFixture('orders_create');
const DAY = 86_400_000;
const T0 = Date.parse('2021-12-31T19:00:00-05:00');
const at = (days: number) => new Date(Math.round(T0 + days * DAY)).toISOString().replace(/\.\d{3}Z$/, 'Z');

let app: TestApp;
let double: ShopifyDouble;
let token: string;

beforeAll(async () => {
  double = await startShopifyDouble();
  app = await startTestApp({ adminOrigin: double.origin });
  await app.installShop(SHOP);
  token = await app.sessionToken(SHOP);
  // What the store has in Shopify: the orders (one fulfilment order each, to hold), the customers, the Flow trigger.
  for (const [n, o] of [customer1Earlier, customer1Open, order(3, 2, 10)].entries()) double.state.addOrder({ id: o.id, fulfillmentOrders: [{ id: `gid://shopify/FulfillmentOrder/${7100 + n}` }] });
  double.state.addOrder({ id: `gid://shopify/Order/${SAMPLE_ORDER}`, fulfillmentOrders: [{ id: 'gid://shopify/FulfillmentOrder/7199' }] });
  for (const customer of [1, 2, 3]) double.state.addCustomer({ id: `gid://shopify/Customer/${730000000000000000n + BigInt(customer)}` });
  double.state.addCustomer({ id: `gid://shopify/Customer/${SAMPLE_CUSTOMER}` });
  double.state.flowTriggerHandles.add('high-risk-order');
});
afterAll(async () => {
  await app?.stop();
  await double?.close();
});

/** Shopify's sample order as order `n` of customer `customer`, placed `day` days after the sample's time. */
function order(n: number, customer: number, day: number): { body: string; id: string; number: string; day: number } {
  const number = String(930000000000000000n + BigInt(n));
  const body = orderSample
    .replaceAll(SAMPLE_ORDER, number)
    .replaceAll(SAMPLE_CUSTOMER, String(730000000000000000n + BigInt(customer)))
    .replaceAll('jon@example.com', `buyer${customer}@example.org`)
    .replaceAll('john@example.com', `buyer${customer}@example.org`)
    // Each customer their own address and phones: no identifier shared across customers, so no ring forms
    // (a ring forming would revise these orders too, with trigger 'ring').
    .replaceAll('123 Shipping Street', `${customer} Other Road`)
    .replaceAll('123 Elm St.', `${customer} Pine Avenue`)
    .replaceAll('555-555-SHIP', `555-010-${String(customer).padStart(4, '0')}`)
    .replaceAll('123-123-1234', `555-020-${String(customer).padStart(4, '0')}`)
    .replaceAll('2021-12-31T19:00:00-05:00', at(day));
  return { body: open(body), id: `gid://shopify/Order/${number}`, number, day };
}

/** Shopify's sample order is cancelled: these orders are open (not cancelled), as a live order to decide is. */
function open(body: string): string {
  return body.replace('"cancel_reason": "customer"', '"cancel_reason": null').replace(/"cancelled_at": "[^"]*"/, '"cancelled_at": null');
}

/** Shopify's order_transactions/create sample as transaction `n` of an order, with AVS and CVV failing when `failing`. */
function transaction(n: number, o: { number: string; day: number }, status: 'success' | 'failure', failing: boolean): string {
  const t = parseWebhookBody(readWebhookFixture('order_transactions_create')) as Record<string, any>;
  const id = String(130560818172775265n + BigInt(n));
  Object.assign(t, { id, admin_graphql_api_id: `gid://shopify/OrderTransaction/${id}`, order_id: o.number, created_at: new Date(T0 + o.day * DAY + 20_000).toISOString(), kind: 'sale', gateway: 'shopify_payments', status });
  if (status === 'failure') t.error_code = 'card_declined';
  if (failing) Object.assign(t.payment_details, { avs_result_code: 'N', cvv_result_code: 'N' });
  return JSON.stringify(t).replace(/"(id|order_id)":"(\d+)"/g, '"$1":$2');
}

/** Shopify's fulfillments/create sample for an order: shipped `day` days after the sample's time, delivered when `delivered` (its `updated_at` then stands for the delivery). */
function fulfillment(n: number, o: { number: string }, day: number, delivered?: number): string {
  const f = parseWebhookBody(readWebhookFixture('fulfillments_create')) as Record<string, any>;
  const id = String(640000000000n + BigInt(n));
  Object.assign(f, { id, admin_graphql_api_id: `gid://shopify/Fulfillment/${id}`, order_id: o.number, created_at: at(day), updated_at: at(delivered ?? day), status: 'success', shipment_status: delivered === undefined ? 'in_transit' : 'delivered' });
  return JSON.stringify(f).replace(/"(id|order_id)":"(\d+)"/g, '"$1":$2');
}

/** Shopify's disputes/create sample: a fraud chargeback on an order, initiated `day` days after the sample's time. */
function dispute(n: number, o: { number: string }, day: number): string {
  return readWebhookFixture('disputes_create')
    .replace('285332461850802063', String(385332461850802063n + BigInt(n)))
    .replace(`"order_id": ${SAMPLE_ORDER}`, `"order_id": ${o.number}`)
    .replace('"initiated_at": "2021-12-31T19:00:00-05:00"', `"initiated_at": "${at(day)}"`);
}

const decision = (id: string) => app.stores.decisions.bySubject(SHOP, id);
const detail = async (row: DecisionRow): Promise<DecisionDetail> => {
  const response = await app.server.inject({ method: 'GET', url: `/api/decisions/${row.id}`, headers: { authorization: `Bearer ${token}` } });
  expect(response.statusCode).toBe(200);
  return JSON.parse(response.payload) as DecisionDetail;
};
const signal = (d: { trace: { signals: { id: string; status: string }[] } }, id: string) => d.trace.signals.find((s) => s.id === id);

const customer1Earlier = order(1, 1, 0);
const customer1Open = order(2, 1, 5);
const paid = transaction(1, customer1Open, 'success', true);

describe('an open order revised by the facts that follow its first decision', () => {
  it('is decided LOW at orders/create, then revised when its payment transaction arrives (AVS and CVV failed)', async () => {
    expect((await app.webhook('orders/create', customer1Earlier.body, { shop: SHOP })).statusCode).toBe(200);
    expect((await app.webhook('fulfillments/create', fulfillment(1, customer1Earlier, 1), { shop: SHOP })).statusCode).toBe(200);
    expect((await app.webhook('orders/create', customer1Open.body, { shop: SHOP })).statusCode).toBe(200);
    const first = await app.waitFor(() => decision(customer1Open.id), 'the first decision');
    expect(first.revision).toBe(0);
    expect(first.zone).toBe('low');
    expect(signal(first, 'order.avs-mismatch')?.status).not.toBe('hit');

    expect((await app.webhook('order_transactions/create', transaction(2, customer1Open, 'failure', false), { shop: SHOP })).statusCode).toBe(200);
    expect((await app.webhook('order_transactions/create', paid, { shop: SHOP, webhookId: 'paid-1' })).statusCode).toBe(200);
    await app.idle();
    const revised = (await decision(customer1Open.id))!;
    expect(revised.revision).toBeGreaterThanOrEqual(1);
    expect(Number(revised.score)).toBeGreaterThan(Number(first.score) + 40);
    expect(signal(revised, 'order.avs-mismatch')?.status).toBe('hit');
    expect(revised.trigger).toMatchObject({ kind: 'transaction' });

    const shown = await detail(revised);
    expect(shown.revisions.map((r) => r.revision)).toEqual(Array.from({ length: revised.revision! + 1 }, (_, i) => i));
    expect(shown.revisions[0]).toMatchObject({ score: Number(first.score), zone: 'low', trigger: null, change: null });
    const last = shown.revisions.at(-1)!;
    expect(last.change).toMatch(/^Score rose from [\d.]+ to [\d.]+ \(LOW → (MEDIUM|HIGH)\) when the order's payment transaction arrived: /);
    expect(last.moved.map((m) => m.id)).toContain('order.avs-mismatch');
  });

  it('a chargeback on an earlier order of the customer revises the open order to HIGH: the hold and the other actions run exactly once', async () => {
    const before = (await decision(customer1Open.id))!;
    expect((await app.webhook('disputes/create', dispute(1, customer1Earlier, 7), { shop: SHOP, eventId: 'dispute-1' })).statusCode).toBe(200);
    await app.idle();
    const row = (await decision(customer1Open.id))!;
    expect(row.revision).toBe(before.revision! + 1);
    expect(row.trigger).toMatchObject({ kind: 'chargeback', at: at(7) });
    expect(row.zone).toBe('high');
    expect(signal(row, 'customer.prior-chargebacks')?.status).toBe('hit');
    // The earlier order has shipped: its decision is final.
    expect((await decision(customer1Earlier.id))!.revision).toBe(0);

    const shown = await detail(row);
    const ofThisRevision = shown.actions.filter((a) => a.revision === row.revision);
    expect(ofThisRevision.map((a) => a.type).sort()).toEqual(expect.arrayContaining(['fulfillment.hold', 'customer.tag']));
    expect(Object.fromEntries(ofThisRevision.map((a) => [a.type, a.status]))).toMatchObject({ 'fulfillment.hold': 'done', 'risk.assessment': 'done', 'flow.trigger': 'done', 'customer.tag': 'done' });
    const holds = () => double.requests.filter((r) => r.rootFields.includes('fulfillmentOrderHold') && r.outcome === 'ok');
    const held = holds().length;
    expect(held).toBeGreaterThanOrEqual(1);

    // Replays: the same dispute again (another webhook id, the same event) and the same transaction
    // (its webhook id again) are duplicates; a revision job replayed finds nothing new.
    expect(JSON.parse((await app.webhook('disputes/create', dispute(1, customer1Earlier, 7), { shop: SHOP, eventId: 'dispute-1' })).payload)).toMatchObject({ duplicate: expect.any(String) });
    expect(JSON.parse((await app.webhook('order_transactions/create', paid, { shop: SHOP, webhookId: 'paid-1' })).payload)).toMatchObject({ duplicate: expect.any(String) });
    await app.queue.sendScores([{ shopId: SHOP, kind: 'order', subjectId: customer1Open.id, trigger: row.trigger! }]);
    await app.idle();
    expect((await decision(customer1Open.id))!.revision).toBe(row.revision);
    expect(holds().length).toBe(held);
    const audit = await app.stores.db('audit_log').where({ shop_id: SHOP, action: 'decision.revise', subject: customer1Open.id });
    expect(audit).toHaveLength(row.revision!);
  });

  it('once the order ships, nothing revises it any more', async () => {
    const row = (await decision(customer1Open.id))!;
    expect((await app.webhook('fulfillments/create', fulfillment(2, customer1Open, 8), { shop: SHOP })).statusCode).toBe(200);
    // A late transaction (another card, AVS fine) and a chargeback on the order itself: facts, but the order has shipped.
    expect((await app.webhook('order_transactions/create', transaction(3, customer1Open, 'success', false), { shop: SHOP })).statusCode).toBe(200);
    expect((await app.webhook('disputes/create', dispute(2, customer1Open, 9), { shop: SHOP })).statusCode).toBe(200);
    await app.queue.sendScores([{ shopId: SHOP, kind: 'order', subjectId: customer1Open.id, trigger: { kind: 'chargeback', factId: null, at: at(9) } }]);
    await app.idle();
    expect((await decision(customer1Open.id))!.revision).toBe(row.revision);
  });
});

describe('an order edited after its decision', () => {
  it('a storm of identical orders/updated (shipping address moved abroad) makes one revision; an update that changes no scored input makes none', async () => {
    const o = order(3, 2, 10);
    expect((await app.webhook('orders/create', o.body, { shop: SHOP })).statusCode).toBe(200);
    const first = await app.waitFor(() => decision(o.id), 'the first decision');
    expect(signal(first, 'order.address-mismatch')?.status).toBe('no_hit');
    const body = parseWebhookBody(o.body) as Record<string, any>;
    Object.assign(body.shipping_address, { address1: '10 Downing Street', city: 'London', zip: 'SW1A 2AA', province: null, province_code: null, country: 'United Kingdom', country_code: 'GB' });
    const moved = JSON.stringify(body).replace(/"(id|order_id|customer_id|product_id|variant_id)":"(\d+)"/g, '"$1":$2');
    const responses = await Promise.all(Array.from({ length: 5 }, (_, i) => app.webhook('orders/updated', moved, { shop: SHOP, webhookId: `storm-${i}`, eventId: `storm-${i}` })));
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
    await app.idle();
    const row = (await decision(o.id))!;
    expect(row.revision).toBe(1);
    expect(row.trigger).toMatchObject({ kind: 'order.updated', factId: o.id });
    // (No identifier is shared between these customers: no ring, so no 'ring' revision either.)
    expect(await app.stores.db('rings').where({ shop_id: SHOP }).count('* as n').first()).toEqual({ n: '0' });
    expect(signal(row, 'order.address-mismatch')?.status).toBe('hit');

    // Tags only: not a scored input.
    expect((await app.webhook('orders/updated', moved.replace('"tags":"tag1, tag2"', '"tags":"tag1"'), { shop: SHOP })).statusCode).toBe(200);
    await app.idle();
    expect((await decision(o.id))!.revision).toBe(1);
  });
});

describe('a return decided before its order’s delivery was known', () => {
  it('is decided without the delivery (fast-return has no data), then re-decided with it when the delivery arrives', async () => {
    // A return's time is its webhook's (Shopify's return bodies carry none), and a webhook from the
    // past is refused as a stale retry: this order lives in the days before now.
    const daysAgo = (days: number) => (Date.now() - T0 - days * DAY) / DAY;
    const o = { number: SAMPLE_ORDER, id: `gid://shopify/Order/${SAMPLE_ORDER}` };
    // The return body names Shopify's sample order and customer: the order is the sample, placed 3 days ago.
    const sampleOrder = open(orderSample.replaceAll('2021-12-31T19:00:00-05:00', at(daysAgo(3))));
    expect((await app.webhook('orders/create', sampleOrder, { shop: SHOP })).statusCode).toBe(200);
    await app.waitFor(() => decision(o.id), 'the order decided');
    const ret = returnWithLines();
    expect(JSON.parse((await app.webhook('returns/request', JSON.stringify(ret), { shop: SHOP, triggeredAt: new Date().toISOString() })).payload)).toEqual({ ok: true });
    const first = await app.waitFor(() => decision(ret.admin_graphql_api_id as string), 'the return decided');
    expect(signal(first, 'velocity.fast-return')?.status).toBe('insufficient_data');

    // The order's fulfilment (shipped two days ago, delivered two hours ago) arrives after the return was decided.
    expect((await app.webhook('fulfillments/create', fulfillment(3, o, daysAgo(2), daysAgo(2 / 24)), { shop: SHOP })).statusCode).toBe(200);
    await app.idle();
    const row = (await decision(ret.admin_graphql_api_id as string))!;
    expect(row.revision).toBe(1);
    expect(row.trigger).toMatchObject({ kind: 'fulfillment' });
    expect(signal(row, 'velocity.fast-return')?.status).not.toBe('insufficient_data');
    const shown = await detail(row);
    expect(shown.revisions.at(-1)!.change).toMatch(/when the order's fulfilment or delivery arrived/);
  });
});

describe('the revisions API', () => {
  const call = async (method: 'GET' | 'PUT', url: string, payload?: object) => {
    const response = await app.server.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
    return { status: response.statusCode, body: JSON.parse(response.payload) };
  };

  it('lists the decisions revised lately, newest first, each with where it came from, by keyset pages', async () => {
    const all = await call('GET', '/api/revisions');
    expect(all.status).toBe(200);
    const open = all.body.revisions.find((r: { subjectId: string }) => r.subjectId === customer1Open.id);
    expect(open).toMatchObject({ kind: 'order', zone: 'high', trigger: { kind: 'chargeback' } });
    expect(open.previous.zone).not.toBe('high');
    const times = all.body.revisions.map((r: { revisedAt: string }) => Date.parse(r.revisedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const first = await call('GET', '/api/revisions?limit=1');
    expect(first.body.revisions).toHaveLength(1);
    const second = await call('GET', `/api/revisions?limit=1&before=${first.body.next}`);
    expect(second.body.revisions[0].decisionId).toBe(all.body.revisions[1].decisionId);
    expect((await call('GET', '/api/revisions?before=abc')).status).toBe(400);
  });

  it("sets how long a refund's decision stays open to revision (0..90 days), audited; refuses other values", async () => {
    expect((await call('GET', '/api/revisions/settings')).body).toEqual({ refundDays: 14 });
    expect(await call('PUT', '/api/revisions/settings', { refundDays: 30 })).toEqual({ status: 200, body: { refundDays: 30 } });
    expect((await call('GET', '/api/revisions/settings')).body).toEqual({ refundDays: 30 });
    for (const bad of [{ refundDays: 91 }, { refundDays: -1 }, { refundDays: 2.5 }, { refundDays: 'a week' }, {}]) {
      const refused = await call('PUT', '/api/revisions/settings', bad);
      expect(refused.status, JSON.stringify(bad)).toBe(400);
      expect(refused.body.message).toMatch(/refundDays/);
    }
    expect(await app.stores.db('audit_log').where({ shop_id: SHOP, action: 'revisions.settings' }).count('* as n').first()).toEqual({ n: '1' });
  });
});

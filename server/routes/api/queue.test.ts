import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecisionList, QueueItem, QueuePage } from '../../../contract/index.ts';
import { returnWithLines, variant, type Body } from '../../shopify/fixtures/webhookVariants.ts';
import { startShopifyDouble, type ShopifyDouble } from '../../testing/shopifyDouble.ts';
import { DEFAULT_RULESET, startTestApp, type TestApp } from '../../testing/testApp.ts';

/**
 * The review queue (`GET /api/queue`, issue 24 item 1) on data that arrived as Shopify sends it:
 * signed orders/create, returns/request and refunds/create bodies (Shopify's samples, varied as in
 * services/revisions.test.ts), decided by the real workers, held through the Shopify double, labelled
 * through the API, a ring formed live by two customers shipping to one address. Then its order, its
 * counts under filters, its search, its keyset pages with rows arriving between two fetches, its
 * refusals; and `GET /api/decisions`' keyset (decision time, id) with older decisions arriving
 * between two fetches.
 */

const SHOP = 'queue.myshopify.com';
const DAY = 86_400_000;
const T0 = Date.now() - 20 * DAY;
const at = (days: number) => new Date(Math.round(T0 + days * DAY)).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Scores decided by custom signals alone (no catalog signal): an order above 100 is MEDIUM, above
 * 1000 HIGH (and held by the published actions); a return above 100 and a refund above 50 MEDIUM.
 */
const RULESET = {
  ...DEFAULT_RULESET,
  signals: {},
  customSignals: [
    { id: 'custom.big-order', appliesTo: ['order'], when: 'order.totalPrice > 100', weight: 40, message: 'Order above 100' },
    { id: 'custom.huge-order', appliesTo: ['order'], when: 'order.totalPrice > 1000', weight: 40, message: 'Order above 1,000' },
    { id: 'custom.big-return', appliesTo: ['return'], when: 'return.totalValue > 100', weight: 40, message: 'Return worth more than 100' },
    { id: 'custom.big-refund', appliesTo: ['refund'], when: 'refund.amount > 50', weight: 40, message: 'Refund above 50' },
  ],
} as typeof DEFAULT_RULESET;

let app: TestApp;
let double: ShopifyDouble;
let token: string;

/** Order `n` (`#100n`, total `total`) of customer `customer` placed `day` days after T0; its address is its customer's own unless `address` is given. */
function order(n: number, customer: number, total: number, day: number, address = `${customer} Own Street`) {
  const number = String(960000000000000000n + BigInt(n));
  const customerNumber = String(760000000000000000n + BigInt(customer));
  const body = variant('orders_create', (o) => {
    Object.assign(o, { id: number, admin_graphql_api_id: `gid://shopify/Order/${number}`, name: `#${1000 + n}`, order_number: 1000 + n });
    Object.assign(o, { created_at: at(day), processed_at: at(day), updated_at: at(day), cancelled_at: null, cancel_reason: null });
    o.email = o.contact_email = `buyer${customer}@example.org`;
    o.phone = null;
    o.total_price = total.toFixed(2);
    for (const money of ['shop_money', 'presentment_money']) o.total_price_set[money].amount = total.toFixed(2);
    Object.assign(o.customer, { id: customerNumber, admin_graphql_api_id: `gid://shopify/Customer/${customerNumber}`, email: `buyer${customer}@example.org`, phone: null });
    if (o.customer.default_address) Object.assign(o.customer.default_address, { address1: address, phone: null });
    for (const key of ['shipping_address', 'billing_address']) Object.assign(o[key], { address1: address, phone: null });
  });
  return { body: json(body), id: `gid://shopify/Order/${number}`, number, name: `#${1000 + n}`, customerId: `gid://shopify/Customer/${customerNumber}`, email: `buyer${customer}@example.org`, total };
}

/** Shopify's ids as numbers again (the lossless parse made them strings). */
function json(body: Body): string {
  return JSON.stringify(body).replace(/"(id|order_id|customer_id|product_id|variant_id|line_item_id)":"(\d+)"/g, '"$1":$2');
}

/** A return of an order's first two sample lines (89.99 + 159.99). */
function returnOf(n: number, o: ReturnType<typeof order>): { body: string; id: string } {
  const r = returnWithLines();
  const id = String(123134564567890 + n);
  Object.assign(r, { id, admin_graphql_api_id: `gid://shopify/Return/${id}` });
  r.order = { id: o.number, admin_graphql_api_id: o.id };
  Object.assign(r.customer, { id: o.customerId.split('/').pop(), admin_graphql_api_id: o.customerId, email: o.email });
  return { body: json(r), id: `gid://shopify/Return/${id}` };
}

/** Shopify's refunds/create sample as refund `n` of an order, `amount` paid back. */
function refundOf(n: number, o: ReturnType<typeof order>, amount: number, day: number): { body: string; id: string } {
  const r = variant('refunds_create', (body) => {
    const id = String(890088186047892319n + BigInt(n));
    Object.assign(body, { id, admin_graphql_api_id: `gid://shopify/Refund/${id}`, order_id: o.number, created_at: at(day), processed_at: at(day) });
    body.transactions = [{ ...body.transactions[0], order_id: o.number, amount: amount.toFixed(2), status: 'success', kind: 'refund', created_at: at(day) }];
    for (const line of body.refund_line_items) line.restock_type = 'no_restock';
  });
  return { body: json(r), id: r.admin_graphql_api_id as string };
}

async function send(topic: string, body: string) {
  const response = await app.webhook(topic, body, { shop: SHOP, triggeredAt: new Date().toISOString() });
  expect(response.statusCode, `${topic}: ${response.payload}`).toBe(200);
}

async function get<T>(url: string): Promise<{ status: number; body: T }> {
  const response = await app.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  return { status: response.statusCode, body: JSON.parse(response.payload) as T };
}

async function queue(query = ''): Promise<QueuePage> {
  const response = await get<QueuePage>(`/api/queue${query ? `?${query}` : ''}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

/** Every page of a query, following `next`. */
async function allPages(query: string, limit: number): Promise<QueueItem[]> {
  const items: QueueItem[] = [];
  let after: string | null = null;
  for (let i = 0; i < 100; i++) {
    const page: QueuePage = await queue(`${query}&limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    items.push(...page.items);
    after = page.next;
    if (!after) return items;
  }
  throw new Error('more than 100 pages');
}

async function label(orderOrSubject: string, outcome: 'fraud' | 'legit') {
  const row = (await app.stores.decisions.bySubject(SHOP, orderOrSubject))!;
  const response = await app.server.inject({ method: 'POST', url: `/api/decisions/${row.id}/outcome`, headers: { authorization: `Bearer ${token}` }, payload: { label: outcome } });
  expect(response.statusCode, response.payload).toBe(200);
}

const decided = (subjectId: string) => app.waitFor(() => app.stores.decisions.bySubject(SHOP, subjectId), `the decision of ${subjectId}`, 60_000);

// The shop's orders: values chosen so every zone, a hold, a label and a ring are there.
const small = order(1, 1, 50, 0); // LOW: not in the queue
const medium = order(2, 2, 250, 1); // MEDIUM, unlabelled
const held = order(3, 3, 1500, 2); // HIGH, held, unlabelled
const labelled = order(4, 4, 400, 3); // MEDIUM, labelled legit: out
const heldFraud = order(5, 5, 1200, 4); // HIGH, held, labelled fraud: still held
const mediumToo = order(6, 6, 180, 5); // MEDIUM, unlabelled
const ringFirst = order(7, 7, 60, 6, '9 Drop Lane'); // LOW, shares an address with the next one
const ringSecond = order(8, 8, 70, 7, '9 Drop Lane'); // LOW, matches the ring: in the queue for it
const returned = returnOf(1, medium); // 249.98: MEDIUM return
const refunded = refundOf(1, mediumToo, 120, 8); // MEDIUM refund of 120

beforeAll(async () => {
  double = await startShopifyDouble();
  app = await startTestApp({ adminOrigin: double.origin });
  await app.installShop(SHOP, RULESET);
  token = await app.sessionToken(SHOP);
  for (let n = 1; n <= 40; n++) {
    double.state.addOrder({ id: `gid://shopify/Order/${960000000000000000n + BigInt(n)}`, fulfillmentOrders: [{ id: `gid://shopify/FulfillmentOrder/${8100 + n}` }] });
    double.state.addCustomer({ id: `gid://shopify/Customer/${760000000000000000n + BigInt(n)}` });
  }
  double.state.flowTriggerHandles.add('high-risk-order');

  for (const o of [small, medium, held, labelled, heldFraud, mediumToo, ringFirst, ringSecond]) {
    await send('orders/create', o.body);
    await decided(o.id);
  }
  await send('returns/request', returned.body);
  await send('refunds/create', refunded.body);
  await decided(returned.id);
  await decided(refunded.id);
  await app.idle();
  await label(labelled.id, 'legit');
  await label(heldFraud.id, 'fraud');
  await app.idle();
}, 180_000);

afterAll(async () => {
  await app?.stop();
  await double?.close();
});

const subjects = (items: QueueItem[]) => items.map((i) => i.subjectId);

describe('GET /api/queue', () => {
  it('lists what needs a decision now, most money at risk first, one row per subject, with why, value, name and next step', async () => {
    const page = await queue();
    expect(subjects(page.items)).toEqual([held.id, heldFraud.id, medium.id, returned.id, mediumToo.id, refunded.id, ringSecond.id, ringFirst.id]);
    expect(page.total).toBe(8);
    expect(page.next).toBeNull();
    const byId = new Map(page.items.map((i) => [i.subjectId, i]));
    expect(byId.get(held.id)).toMatchObject({
      kind: 'order', orderName: '#1003', customerId: held.customerId, value: 1500, currency: 'USD', zone: 'high', score: 80,
      headline: 'Order above 100', reasons: ['unlabelled', 'held'], revision: 0,
      recommendation: { step: 'Review, then release the hold or cancel' },
    });
    // Labelled fraud, but its hold is still in force: in the queue for the hold alone.
    expect(byId.get(heldFraud.id)!.reasons).toEqual(['held']);
    expect(byId.get(medium.id)).toMatchObject({ zone: 'medium', score: 40, value: 250, reasons: ['unlabelled'], recommendation: { step: 'Check before shipping' } });
    // A return and a refund: the returned items' value and the money paid back, with their order's name and currency.
    expect(byId.get(returned.id)).toMatchObject({ kind: 'return', orderName: '#1002', orderId: medium.id, value: 249.98, currency: 'USD', headline: 'Return worth more than 100', reasons: ['unlabelled'] });
    expect(byId.get(returned.id)!.recommendation.step).toBe('Check before refunding');
    expect(byId.get(refunded.id)).toMatchObject({ kind: 'refund', orderName: '#1006', value: 120, zone: 'medium', reasons: ['unlabelled'] });
    // LOW, but they make a ring: two customers shipping to one address (the first order alerted when the second linked it).
    expect(byId.get(ringSecond.id)).toMatchObject({ zone: 'low', value: 70, headline: null, reasons: ['ring'], recommendation: { step: 'Check the ring' } });
    expect(byId.get(ringFirst.id)).toMatchObject({ zone: 'low', value: 60, reasons: ['ring'] });
    // Not here: the LOW order, the labelled one.
    expect(subjects(page.items)).not.toContain(small.id);
    expect(subjects(page.items)).not.toContain(labelled.id);
    expect(page.counts).toEqual({ zone: { low: 2, medium: 4, high: 2 }, kind: { order: 6, return: 1, refund: 1 }, reason: { unlabelled: 5, held: 2, ring: 2 } });
  });

  it('filters by zone, kind and reason; each family of counts follows the other filters and the search, not its own', async () => {
    const high = await queue('zone=high');
    expect(subjects(high.items)).toEqual([held.id, heldFraud.id]);
    expect(high.total).toBe(2);
    // The zone counts ignore the zone filter; kind and reason follow it.
    expect(high.counts).toEqual({ zone: { low: 2, medium: 4, high: 2 }, kind: { order: 2, return: 0, refund: 0 }, reason: { unlabelled: 1, held: 2, ring: 0 } });
    const orders = await queue('kind=order&reason=unlabelled');
    expect(subjects(orders.items)).toEqual([held.id, medium.id, mediumToo.id]);
    expect(orders.counts).toEqual({ zone: { low: 0, medium: 2, high: 1 }, kind: { order: 3, return: 1, refund: 1 }, reason: { unlabelled: 3, held: 2, ring: 2 } });
    const mediumReturns = await queue('zone=medium&kind=return');
    expect(subjects(mediumReturns.items)).toEqual([returned.id]);
    expect(mediumReturns.counts.reason).toEqual({ unlabelled: 1, held: 0, ring: 0 });
    const ring = await queue('reason=ring');
    expect(subjects(ring.items)).toEqual([ringSecond.id, ringFirst.id]);
    expect(ring.counts.zone).toEqual({ low: 2, medium: 0, high: 0 });
    // With a search, every count is within it.
    const searched = await queue(`q=${encodeURIComponent(medium.email)}`);
    expect(searched.counts).toEqual({ zone: { low: 0, medium: 2, high: 0 }, kind: { order: 1, return: 1, refund: 0 }, reason: { unlabelled: 2, held: 0, ring: 0 } });
    // A ring alert older than ringDays no longer keeps its order here.
    await app.stores.db('ring_alerts').where({ shop_id: SHOP }).update({ created_at: app.stores.db.raw("now() - interval '3 days'") });
    expect(subjects((await queue('reason=ring&ringDays=2')).items)).toEqual([]);
    expect(subjects((await queue('reason=ring&ringDays=4')).items)).toEqual([ringSecond.id, ringFirst.id]);
  });

  it('finds an order by its name (exact or prefix, with or without #), a customer or order by GID, a buyer by email', async () => {
    expect(subjects((await queue('q=%231003')).items)).toEqual([held.id]);
    expect(subjects((await queue('q=1003')).items)).toEqual([held.id]);
    // The order's return comes with it.
    expect(subjects((await queue('q=%231002')).items)).toEqual([medium.id, returned.id]);
    expect(subjects((await queue('q=%23100')).items)).toHaveLength(8);
    expect(subjects((await queue('q=%23100&kind=refund')).items)).toEqual([refunded.id]);
    expect((await queue('q=%239')).items).toEqual([]);
    expect(subjects((await queue(`q=${encodeURIComponent(held.customerId)}`)).items)).toEqual([held.id]);
    expect(subjects((await queue(`q=${encodeURIComponent(mediumToo.id)}`)).items)).toEqual([mediumToo.id, refunded.id]);
    // An email is hashed with the shop's key, as the order's was: case and spaces do not matter.
    expect(subjects((await queue(`q=${encodeURIComponent(` BUYER3@Example.org `)}`)).items)).toEqual([held.id]);
    expect((await queue(`q=${encodeURIComponent('nobody@example.org')}`)).items).toEqual([]);
    // The raw email is nowhere in the database.
    const { rows } = await app.stores.db.raw(`select count(*)::int as n from events where shop_id = ? and body::text ilike '%buyer3@example.org%'`, [SHOP]);
    expect(rows[0].n).toBe(0);
  });

  it('pages by keyset on (value, id): rows arriving between two fetches never make a page skip or repeat one', async () => {
    const before = await queue();
    const first = await queue('limit=3');
    expect(subjects(first.items)).toEqual(subjects(before.items).slice(0, 3));
    expect(first.next).toMatch(/^250(\.0+)?:\d+$/);
    // New rows arrive: one worth more than any (it belongs before page 1), one as much as the
    // cursor's row (a higher id: before it), two worth less (they belong to the later pages).
    const richer = order(20, 20, 5000, 9);
    const tie = order(21, 21, 250, 9.1);
    const cheaper = order(22, 22, 150, 9.2);
    const cheapest = order(23, 23, 110, 9.3);
    for (const o of [richer, tie, cheaper, cheapest]) {
      await send('orders/create', o.body);
      await decided(o.id);
    }
    await app.idle();
    const rest: QueueItem[] = [];
    let after: string | null = first.next;
    while (after) {
      const page: QueuePage = await queue(`limit=3&after=${encodeURIComponent(after)}`);
      rest.push(...page.items);
      after = page.next;
    }
    const seen = [...subjects(first.items), ...subjects(rest)];
    expect(new Set(seen).size).toBe(seen.length);
    // Everything that was after page 1 is there, with the new cheaper rows in their places; the richer ones are on page 1 now.
    const now = subjects((await queue('limit=100')).items);
    expect(now.slice(0, 2)).toEqual([richer.id, held.id]);
    expect(now.indexOf(tie.id)).toBeLessThan(now.indexOf(medium.id));
    expect(subjects(rest)).toEqual(now.filter((id) => !seen.slice(0, 3).includes(id) && id !== richer.id && id !== tie.id));
    expect(subjects(rest)).toEqual(expect.arrayContaining([cheaper.id, cheapest.id, ...subjects(before.items).slice(3)]));
    // Following next from the start again walks the whole queue once, in order.
    expect(subjects(await allPages('', 2))).toEqual(now);
    expect(subjects(await allPages('kind=order', 1))).toEqual(subjects((await queue('kind=order&limit=100')).items));
  }, 120_000);

  it('refuses what it cannot read with 400 naming the problem', async () => {
    const refused = async (query: string, message: RegExp) => {
      const response = await get<{ message: string }>(`/api/queue?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.message).toMatch(message);
    };
    await refused('zone=urgent', /\/zone must be one of low, medium, high/);
    await refused('kind=order&reason=late', /\/reason must be one of unlabelled, held, ring/);
    await refused('after=250', /\/after must be a cursor from a page's next/);
    await refused('after=1e5:3', /\/after must be a cursor/);
    await refused('after=250:99999999999999999999', /\/after must be a cursor/);
    await refused('limit=0', /\/limit must be >= 1/);
    await refused('limit=101', /\/limit must be <= 100/);
    await refused('ringDays=0', /\/ringDays must be >= 1/);
    await refused('q=', /\/q must NOT have fewer than 1 characters/);
    await refused(`q=${'x'.repeat(201)}`, /\/q must NOT have more than 200 characters/);
    await refused(`q=${encodeURIComponent('gid://shopify/Product/1')}`, /\/q must be a customer or order GID/);
    await refused(`q=${encodeURIComponent('buyer@')}`, /\/q is not an email address/);
    await refused(`q=${encodeURIComponent("1001'; drop table decisions; --")}`, /\/q is not an order name/);
    await refused('sort=value', /\/sort is not allowed/);
  });
});

describe('GET /api/decisions pages', () => {
  it('by keyset on (decision time, id): older decisions arriving between two fetches are neither skipped nor repeated', async () => {
    const everything = (await get<DecisionList>('/api/decisions?limit=200')).body.decisions;
    const first = (await get<DecisionList>('/api/decisions?limit=4')).body;
    expect(first.decisions.map((d) => d.id)).toEqual(everything.slice(0, 4).map((d) => d.id));
    // Late webhooks of older orders (decided after, with higher ids, but earlier in the list's order), and a newer one.
    const older = [order(30, 30, 90, -5), order(31, 31, 95, 2.5), order(32, 32, 99, 6.5)];
    const newer = order(33, 33, 80, 15);
    for (const o of [...older, newer]) {
      await send('orders/create', o.body);
      await decided(o.id);
    }
    const rest: string[] = [];
    let before = first.next;
    while (before) {
      const page: DecisionList = (await get<DecisionList>(`/api/decisions?limit=4&before=${before}`)).body;
      rest.push(...page.decisions.map((d) => d.subjectId));
      before = page.next;
    }
    const seen = [...first.decisions.map((d) => d.subjectId), ...rest];
    expect(new Set(seen).size).toBe(seen.length);
    // Every decision after page 1 then, and the older ones that arrived, each once, in the list's order.
    const now = (await get<DecisionList>('/api/decisions?limit=200')).body.decisions.map((d) => d.subjectId);
    expect(rest).toEqual(now.filter((id) => !seen.slice(0, 4).includes(id) && id !== newer.id));
    expect(rest).toEqual(expect.arrayContaining([...older.map((o) => o.id), ...everything.slice(4).map((d) => d.subjectId)]));
    expect(rest).not.toContain(newer.id);
  }, 120_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderRecord } from '../../../sdk/index.ts';
import { readWebhookFixture } from '../../shopify/fixtures/readWebhookFixture.ts';
import { normalizeTransaction } from '../../shopify/normalize/normalizeTransaction.ts';
import { parseWebhookBody } from '../../shopify/normalize/parseWebhookBody.ts';
import { startShopifyDouble, type ShopifyDouble } from '../../testing/shopifyDouble.ts';
import { startTestApp, type TestApp } from '../../testing/testApp.ts';

/**
 * Issue 20, end to end: Shopify's order_transactions/create sample, varied into a checkout with a
 * declined attempt and a payment whose AVS and CVV checks failed, and the same card used again by
 * another account. Through POST /webhooks, the store, the trigger that gives an order its card,
 * the scoring worker and the stored traces; then a dump of every table holds no raw card data.
 */

const SHOP = 'shop-a.myshopify.com';
const SAMPLE_ORDER = '820982911946154508';
const SAMPLE_CUSTOMER = '115310627314723954';
const orderSample = readWebhookFixture('orders_create');
const transactionSample = readWebhookFixture('order_transactions_create');

/** The raw card and buyer values the bodies carry: none may be stored. */
const CARD = { bin: '486745', last4: '9753', number: '•••• •••• •••• 9753', name: 'Zephyrine Quillfeather', month: 11, year: 2031 };
const IP_A = '198.51.100.23';
const IP_B = '203.0.113.145';

/** Shopify's sample order as order `n` of customer `customer`, `day` days after the sample's time, with its own buyer details when `other`. */
function orderBody(n: number, customer: number, ip: string, day: number, other = false): { body: string; id: string; customerId: string; day: number } {
  const orderNumber = String(910000000000000000n + BigInt(n));
  const customerNumber = String(710000000000000000n + BigInt(customer));
  let body = orderSample
    .replaceAll(SAMPLE_ORDER, orderNumber)
    .replaceAll(SAMPLE_CUSTOMER, customerNumber)
    .replace('"browser_ip": null', `"browser_ip": "${ip}"`)
    .replaceAll('2021-12-31T19:00:00-05:00', sampleTime(day, 0));
  if (other) {
    body = body
      .replaceAll('jon@example.com', `buyer${customer}@example.org`)
      .replaceAll('john@example.com', `buyer${customer}@example.org`)
      .replaceAll('123 Shipping Street', `${customer} Other Road`)
      .replaceAll('123 Elm St.', `${customer} Pine Avenue`)
      .replaceAll('555-555-SHIP', `555-010-${String(customer).padStart(4, '0')}`)
      .replaceAll('123-123-1234', `555-020-${String(customer).padStart(4, '0')}`);
  }
  return { body, id: `gid://shopify/Order/${orderNumber}`, customerId: `gid://shopify/Customer/${customerNumber}`, day };
}

/** The sample's time (2021-12-31T19:00:00-05:00) moved by days and seconds, in its own form. */
function sampleTime(days: number, seconds: number): string {
  return new Date(Date.parse('2021-12-31T19:00:00-05:00') + days * 86_400_000 + seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** Shopify's sample transaction as attempt `n` of an order, `seconds` after its creation. */
function transactionBody(n: number, order: { id: string; day: number }, seconds: number, edit: (t: Record<string, any>) => void): string {
  const t = parseWebhookBody(transactionSample) as Record<string, any>;
  const id = String(120560818172775265n + BigInt(n));
  t.id = id;
  t.admin_graphql_api_id = `gid://shopify/OrderTransaction/${id}`;
  t.order_id = order.id.split('/').pop();
  t.created_at = sampleTime(order.day, seconds);
  t.kind = 'sale';
  t.gateway = 'shopify_payments';
  t.manual_payment_gateway = false;
  Object.assign(t.payment_details, {
    credit_card_bin: CARD.bin,
    credit_card_number: CARD.number,
    credit_card_name: CARD.name,
    credit_card_expiration_month: CARD.month,
    credit_card_expiration_year: CARD.year,
  });
  edit(t);
  // Ids stay exact: the unsafe integers are written back as JSON numbers, as Shopify sends them.
  return JSON.stringify(t).replace(/"(id|order_id)":"(\d+)"/g, '"$1":$2');
}

let app: TestApp;
let double: ShopifyDouble;
let hashKey: string;

beforeAll(async () => {
  double = await startShopifyDouble();
  app = await startTestApp({ adminOrigin: double.origin });
  await app.installShop(SHOP);
  hashKey = (await app.stores.shops.getCached(SHOP))!.hash_key;
});
afterAll(async () => {
  await app?.stop();
  await double?.close();
});

const signal = (decision: { trace: { signals: { id: string }[] } }, id: string) => decision.trace.signals.find((s) => s.id === id) as { id: string; status: string; strength: number; evidence: Record<string, any> } | undefined;
const storedOrder = async (id: string) => (await app.stores.events.get<OrderRecord>(SHOP, 'order', id))!;

describe('payment details from order_transactions/create, end to end', () => {
  const a = orderBody(1, 1, IP_A, 0);
  const b = orderBody(2, 2, IP_B, 1, true);
  const declined = transactionBody(1, a, 10, (t) => {
    t.status = 'failure';
    t.error_code = 'card_declined';
  });
  const paid = transactionBody(2, a, 20, (t) => {
    t.status = 'success';
    t.payment_details.avs_result_code = 'N';
    t.payment_details.cvv_result_code = 'N';
  });
  const reused = transactionBody(3, b, 15, (t) => {
    t.status = 'success';
    t.payment_details.avs_result_code = 'Y';
    t.payment_details.cvv_result_code = 'M';
  });
  const cardHash = () => normalizeTransaction(parseWebhookBody(paid), hashKey).cardHash!;

  it('scores an order with its checkout transactions (sent first: webhooks come in any order): AVS, CVV and the declined attempt fire', async () => {
    for (const body of [declined, paid]) expect((await app.webhook('order_transactions/create', body)).statusCode).toBe(200);
    // The order is not stored yet: nothing to score.
    expect(await app.stores.db('decisions').count('* as n').first()).toEqual({ n: '0' });
    expect((await app.webhook('orders/create', a.body)).statusCode).toBe(200);
    const decision = await app.waitFor(() => app.stores.decisions.bySubject(SHOP, a.id), 'the decision of order A');
    expect(signal(decision, 'order.avs-mismatch')).toMatchObject({ status: 'hit', strength: 1, evidence: { avsResultCode: 'N', street: 'mismatch', postcode: 'mismatch' } });
    expect(signal(decision, 'order.cvv-mismatch')).toMatchObject({ status: 'hit', strength: 1, evidence: { cvvResultCode: 'N', gateway: 'shopify_payments' } });
    expect(signal(decision, 'order.failed-payment-attempts')).toMatchObject({ status: 'hit', evidence: { failures: 1, cards: 1, paid: true, errorCodes: ['card_declined'] } });
    // AVS and CVV both failing: 45 points of the default ruleset from them alone.
    expect(Number(decision.score)).toBeGreaterThanOrEqual(45);
    // The stored order carries the card's keyed fingerprint, and identity_uses has it.
    expect((await storedOrder(a.id)).identity.payment).toBe(cardHash());
    const uses = await app.stores.db('identity_uses').where({ shop_id: SHOP, kind: 'payment' }).select('hash', 'user_key');
    expect(uses).toEqual([{ hash: cardHash(), user_key: `customer:${a.customerId}` }]);
  });

  it("a second account paying with the same card: the card is shared in its trace and identity_uses", async () => {
    expect((await app.webhook('order_transactions/create', reused)).statusCode).toBe(200);
    expect((await app.webhook('orders/create', b.body)).statusCode).toBe(200);
    const decision = await app.waitFor(() => app.stores.decisions.bySubject(SHOP, b.id), 'the decision of order B');
    expect((await storedOrder(b.id)).identity.payment).toBe(cardHash());
    const shared = signal(decision, 'order.shared-identifier');
    expect(shared?.status).toBe('hit');
    expect(shared?.evidence.kinds).toContain('payment');
    // Its own checkout passed AVS and CVV.
    expect(signal(decision, 'order.avs-mismatch')).toMatchObject({ status: 'no_hit' });
    expect(signal(decision, 'order.cvv-mismatch')).toMatchObject({ status: 'no_hit' });
    const users = await app.stores.db('identity_uses').where({ shop_id: SHOP, kind: 'payment', hash: cardHash() }).orderBy('user_key').pluck('user_key');
    expect(users).toEqual([`customer:${a.customerId}`, `customer:${b.customerId}`].sort());
  });

  it('a transaction or an assessment after the decision gives the stored order its card and risk, and scores nothing again', async () => {
    const c = orderBody(3, 3, '192.0.2.77', 2, true);
    await app.webhook('orders/create', c.body);
    await app.waitFor(() => app.stores.decisions.bySubject(SHOP, c.id), 'the decision of order C');
    const other = transactionBody(4, c, 30, (t) => {
      t.status = 'success';
      t.payment_details.credit_card_number = '•••• 1357';
    });
    expect((await app.webhook('order_transactions/create', other)).statusCode).toBe(200);
    const risk = readWebhookFixture('orders_risk_assessment_changed')
      .replace('"admin_graphql_api_order_id": null', `"admin_graphql_api_order_id": "${c.id}"`)
      .replace('"risk_level": "medium"', '"risk_level": "high"');
    const assessedAt = new Date().toISOString();
    expect(JSON.parse((await app.webhook('orders/risk_assessment_changed', risk, { triggeredAt: assessedAt })).payload)).toEqual({ ok: true });
    const order = await storedOrder(c.id);
    expect(order.identity.payment).toBe(normalizeTransaction(parseWebhookBody(other), hashKey).cardHash);
    expect(order.shopifyRisk).toEqual({ level: 'high', assessedAt });
    // The same order body delivered again (another webhook id) leaves the stored row as it is: the card
    // and risk the trigger fills are in the proposed row too, so the group commit sees no change.
    const rowVersion = async () => (await app.stores.db.raw(`select xmin::text as v from events where shop_id = ? and kind = 'order' and resource_id = ?`, [SHOP, c.id])).rows[0].v as string;
    const version = await rowVersion();
    const again = await app.webhook('orders/create', c.body);
    expect(JSON.parse(again.payload)).toEqual({ ok: true }); // taken as a new delivery, not a duplicate
    expect(await rowVersion()).toBe(version);
    // A later orders/updated body (which carries neither) keeps them.
    await app.webhook('orders/updated', c.body.replace('"tags": "tag1, tag2"', '"tags": "tag1"'));
    await app.waitFor(async () => (await storedOrder(c.id)).tags.length === 1, 'the updated order');
    expect(await storedOrder(c.id)).toMatchObject({ identity: { payment: order.identity.payment }, shopifyRisk: { level: 'high' } });
    // Decided once.
    expect(await app.stores.db('decisions').where({ shop_id: SHOP, subject_id: c.id }).count('* as n').first()).toEqual({ n: '1' });
  });

  it('a dump of every table holds no raw card number, last four, BIN, holder name or IP from the bodies', async () => {
    const tables: { schema: string; name: string }[] = (
      await app.stores.db.raw(`select table_schema as schema, table_name as name from information_schema.tables
                                where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema') order by 1, 2`)
    ).rows;
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['events', 'decisions', 'identity_uses', 'webhook_deliveries']));
    // Each row as text (`row::text`: what COPY writes, its escaping aside; the embedded PostgreSQL 18
    // cannot be dumped by the machine's pg_dump 15).
    let dump = '';
    for (const { schema, name } of tables) {
      const { rows } = await app.stores.db.raw(`select t::text as line from "${schema}"."${name}" t`);
      dump += `${schema}.${name}\n${(rows as { line: string }[]).map((r) => r.line).join('\n')}\n`;
    }
    expect(dump).toContain(cardHash());
    // Digits stand alone (not inside a hex hash, an id or a time): the way a stored BIN or last four would appear.
    const alone = (digits: string) => new RegExp(`(?<![0-9a-f])${digits}(?![0-9a-f])`, 'i');
    const bodies = [declined, paid, reused, a.body, b.body].join('\n');
    for (const [what, pattern] of [
      ['the card number', /••••/],
      ['the last four', alone(CARD.last4)],
      ['the other last four', alone('1357')],
      ['the BIN', alone(CARD.bin)],
      ['the holder name', /Zephyrine|Quillfeather/i],
      ['the IP of A', new RegExp(IP_A.replaceAll('.', '\\.'))],
      ['the IP of B', new RegExp(IP_B.replaceAll('.', '\\.'))],
    ] as const) {
      if (what !== 'the other last four') expect(bodies, `the bodies carry ${what}`).toMatch(pattern);
      expect(dump, `${what} is stored`).not.toMatch(pattern);
    }
  });
});

import { randomBytes } from 'node:crypto';
import type { ServerInjectResponse } from '@hapi/hapi';
import fc from 'fast-check';
import { afterAll, beforeAll, expect } from 'vitest';
import { fixtureTopic, OTHER_TOPIC_FIXTURES, readWebhookFixture, WEBHOOK_FIXTURES, type OtherTopicFixture, type WebhookFixture } from '../server/shopify/fixtures/readWebhookFixture.ts';
import { DISPUTE_SCHEMA } from '../server/shopify/normalize/disputePayload.ts';
import { FULFILLMENT_SCHEMA } from '../server/shopify/normalize/fulfillmentPayload.ts';
import { ORDER_SCHEMA } from '../server/shopify/normalize/orderPayload.ts';
import { parseWebhookBody } from '../server/shopify/normalize/parseWebhookBody.ts';
import { REFUND_SCHEMA } from '../server/shopify/normalize/refundPayload.ts';
import { RETURN_SCHEMA } from '../server/shopify/normalize/returnPayload.ts';
import { TOPIC_KINDS, type SupportedTopic } from '../server/shopify/normalize/webhookTopic.ts';
import { startTestApp, type TestApp, type WebhookOptions } from '../server/testing/testApp.ts';
import { hostileCase, type Attempts } from './hostileCase.ts';

/**
 * `POST /webhooks` under hostile input (issue 19): the HMAC signs the body only, so every header
 * is the sender's to choose, and the body's values go to PostgreSQL. Named cases reproduce each
 * hole reported; fast-check properties throw signed mutations of Shopify's sample bodies (every
 * supported topic) and generated header values at the real server. Invariants: never a 5xx; a
 * 4xx stores nothing and deletes nothing; no delivery touches another shop's rows.
 */

const RUNS = Number(process.env.HOSTILE_RUNS ?? 300);
const SEED = Number(process.env.HOSTILE_SEED ?? Date.now() % 2 ** 31);
/** The shop whose rows no delivery for another shop may change (it has an order and its decision). */
const BYSTANDER = 'bystander.myshopify.com';
const BYSTANDER_ORDER = 'gid://shopify/Order/820982911946154508';
/** Tables a webhook writes (or its GDPR effect deletes from), by shop. */
const SHOP_TABLES = ['webhook_deliveries', 'events', 'customers', 'decisions', 'actions', 'audit_log', 'outcomes', 'rulesets'] as const;

let app: TestApp;
/** Internal server errors the server reported (hapi's request error channel): none may happen. */
const internalErrors: string[] = [];
let bystanderBefore: Record<string, unknown>;

beforeAll(async () => {
  app = await startTestApp();
  app.server.events.on({ name: 'request', channels: 'error' }, (request, event) => internalErrors.push(`${request.path}: ${String((event.error as Error | undefined)?.stack ?? event.error)}`));
  await app.installShop(BYSTANDER);
  expect((await app.webhook('orders/create', readWebhookFixture('orders_create'), { shop: BYSTANDER })).statusCode).toBe(200);
  await app.waitFor(() => app.stores.decisions.bySubject(BYSTANDER, BYSTANDER_ORDER), 'the bystander decision');
  bystanderBefore = await fingerprint(BYSTANDER);
}, 60_000);
afterAll(async () => {
  await app?.stop();
});

/** The shop's row in `shops` and its row count in every table a webhook writes. */
async function fingerprint(shop: string): Promise<Record<string, unknown>> {
  const counts = await app.stores.db.raw(
    `select ${SHOP_TABLES.map((t) => `(select count(*)::int from ${t} where shop_id = :shop) as ${t}`).join(', ')},
            (select status from shops where id = :shop) as status`,
    { shop },
  );
  return counts.rows[0] as Record<string, unknown>;
}

/** Rows of the tables only webhooks write, all shops together (a delivery filed under a malformed shop would show here). */
async function globalCounts(): Promise<{ deliveries: number; events: number }> {
  const { rows } = await app.stores.db.raw('select (select count(*)::int from webhook_deliveries) as deliveries, (select count(*)::int from events) as events');
  return rows[0];
}

let shops = 0;
/** A newly installed shop with nothing stored: what a refused delivery for it must leave as it is. */
async function freshShop(): Promise<{ shop: string; before: Record<string, unknown> }> {
  const shop = `fuzz-${++shops}-${randomBytes(3).toString('hex')}.myshopify.com`;
  await app.installShop(shop);
  return { shop, before: await fingerprint(shop) };
}

/** Never a 5xx, and a refusal (4xx) changed nothing: not the target shop, not any shop's deliveries or records. */
async function expectHeld(response: ServerInjectResponse, what: string, shop: string | null, shopBefore: Record<string, unknown> | null, globalBefore: { deliveries: number; events: number }): Promise<void> {
  expect(response.statusCode, `${what} → ${response.payload.slice(0, 300)}`).toBeLessThan(500);
  expect(internalErrors, what).toEqual([]);
  if (response.statusCode < 400) return;
  expect(JSON.parse(response.payload).message, what).toEqual(expect.any(String));
  expect(await globalCounts(), `${what}: stored nothing`).toEqual(globalBefore);
  if (shop && shopBefore) expect(await fingerprint(shop), `${what}: changed nothing of ${shop}`).toEqual(shopBefore);
}

async function expectBystanderUntouched(): Promise<void> {
  expect(await fingerprint(BYSTANDER)).toEqual(bystanderBefore);
}

/** Sends a signed webhook for a fresh shop and checks the invariants; returns the response. */
async function sendHeld(topic: string, body: string, options: WebhookOptions & { what?: string } = {}, fresh?: { shop: string; before: Record<string, unknown> }): Promise<ServerInjectResponse> {
  const target = fresh ?? (await freshShop());
  const before = await globalCounts();
  const response = await app.webhook(topic, body.replaceAll(SHOP_MARK, target.shop), { shop: target.shop, ...options });
  await expectHeld(response, options.what ?? `${topic} ${body.slice(0, 120)}`, target.shop, target.before, before);
  return response;
}

/** Stands for the delivery's shop in a body (replaced when it is sent). */
const SHOP_MARK = '@@shop@@';

// ---------------------------------------------------------------------------------------------
// Named cases: each failure issue 19 reported, against the real server.

hostileCase('webhook-headers', 'issue 19: a signed orders/create body sent as app/uninstalled is refused (400); the shop stays active', async (attempts) => {
  const { shop, before } = await freshShop();
  const response = await sendHeld('app/uninstalled', readWebhookFixture('orders_create'), {}, { shop, before });
  attempts.tried();
  expect(response.statusCode).toBe(400);
  expect(JSON.parse(response.payload).message).toMatch(/^app\/uninstalled payload at \/myshopify_domain/);
  expect((await app.stores.shops.get(shop))!.status).toBe('active');
});

hostileCase('webhook-headers', 'issue 19: a signed customers/* body sent as shop/redact is refused (400); nothing is deleted', async (attempts) => {
  for (const name of ['customers_redact', 'customers_data_request'] as const) {
    const response = await sendHeld('shop/redact', readWebhookFixture(name).replaceAll('{shop}.myshopify.com', SHOP_MARK));
    attempts.tried();
    expect(response.statusCode, name).toBe(400);
  }
  await expectBystanderUntouched();
});

hostileCase('webhook-headers', "issue 19: a signed compliance or uninstall body naming shop C, sent as shop D's delivery, is refused (403); nothing of D is deleted", async (attempts) => {
  const bodies: [string, string][] = [
    ['shop/redact', readWebhookFixture('shop_redact').replaceAll('{shop}.myshopify.com', BYSTANDER)],
    ['customers/redact', readWebhookFixture('customers_redact').replaceAll('{shop}.myshopify.com', BYSTANDER)],
    ['customers/data_request', readWebhookFixture('customers_data_request').replaceAll('{shop}.myshopify.com', BYSTANDER)],
    ['app/uninstalled', readWebhookFixture('app_uninstalled').replace('"myshopify_domain": null', `"myshopify_domain": "${BYSTANDER}"`)],
    ['app/uninstalled', readWebhookFixture('app_uninstalled')], // names no shop: cannot be checked, refused
  ];
  for (const [topic, body] of bodies) {
    // Shop D has an order and its decision: what a wrongful shop/redact would delete.
    const target = await freshShop();
    expect((await app.webhook('orders/create', readWebhookFixture('orders_create'), { shop: target.shop })).statusCode).toBe(200);
    await app.waitFor(() => app.stores.decisions.bySubject(target.shop, BYSTANDER_ORDER), 'the decision');
    const response = await sendHeld(topic, body, {}, { shop: target.shop, before: await fingerprint(target.shop) });
    attempts.tried();
    expect(response.statusCode, topic).toBe(403);
    expect(JSON.parse(response.payload).message, topic).toContain(`the delivery is for ${target.shop}`);
  }
  // And shop C, which the bodies named, is untouched too.
  await expectBystanderUntouched();
});

hostileCase('webhook-headers', 'issue 19: X-Shopify-Triggered-At that is no real time, or out of range, is a 400 naming the header', async (attempts) => {
  for (const triggeredAt of ['not-a-date', '0000-01-01T00:00:00Z', '2023-02-30T00:00:00Z', '2021-12-31T24:00:00Z', '1999-12-31T23:59:59Z', '9999-12-31T23:59:59Z', '-001000-01-01T00:00:00Z']) {
    for (const [topic, name] of [['orders/create', 'orders_create'], ['returns/close', 'returns_close'], ['products/create', 'orders_create']] as const) {
      const response = await sendHeld(topic, readWebhookFixture(name), { triggeredAt });
      attempts.tried();
      expect(response.statusCode, `${triggeredAt} ${topic}`).toBe(400);
      expect(JSON.parse(response.payload).message).toMatch(/^X-Shopify-Triggered-At: /);
    }
  }
});

hostileCase('webhook-headers', 'a return body with no timestamp and no X-Shopify-Triggered-At is a 400, not a 500', async (attempts) => {
  for (const name of ['returns_close', 'returns_request', 'returns_reopen'] as const) {
    const response = await sendHeld(fixtureTopic(name), readWebhookFixture(name), { omitHeaders: ['x-shopify-triggered-at'] });
    attempts.tried();
    expect(response.statusCode, name).toBe(400);
    expect(JSON.parse(response.payload).message).toMatch(/X-Shopify-Triggered-At/);
  }
});

hostileCase('webhook-headers', 'issue 19: webhook and event ids of ~6,000 characters are a 400 naming the header (the btree row limit was a 500)', async (attempts) => {
  for (const topic of ['orders/create', 'refunds/create', 'products/create']) {
    const body = readWebhookFixture(topic === 'refunds/create' ? 'refunds_create' : 'orders_create');
    const webhookId = await sendHeld(topic, body, { webhookId: randomBytes(3000).toString('hex') });
    const eventId = await sendHeld(topic, body, { eventId: randomBytes(3000).toString('hex') });
    attempts.tried(2);
    expect([webhookId.statusCode, eventId.statusCode], topic).toEqual([400, 400]);
    expect(JSON.parse(webhookId.payload).message).toBe('X-Shopify-Webhook-Id: longer than 255 characters');
    expect(JSON.parse(eventId.payload).message).toBe('X-Shopify-Event-Id: longer than 255 characters');
  }
});

hostileCase('webhook-headers', 'a shop domain that is not *.myshopify.com is a 400 naming the header', async (attempts) => {
  for (const shop of ['shop.example.com', 'SHOP.MYSHOPIFY.COM', `${randomBytes(3000).toString('hex')}.myshopify.com`, 'a.myshopify.com.evil.example', '{shop}.myshopify.com']) {
    const before = await globalCounts();
    const response = await app.webhook('orders/create', readWebhookFixture('orders_create'), { shop });
    attempts.tried();
    await expectHeld(response, shop, null, null, before);
    expect(response.statusCode, shop).toBe(400);
    expect(JSON.parse(response.payload).message).toMatch(/^X-Shopify-Shop-Domain: /);
  }
});

hostileCase('webhook-bodies', 'issue 19: NUL and lone surrogates in any text field are stored as U+FFFD (200), not a 500', async (attempts) => {
  const texts = ['name', 'sku', 'title', 'vendor', 'variant_title', 'tags', 'source_name', 'financial_status', 'code', 'country_code', 'province_code', 'zip', 'email', 'phone', 'user_agent'];
  for (const [escape, stored] of [['\\u0000', '\uFFFD'], ['\\ud800', '\uFFFD'], ['\\uDFFF', '\uFFFD'], ['\\u0000\\ud83d', '\uFFFD\uFFFD']] as const) {
    let body = readWebhookFixture('orders_create');
    for (const field of texts) body = body.replace(new RegExp(`("${field}": ")([^"]*)"`, 'g'), `$1$2${escape}"`);
    const { shop, before } = await freshShop();
    const response = await sendHeld('orders/create', body, {}, { shop, before });
    attempts.tried();
    expect(response.statusCode, escape).toBe(200);
    const order = await app.stores.events.get<{ name: string; lineItems: { sku: string; title: string }[] }>(shop, 'order', BYSTANDER_ORDER);
    expect(order!.name).toBe(`#9999${stored}`);
    expect(order!.lineItems[0]!.sku).toBe(`SKU2006-001${stored}`);
    // The scored record reads back the same, and it is decided.
    await app.waitFor(() => app.stores.decisions.bySubject(shop, BYSTANDER_ORDER), 'the decision');
  }
  // A return note and a dispute reason, through their own normalizers.
  const dispute = readWebhookFixture('disputes_create').replace('"reason": "fraudulent"', '"reason": "fraud\\u0000ulent\\udbff"');
  expect((await sendHeld('disputes/create', dispute)).statusCode).toBe(200);
  attempts.tried();
});

hostileCase('webhook-bodies', 'issue 19: a line quantity of 2^31 or more is a 400 naming the field (it was stored and broke the SKU analytics)', async (attempts) => {
  const { shop, before } = await freshShop();
  for (const quantity of ['2147483648', '4294967296', '1e300', '9007199254740993', '-1', '1.5']) {
    const body = readWebhookFixture('orders_create').replace(/"quantity": 1,(\s+"requires_shipping")/, `"quantity": ${quantity},$1`);
    const response = await sendHeld('orders/create', body, {}, { shop, before });
    attempts.tried();
    expect(response.statusCode, quantity).toBe(400);
    expect(JSON.parse(response.payload).message).toMatch(/^orders\/create payload at \/line_items\/0\/quantity: /);
  }
  const skus = await app.server.inject({ url: '/api/analytics/skus', headers: { authorization: `Bearer ${await app.sessionToken(shop)}` } });
  expect(skus.statusCode).toBeLessThan(500);
});

hostileCase('webhook-bodies', 'ids of 6,000 digits, amounts of 400 digits and impossible dates are a 400 naming the field, not a 500', async (attempts) => {
  const order = readWebhookFixture('orders_create');
  const cases: [string, string, string][] = [
    ['orders/create', order.replaceAll('820982911946154508', randomDigits(6000)), '/id'],
    ['orders/create', order.replace('"admin_graphql_api_id": "gid://shopify/Order/820982911946154508"', `"admin_graphql_api_id": "gid://shopify/Order/${randomDigits(6000)}"`), '/admin_graphql_api_id'],
    ['orders/create', order.replace(/"total_price": "[0-9.]+"/, `"total_price": "${randomDigits(400)}"`), '/total_price'],
    ['orders/create', order.replace(/"total_price": "[0-9.]+"/, '"total_price": 1e400'), '/total_price'],
    ['orders/create', order.replace('"created_at": "2021-12-31T19:00:00-05:00"', '"created_at": "0000-01-01T00:00:00Z"'), '/created_at'],
    ['orders/create', order.replace('"created_at": "2021-12-31T19:00:00-05:00"', '"created_at": "2021-02-30T19:00:00-05:00"'), '/created_at'],
    ['refunds/create', readWebhookFixture('refunds_create').replace('"created_at": "2021-12-31T19:00:00-05:00"', '"created_at": "9999-99-99T99:99:99Z"'), '/created_at'],
  ];
  for (const [topic, body, pointer] of cases) {
    const response = await sendHeld(topic, body);
    attempts.tried();
    expect(response.statusCode, `${topic} ${pointer}`).toBe(400);
    expect(JSON.parse(response.payload).message, pointer).toContain(` at ${pointer}: `);
  }
});

hostileCase('webhook-bodies', 'a customers/redact listing 70,000 orders is carried out (70,000 ids bound one by one were a 500)', async (attempts) => {
  const { shop } = await freshShop();
  const order = readWebhookFixture('orders_create');
  expect((await app.webhook('orders/create', order, { shop })).statusCode).toBe(200);
  const orderId = 'gid://shopify/Order/820982911946154508';
  await app.waitFor(() => app.stores.decisions.bySubject(shop, orderId), 'the order decided');
  const orders = [820982911946154508n, ...Array.from({ length: 69_999 }, (_, i) => BigInt(1_000_000 + i))];
  // Ids beyond 2^53 written as JSON numbers, as Shopify writes them.
  const body = `{"shop_id": 1, "shop_domain": "${shop}", "customer": {"id": 115310627314723954, "email": null, "phone": null}, "orders_to_redact": [${orders.join(', ')}]}`;
  const response = await app.webhook('customers/redact', body, { shop });
  attempts.tried();
  expect(response.statusCode, response.payload.slice(0, 300)).toBe(200);
  expect(await app.stores.decisions.bySubject(shop, orderId)).toBeUndefined();
});

hostileCase('webhook-bodies', 'a body nested 400,000 levels deep with a NUL inside is taken (the unknown field ignored), not a 500', async (attempts) => {
  const depth = 400_000;
  const body = readWebhookFixture('orders_create').replace('{', `{"nested": ${'['.repeat(depth)}"\\u0000"${']'.repeat(depth)},`);
  const response = await sendHeld('orders/create', body);
  attempts.tried();
  expect(response.statusCode).toBe(200);
});

// ---------------------------------------------------------------------------------------------
// Generated cases.

type Sample = WebhookFixture | OtherTopicFixture;
const SUPPORTED = Object.keys(TOPIC_KINDS) as SupportedTopic[];
/** The sample each supported topic is sent with (the topics without one share their family's). */
const SAMPLE_OF: Record<SupportedTopic, WebhookFixture> = Object.fromEntries(
  SUPPORTED.map((topic) => {
    const own = WEBHOOK_FIXTURES.find((name) => fixtureTopic(name) === topic);
    const family = { order: 'orders_create', fulfillment: 'fulfillments_create' } as Record<string, WebhookFixture>;
    return [topic, own ?? family[TOPIC_KINDS[topic]]!];
  }),
) as Record<SupportedTopic, WebhookFixture>;
const ALL_SAMPLES: Sample[] = [...WEBHOOK_FIXTURES, ...OTHER_TOPIC_FIXTURES];

/** A sample parsed losslessly, its shop fields naming the delivery's shop (`SHOP_MARK`), as Shopify's real bodies do. */
function sampleBody(name: Sample): unknown {
  const body = parseWebhookBody(readWebhookFixture(name)) as Record<string, unknown>;
  if ('shop_domain' in body) body.shop_domain = SHOP_MARK;
  if ('myshopify_domain' in body) body.myshopify_domain = SHOP_MARK;
  return body;
}

function randomDigits(length: number): string {
  return `9${Array.from(randomBytes(length - 1), (b) => String(b % 10)).join('')}`;
}

/**
 * Text of `length` characters from `alphabet` that PostgreSQL cannot compress (a repeated
 * character compresses under the btree row limit), from a seed (so fast-check can replay it).
 */
function incompressible(length: number, seed: number, alphabet = '0123456789abcdef'): string {
  let state = seed >>> 0 || 1;
  let text = '';
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    text += alphabet[(state >>> 0) % alphabet.length];
  }
  return text;
}
const longText = (min: number, max: number, alphabet?: string) => fc.tuple(fc.integer({ min, max }), fc.nat()).map(([length, seed]) => incompressible(length, seed, alphabet));

/** Raw JSON text spliced in where a value stood (numbers JSON.stringify cannot write, deep nesting). */
const RAW = '\u0001raw\u0001';
const raw = (text: string) => `${RAW}${Buffer.from(text).toString('base64url')}${RAW}`;
function serialize(body: unknown): string {
  return JSON.stringify(body).replace(/"\\u0001raw\\u0001([A-Za-z0-9_-]*)\\u0001raw\\u0001"/g, (_, encoded: string) => Buffer.from(encoded, 'base64url').toString());
}

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const hostileString = fc.oneof(
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\uFFFD', '\u202e\u0000', '\ud83d\ude00', 'null', '1e309', '-1', '0', "'; drop table events; --", '\\u0000', 'gid://shopify/Order/1', 'gid://shopify/Order/-1', `gid://shopify/Order/${'9'.repeat(40)}`, '2021-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '2021-12-31T19:00:00-05:00', SHOP_MARK, 'other.myshopify.com', 'USD', 'refund', 'success'),
  fc.tuple(fc.string({ maxLength: 8 }), loneSurrogate, fc.string({ maxLength: 8 })).map((parts) => parts.join('')),
  fc.string({ unit: 'binary', maxLength: 30 }),
  longText(256, 20_000),
);
const hostileNumber = fc.oneof(
  fc.constantFrom(2 ** 31, 2 ** 31 - 1, 2 ** 32, -1, -(2 ** 31), 0.5, 1e300, -1e300, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 1e21, 5e-324, 0),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom('1e400', '-1e400', '123456789012345678901234567890', `1${'0'.repeat(5000)}`, '0.000000000000000000000000001', '-0', '1E2').map(raw),
  longText(3000, 8000, '0123456789').map((digits) => raw(`9${digits}`)),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 4, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.integer({ min: 2, max: 300_000 }).map((depth) => raw(`${'['.repeat(depth)}"\\u0000"${']'.repeat(depth)}`)) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 20_000 }).map((n) => Array.from({ length: n }, (_, i) => i)) },
);
const hostileKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'a\u0000b', '\ud800', '', 'id', 'customer', 'orders_to_redact', 'shop_domain', 'line_items'), fc.string({ maxLength: 12 }));

/** The keys the normalizers read (their schemas' properties, the compliance bodies' fields): where a hostile value gets furthest. */
const READ_KEYS = new Set<string>(['shop_id', 'shop_domain', 'myshopify_domain', 'customer', 'orders_to_redact', 'orders_requested', 'data_request', 'email', 'phone']);
(function collect(schema: unknown): void {
  if (Array.isArray(schema)) schema.forEach(collect);
  else if (schema !== null && typeof schema === 'object') {
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'properties') Object.keys(value as object).forEach((name) => READ_KEYS.add(name));
      collect(value);
    }
  }
})([ORDER_SCHEMA, REFUND_SCHEMA, RETURN_SCHEMA, FULFILLMENT_SCHEMA, DISPUTE_SCHEMA]);

/**
 * Where the samples' text is kept plain in the stored records (normalize/README.md, "Kept"), as
 * paths with `*` for array indices: a NUL or a lone surrogate there reaches PostgreSQL.
 */
const STORED_TEXT = new Set([
  'name', 'tags', 'source_name', 'financial_status', 'payment_gateway_names.*', 'discount_codes.*.code', 'customer.tags',
  'line_items.*.sku', 'line_items.*.title', 'line_items.*.variant_title', 'line_items.*.vendor',
  'shipping_lines.*.title', 'shipping_lines.*.code',
  ...['shipping_address', 'billing_address', 'customer.default_address'].flatMap((a) => [`${a}.country_code`, `${a}.province_code`, `${a}.zip`]),
  'status', 'shipment_status', 'reason', 'type',
]);
const pattern = (path: Path) => path.map((key) => (typeof key === 'number' ? '*' : key)).join('.');

type Path = (string | number)[];
/** Every path into the body (objects and arrays), the root first. */
function pathsOf(value: unknown, path: Path = [], into: Path[] = []): Path[] {
  into.push(path);
  if (Array.isArray(value)) value.forEach((item, i) => pathsOf(item, [...path, i], into));
  else if (value !== null && typeof value === 'object') for (const key of Object.keys(value)) pathsOf((value as Record<string, unknown>)[key], [...path, key], into);
  return into;
}

/** What a text or number the body keeps is tainted with: it stays the field's type, so it gets as far as PostgreSQL. */
const taintText = fc.oneof(fc.constantFrom('\u0000', '\ud800', '\udfff', '\ud83d', '\u0000\ud800'), loneSurrogate);
const taintNumber = fc.constantFrom(2 ** 31, 2 ** 32, -1, -(2 ** 31) - 1, 0.5, 1e300, -1e300, 2 ** 53 + 2, 1e21, 1e13, -1e13, 99999999999999.99);

/**
 * Where a mutation lands: anywhere in the body, on a field the normalizers read (by its key), on
 * a text they store, or on an id (ids become the keys of btree indexes).
 */
type At = { index: number; on: 'any' | 'read' | 'stored' | 'id' | 'time' };
const ID_KEY = /(^|_)id$|^admin_graphql_api_id$/;
const TIME_KEY = /_(at|on)$/;
/** Times a pattern accepts and PostgreSQL refuses or misreads. */
const BAD_TIMES = ['2021-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '2021-12-31T24:00:00Z', '2021-13-01T00:00:00Z', '9999-12-31T23:59:59Z', '1900-01-01T00:00:00+99:99', '2021-12-31T19:00:00.1234567890123-05:00'];
const ISO_LIKE = /^\d{4}-\d{2}-\d{2}T/;
type Mutation =
  | { op: 'set'; at: At; value: unknown }
  | { op: 'taint'; at: At; text: string; number: number; digits: string; where: number }
  | { op: 'delete'; at: At }
  | { op: 'add'; at: At; key: string; value: unknown }
  | { op: 'wrap'; at: At; inArray: boolean };
const at = fc.record({ index: fc.nat(), on: fc.constantFrom('any' as const, 'read' as const, 'stored' as const, 'id' as const, 'time' as const) });
/** An id's digits grown past the btree row limit (incompressible). */
const longDigits = longText(3000, 8000, '0123456789').map((digits) => `9${digits}`);
const taint = (on: fc.Arbitrary<At['on']>) => fc.record({ op: fc.constant('taint' as const), at: fc.record({ index: fc.nat(), on }), text: taintText, number: taintNumber, digits: longDigits, where: fc.nat() });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('set' as const), at, value: hostileValue }) },
  { weight: 4, arbitrary: taint(at.map((a) => a.on)) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), at }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('add' as const), at, key: hostileKey, value: hostileValue }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('wrap' as const), at, inArray: fc.boolean() }) },
);

function mutate(body: unknown, mutations: readonly Mutation[]): unknown {
  let root = body;
  for (const m of mutations) {
    const all = pathsOf(root);
    const last = (p: Path) => String(p[p.length - 1]);
    const targeted = all.filter((p) => (m.at.on === 'read' ? READ_KEYS.has(last(p)) : m.at.on === 'stored' ? STORED_TEXT.has(pattern(p)) : m.at.on === 'id' ? ID_KEY.test(last(p)) : m.at.on === 'time' ? TIME_KEY.test(last(p)) : true));
    const paths = targeted.length > 0 ? targeted : all;
    const path = paths[m.at.index % paths.length]!;
    const parent = path.slice(0, -1).reduce<any>((node, key) => node[key], root);
    const key = path[path.length - 1];
    const current = key === undefined ? root : parent[key];
    const replace = (value: unknown) => {
      if (key === undefined) root = value;
      else Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
    };
    switch (m.op) {
      case 'set':
        replace(m.value);
        break;
      case 'taint':
        if (typeof current === 'string' && /^gid:\/\/shopify\/\w+\/\d+$/.test(current)) replace(current.replace(/\d+$/, m.digits));
        else if (typeof current === 'string' && /^\d+$/.test(current)) replace(m.digits);
        else if (typeof current === 'string' && ISO_LIKE.test(current)) replace(BAD_TIMES[m.where % BAD_TIMES.length]);
        else if (typeof current === 'string') {
          // JSON.stringify writes NUL and lone surrogates as the escapes \u0000, \ud800.
          const cut = m.where % (current.length + 1);
          replace(`${current.slice(0, cut)}${m.text}${current.slice(cut)}`);
        } else if (typeof current === 'number') replace(m.where % 2 === 0 ? m.number : raw(m.digits));
        else replace(m.text);
        break;
      case 'delete':
        if (key === undefined) root = {};
        else if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key];
        break;
      case 'add':
        if (current !== null && typeof current === 'object' && !Array.isArray(current)) Object.defineProperty(current, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
        else if (Array.isArray(current)) current.push(m.value);
        break;
      case 'wrap':
        replace(m.inArray ? [current] : { value: current });
        break;
    }
  }
  return root;
}

/**
 * A supported topic and a signed body: its own sample (sometimes another topic's) with up to three
 * hostile mutations anywhere; or, as often, its own sample with one stored text tainted (a NUL,
 * a lone surrogate), one id grown to thousands of digits or one time made impossible, which gets furthest: all the way to
 * PostgreSQL.
 */
const delivery = fc.oneof(
  fc.record({
    topic: fc.constantFrom(...SUPPORTED),
    otherSample: fc.option(fc.constantFrom(...ALL_SAMPLES), { freq: 5 }),
    mutations: fc.array(mutation, { minLength: 0, maxLength: 3 }),
  }),
  fc.record({
    topic: fc.constantFrom(...SUPPORTED),
    otherSample: fc.constant(null),
    mutations: fc.tuple(taint(fc.constantFrom('stored' as const, 'id' as const, 'time' as const))),
  }),
);

hostileCase('webhook-bodies', "generated signed bodies (mutations of every supported topic's sample): never a 5xx, a 4xx stores and deletes nothing, other shops untouched", async (attempts: Attempts) => {
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(delivery, async ({ topic, otherSample, mutations }) => {
      attempts.tried();
      const body = serialize(mutate(sampleBody(otherSample ?? SAMPLE_OF[topic]), mutations));
      const response = await sendHeld(topic, body, { what: `${topic} ${JSON.stringify(mutations).slice(0, 300)}` });
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  );
  await expectBystanderUntouched();
  // The generator reaches both sides: bodies taken and bodies refused.
  expect([...statuses.keys()].some((s) => s < 300) && [...statuses.keys()].some((s) => s >= 400), JSON.stringify([...statuses])).toBe(true);
}, 110_000);

const headerChar = fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff })).map((code) => String.fromCharCode(code));
/** What an HTTP header value can carry (Node reads header bytes as latin1; control characters never arrive). */
const headerText = (maxLength: number) => fc.string({ unit: headerChar, maxLength });
const longHeader = longText(200, 8000);
const isoOf = (ms: number) => new Date(ms).toISOString();

const headers = fc.record({
  sample: fc.constantFrom(...ALL_SAMPLES),
  topic: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...SUPPORTED) },
    { weight: 1, arbitrary: fc.constantFrom(...SUPPORTED).map((t) => t.toUpperCase().replace('/', '_')) },
    { weight: 2, arbitrary: fc.constantFrom('products/create', 'bulk_operations/finish', 'app.scopes_update', '', ' orders/create', 'orders/create/', 'toString', '__proto__', 'constructor', 'orders//create', '../orders/create') },
    { weight: 2, arbitrary: headerText(40) },
    { weight: 1, arbitrary: longHeader },
  ),
  shop: fc.oneof(
    { weight: 6, arbitrary: fc.constant(null) }, // a fresh installed shop
    { weight: 1, arbitrary: fc.constantFrom('SHOP.myshopify.com', 'shop.example.com', 'x.myshopify.com.evil.example', '{shop}.myshopify.com', '-x.myshopify.com', 'myshopify.com', 'not-installed.myshopify.com') },
    { weight: 1, arbitrary: headerText(60) },
    { weight: 1, arbitrary: longHeader.map((text) => `${text}.myshopify.com`) },
  ),
  webhookId: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: headerText(300) }, { weight: 1, arbitrary: longHeader }),
  eventId: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: headerText(300) }, { weight: 1, arbitrary: longHeader }),
  triggeredAt: fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) }, // now
    { weight: 1, arbitrary: fc.constant(null) }, // left out
    { weight: 2, arbitrary: fc.integer({ min: -62198755200000 * 3, max: 8.64e15 }).map(isoOf) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 * 86_400_000 }).map((ms) => isoOf(Date.now() - 86_400_000 + ms)) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })).map(([y, mo, d, h]) => `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00Z`) },
    { weight: 1, arbitrary: headerText(40) },
  ),
});

hostileCase('webhook-headers', 'generated header values (topic, shop domain, webhook and event ids, triggered-at) on signed bodies: never a 5xx, a 4xx stores and deletes nothing', async (attempts: Attempts) => {
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(headers, async ({ sample, topic, shop, webhookId, eventId, triggeredAt }) => {
      attempts.tried();
      const fresh = await freshShop();
      const options: WebhookOptions & { what: string } = {
        shop: shop ?? fresh.shop,
        webhookId,
        eventId,
        ...(triggeredAt === null ? { omitHeaders: ['x-shopify-triggered-at'] } : { triggeredAt }),
        what: JSON.stringify({ sample, topic, shop, webhookId, eventId, triggeredAt }).slice(0, 400),
      };
      const response = await sendHeld(topic, serialize(sampleBody(sample)), options, fresh);
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  );
  await expectBystanderUntouched();
  expect([...statuses.keys()].some((s) => s < 300) && [...statuses.keys()].some((s) => s >= 400), JSON.stringify([...statuses])).toBe(true);
}, 110_000);

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderRecord, ReturnRecord } from '../../../sdk/index.ts';
import { readWebhookFixture } from '../../shopify/fixtures/readWebhookFixture.ts';
import { startTestApp, type TestApp } from '../../testing/testApp.ts';
import { parseDay, parseInstant } from '../fields.ts';

/**
 * Hostile values in the admin API (issue 19, "values that reach PostgreSQL unchecked give
 * 500s"): each is refused with a 400 naming the field (a JSON pointer) before anything reaches
 * SQL, and stored data that a cast could not hold never makes a read fail.
 */
const SHOP = 'input.myshopify.com';
const ORDER_ID = 'gid://shopify/Order/820982911946154508';
let app: TestApp;
let token: string;

async function call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) {
  const type = typeof payload === 'string' ? { 'content-type': 'application/json' } : {};
  const response = await app.server.inject({ method, url, payload: payload as object, headers: { authorization: `Bearer ${token}`, ...type, ...headers } });
  const json = response.headers['content-type']?.toString().includes('json');
  return { status: response.statusCode, body: json ? JSON.parse(response.payload) : response.payload };
}

/** A 400 whose message names `pointer`. */
async function refused(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, pointer: string, payload?: unknown) {
  const { status, body } = await call(method, url, payload);
  expect(status, `${method} ${url}: ${JSON.stringify(body)}`).toBe(400);
  expect(body.message, `${method} ${url}`).toContain(pointer);
}

beforeAll(async () => {
  app = await startTestApp();
  await app.installShop(SHOP);
  token = await app.sessionToken(SHOP);
  await app.webhook('orders/create', readWebhookFixture('orders_create'), { shop: SHOP });
  await app.waitFor(() => app.stores.decisions.bySubject(SHOP, ORDER_ID), 'the decision');
});
afterAll(async () => {
  await app?.stop();
});

describe('dates are anchored, really parsed and range-checked', () => {
  const routes = ['/api/decisions', '/api/chargebacks', '/api/analytics', '/api/analytics/skus', '/api/refund-methods', '/api/holdout', '/api/chargebacks/disputes.csv', '/api/analytics/summary.csv', '/api/refund-methods.csv'];

  it("refuses ?from=2026-01-01'x (a quote after a date) with a 400 naming /from", async () => {
    for (const route of routes) await refused('GET', `${route}?from=${encodeURIComponent("2026-01-01'x")}`, '/from');
  });

  it('refuses impossible and out-of-range dates: February 30th, year 0000, 13th month, 25 o\'clock, year 99999', async () => {
    for (const value of ['2026-02-30', '0000-01-01', '2026-13-01', '2026-01-01T25:00:00Z', '99999-01-01', '2026-01-01T00:00:00+99:00', '1e999', '2026-1-1']) {
      for (const route of routes) await refused('GET', `${route}?to=${encodeURIComponent(value)}`, '/to');
    }
  });

  it('parses dates as the calendar has them (leap years), offsets to UTC, and nothing looser', () => {
    expect(parseInstant('2024-02-29')?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(parseInstant('2000-02-29')).toBeDefined();
    for (const bad of ['2026-02-29', '2100-02-29', '2026-04-31', '1969-12-31', '2200-01-01', '2026-01-01T23:60', '2026-01-01T10:00:60Z', '2026-01-01t10:00z', '2026-01-01T10', ' 2026-01-01', '2026-01-01\n']) expect(parseInstant(bad), bad).toBeUndefined();
    expect(parseInstant('2026-01-01T10:30:00.123456789+02:00')?.toISOString()).toBe('2026-01-01T08:30:00.123Z');
    expect(parseInstant('2026-01-01 10:30-0130')?.toISOString()).toBe('2026-01-01T12:00:00.000Z');
    expect(parseInstant('2026-01-01T10:30')?.toISOString()).toBe('2026-01-01T10:30:00.000Z');
    expect(parseDay('2026-01-01T00:00:00Z')).toBeUndefined();
  });

  it('hands handlers and SQL one form: the UTC ISO string', async () => {
    const { status, body } = await call('GET', `/api/refund-methods?from=${encodeURIComponent('2026-01-01T10:30:00+02:00')}&to=2026-02-01`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ from: '2026-01-01T08:30:00.000Z', to: '2026-02-01T00:00:00.000Z' });
  });

  it('still takes dates and ISO date-times', async () => {
    for (const route of routes) {
      expect((await call('GET', `${route}?from=2026-01-01&to=2026-02-01`)).status, route).toBe(200);
      expect((await call('GET', `${route}?from=2026-01-01T00:00:00Z&to=${encodeURIComponent('2026-02-01T10:30:00.5+02:00')}`)).status, route).toBe(200);
    }
  });

  it('refuses bad dates in payloads too (goals, snoozes, simulations)', async () => {
    await refused('POST', '/api/goals', '/startsOn', { metric: 'chargebacks', reduceByPct: 10, startsOn: "2026-01-01'x", endsOn: '2026-06-01' });
    await refused('POST', '/api/goals', '/endsOn', { metric: 'chargebacks', reduceByPct: 10, startsOn: '2026-01-01', endsOn: '2026-02-30' });
    await refused('POST', '/api/snoozes', '/until', { customerId: 'gid://shopify/Customer/1', signalId: 'velocity.orders', until: '0000-01-01T00:00:00Z' });
    await refused('POST', '/api/rulesets/1/simulate', '/from', { from: "2026-01-01'x" });
  });
});

describe('numeric ids, versions and cursors are range-checked', () => {
  it('refuses ?before= beyond bigint with a 400 naming /before', async () => {
    await refused('GET', '/api/decisions?before=99999999999999999999', '/before');
    await refused('GET', '/api/decisions?before=-1', '/before');
  });

  it('refuses /api/rulesets/1e999 and versions beyond a PostgreSQL integer with a 400 naming /version', async () => {
    for (const version of ['1e999', '1e10', '2147483648', 'Infinity', '-1', '0', '1.5']) {
      await refused('GET', `/api/rulesets/${version}`, '/version');
      await refused('POST', `/api/rulesets/${version}/publish`, '/version');
      await refused('POST', `/api/rulesets/${version}/rollback`, '/version');
      await refused('POST', `/api/rulesets/${version}/simulate`, '/version', {});
      await refused('POST', `/api/rulesets/${version}/shadow`, '/version');
    }
    expect((await call('GET', '/api/rulesets/2147483647')).status).toBe(404);
  });

  it('refuses ids beyond bigint on every id route', async () => {
    const big = '9'.repeat(19);
    await refused('GET', `/api/decisions/${big}`, '/id');
    await refused('POST', `/api/decisions/${big}/outcome`, '/id', { label: 'fraud' });
    await refused('POST', `/api/actions/${big}/release`, '/id');
    await refused('GET', `/api/simulations/${big}`, '/id');
    await refused('GET', `/api/rings/${big}`, '/id');
    await refused('DELETE', `/api/goals/${big}`, '/id');
    await refused('DELETE', `/api/snoozes/${big}`, '/id');
    await refused('POST', '/api/lists/from-decision', '/decisionId', { decisionId: big, list: 'blocked' });
    await refused('GET', `/api/orders/${'9'.repeat(30)}/risk`, '/id');
  });

  it('refuses limits and numbers out of range, 1e999 included', async () => {
    await refused('GET', '/api/decisions?limit=1e999', '/limit');
    await refused('GET', '/api/rings?minScore=1e999', '/minScore');
    await refused('GET', '/api/rings?limit=-5', '/limit');
    // Raw JSON: 1e999 parses to Infinity (an object payload would be sent as null).
    await refused('PUT', '/api/holdout', '/percent', '{"percent": 1e999}');
    await refused('POST', '/api/backfill/extend', '/days', '{"days": 1e999}');
    await refused('POST', '/api/goals', '/reduceByPct', '{"metric": "chargebacks", "reduceByPct": -1e999, "startsOn": "2026-01-01", "endsOn": "2026-02-01"}');
  });

  it('refuses a customer id that is not a customer GID, whatever its encoding, with a 400', async () => {
    for (const id of ['%25', '%E0%A4%A', 'gid%3A%2F%2Fshopify%2FCustomer%2F' + '9'.repeat(40), encodeURIComponent("gid://shopify/Customer/1'x")]) {
      const { status, body } = await call('GET', `/api/customers/${id}`);
      expect(status, `${id}: ${JSON.stringify(body)}`).toBe(400);
    }
    expect((await call('GET', `/api/customers/${encodeURIComponent('gid://shopify/Customer/115310627314723954')}`)).status).toBe(200);
  });
});

describe('text is length-capped and free of NUL and lone surrogates', () => {
  it('refuses a NUL or a lone surrogate in a query value with a 400 naming the field', async () => {
    await refused('GET', `/api/decisions?customerId=${encodeURIComponent('gid://shopify/Customer/1\u0000')}`, '/customerId');
    await refused('GET', `/api/reasons/product?sku=${encodeURIComponent('a\u0000b')}`, '/sku');
    await refused('GET', `/api/decisions?customerId=${'x'.repeat(5000)}`, '/customerId');
  });

  it('refuses a NUL or a lone surrogate anywhere in a JSON payload with a 400 naming its pointer, and stores nothing', async () => {
    const before = (await call('GET', '/api/rulesets')).body.versions.length;
    const ruleset = (await call('GET', '/api/rulesets/1')).body.body;
    await refused('POST', '/api/rulesets', '/body/description', { body: { ...ruleset, description: 'evil\u0000' }, baseVersion: 1 });
    // A lone surrogate travels as JSON's \ud800 escape.
    const lone = JSON.stringify({ body: { ...ruleset, description: 'x' }, baseVersion: 1 }).replace('"description":"x"', '"description":"\\ud800"');
    const response = await app.server.inject({ method: 'POST', url: '/api/rulesets', payload: lone, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
    expect(response.statusCode, response.payload).toBe(400);
    expect(JSON.parse(response.payload).message).toContain('/body/description');
    expect((await call('GET', '/api/rulesets')).body.versions.length).toBe(before);

    const decision = await app.stores.decisions.bySubject(SHOP, ORDER_ID);
    await refused('POST', `/api/decisions/${decision!.id}/outcome`, '/note', { label: 'fraud', note: 'a\u0000b' });
    expect(await app.stores.outcomes.forSubject(SHOP, ORDER_ID)).toEqual([]);
    await refused('POST', '/api/goals', '/note', { metric: 'chargebacks', reduceByPct: 10, startsOn: '2026-01-01', endsOn: '2026-06-01', note: 'x\ud800' });
    await refused('POST', '/api/snoozes', '/reason', { customerId: 'gid://shopify/Customer/1', signalId: 'velocity.orders', days: 3, reason: '\u0000' });
    await refused('POST', '/api/lists', '/note', { list: 'blocked', kind: 'email', value: 'a@example.com', note: '\udfff' });
    await refused('POST', '/api/rulesets/validate', '/body/x\\u0000', { body: { ['x\u0000']: 1 } });
    expect((await call('GET', '/api/goals')).body.goals).toEqual([]);
    expect((await call('GET', '/api/lists')).body.entries).toEqual([]);
  });

  it('refuses payloads that are not JSON (415) or not JSON objects (400), and stores nothing', async () => {
    for (const [type, payload, status] of [
      ['text/plain', '{"percent": 5}', 415], ['application/x-www-form-urlencoded', 'percent=5', 415], ['application/octet-stream', 'abc', 415], ['multipart/form-data; boundary=x', '--x--', 415],
      ['application/json', '[1,2]', 400], ['application/json', '"x"', 400], ['application/json', '5', 400], ['application/json', '{', 400],
    ] as const) {
      const response = await app.server.inject({ method: 'PUT', url: '/api/holdout', payload, headers: { authorization: `Bearer ${token}`, 'content-type': type } });
      expect(response.statusCode, `${type} ${payload}: ${response.payload}`).toBe(status);
    }
    expect((await call('GET', '/api/holdout')).body.percent).toBe(0);
    // A POST without a body (and without a Content-Type) is still fine where nothing is expected.
    expect((await app.server.inject({ method: 'POST', url: '/api/rings/rebuild', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(202);
    expect((await call('POST', '/api/rings/rebuild', { unexpected: 1 })).status).toBe(400);
  });
});

describe('stored data a narrow cast could not hold never fails a read', () => {
  it('answers /api/analytics/skus with 200 and the right units when a stored line quantity is 2^31 or more', async () => {
    const at = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const huge = 2 ** 31 + 5;
    const order: OrderRecord = {
      id: 'gid://shopify/Order/9000000000000000001', customerId: 'gid://shopify/Customer/9000000000000000001', createdAt: at, currency: 'USD',
      totalPrice: 10, subtotalPrice: 10, totalDiscounts: 0, discountCodes: [], gateways: ['manual'], shippingLines: [], identity: {}, tags: [],
      lineItems: [{ id: 'gid://shopify/LineItem/9000000000000000001', sku: 'HUGE-1', title: 'Huge', quantity: huge, price: 1, totalDiscount: 0 }],
    };
    const ret: ReturnRecord = {
      id: 'gid://shopify/Return/9000000000000000001', orderId: order.id, customerId: order.customerId, status: 'CLOSED', createdAt: at, exchangeLineItemCount: 0, totalValue: 1,
      lineItems: [{ lineItemId: order.lineItems[0]!.id, sku: 'HUGE-1', quantity: huge }, { lineItemId: order.lineItems[0]!.id, sku: 'HUGE-1', quantity: huge }],
    };
    await app.stores.events.upsertAll(SHOP, [{ type: 'order', order }, { type: 'return', return: ret }]);
    const { status, body } = await call('GET', '/api/analytics/skus');
    expect(status, JSON.stringify(body)).toBe(200);
    const sku = body.skus.find((s: { sku: string }) => s.sku === 'HUGE-1');
    expect(sku).toMatchObject({ sold: huge, returned: 2 * huge });
    expect(sku.series.reduce((sum: number, b: { returned: number }) => sum + b.returned, 0)).toBe(2 * huge);
    expect((await call('GET', '/api/analytics/skus.csv')).status).toBe(200);
  });
});

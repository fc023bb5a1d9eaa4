import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ruleset } from '../../../engine/index.ts';
import { readWebhookFixture } from '../../shopify/fixtures/readWebhookFixture.ts';
import { DEFAULT_RULESET, startTestApp, type TestApp } from '../../testing/testApp.ts';

const SHOP_A = 'shop-a.myshopify.com';
const SHOP_B = 'shop-b.myshopify.com';
const ORDER_ID = 'gid://shopify/Order/820982911946154508';
const CUSTOMER_ID = 'gid://shopify/Customer/115310627314723954';

let app: TestApp;
let tokenA: string;
let tokenB: string;

async function call(method: 'GET' | 'POST', url: string, token: string | null, payload?: unknown) {
  const response = await app.server.inject({ method, url, payload: payload as object, headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.statusCode, body: JSON.parse(response.payload || 'null') };
}

beforeAll(async () => {
  app = await startTestApp();
  await app.installShop(SHOP_A);
  await app.installShop(SHOP_B);
  tokenA = await app.sessionToken(SHOP_A);
  tokenB = await app.sessionToken(SHOP_B);
  await app.webhook('orders/create', readWebhookFixture('orders_create'), { shop: SHOP_A });
  await app.waitFor(() => app.stores.decisions.bySubject(SHOP_A, ORDER_ID), 'the decision');
});
afterAll(async () => {
  await app?.stop();
});

describe('admin API authentication', () => {
  it('refuses calls without a valid session token', async () => {
    expect((await call('GET', '/api/decisions', null)).status).toBe(401);
    expect((await call('GET', '/api/decisions', 'not.a.jwt')).status).toBe(401);
    const forged = `${tokenA.slice(0, -4)}AAAA`;
    expect((await call('GET', '/api/decisions', forged)).status).toBe(401);
  });

  it('takes the shop from the token, never from the query', async () => {
    const asB = await call('GET', `/api/decisions?shop=${SHOP_A}`, tokenB);
    expect(asB.status).toBe(400); // unknown query parameters are refused
    expect((await call('GET', '/api/decisions', tokenB)).body.decisions).toEqual([]);
  });
});

describe('tenant isolation: a shop-B token never reads shop-A data', () => {
  it('lists, details, customers, labels and releases are all scoped to the token shop', async () => {
    const listA = await call('GET', '/api/decisions', tokenA);
    expect(listA.body.decisions).toHaveLength(1);
    const id = listA.body.decisions[0].id;
    expect((await call('GET', `/api/decisions/${id}`, tokenA)).status).toBe(200);
    expect((await call('GET', `/api/decisions/${id}`, tokenB)).status).toBe(404);
    expect((await call('POST', `/api/decisions/${id}/outcome`, tokenB, { label: 'fraud' })).status).toBe(404);
    expect((await call('GET', `/api/customers/${encodeURIComponent(CUSTOMER_ID)}`, tokenB)).status).toBe(404);
    expect((await call('GET', `/api/customers/${encodeURIComponent(CUSTOMER_ID)}`, tokenA)).status).toBe(200);
    expect((await call('GET', '/api/rulesets', tokenB)).body.versions).toHaveLength(1);
  });
});

describe('decisions and customers', () => {
  it('lists with filters and shows a decision with its trace, actions and outcome', async () => {
    const all = await call('GET', '/api/decisions?limit=10', tokenA);
    const [summary] = all.body.decisions;
    expect(summary).toMatchObject({ kind: 'order', subjectId: ORDER_ID, customerId: CUSTOMER_ID });
    expect(summary.topSignals.length).toBeLessThanOrEqual(3);
    expect(all.body.counts[summary.zone]).toBe(1);
    expect((await call('GET', `/api/decisions?zone=${summary.zone === 'high' ? 'low' : 'high'}`, tokenA)).body.decisions).toEqual([]);
    expect((await call('GET', '/api/decisions?kind=return', tokenA)).body.decisions).toEqual([]);
    expect((await call('GET', '/api/decisions?zone=purple', tokenA)).status).toBe(400);
    const detail = await call('GET', `/api/decisions/${summary.id}`, tokenA);
    expect(detail.body.trace.signals.reduce((sum: number, s: { points: number }) => sum + Math.round(s.points * 100), 0)).toBe(Math.round(summary.score * 100));
    const labelled = await call('POST', `/api/decisions/${summary.id}/outcome`, tokenA, { label: 'legit', note: 'known customer' });
    expect(labelled.body).toEqual({ ok: true, label: 'legit' });
    expect((await call('GET', `/api/decisions/${summary.id}`, tokenA)).body.outcomes[0]).toMatchObject({ label: 'legit', source: 'merchant' });
    expect((await call('POST', `/api/decisions/${summary.id}/outcome`, tokenA, { label: 'maybe' })).status).toBe(400);
  });

  it("shows a customer's profile and score history", async () => {
    const profile = await call('GET', `/api/customers/${encodeURIComponent(CUSTOMER_ID)}`, tokenA);
    expect(profile.body).toMatchObject({ id: CUSTOMER_ID, decisionsCount: 1, trajectory: 'unknown' });
    expect(profile.body.history).toHaveLength(1);
    expect((await call('GET', '/api/customers/12345', tokenA)).status).toBe(400);
  });
});

describe('rulesets: validate, draft, publish, rollback', () => {
  it('validates with JSON-pointer problems and refuses an invalid draft with 422', async () => {
    const bad = { ...DEFAULT_RULESET, zones: { medium: 70, high: 40 } };
    const validation = await call('POST', '/api/rulesets/validate', tokenA, { body: bad });
    expect(validation.body.valid).toBe(false);
    expect(validation.body.problems[0]).toMatchObject({ pointer: '/zones/high', code: 'zones-order' });
    const refused = await call('POST', '/api/rulesets', tokenA, { body: bad, baseVersion: 1 });
    expect(refused.status).toBe(422);
    expect(refused.body.problems.map((p: { pointer: string }) => p.pointer)).toContain('/zones/high');
  });

  it('publishes a draft atomically, refuses a stale draft, and rolls back as a new version', async () => {
    const stricter: Ruleset = { ...DEFAULT_RULESET, zones: { medium: 25, high: 60 } };
    const draft = await call('POST', '/api/rulesets', tokenA, { body: stricter, baseVersion: 1 });
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({ version: 2, status: 'draft' });
    const stale = await call('POST', '/api/rulesets', tokenA, { body: stricter, baseVersion: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.latestVersion).toBe(2);
    expect((await call('POST', '/api/rulesets/2/publish', tokenA)).body).toMatchObject({ version: 2, status: 'published' });
    expect((await call('POST', '/api/rulesets/2/publish', tokenA)).status).toBe(409);
    const versions = (await call('GET', '/api/rulesets', tokenA)).body.versions.map((v: { version: number; status: string }) => [v.version, v.status]);
    expect(versions).toEqual([
      [2, 'published'],
      [1, 'archived'],
    ]);
    const rolled = await call('POST', '/api/rulesets/1/rollback', tokenA);
    expect(rolled.body).toMatchObject({ version: 3, status: 'published' });
    const v3 = await call('GET', '/api/rulesets/3', tokenA);
    const v1 = await call('GET', '/api/rulesets/1', tokenA);
    expect(v3.body.body.zones).toEqual(v1.body.body.zones);
    expect((await call('GET', '/api/rulesets/99', tokenA)).status).toBe(404);
    // Shop B is untouched.
    expect((await call('GET', '/api/rulesets', tokenB)).body.versions).toHaveLength(1);
  });
});

describe('catalog and holds', () => {
  it('serves the signal catalog for the editor', async () => {
    const { body } = await call('GET', '/api/signals', tokenA);
    expect(body.signals.length).toBeGreaterThanOrEqual(60);
    expect(body.signals[0]).toHaveProperty('params');
  });

  it('refuses to release what is not an applied hold', async () => {
    expect((await call('POST', '/api/actions/999999/release', tokenA)).status).toBe(404);
  });
});

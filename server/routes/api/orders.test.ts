import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWebhookFixture } from '../../shopify/fixtures/readWebhookFixture.ts';
import { DEFAULT_RULESET, startTestApp, type TestApp } from '../../testing/testApp.ts';

/** The order-details card's API: score, top signals, the customer, and what to do. */
const SHOP = 'card.myshopify.com';
const ORDER = '820982911946154508';
let app: TestApp;

async function call(url: string, headers: Record<string, string> = {}, method: 'GET' | 'OPTIONS' = 'GET') {
  const response = await app.server.inject({ method, url, headers: { authorization: `Bearer ${await app.sessionToken(SHOP)}`, ...headers } });
  return { status: response.statusCode, body: response.payload ? JSON.parse(response.payload) : null, headers: response.headers };
}

beforeAll(async () => {
  app = await startTestApp();
  await app.installShop(SHOP, { ...DEFAULT_RULESET, actions: [] });
});
afterAll(() => app?.stop());

describe('GET /api/orders/{id}/risk', () => {
  it('says the order is not known before its webhook, then shows its decision, top signals, customer and a recommendation', async () => {
    expect((await call(`/api/orders/${ORDER}/risk`)).status).toBe(404);
    expect((await app.webhook('orders/create', readWebhookFixture('orders_create'), { shop: SHOP })).statusCode).toBe(200);
    const decision = await app.waitFor(() => app.stores.decisions.bySubject(SHOP, `gid://shopify/Order/${ORDER}`), 'the decision');
    const { status, body } = await call(`/api/orders/${ORDER}/risk`);
    expect(status).toBe(200);
    expect(body.decision).toMatchObject({ id: String(decision.id), score: Number(decision.score), zone: decision.zone, rulesetVersion: 1 });
    const fired = decision.trace.signals.filter((s) => s.status === 'hit' && s.points > 0).sort((a, b) => b.points - a.points);
    expect(body.topSignals).toEqual(fired.slice(0, 3).map(({ id, points, message }) => ({ id, points, message })));
    expect(body.customer).toMatchObject({ id: decision.customer_id, orders: 1, returns: 0, refunds: 0, chargebacks: 0 });
    expect(body.hold).toBeNull(); // this shop's ruleset acts on nothing
    expect(body.recommendation).toMatch(decision.zone === 'high' ? /^High risk: review before fulfilling/ : decision.zone === 'medium' ? /^Medium risk: check the signals/ : /^Low risk: no action needed/);
  });

  it('answers the extension sandbox\'s cross-origin preflight, and refuses a bad id', async () => {
    const preflight = await app.server.inject({ method: 'OPTIONS', url: `/api/orders/${ORDER}/risk`, headers: { origin: 'https://extensions.shopifycdn.com', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
    expect(preflight.statusCode).toBe(200);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://extensions.shopifycdn.com');
    expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/authorization/i);
    const other = await app.server.inject({ method: 'OPTIONS', url: `/api/orders/${ORDER}/risk`, headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect((await call('/api/orders/not-a-number/risk')).status).toBe(400);
  });
});

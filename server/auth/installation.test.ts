import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShopifyDouble, type ShopifyDouble } from '../testing/shopifyDouble.ts';
import { startTestApp, TEST_API_KEY, type TestApp } from '../testing/testApp.ts';

let app: TestApp;
let double: ShopifyDouble;

beforeAll(async () => {
  double = await startShopifyDouble();
  app = await startTestApp({ adminOrigin: double.origin });
});
afterAll(async () => {
  await app?.stop();
  await double?.close();
});

describe('installation', () => {
  it("installs an embedded shop on its first admin call by exchanging the session token for an offline token", async () => {
    const shop = 'new-shop.myshopify.com';
    expect(await app.stores.shops.get(shop)).toBeUndefined();
    const token = await app.sessionToken(shop);
    const response = await app.server.inject({ method: 'GET', url: '/api/rulesets', headers: { authorization: `Bearer ${token}` } });
    expect(response.statusCode).toBe(200);
    expect(double.state.tokenExchanges).toEqual([{ clientId: TEST_API_KEY, subjectToken: token }]);
    const row = await app.stores.shops.get(shop);
    expect(row).toMatchObject({ status: 'active', access_token: 'shpat_exchanged_1' });
    expect(JSON.parse(response.payload).versions.map((v: { status: string }) => v.status)).toEqual(['published']);
    // Installed once: later calls do not exchange again.
    await app.server.inject({ method: 'GET', url: '/api/decisions', headers: { authorization: `Bearer ${await app.sessionToken(shop)}` } });
    expect(double.state.tokenExchanges).toHaveLength(1);
    expect((await app.stores.audit.list(shop)).map((a) => a.action)).toContain('shop.install');
    // Installing starts the shop's backfill from Shopify's bulk operations: 60 days without read_all_orders.
    const backfill = await app.waitFor(async () => {
      const progress = await app.backfill.progress(shop);
      return progress.status === 'done' ? progress : undefined;
    }, 'the backfill started by the install');
    expect(backfill.source).toEqual({ kind: 'bulk' });
    expect(Date.parse(backfill.window!.to) - Date.parse(backfill.window!.from)).toBe(60 * 86_400_000);
    expect(double.requests.filter((r) => r.rootFields.includes('bulkOperationRunQuery'))).toHaveLength(5);
  });

  it('reconnects a shop whose token was lost', async () => {
    const shop = 'lost-token.myshopify.com';
    await app.installShop(shop);
    await app.stores.shops.markReconnect(shop);
    const response = await app.server.inject({ method: 'GET', url: '/api/decisions', headers: { authorization: `Bearer ${await app.sessionToken(shop)}` } });
    expect(response.statusCode).toBe(200);
    expect((await app.stores.shops.get(shop))!.status).toBe('active');
  });

  it('starts the OAuth install flow with a redirect to Shopify, and refuses a bad shop', async () => {
    // shopify-api answers bots (including a user agent like the injector's "shot") with 410.
    const browser = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/156.0 Safari/537.36' };
    const begin = await app.server.inject({ method: 'GET', url: '/auth?shop=oauth-shop.myshopify.com', headers: browser });
    expect(begin.statusCode).toBe(302);
    expect(begin.headers.location).toMatch(/^https:\/\/oauth-shop\.myshopify\.com\/admin\/oauth\/authorize\?/);
    expect(begin.headers.location).toContain(`client_id=${TEST_API_KEY}`);
    expect(begin.headers['set-cookie']).toBeDefined();
    expect((await app.server.inject({ method: 'GET', url: '/auth?shop=evil.example.com', headers: browser })).statusCode).toBe(400);
    const forged = await app.server.inject({ method: 'GET', url: '/auth/callback?shop=oauth-shop.myshopify.com&code=x&state=forged&hmac=00', headers: browser });
    expect(forged.statusCode).toBe(401);
    expect(await app.stores.shops.get('oauth-shop.myshopify.com')).toBeUndefined();
  });
});

import Hapi from '@hapi/hapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { nowSeconds, sessionClaims, signSessionToken } from '../testing/sessionTokens.ts';
import { sessionAuth, shopOf } from './sessionAuth.ts';
import { createShopifyApi } from './shopifyApi.ts';

const API_KEY = 'session-test-key';
const SECRET = 'session-test-secret-0123456789';
const now = nowSeconds;
const sign = (claims: Record<string, unknown>, secret = SECRET, header?: Record<string, unknown>) => signSessionToken(claims, secret, header);
const claimsOf = (shop: string, overrides: Record<string, unknown> = {}) => sessionClaims(shop, API_KEY, overrides);

let server: Hapi.Server;
beforeAll(async () => {
  server = Hapi.server();
  const config = loadConfig({ SHOPIFY_API_KEY: API_KEY, SHOPIFY_API_SECRET: SECRET, SHOPIFY_APP_URL: 'https://refundsentry.test', DATABASE_URL: 'postgres://x/y' });
  await server.register({ plugin: sessionAuth, options: { shopify: createShopifyApi(config) } });
  server.route({ method: 'GET', path: '/whoami', options: { auth: 'session' }, handler: (request) => ({ shop: shopOf(request).shop, user: shopOf(request).user }) });
});
afterAll(() => server?.stop());

const call = (token: string) => server.inject({ url: '/whoami', headers: { authorization: `Bearer ${token}` } });

/** The 401 says what was wrong in general terms, and holds no part of the token (body or headers). */
async function expectRefused(token: string, reason: RegExp) {
  const response = await call(token);
  expect(response.statusCode, token).toBe(401);
  const { message } = JSON.parse(response.payload) as { message: string };
  expect(message).toMatch(reason);
  const everything = response.payload + JSON.stringify(response.headers);
  expect(everything).not.toContain(token);
  for (const part of token.split('.').filter((p) => p.length >= 8)) expect(everything, part).not.toContain(part);
  return message;
}

describe('session tokens (issue 19)', () => {
  it('accepts a valid token: the shop is its dest', async () => {
    const response = await call(sign(claimsOf('shop-a.myshopify.com')));
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.payload)).toEqual({ shop: 'shop-a.myshopify.com', user: '7' });
  });

  it("refuses a token whose iss is another shop's than its dest", async () => {
    const token = sign(claimsOf('shop-a.myshopify.com', { iss: 'https://shop-b.myshopify.com/admin' }));
    await expectRefused(token, /iss and dest name different shops/);
  });

  it('refuses iss or dest that are not a shop of myshopify.com over https', async () => {
    for (const overrides of [
      { iss: 'https://evil.example/admin', dest: 'https://evil.example' },
      { iss: 'https://shop-a.myshopify.com.evil.example/admin', dest: 'https://shop-a.myshopify.com.evil.example' },
      { iss: 'http://shop-a.myshopify.com/admin', dest: 'http://shop-a.myshopify.com' },
      { iss: 'https://shop-a.myshopify.com:8443/admin', dest: 'https://shop-a.myshopify.com:8443' },
      { iss: 'https://user@shop-a.myshopify.com/admin', dest: 'https://user@shop-a.myshopify.com' },
      { dest: ['https://shop-a.myshopify.com'] },
      { dest: undefined },
      { iss: undefined },
      { iss: 'not a url' },
    ]) {
      await expectRefused(sign(claimsOf('shop-a.myshopify.com', overrides)), /iss and dest/);
    }
  });

  it('refuses an expired, a not-yet-valid, a wrongly signed, a wrong-audience and a garbage token without echoing it', async () => {
    const shop = 'shop-a.myshopify.com';
    expect(await expectRefused(sign(claimsOf(shop, { exp: now() - 120 })), /expired/)).not.toMatch(/shop-a/);
    await expectRefused(sign(claimsOf(shop, { nbf: now() + 600 })), /not valid yet/);
    await expectRefused(sign(claimsOf(shop), 'another-secret-0123456789'), /signature/);
    await expectRefused(sign(claimsOf(shop, { aud: 'another-app' })), /audience/);
    await expectRefused(sign(claimsOf(shop, { exp: undefined })), /no expiry/);
    await expectRefused(sign(claimsOf(shop), SECRET, { alg: 'none' }), /malformed|signature/);
    await expectRefused(sign(claimsOf(shop), SECRET, { alg: 'HS512' }), /malformed|signature/);
    for (const garbage of ['garbage-token-value-0123456789', 'aaaaaaaaaa.bbbbbbbbbb.cccccccccc', `${sign(claimsOf(shop)).slice(0, -4)}AAAA`, 'eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24gYXQgYWxs.c2lnbmF0dXJlc2lnbmF0dXJl']) {
      await expectRefused(garbage, /malformed|signature/);
    }
  });
});

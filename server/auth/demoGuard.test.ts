import type { ServerInjectOptions } from '@hapi/hapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULESET, startTestApp, type TestApp } from '../testing/testApp.ts';

/** Demo mode on the test harness: no Shopify credentials (empty values count as unset), the demo shop installed as `npm start` installs it. */
const DEMO_ENV = { SHOPIFY_API_KEY: '', SHOPIFY_API_SECRET: '', SHOPIFY_APP_URL: '' };
const DEMO_SHOP = 'demo.myshopify.com';
const HOST = '127.0.0.1:3000';
const ORIGIN = `http://${HOST}`;
/** What the admin's own fetches send on a state-changing call. */
const SAME_ORIGIN_JSON = { host: HOST, origin: ORIGIN, 'content-type': 'application/json' };

let demo: TestApp;
let embedded: TestApp;

beforeAll(async () => {
  [demo, embedded] = await Promise.all([startTestApp({ env: DEMO_ENV }), startTestApp()]);
  await demo.stores.shops.install(DEMO_SHOP, null, null);
  await demo.stores.rulesets.ensurePublished(DEMO_SHOP, DEFAULT_RULESET);
});
afterAll(async () => {
  await Promise.all([demo?.stop(), embedded?.stop()]);
});

const inject = (options: ServerInjectOptions) => demo.server.inject(options);
const versions = async () => JSON.parse((await inject({ url: '/api/rulesets', headers: { host: HOST } })).payload).versions as { version: number; status: string }[];
const published = async () => (await versions()).find((v) => v.status === 'published')?.version;
const ringBuild = async () => JSON.parse((await inject({ url: '/api/rings', headers: { host: HOST } })).payload).build.status as string;

describe('demo mode answers only its own browser (issue 19)', () => {
  it('is demo mode, and answers the token-less API on loopback Host names', async () => {
    expect(demo.config.demoMode).toBe(true);
    for (const host of ['127.0.0.1:3000', 'localhost:3000', '[::1]:3000', 'localhost', '127.0.0.1']) {
      const response = await inject({ url: '/api/decisions', headers: { host } });
      expect(response.statusCode, host).toBe(200);
    }
  });

  it('refuses any other Host (DNS rebinding): no data, whatever the route', async () => {
    const hosts = ['evil.example', 'evil.example:3000', '127.0.0.1.evil.example:3000', 'localhost.evil', 'localhost.:3000', '127.0.0.1.nip.io:3000', '[::ffff:7f00:1]:3000', '0.0.0.0:3000', 'LOCALHOST.EVIL.EXAMPLE', 'localhost:3000@evil.example', ''];
    for (const host of hosts) {
      for (const url of ['/api/decisions', '/api/rulesets', '/health', '/app/']) {
        const response = await inject({ url, headers: { host } });
        expect(response.statusCode, `${host} ${url}`).toBe(421);
        expect(response.payload).not.toMatch(/"decisions"|"versions"|"ok":true|<div id="root">/);
        expect(JSON.parse(response.payload)).toMatchObject({ error: 'Misdirected Request', message: expect.stringMatching(/answers only on this machine.*http:\/\/127\.0\.0\.1/) });
      }
    }
    // Not even a state change.
    const before = await published();
    const response = await inject({ method: 'POST', url: `/api/rulesets/${before}/rollback`, headers: { host: 'evil.example:3000', origin: 'http://evil.example:3000', 'content-type': 'application/json' } });
    expect(response.statusCode).toBe(421);
  });

  it('refuses a cross-site POST (text/plain, another Origin) that rolls back a ruleset or rebuilds rings; says what to send', async () => {
    // A second version, published: the rollback target is version 1.
    const draft = await inject({ method: 'POST', url: '/api/rulesets', headers: SAME_ORIGIN_JSON, payload: { body: DEFAULT_RULESET, baseVersion: 1 } });
    expect(draft.statusCode).toBe(201);
    const v2 = JSON.parse(draft.payload).version as number;
    expect((await inject({ method: 'POST', url: `/api/rulesets/${v2}/publish`, headers: SAME_ORIGIN_JSON })).statusCode).toBe(200);
    expect(await published()).toBe(v2);
    const count = (await versions()).length;
    expect(await ringBuild()).toBe('never');

    const forged: { headers: Record<string, string>; status: number }[] = [
      // An HTML form or a no-cors fetch from another site: text/plain, that site's Origin.
      { headers: { host: HOST, origin: 'https://evil.example', 'content-type': 'text/plain' }, status: 403 },
      { headers: { host: HOST, origin: 'null', 'content-type': 'application/x-www-form-urlencoded' }, status: 403 },
      // JSON but from another origin, or no Origin at all.
      { headers: { host: HOST, origin: 'http://localhost:3000', 'content-type': 'application/json' }, status: 403 },
      { headers: { host: HOST, 'content-type': 'application/json' }, status: 403 },
      // Same origin but not JSON, or no Content-Type at all.
      { headers: { host: HOST, origin: ORIGIN, 'content-type': 'text/plain' }, status: 415 },
      { headers: { host: HOST, origin: ORIGIN }, status: 415 },
    ];
    for (const { headers, status } of forged) {
      for (const url of ['/api/rulesets/1/rollback', '/api/rings/rebuild']) {
        const response = await inject({ method: 'POST', url, headers, payload: '{}' });
        expect(response.statusCode, `${url} ${JSON.stringify(headers)}`).toBe(status);
        const { message } = JSON.parse(response.payload) as { message: string };
        expect(message).toContain(`-H 'Origin: ${ORIGIN}' -H 'Content-Type: application/json'`);
      }
    }
    expect(await published()).toBe(v2);
    expect((await versions()).length).toBe(count);
    expect(await ringBuild()).toBe('never');
    expect((await demo.stores.db('audit_log').where({ shop_id: DEMO_SHOP }).whereIn('action', ['ruleset.rollback', 'rings.rebuild'])).length).toBe(0);

    // The admin's own calls (JSON, same origin; a body-less POST too) go through.
    const rollback = await inject({ method: 'POST', url: '/api/rulesets/1/rollback', headers: SAME_ORIGIN_JSON });
    expect(rollback.statusCode).toBe(200);
    expect(await published()).not.toBe(v2);
    const rebuild = await inject({ method: 'POST', url: '/api/rings/rebuild', headers: { ...SAME_ORIGIN_JSON, 'content-type': 'application/json; charset=utf-8' } });
    expect(rebuild.statusCode).toBe(202);
    expect(await ringBuild()).not.toBe('never');
  });

  it('guards DELETE and PUT too', async () => {
    for (const method of ['DELETE', 'PUT'] as const) {
      const url = method === 'DELETE' ? '/api/rulesets/shadow' : '/api/holdout';
      const refused = await inject({ method, url, headers: { host: HOST, origin: 'https://evil.example', 'content-type': 'text/plain' }, payload: '{"percent":20}' });
      expect(refused.statusCode, method).toBe(403);
    }
    expect(JSON.parse((await inject({ url: '/api/holdout', headers: { host: HOST } })).payload).percent).toBe(0);
  });

  it('leaves POST /webhooks as it is: HMAC-signed, no Origin needed', async () => {
    const body = JSON.stringify({ id: 1 });
    const response = await demo.webhook('app/uninstalled-not-a-topic', body, { shop: DEMO_SHOP, secret: 'refundsentry-demo-secret' });
    expect(response.statusCode).toBe(200);
  });
});

describe('outside demo mode the session token guards the API (issue 19)', () => {
  it('answers on the app’s public Host (embedded), and needs no Origin or Content-Type with a token', async () => {
    const shop = 'guard-embedded.myshopify.com';
    await embedded.installShop(shop);
    const token = await embedded.sessionToken(shop);
    const read = await embedded.server.inject({ url: '/api/decisions', headers: { host: 'refundsentry.test', authorization: `Bearer ${token}` } });
    expect(read.statusCode).toBe(200);
    // No Origin, no Content-Type (a script's call with the token): demo mode would refuse it, this answers.
    const rebuild = await embedded.server.inject({ method: 'POST', url: '/api/rings/rebuild', headers: { host: 'refundsentry.test', authorization: `Bearer ${await embedded.sessionToken(shop)}` } });
    expect(rebuild.statusCode).toBe(202);
    // Without a token it is still refused, whatever the Host.
    expect((await embedded.server.inject({ url: '/api/decisions', headers: { host: 'localhost:3000' } })).statusCode).toBe(401);
  });
});

import type { ServerInjectOptions } from '@hapi/hapi';
import fc from 'fast-check';
import { afterAll, beforeAll, expect } from 'vitest';
import { ConfigError, loadConfig } from '../server/config.ts';
import { DEFAULT_RULESET, startTestApp, type TestApp } from '../server/testing/testApp.ts';
import { hostileCase } from './hostileCase.ts';

/**
 * Demo mode (no Shopify credentials): the admin API answers without a session token, as the demo
 * shop. Only this machine's own admin may use it (issue 19): loopback Host names only (DNS
 * rebinding), state changes only as JSON from the page's own origin (CSRF), loopback HOST only.
 */

// Empty values count as unset: the harness's Shopify credentials are dropped, so this is demo mode.
const DEMO_ENV = { SHOPIFY_API_KEY: '', SHOPIFY_API_SECRET: '', SHOPIFY_APP_URL: '' };
const DEMO_SHOP = 'demo.myshopify.com';
const HOST = '127.0.0.1:3000';
const ORIGIN = `http://${HOST}`;
const ADMIN = { host: HOST, origin: ORIGIN, 'content-type': 'application/json' };
const RUNS = Number(process.env.HOSTILE_RUNS ?? 150);

let app: TestApp;
let tables: string[];
/** Every state-changing route but the (HMAC-signed) webhooks, as the server has them. */
let stateChanging: { method: string; path: string }[];
/** Read routes that answer 200 with data in demo mode. */
const READS = ['/api/decisions', '/api/rulesets', '/api/rings', '/api/holdout', '/api/lists', '/api/goals', '/api/backfill', '/api/signals'];

beforeAll(async () => {
  app = await startTestApp({ env: DEMO_ENV });
  await app.stores.shops.install(DEMO_SHOP, null, null);
  await app.stores.rulesets.ensurePublished(DEMO_SHOP, DEFAULT_RULESET);
  // Something to roll back to: version 2 published.
  const draft = await inject({ method: 'POST', url: '/api/rulesets', headers: ADMIN, payload: { body: DEFAULT_RULESET, baseVersion: 1 } });
  expect(draft.statusCode).toBe(201);
  expect((await inject({ method: 'POST', url: '/api/rulesets/2/publish', headers: ADMIN })).statusCode).toBe(200);
  tables = ((await app.db.knex.raw(`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`)).rows as { table_name: string }[]).map((r) => r.table_name);
  stateChanging = app.server
    .table()
    .filter((r) => ['post', 'put', 'patch', 'delete'].includes(r.method) && !(r.method === 'post' && r.path === '/webhooks'))
    .map((r) => ({ method: r.method.toUpperCase(), path: r.path }));
  expect(stateChanging.length).toBeGreaterThan(20);
  // Nothing runs by itself meanwhile: two fingerprints in a row agree.
  expect(await fingerprint()).toBe(await fingerprint());
}, 60_000);
afterAll(async () => {
  await app?.stop();
});

function inject(options: ServerInjectOptions) {
  return app.server.inject(options);
}

/** Every row of every table of ours (and the queued jobs of ours): equal fingerprints, no state change. */
async function fingerprint(): Promise<string> {
  const parts = tables.map((t) => `select '${t}' as t, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from "${t}" x`);
  parts.push(`select 'jobs' as t, md5(coalesce(string_agg(name || ':' || data::text, '|' order by id), '')) as h from pgboss.job where name like 'refundsentry-%'`);
  const rows = (await app.db.knex.raw(parts.join(' union all '))).rows as { t: string; h: string }[];
  return rows.map((r) => `${r.t}=${r.h}`).join(',');
}

/** A concrete URL of a route: each path parameter filled in (the guard answers before any validation). */
function urlOf(path: string): string {
  return path.replace(/\{(\w+)\*?\}/g, (_, name: string) => (name === 'version' ? '1' : name === 'list' ? 'blocked' : name === 'kind' ? 'email' : '1'));
}

/** A body the route would accept if the guard let it through, so that a hole shows as a state change. */
function bodyOf(method: string, path: string): string {
  const bodies: Record<string, unknown> = {
    'PUT /api/holdout': { percent: 20 },
    'POST /api/lists': { list: 'blocked', kind: 'email', value: 'victim@example.com' },
    'POST /api/goals': { metric: 'chargebacks', reduceByPct: 10, startsOn: '2026-01-01', endsOn: '2026-12-31' },
    'POST /api/backfill/extend': { days: 365 },
    'POST /api/rulesets': { body: DEFAULT_RULESET, baseVersion: 2 },
  };
  const body = bodies[`${method} ${path}`];
  return body === undefined ? '' : JSON.stringify(body);
}

/** The rule under test, written independently of the server's: what a browser sends for these pages. */
const isLoopbackHost = (host: string) => /^(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/.test(host);
const isJson = (type: string | undefined) => type !== undefined && /^\s*application\/json\s*(;.*)?$/i.test(type);

const published = async () => (JSON.parse((await inject({ url: '/api/rulesets', headers: { host: HOST } })).payload).versions as { version: number; status: string }[]).find((v) => v.status === 'published')!.version;

// --- named cases: the holes issue 19 reported --------------------------------------------------

hostileCase('demo-mode', 'issue 19: Host evil.example gets no data from the token-less API', async () => {
  for (const url of READS) {
    const response = await inject({ url, headers: { host: 'evil.example' } });
    expect(response.statusCode, url).toBe(421);
    expect(Object.keys(JSON.parse(response.payload)).sort()).toEqual(['error', 'message', 'statusCode']);
  }
});

hostileCase('demo-mode', 'issue 19: a DNS-rebinding Host (a name of the attacker resolving to 127.0.0.1) gets no data', async (attempts) => {
  for (const host of ['127.0.0.1.evil.example:3000', 'localhost.evil:3000', 'rebind.attacker.test:3000', '7f000001.c0a80001.rbndr.us:3000', 'localtest.me:3000', '127.0.0.1.nip.io:3000']) {
    attempts.tried();
    const response = await inject({ url: '/api/decisions', headers: { host } });
    expect(response.statusCode, host).toBe(421);
    expect(response.payload).not.toContain('"decisions"');
  }
});

hostileCase('demo-mode', 'issue 19: a cross-site text/plain POST does not roll back the ruleset', async () => {
  const before = await fingerprint();
  const response = await inject({ method: 'POST', url: '/api/rulesets/1/rollback', headers: { host: HOST, origin: 'https://evil.example', 'content-type': 'text/plain' }, payload: 'x' });
  expect(response.statusCode).toBe(403);
  expect(JSON.parse(response.payload).message).toContain(`-H 'Origin: ${ORIGIN}' -H 'Content-Type: application/json'`);
  expect(await published()).toBe(2);
  expect(await fingerprint()).toBe(before);
});

hostileCase('demo-mode', 'issue 19: a cross-site text/plain POST does not rebuild rings', async () => {
  const before = await fingerprint();
  for (const headers of [{ host: HOST, origin: 'https://evil.example', 'content-type': 'text/plain' }, { host: HOST, 'content-type': 'text/plain' }, { host: HOST, origin: ORIGIN, 'content-type': 'text/plain' }]) {
    const response = await inject({ method: 'POST', url: '/api/rings/rebuild', headers, payload: '{}' });
    expect([403, 415]).toContain(response.statusCode);
  }
  expect(await fingerprint()).toBe(before);
});

hostileCase('demo-mode', 'issue 19: HOST=0.0.0.0 (or any non-loopback interface) is refused at start in demo mode', (attempts) => {
  for (const host of ['0.0.0.0', '::', '192.168.0.10', '10.0.0.1', 'example.com', '127.0.0.1.evil.example', 'localhost.']) {
    attempts.tried();
    expect(() => loadConfig({ HOST: host }), host).toThrow(ConfigError);
    expect(() => loadConfig({ HOST: host }), host).toThrow(/demo mode .* loopback only/);
  }
});

// --- generated cases ---------------------------------------------------------------------------

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
const port = fc.integer({ min: 0, max: 65535 }).map((p) => `:${p}`);
const loopbackName = fc.constantFrom('localhost', '127.0.0.1', '[::1]');
/** Host headers that are not a loopback name as a browser writes it: each must be refused. */
const hostileHost = fc
  .tuple(
    fc.oneof(
      fc.domain(),
      // Rebinding names: the attacker's own name, prefixed or suffixed with a loopback name.
      fc.tuple(loopbackName, fc.domain()).map(([l, d]) => `${l}.${d}`),
      fc.tuple(label, loopbackName).map(([l, n]) => `${l}.${n}`),
      fc.tuple(loopbackName, fc.constantFrom('.', '.evil', '.localdomain', '.nip.io', '..', '%00', '\\@evil.example', '@evil.example', '#', ' ', '\t')).map(([l, s]) => `${l}${s}`),
      // Other spellings of loopback, which a browser never sends for these pages.
      fc.constantFrom('LOCALHOST', 'LocalHost', '127.1', '127.0.0.2', '127.000.000.001', '2130706433', '0x7f000001', '0177.0.0.1', '0.0.0.0', '[::]', '[0:0:0:0:0:0:0:1]', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '::1', '[::1%25lo]', '[::1]]', '[::1', 'localhost,evil.example', ''),
      fc.ipV4().filter((ip) => ip !== '127.0.0.1'),
      fc.ipV6().map((ip) => `[${ip}]`),
    ),
    fc.oneof(fc.constant(''), port, fc.constantFrom(':', ':abc', ':-1', ':999999', ':3000:3000', ': 3000')),
    fc.boolean(),
  )
  .map(([name, suffix, upper]) => (upper ? `${name}${suffix}`.toUpperCase() : `${name}${suffix}`))
  .filter((host) => !isLoopbackHost(host));

hostileCase('demo-mode', 'generated Host headers (other names, rebinding names, ports, IPv6, upper case, trailing dots) never get data or change state', async (attempts) => {
  const before = await fingerprint();
  await fc.assert(
    fc.asyncProperty(hostileHost, fc.constantFrom(...READS, ...stateChanging.map((r) => `${r.method} ${r.path}`)), async (host, route) => {
      attempts.tried();
      const [method, path] = route.includes(' ') ? route.split(' ') : ['GET', route];
      // The attacker's best: JSON, and the Origin of the page that rebinds its name.
      const headers = method === 'GET' ? { host } : { host, origin: `http://${host}`, 'content-type': 'application/json' };
      const response = await inject({ method, url: urlOf(path), headers, ...(method === 'GET' ? {} : { payload: bodyOf(method, path) }) });
      expect(response.statusCode, `${method} ${path} Host ${JSON.stringify(host)}`).toBe(421);
      expect(Object.keys(JSON.parse(response.payload)).sort()).toEqual(['error', 'message', 'statusCode']);
    }),
    { numRuns: RUNS * 2 },
  );
  expect(await fingerprint()).toBe(before);
});

hostileCase('demo-mode', 'generated loopback Host headers (the three names, any port) are answered', async (attempts) => {
  await fc.assert(
    fc.asyncProperty(loopbackName, fc.option(port, { nil: undefined }), fc.constantFrom(...READS), async (name, suffix, url) => {
      attempts.tried();
      const response = await inject({ url, headers: { host: `${name}${suffix ?? ''}` } });
      expect(response.statusCode, `${url} Host ${name}${suffix ?? ''}`).toBe(200);
    }),
    { numRuns: Math.ceil(RUNS / 3) },
  );
});

const contentType = fc.option(
  fc.oneof(
    fc.constantFrom('text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json-patch+json', 'application/jsonx', 'application/json5', 'text/json', 'application/javascript', 'application/json, text/plain', 'text/plain; application/json', 'application /json', 'json', '*/*', ''),
    fc.string({ maxLength: 30 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
    // JSON itself (then only a wrong Origin can refuse it).
    fc.constantFrom('application/json', 'application/json; charset=utf-8', 'Application/JSON'),
  ),
  { nil: undefined },
);
const origin = fc.option(
  fc.oneof(
    fc.constantFrom('null', 'https://evil.example', 'http://evil.example', `https://${HOST}`, 'http://127.0.0.1:3001', 'http://localhost:3000', 'http://[::1]:3000', `${ORIGIN}/`, `HTTP://${HOST}`, `${ORIGIN}.evil.example`, `http://${HOST}@evil.example`, `${ORIGIN} `, 'http://127.0.0.1', ''),
    fc.webUrl().map((u) => new URL(u).origin),
    fc.string({ maxLength: 30 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
    fc.constant(ORIGIN),
  ),
  { nil: undefined },
);

hostileCase('demo-mode', 'generated Content-Types and Origins on every state-changing route never change state unless JSON and same-origin', async (attempts) => {
  const before = await fingerprint();
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...stateChanging), contentType, origin, async (route, type, from) => {
      fc.pre(!(isJson(type) && from === ORIGIN));
      attempts.tried();
      const headers: Record<string, string> = { host: HOST };
      if (type !== undefined) headers['content-type'] = type;
      if (from !== undefined) headers.origin = from;
      const response = await inject({ method: route.method, url: urlOf(route.path), headers, payload: bodyOf(route.method, route.path) });
      const what = `${route.method} ${route.path} Content-Type ${JSON.stringify(type)} Origin ${JSON.stringify(from)}`;
      expect(response.statusCode, what).toBe(from === ORIGIN ? 415 : 403);
      expect(JSON.parse(response.payload).message, what).toContain(`-H 'Origin: ${ORIGIN}' -H 'Content-Type: application/json'`);
    }),
    { numRuns: RUNS * 2 },
  );
  expect(await fingerprint()).toBe(before);
});

// Last: it changes state.
hostileCase('demo-mode', "the admin's own calls (JSON from its origin, with a body or none) still change state; signed webhooks need no Origin", async () => {
  expect((await inject({ method: 'POST', url: '/api/rulesets/1/rollback', headers: ADMIN })).statusCode).toBe(200);
  expect(await published()).not.toBe(2);
  expect((await inject({ method: 'POST', url: '/api/rings/rebuild', headers: ADMIN })).statusCode).toBe(202);
  const holdout = await inject({ method: 'PUT', url: '/api/holdout', headers: { ...ADMIN, 'content-type': 'application/json; charset=utf-8' }, payload: { percent: 20 } });
  expect(holdout.statusCode).toBe(200);
  expect((await inject({ method: 'DELETE', url: '/api/rulesets/shadow', headers: ADMIN })).statusCode).toBe(200);
  // No Origin, no JSON content type needed: the HMAC is the guard (an unknown topic is acknowledged).
  const webhook = await app.webhook('unknown/topic', JSON.stringify({ id: 1 }), { shop: DEMO_SHOP, secret: 'refundsentry-demo-secret' });
  expect(webhook.statusCode).toBe(200);
});

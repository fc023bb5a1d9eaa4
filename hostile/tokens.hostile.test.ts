import type { ServerInjectResponse } from '@hapi/hapi';
import fc from 'fast-check';
import { afterAll, beforeAll, expect } from 'vitest';
import { nowSeconds, sessionClaims, signSessionToken } from '../server/testing/sessionTokens.ts';
import { startShopifyDouble, type ShopifyDouble } from '../server/testing/shopifyDouble.ts';
import { startTestApp, TEST_API_KEY, TEST_API_SECRET, type TestApp } from '../server/testing/testApp.ts';
import { hostileCase } from './hostileCase.ts';

/**
 * Session tokens (issue 19): iss and dest must name the same shop; a refused token is never
 * echoed (response or server event); mangled, forged or garbage tokens never authenticate.
 */

const SHOP_A = 'shop-a.myshopify.com';
const SHOP_B = 'shop-b.myshopify.com';
/** Each shop's holdout share: what GET /api/holdout answers tells whose data came back. */
const PERCENT: Record<string, number> = { [SHOP_A]: 5, [SHOP_B]: 15 };
const RUNS = Number(process.env.HOSTILE_RUNS ?? 150);
const now = nowSeconds;

let app: TestApp;
let double: ShopifyDouble;
/** Everything the server said about the requests (hapi's request and server events): no token may be in it. */
const events: string[] = [];

beforeAll(async () => {
  // The double stands in for Shopify should a token ever reach the token exchange.
  double = await startShopifyDouble();
  app = await startTestApp({ adminOrigin: double.origin });
  for (const shop of [SHOP_A, SHOP_B]) {
    await app.installShop(shop);
    await app.stores.shops.updateSettings(shop, { holdoutPercent: PERCENT[shop] });
  }
  const record = (event: { tags?: string[]; data?: unknown; error?: unknown }) => {
    const error = event.error as { message?: string; output?: unknown } | undefined;
    events.push(JSON.stringify({ tags: event.tags, data: event.data, error: error ? { message: error.message, output: error.output } : undefined }));
  };
  app.server.events.on({ name: 'request', channels: ['internal', 'error', 'app'] }, (_request, event) => record(event));
  app.server.events.on('log', (event) => record(event));
}, 60_000);
afterAll(async () => {
  await app?.stop();
  await double?.close();
});

const sign = (claims: Record<string, unknown>, { secret = TEST_API_SECRET, header }: { secret?: string; header?: Record<string, unknown> } = {}) => signSessionToken(claims, secret, header);
const claimsOf = (shop: string, overrides: Record<string, unknown> = {}) => sessionClaims(shop, TEST_API_KEY, overrides);

async function call(token: string): Promise<ServerInjectResponse> {
  events.length = 0;
  return app.server.inject({ url: '/api/holdout', headers: { authorization: `Bearer ${token}` } });
}

/** Whose data came back (by the shop's holdout share), or undefined. */
const servedShop = (response: ServerInjectResponse) => (response.statusCode === 200 ? Object.keys(PERCENT).find((s) => PERCENT[s] === JSON.parse(response.payload).percent) : undefined);

/** A refused token: 401, and no part of it in the body, the headers or the server's events. */
function expectRefusedWithoutEcho(token: string, response: ServerInjectResponse, what = token) {
  expect(response.statusCode, what).toBe(401);
  // Boom's 401 with a scheme: statusCode, error, message and the WWW-Authenticate attributes; nothing of a shop.
  expect(['attributes', 'error', 'message', 'statusCode'], what).toEqual(expect.arrayContaining(Object.keys(JSON.parse(response.payload))));
  expectNoEcho(token, response, what);
}

function expectNoEcho(token: string, response: ServerInjectResponse, what = token) {
  const said = [response.payload, JSON.stringify(response.headers), ...events].join('\n');
  const trimmed = token.trim();
  if (trimmed.length >= 8) expect(said.includes(trimmed), `${what}: the token is echoed`).toBe(false);
  for (const part of trimmed.split('.').filter((p) => p.length >= 12)) expect(said.includes(part), `${what}: a part of the token is echoed`).toBe(false);
}

// --- named cases: the holes issue 19 reported --------------------------------------------------

hostileCase('session-tokens', "issue 19: a token with shop B's iss and shop A's dest is refused", async () => {
  for (const [iss, dest] of [[SHOP_B, SHOP_A], [SHOP_A, SHOP_B]]) {
    const token = sign(claimsOf(dest, { iss: `https://${iss}/admin` }));
    const response = await call(token);
    expectRefusedWithoutEcho(token, response);
    expect(JSON.parse(response.payload).message).toBe('Invalid session token: its iss and dest name different shops');
  }
  // The same claims with one shop pass: the check is the mismatch.
  expect(servedShop(await call(sign(claimsOf(SHOP_A))))).toBe(SHOP_A);
});

hostileCase('session-tokens', "issue 19: a bad token's 401 does not echo it, and says what was wrong in general terms", async (attempts) => {
  const cases: [string, RegExp][] = [
    [sign(claimsOf(SHOP_A, { exp: now() - 120 })), /expired/],
    [sign(claimsOf(SHOP_A, { nbf: now() + 600 })), /not valid yet/],
    [sign(claimsOf(SHOP_A), { secret: 'not-the-app-secret-0123456789' }), /signature/],
    [sign(claimsOf(SHOP_A, { aud: 'another-app-key' })), /wrong audience/],
    [sign(claimsOf(SHOP_A, { exp: undefined })), /no expiry/],
    [sign(claimsOf(SHOP_A), { header: { alg: 'none' } }), /malformed/],
    [sign(claimsOf(SHOP_A, { iss: 'https://evil.example/admin', dest: 'https://evil.example' })), /iss and dest/],
    ['garbage-garbage-garbage-garbage', /malformed/],
    [`${sign(claimsOf(SHOP_A)).split('.').slice(0, 2).join('.')}.`, /malformed|signature/],
  ];
  for (const [token, reason] of cases) {
    attempts.tried();
    const response = await call(token);
    expectRefusedWithoutEcho(token, response);
    expect(JSON.parse(response.payload).message, token).toMatch(reason);
  }
});

// --- generated cases ---------------------------------------------------------------------------

const printable = (s: string) => /^[\x21-\x7e]*$/.test(s);
/** A valid token for shop A, mangled: a character replaced, removed or added, cut short, segments swapped or dropped. */
const mangledToken = fc
  .tuple(
    fc.constantFrom('replace', 'delete', 'insert', 'truncate', 'swap', 'drop', 'case', 'resign-payload'),
    fc.nat(),
    fc.constantFrom(...'AZaz09-_.+/=* %'.split('')),
    fc.constantFrom(SHOP_A, SHOP_B),
  )
  .map(([how, at, ch, shop]) => {
    const token = sign(claimsOf(shop));
    const i = at % token.length;
    const [h, p, s] = token.split('.');
    switch (how) {
      case 'replace':
        return { original: token, token: token.slice(0, i) + ch + token.slice(i + 1) };
      case 'delete':
        return { original: token, token: token.slice(0, i) + token.slice(i + 1) };
      case 'insert':
        return { original: token, token: token.slice(0, i) + ch + token.slice(i) };
      case 'truncate':
        return { original: token, token: token.slice(0, i) };
      case 'swap':
        return { original: token, token: [p, h, s].join('.') };
      case 'drop':
        return { original: token, token: [h, p, s].filter((_, k) => k !== at % 3).join('.') };
      case 'case':
        return { original: token, token: token.slice(0, i) + token.slice(i).toUpperCase() };
      default: {
        // The other shop's claims under this token's header and signature.
        const other = Buffer.from(JSON.stringify(claimsOf(shop === SHOP_A ? SHOP_B : SHOP_A))).toString('base64url');
        return { original: token, token: [h, other, s].join('.') };
      }
    }
  });

/** The same token after decoding (base64url ignores what is not in its alphabet, and the unused bits of the last character). */
function sameToken(a: string, b: string): boolean {
  const x = a.trim().split('.');
  const y = b.trim().split('.');
  return x.length === y.length && x.every((part, k) => Buffer.from(part, 'base64url').equals(Buffer.from(y[k]!, 'base64url')));
}

hostileCase('session-tokens', 'generated mangled tokens never authenticate and are never echoed', async (attempts) => {
  await fc.assert(
    fc.asyncProperty(mangledToken, async ({ original, token }) => {
      attempts.tried();
      const response = await call(token);
      if (sameToken(original, token)) {
        // The same bytes (e.g. a character base64url ignores): it is the same token.
        if (response.statusCode !== 200) expectNoEcho(token, response);
        return;
      }
      expectRefusedWithoutEcho(token, response, `${token} (from ${original})`);
    }),
    { numRuns: RUNS * 2 },
  );
});

const installedShop = fc.constantFrom(SHOP_A, SHOP_B, 'SHOP-A.MYSHOPIFY.COM', 'Shop-B.MyShopify.com');
const foreignHost = fc.oneof(
  fc.constantFrom('evil.example', `${SHOP_A}.evil.example`, `${SHOP_A}.`, 'myshopify.com', '.myshopify.com', 'shop_a.myshopify.com', `${SHOP_A}%2f`, 'localhost', '127.0.0.1', `[::1]`),
  fc.domain(),
);
/** An iss or dest built from parts: a scheme, user info, a host, a port, a path; or not a string at all. */
const claimUrl = (paths: string[]) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom('https://', 'https://', 'https://', 'http://', 'HTTPS://', '//', '', 'ftp://'), fc.constantFrom('', '', '', 'user@', `${SHOP_B}@`), fc.oneof({ weight: 3, arbitrary: installedShop }, foreignHost), fc.constantFrom('', '', '', ':443', ':8443'), fc.constantFrom(...paths), fc.constantFrom('', '', '', '?x=1', '#f')).map((parts) => parts.join('')) },
    { weight: 1, arbitrary: fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer(), fc.constant([`https://${SHOP_A}`]), fc.string({ maxLength: 20 })) },
  );
const K = TEST_API_KEY;
const claimSet = fc.record({
  shops: fc.oneof(
    // Shopify's own form, for the same shop or two different ones.
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(SHOP_A, SHOP_B), fc.constantFrom(SHOP_A, SHOP_B)).map(([iss, dest]) => ({ iss: `https://${iss}/admin` as unknown, dest: `https://${dest}` as unknown })) },
    { weight: 3, arbitrary: fc.record({ iss: claimUrl(['/admin', '/admin', '/admin', '', '/', '/admin/', '/other']), dest: claimUrl(['', '', '', '/', '/admin']) }) },
  ),
  aud: fc.constantFrom<unknown>(K, K, K, K, K, 'another-app', [K], undefined),
  exp: fc.constantFrom<number | undefined>(60, 60, 60, 60, 60, -120, -3600, undefined),
  nbf: fc.constantFrom<number | undefined>(-5, -5, -5, 600, undefined),
  secret: fc.constantFrom(TEST_API_SECRET, TEST_API_SECRET, TEST_API_SECRET, TEST_API_SECRET, 'another-secret-0123456789'),
  alg: fc.constantFrom('HS256', 'HS256', 'HS256', 'HS256', 'HS256', 'none', 'HS512', 'RS256'),
});

/** The host of an https URL without user info or port, or undefined. */
function hostOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || !URL.canParse(value)) return undefined;
  const url = new URL(value);
  return url.protocol === 'https:' && !url.username && !url.port ? url.hostname : undefined;
}

hostileCase('session-tokens', 'generated claims (iss, dest, aud, exp, nbf, secret, alg) authenticate only as one shop named by both iss and dest, and are never echoed', async (attempts) => {
  let accepted = 0;
  await fc.assert(
    fc.asyncProperty(claimSet, async ({ shops, ...rest }) => {
      const c = { ...shops, ...rest };
      attempts.tried();
      const claims = claimsOf(SHOP_A, { iss: c.iss, dest: c.dest, aud: c.aud, exp: c.exp === undefined ? undefined : now() + c.exp, nbf: c.nbf === undefined ? undefined : now() + c.nbf });
      const token = sign(claims, { secret: c.secret, header: { alg: c.alg, typ: 'JWT' } });
      const response = await call(token);
      const what = JSON.stringify(c);
      // Exactly Shopify's form, for an installed shop, signed right: it must work.
      const canonical = [SHOP_A, SHOP_B].find((s) => c.iss === `https://${s}/admin` && c.dest === `https://${s}`);
      const signedRight = c.secret === TEST_API_SECRET && c.alg === 'HS256' && c.aud === TEST_API_KEY && c.exp === 60 && c.nbf !== 600;
      if (canonical && signedRight) {
        expect(servedShop(response), what).toBe(canonical);
        accepted++;
        return;
      }
      if (response.statusCode === 200) {
        // Accepted in another spelling (upper case, :443): still signed right, one shop in both claims, and that shop's data.
        expect(signedRight, what).toBe(true);
        const shop = hostOf(c.dest);
        expect(shop, what).toBeDefined();
        expect(hostOf(c.iss), what).toBe(shop);
        expect(servedShop(response), what).toBe(shop);
        return;
      }
      expectRefusedWithoutEcho(token, response, what);
    }),
    { numRuns: RUNS * 2 },
  );
  // The generator reaches the valid tokens too (else the property above proves little).
  expect(accepted).toBeGreaterThan(0);
});

const garbage = fc.oneof(
  fc.string({ minLength: 1, maxLength: 200 }).filter(printable),
  fc.base64String({ minLength: 8, maxLength: 200 }),
  fc.array(fc.base64String({ minLength: 0, maxLength: 60 }).map((s) => s.replace(/=/g, '')), { minLength: 1, maxLength: 5 }).map((parts) => parts.join('.')),
  fc.jsonValue().map((v) => `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url')}.c2lnbmF0dXJlLXNpZ25hdHVyZQ`),
);

hostileCase('session-tokens', 'generated garbage tokens never authenticate and are never echoed', async (attempts) => {
  await fc.assert(
    fc.asyncProperty(garbage, async (token) => {
      fc.pre(token.trim().length > 0 && printable(token));
      attempts.tried();
      expectRefusedWithoutEcho(token, await call(token));
    }),
    { numRuns: RUNS * 2 },
  );
});

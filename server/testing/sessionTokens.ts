import { createHmac } from 'node:crypto';

/** Seconds since the epoch, as JWT claims count time. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** An HS256 JWT signed as Shopify signs session tokens (or with another secret or header, to be refused). */
export function signSessionToken(claims: Record<string, unknown>, secret: string, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part(header)}.${part(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** The claims of a valid session token of `shop` for the app `apiKey`; `overrides` replace any of them. */
export function sessionClaims(shop: string, apiKey: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = nowSeconds();
  return { iss: `https://${shop}/admin`, dest: `https://${shop}`, aud: apiKey, sub: '7', exp: now + 60, nbf: now - 5, iat: now - 5, jti: 'jti', sid: 'sid', ...overrides };
}

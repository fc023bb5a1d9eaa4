import Boom from '@hapi/boom';
import type { Plugin, Request, ResponseToolkit } from '@hapi/hapi';
import type { Shopify } from '@shopify/shopify-api';

export interface SessionAuthOptions {
  shopify: Shopify;
  /** Demo mode: requests without a token act as the demo shop (localhost only). */
  demoShop?: string;
}

export interface ShopCredentials {
  shop: string;
  user: string;
  sessionToken?: string;
}

/**
 * A hapi auth scheme: every admin API call carries a Shopify session token (JWT, HS256, signed
 * with the app secret, one-minute lifetime) as `Authorization: Bearer`. The shop comes from the
 * token's `dest` claim, never from a query parameter; `iss` must name the same shop (issue 19).
 * A refused token gets a 401 saying what was wrong in general terms, never the token itself.
 */
export const sessionAuth: Plugin<SessionAuthOptions> = {
  name: 'refundsentry-session-auth',
  register(server, options) {
    server.auth.scheme('shopify-session', () => ({
      async authenticate(request: Request, h: ResponseToolkit) {
        const header = request.headers.authorization;
        if (!header) {
          if (options.demoShop) return h.authenticated({ credentials: { shop: options.demoShop, user: 'demo' } as never });
          throw Boom.unauthorized('Missing session token: send the Shopify session token as Authorization: Bearer <token>', 'Bearer');
        }
        const match = /^Bearer\s+(.+)$/i.exec(String(header));
        if (!match) throw Boom.unauthorized('Authorization must be "Bearer <session token>"', 'Bearer');
        const token = match[1].trim();
        let payload: Record<string, unknown>;
        try {
          payload = (await options.shopify.session.decodeSessionToken(token)) as unknown as Record<string, unknown>;
        } catch (error) {
          // shopify-api's message quotes the whole token: never pass it on (response or log).
          throw Boom.unauthorized(`Invalid session token: ${rejection((error as Error).message ?? '')}`, 'Bearer');
        }
        // Shopify's tokens live one minute; one without an expiry would be good forever.
        if (typeof payload.exp !== 'number') throw Boom.unauthorized('Invalid session token: it has no expiry (exp)', 'Bearer');
        const shop = shopOfClaims(payload.iss, payload.dest);
        if (shop === 'mismatch') throw Boom.unauthorized('Invalid session token: its iss and dest name different shops', 'Bearer');
        if (shop === 'malformed') throw Boom.unauthorized('Invalid session token: its iss and dest must be https://<shop>.myshopify.com/admin and https://<shop>.myshopify.com', 'Bearer');
        const credentials: ShopCredentials = { shop, user: String(payload.sub ?? 'unknown'), sessionToken: token };
        return h.authenticated({ credentials: credentials as never });
      },
    }));
    server.auth.strategy('session', 'shopify-session');
  },
};

export function shopOf(request: Request): ShopCredentials {
  return request.auth.credentials as unknown as ShopCredentials;
}

/** A shop's domain: `<name>.myshopify.com`. */
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/**
 * The shop of a verified token: `iss` is `https://<shop>/admin`, `dest` `https://<shop>`, the same
 * shop of myshopify.com (a token whose iss is shop B's and dest shop A's is refused).
 */
function shopOfClaims(iss: unknown, dest: unknown): string | 'mismatch' | 'malformed' {
  const issuer = shopUrl(iss);
  const destination = shopUrl(dest);
  if (!issuer || !destination || issuer.pathname !== '/admin' || destination.pathname !== '/') return 'malformed';
  return issuer.hostname === destination.hostname ? destination.hostname : 'mismatch';
}

function shopUrl(value: unknown): URL | undefined {
  if (typeof value !== 'string' || !URL.canParse(value)) return undefined;
  const url = new URL(value);
  const plain = url.protocol === 'https:' && url.port === '' && url.username === '' && url.password === '' && url.search === '' && url.hash === '';
  return plain && SHOP_DOMAIN.test(url.hostname) ? url : undefined;
}

/**
 * Why shopify-api refused a token, in general terms. Its message quotes the token ("Failed to parse
 * session token '<token>': <jose's reason>"): only the reason after it is looked at, and only
 * fixed words are returned.
 */
function rejection(message: string): string {
  const reason = message.slice(message.lastIndexOf("': ") + 1);
  if (/invalid API key/i.test(message) && !message.startsWith('Failed to parse')) return 'it is for another app (wrong audience)';
  if (/"exp" claim timestamp check failed/.test(reason)) return 'it has expired (session tokens live one minute: get a new one from App Bridge)';
  if (/"(nbf|iat)" claim timestamp check failed/.test(reason)) return 'it is not valid yet (check the clock)';
  if (/signature verification failed/.test(reason)) return 'its signature does not match (signed with another secret, or altered)';
  return 'it is malformed (expected an HS256 JWT)';
}

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
 * token's `dest` claim, never from a query parameter.
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
        try {
          const payload = await options.shopify.session.decodeSessionToken(match[1]);
          const dest = Array.isArray(payload.dest) ? payload.dest[0] : payload.dest;
          const shop = new URL(dest).hostname;
          const credentials: ShopCredentials = { shop, user: String(payload.sub ?? 'unknown'), sessionToken: match[1] };
          return h.authenticated({ credentials: credentials as never });
        } catch (error) {
          throw Boom.unauthorized(`Invalid session token: ${(error as Error).message}`, 'Bearer');
        }
      },
    }));
    server.auth.strategy('session', 'shopify-session');
  },
};

export function shopOf(request: Request): ShopCredentials {
  return request.auth.credentials as unknown as ShopCredentials;
}

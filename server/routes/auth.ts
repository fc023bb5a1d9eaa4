import Boom from '@hapi/boom';
import type { Plugin } from '@hapi/hapi';
import type { Shopify } from '@shopify/shopify-api';
import type { ShopInstaller } from '../auth/ShopInstaller.ts';

export interface AuthRoutesOptions {
  shopify: Shopify;
  installer: ShopInstaller;
}

/**
 * The OAuth install flow for non-embedded installs: `/auth?shop=` redirects to Shopify's consent
 * screen; `/auth/callback` verifies the answer (HMAC, state, nonce: all shopify-api) and stores
 * the offline token. Embedded installs use token exchange instead (see ShopInstaller).
 */
export const authRoutes: Plugin<AuthRoutesOptions> = {
  name: 'refundsentry-auth',
  register(server, { shopify, installer }) {
    server.route({
      method: 'GET',
      path: '/auth',
      options: { auth: false },
      handler: async (request, h) => {
        const shop = shopify.utils.sanitizeShop(String(request.query.shop ?? ''));
        if (!shop) throw Boom.badRequest('shop must be a valid myshopify.com domain');
        await shopify.auth.begin({ shop, callbackPath: '/auth/callback', isOnline: false, rawRequest: request.raw.req, rawResponse: request.raw.res });
        return h.abandon;
      },
    });
    server.route({
      method: 'GET',
      path: '/auth/callback',
      options: { auth: false },
      handler: async (request, h) => {
        try {
          const { session } = await shopify.auth.callback({ rawRequest: request.raw.req, rawResponse: request.raw.res });
          await installer.install(session.shop, session.accessToken ?? null, session.scope ?? null, 'oauth');
          const host = typeof request.query.host === 'string' ? request.query.host : '';
          return h.redirect(`/?shop=${encodeURIComponent(session.shop)}${host ? `&host=${encodeURIComponent(host)}` : ''}`);
        } catch (error) {
          throw Boom.unauthorized(`Shopify install could not be completed: ${(error as Error).message}`);
        }
      },
    });
  },
};

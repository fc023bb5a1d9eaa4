import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../auth/sessionAuth.ts';
import { orderRiskCard } from '../../services/OrderRiskCard.ts';
import { object, SHOPIFY_NUMBER } from '../fields.ts';
import { schema } from '../validate.ts';
import type { ApiDeps } from './context.ts';

/**
 * The order-details block in Shopify admin (extensions/order-risk-card) calls this from
 * Shopify's extension sandbox, a cross-origin request carrying the session token: CORS allows
 * that origin and the Authorization header.
 */
export const EXTENSION_ORIGINS = ['https://extensions.shopifycdn.com'];

export function orderRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/orders/{id}/risk',
      options: {
        cors: { origin: EXTENSION_ORIGINS, headers: ['Authorization', 'Content-Type'], credentials: false },
        validate: { params: schema(object({ id: SHOPIFY_NUMBER }, ['id']), 'params') },
      },
      handler: async (request) => {
        const card = await orderRiskCard(deps.stores, deps.calibrations, shopOf(request).shop, `gid://shopify/Order/${(request.params as { id: string }).id}`);
        if (!card) throw Boom.notFound('No such order in this shop (not received yet, or outside the backfilled history)');
        return card;
      },
    },
  ];
}

import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../auth/sessionAuth.ts';
import { renderEvidenceReport } from '../../services/evidenceReport.ts';
import { orderRiskCard } from '../../services/OrderRiskCard.ts';
import { object, SHOPIFY_NUMBER } from '../fields.ts';
import { schema } from '../validate.ts';
import type { ApiDeps } from './context.ts';
import type { OrderRiskCard, Sendable } from '../../../contract/index.ts';

/**
 * The order-details block in Shopify admin (extensions/order-risk-card) calls this from
 * Shopify's extension sandbox, a cross-origin request carrying the session token: CORS allows
 * that origin and the Authorization header.
 */
export const EXTENSION_ORIGINS = ['https://extensions.shopifycdn.com'];

const orderParams = schema(object({ id: SHOPIFY_NUMBER }, ['id']), 'params');
const orderGid = (id: string) => `gid://shopify/Order/${id}`;

/**
 * One order, by the number of its GID: its risk card (`/risk`, for the order-details block) and
 * its dispute evidence (`/evidence` as JSON, `/evidence.html` printable).
 */
export function orderRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/orders/{id}/risk',
      options: {
        cors: { origin: EXTENSION_ORIGINS, headers: ['Authorization', 'Content-Type'], credentials: false },
        validate: { params: orderParams },
      },
      handler: async (request) => {
        const card = await orderRiskCard(deps.stores, deps.calibrations, shopOf(request).shop, orderGid((request.params as { id: string }).id));
        if (!card) throw Boom.notFound('No such order in this shop (not received yet, or outside the backfilled history)');
        return card satisfies Sendable<OrderRiskCard>;
      },
    },
    {
      method: 'GET',
      path: '/api/orders/{id}/evidence',
      options: { validate: { params: orderParams } },
      handler: async (request) => {
        const evidence = await deps.chargebacks.evidence(shopOf(request).shop, orderGid((request.params as { id: string }).id));
        if (!evidence) throw Boom.notFound('No such order in this shop');
        return evidence;
      },
    },
    {
      method: 'GET',
      path: '/api/orders/{id}/evidence.html',
      options: { validate: { params: orderParams } },
      handler: async (request, h) => {
        const id = (request.params as { id: string }).id;
        const evidence = await deps.chargebacks.evidence(shopOf(request).shop, orderGid(id));
        if (!evidence) throw Boom.notFound('No such order in this shop');
        return h.response(renderEvidenceReport(evidence)).type('text/html; charset=utf-8').header('content-disposition', `inline; filename="order-${id}-evidence.html"`);
      },
    },
  ];
}

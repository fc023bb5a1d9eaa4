import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../auth/sessionAuth.ts';
import type { ApiDeps } from './context.ts';
import type { Insights, Sendable } from '../../../contract/index.ts';

/** `GET /api/insights`: the dashboard's figures over the shop's decisions (zone counts and the insights beside them). */
export function insightRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/insights',
      handler: async (request) => {
        const { shop } = shopOf(request);
        const [zones, insights, currency] = await Promise.all([deps.stores.decisions.countsByZone(shop), deps.stores.decisions.insights(shop), deps.stores.events.shopCurrency(shop)]);
        return { zones, ...insights, currency } satisfies Sendable<Insights>;
      },
    },
  ];
}

import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../auth/sessionAuth.ts';
import type { ApiDeps } from './context.ts';
import type { HoldList, Sendable } from '../../../contract/index.ts';

/** `GET /api/holds`: the shop's fulfilment holds in force (released with `POST /api/actions/{id}/release`). */
export function holdRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/holds',
      handler: async (request) => {
        const { shop } = shopOf(request);
        const holds = await deps.stores.actions.heldOrders(shop);
        const names = await deps.stores.events.orderNames(shop, holds.map((a) => a.order_id));
        return { holds: holds.map((a) => ({ actionId: a.id, decisionId: a.decision_id, orderName: names.get(a.order_id) ?? null, result: a.result, heldAt: a.updated_at })) } satisfies Sendable<HoldList>;
      },
    },
  ];
}

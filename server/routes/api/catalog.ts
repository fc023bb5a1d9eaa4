import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../auth/sessionAuth.ts';
import { object, ROW_ID } from '../fields.ts';
import { schema } from '../validate.ts';
import type { ApiDeps } from './context.ts';

/** The signal catalog (for the editor's completion), shop summary, held orders and releases. */
export function catalogRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/signals',
      handler: () => ({
        signals: deps.registry.list().map((s) => ({
          id: s.meta.id,
          version: s.meta.version,
          title: s.meta.title,
          description: s.meta.description,
          category: s.meta.category,
          appliesTo: s.meta.appliesTo,
          defaultWeight: s.meta.defaultWeight,
          params: s.meta.params,
          deprecated: s.meta.deprecated ?? false,
          ...(deps.plugins.pluginOf(s.meta.id) ? { plugin: deps.plugins.pluginOf(s.meta.id) } : {}),
        })),
      }),
    },
    {
      method: 'GET',
      path: '/api/plugins',
      handler: () => {
        const plugins = deps.plugins.reports();
        const failing = plugins.flatMap((p) => p.signals.filter((s) => s.failures > 0 || s.suspendedUntil).map((s) => s.id));
        return { plugins, problems: { notLoaded: plugins.filter((p) => p.status === 'failed').length, failingSignals: failing } };
      },
    },
    {
      method: 'GET',
      path: '/api/holds',
      handler: async (request) => {
        const { shop } = shopOf(request);
        const holds = await deps.stores.actions.heldOrders(shop);
        return { holds: holds.map((a) => ({ actionId: a.id, decisionId: a.decision_id, result: a.result, heldAt: a.updated_at })) };
      },
    },
    {
      method: 'POST',
      path: '/api/actions/{id}/release',
      options: { validate: { params: schema(object({ id: ROW_ID }, ['id']), 'params') } },
      handler: async (request) => {
        const { shop, user } = shopOf(request);
        const id = (request.params as { id: string }).id;
        const action = await deps.stores.actions.get(shop, id);
        if (!action) throw Boom.notFound('No such action in this shop');
        if (action.type !== 'fulfillment.hold') throw Boom.badRequest(`action ${id} is a ${action.type}, not a hold`);
        if (action.status === 'released') return { released: [], alreadyReleased: true };
        if (action.status !== 'done') throw Boom.conflict(`the hold is ${action.status}; only an applied hold can be released`);
        return deps.releaseHold(shop, id, user);
      },
    },
  ];
}

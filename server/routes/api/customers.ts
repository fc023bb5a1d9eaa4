import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../auth/sessionAuth.ts';
import { gid, object } from '../fields.ts';
import { schema } from '../validate.ts';
import type { ApiDeps } from './context.ts';
import { orderNamesOf, summarize } from './decisions.ts';
import type { CustomerProfile, Sendable } from '../../../contract/index.ts';

/** rising / declining when the latest scores differ from the earlier ones by 10+ points. */
export function trajectoryOf(scores: number[]): 'rising' | 'declining' | 'stable' | 'unknown' {
  if (scores.length < 3) return 'unknown';
  const recent = scores.slice(-2);
  const earlier = scores.slice(0, -2);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const delta = mean(recent) - mean(earlier);
  return delta >= 10 ? 'rising' : delta <= -10 ? 'declining' : 'stable';
}

export function customerRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/customers/{id}',
      // The GID comes URL-encoded (gid%3A%2F%2Fshopify%2FCustomer%2F123); hapi decodes it once.
      options: { validate: { params: schema(object({ id: gid('Customer') }, ['id']), 'params') } },
      handler: async (request) => {
        const { shop } = shopOf(request);
        const { id } = request.params as { id: string };
        const profile = await deps.stores.customers.get(shop, id);
        if (!profile) throw Boom.notFound('No such customer in this shop');
        const decisions = (await deps.stores.decisions.list(shop, { customerId: id, limit: 200 })).reverse();
        const scores = decisions.map((d) => Number(d.score));
        const names = await orderNamesOf(deps, shop, decisions);
        return {
          id,
          tags: profile.tags,
          manualOverride: profile.manual_override,
          currentZone: profile.current_zone,
          lastScore: profile.last_score === null ? null : Number(profile.last_score),
          decisionsCount: profile.decisions_count,
          averageScore: scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 100) / 100 : null,
          trajectory: trajectoryOf(scores),
          history: decisions.map((d) => summarize(d, names)),
        } satisfies Sendable<CustomerProfile>;
      },
    },
  ];
}

import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../auth/sessionAuth.ts';
import { INSTANT, limit, object } from '../fields.ts';
import { schema } from '../validate.ts';
import type { ApiDeps } from './context.ts';
import type { LabelCounts as LabelCountsAnswer, Sendable } from '../../../contract/index.ts';

/**
 * `GET /api/labels?asOf=&from=&to=&minLabels=`: the labels of the shop's decided subjects as
 * known at `asOf` (default now), per subject kind: settled fraud and legit (by source), fraud
 * known but still in its dispute window, nothing known yet (with when the next settles), disputed
 * for another reason, unobservable (paid where the app cannot see disputes); and whether each
 * kind has enough to be fitted.
 */
export function labelRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/labels',
      options: { validate: { query: schema(object({ asOf: INSTANT, from: INSTANT, to: INSTANT, minLabels: limit(10_000, 20, 5) }), 'query') } },
      handler: async (request) => {
        const { shop } = shopOf(request);
        const query = request.query as unknown as { asOf?: string; from?: string; to?: string; minLabels: number };
        if (query.from && query.to && !(Date.parse(query.from) < Date.parse(query.to))) throw Boom.badRequest('"from" must be before "to"');
        // Read and counted in the trial thread: every decided subject of the shop, off the main event loop.
        return (await deps.trials.labelCounts(shop, { minLabels: query.minLabels, ...(query.asOf ? { asOf: query.asOf } : {}), ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}) })) satisfies Sendable<LabelCountsAnswer>;
      },
    },
  ];
}

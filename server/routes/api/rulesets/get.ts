import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../../auth/sessionAuth.ts';
import type { ApiDeps } from '../context.ts';
import { rulesetView, versionOf, versionParams } from './helpers.ts';

/** `GET /api/rulesets/{version}`: one version with its body (and a fitted draft's report in `note`). */
export function getRulesetRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/rulesets/{version}',
      options: { validate: { params: versionParams } },
      handler: async (request) => {
        const row = await deps.stores.rulesets.get(shopOf(request).shop, versionOf(request));
        if (!row) throw Boom.notFound('No such ruleset version');
        return rulesetView(row, true);
      },
    },
  ];
}

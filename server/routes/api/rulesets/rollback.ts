import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../../auth/sessionAuth.ts';
import type { ApiDeps } from '../context.ts';
import { rulesetView, versionOf, versionParams } from './helpers.ts';

/** `POST /api/rulesets/{version}/rollback`: an older version's body published again, as a new version. */
export function rollbackRulesetRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'POST',
      path: '/api/rulesets/{version}/rollback',
      options: { validate: { params: versionParams } },
      handler: async (request) => {
        const { shop, user } = shopOf(request);
        return rulesetView(await deps.rulesets.rollback(shop, versionOf(request), user), false);
      },
    },
  ];
}

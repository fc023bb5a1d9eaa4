import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../../auth/sessionAuth.ts';
import type { ApiDeps } from '../context.ts';
import { rulesetView, versionOf, versionParams } from './helpers.ts';

/** `POST /api/rulesets/{version}/publish`: a draft becomes the published version (never edited again). */
export function publishRulesetRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'POST',
      path: '/api/rulesets/{version}/publish',
      options: { validate: { params: versionParams } },
      handler: async (request) => {
        const { shop, user } = shopOf(request);
        return rulesetView(await deps.rulesets.publish(shop, versionOf(request), user), false);
      },
    },
  ];
}

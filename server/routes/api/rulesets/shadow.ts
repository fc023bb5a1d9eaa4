import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../../auth/sessionAuth.ts';
import type { ApiDeps } from '../context.ts';
import { versionOf, versionParams } from './helpers.ts';
import type { Sendable, ShadowStarted } from '../../../../contract/index.ts';

/**
 * Shadow mode: `POST /api/rulesets/{version}/shadow` runs a draft beside the live version on new
 * events (409 for a version that is not a draft), `DELETE /api/rulesets/shadow` stops it; the
 * report is `GET /api/shadow` (shadow.ts beside this folder).
 */
export function shadowRulesetRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'POST',
      path: '/api/rulesets/{version}/shadow',
      options: { validate: { params: versionParams } },
      handler: async (request) => {
        const { shop, user } = shopOf(request);
        const row = await deps.rulesets.startShadow(shop, versionOf(request), user);
        return { shadowVersion: row.version, since: row.shadow_since } satisfies Sendable<ShadowStarted>;
      },
    },
    {
      method: 'DELETE',
      path: '/api/rulesets/shadow',
      handler: async (request) => {
        const { shop, user } = shopOf(request);
        await deps.rulesets.stopShadow(shop, user);
        return { shadowVersion: null } satisfies ShadowStarted;
      },
    },
  ];
}

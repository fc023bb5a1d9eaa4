import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../../auth/sessionAuth.ts';
import type { ApiDeps } from '../context.ts';
import { rulesetView } from './helpers.ts';
import type { RulesetList, Sendable } from '../../../../contract/index.ts';

/** `GET /api/rulesets`: every version of the shop (without bodies), and the one decisions are made with now. */
export function listRulesetRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/rulesets',
      handler: async (request) => {
        const { shop } = shopOf(request);
        const live = await deps.scoring.rulesetFor(shop).catch(() => undefined);
        // The version decisions are made with now: the published one, or its fallback while that is over budget.
        return { versions: (await deps.stores.rulesets.list(shop)).map((r) => rulesetView(r, false)), scoringWith: live ? { version: live.version, contentHash: live.contentHash } : null } satisfies Sendable<RulesetList>;
      },
    },
  ];
}

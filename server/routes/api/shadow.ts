import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../auth/sessionAuth.ts';
import type { ApiDeps } from './context.ts';
import type { Sendable, ShadowReport as ShadowAnswer } from '../../../contract/index.ts';

/**
 * `GET /api/shadow`: the version running in shadow (started and stopped under
 * `/api/rulesets`, rulesets/shadow.ts) and its report against the live decisions of the same
 * subjects (`RulesetService.shadowReport`); `{shadowVersion: null, report: null}` when none runs.
 */
export function shadowRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/shadow',
      handler: async (request) => (await deps.rulesets.shadowReport(shopOf(request).shop)) satisfies Sendable<ShadowAnswer>,
    },
  ];
}

import type { ServerRoute } from '@hapi/hapi';
import type { Ruleset } from '../../../../engine/index.ts';
import { shopOf } from '../../../auth/sessionAuth.ts';
import { object, PG_INT_MAX } from '../../fields.ts';
import { schema } from '../../validate.ts';
import type { ApiDeps } from '../context.ts';
import { rulesetView } from './helpers.ts';

/** `POST /api/rulesets` (`{body, baseVersion}`): saves a draft (201); 422 with pointers unless it compiles, 409 over a newer version. */
export function createRulesetRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'POST',
      path: '/api/rulesets',
      options: {
        validate: {
          payload: schema(object({ body: {}, baseVersion: { type: ['integer', 'null'], minimum: 1, maximum: PG_INT_MAX } }, ['body', 'baseVersion']), 'payload'),
        },
      },
      handler: async (request, h) => {
        const { shop, user } = shopOf(request);
        const { body, baseVersion } = request.payload as { body: Ruleset; baseVersion: number | null };
        return h.response(rulesetView(await deps.rulesets.saveDraft(shop, body, user, baseVersion), true)).code(201);
      },
    },
  ];
}

import type { ServerRoute } from '@hapi/hapi';
import type { Ruleset } from '../../../../engine/index.ts';
import { shopOf } from '../../../auth/sessionAuth.ts';
import { schema } from '../../validate.ts';
import type { ApiDeps } from '../context.ts';
import type { PreviewAnswer } from '../../../../contract/index.ts';

/**
 * `POST /api/rulesets/preview` (`{body, days?}`): the instant preview of an edited body over the
 * last `days` (default 90): 422 with pointers for a body that does not validate, 409/422/429 for
 * a preview replaced, over its budget or not queued (`TrialRefused`).
 */
export function previewRulesetRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'POST',
      path: '/api/rulesets/preview',
      options: {
        validate: {
          payload: schema({ type: 'object', required: ['body'], additionalProperties: false, properties: { body: { type: 'object' }, days: { type: 'integer', minimum: 1, maximum: 730, default: 90 } } }, 'payload'),
        },
      },
      handler: async (request) => {
        const { body, days } = request.payload as { body: Ruleset; days: number };
        return (await deps.rulesets.preview(shopOf(request).shop, body, days)) satisfies PreviewAnswer;
      },
    },
  ];
}

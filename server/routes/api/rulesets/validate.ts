import type { ServerRoute } from '@hapi/hapi';
import { object } from '../../fields.ts';
import { schema } from '../../validate.ts';
import type { ApiDeps } from '../context.ts';
import type { ValidateAnswer } from '../../../../contract/index.ts';

/** `POST /api/rulesets/validate` (`{body}`): every problem of a body with its JSON pointer, saving nothing. */
export function validateRulesetRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'POST',
      path: '/api/rulesets/validate',
      options: { validate: { payload: schema(object({ body: {} }, ['body']), 'payload') } },
      handler: (request) => {
        const problems = deps.rulesets.validate((request.payload as { body: unknown }).body);
        return { valid: !problems.some((p) => p.severity === 'error'), problems } satisfies ValidateAnswer;
      },
    },
  ];
}

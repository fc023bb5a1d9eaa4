import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../../auth/sessionAuth.ts';
import { bounded, INSTANT, limit, PG_INT_MAX } from '../../fields.ts';
import { schema } from '../../validate.ts';
import type { ApiDeps } from '../context.ts';
import { fitView } from '../fits.ts';
import type { FitRequest } from '../../../../contract/index.ts';

/** What a merchant may set: the split, the precision targets of the zones, the labels' period and moment. */
const FIT_PAYLOAD = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {
    split: { enum: ['auto', 'time', 'customer'] },
    testShare: bounded(0.1, 0.5),
    seed: { type: 'integer', minimum: 0, maximum: PG_INT_MAX },
    highPrecision: bounded(0.5, 0.999),
    mediumPrecision: bounded(0.05, 0.99),
    minLabels: limit(10_000, 20, 5),
    l2: bounded(0, 1_000),
    from: INSTANT,
    to: INSTANT,
    asOf: INSTANT,
  },
} as const;

/**
 * `POST /api/rulesets/fit`: starts a fit of the published version to the shop's labels (202;
 * 422 with the label counts per kind when no kind has enough), a job in the trial thread that
 * ends in a draft version with its report; follow it at `/api/fits/{id}` (fits.ts).
 */
export function fitRulesetRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'POST',
      path: '/api/rulesets/fit',
      options: { validate: { payload: schema(FIT_PAYLOAD, 'payload') } },
      handler: async (request, h) => {
        const { shop, user } = shopOf(request);
        const body = (request.payload ?? {}) as FitRequest;
        if (body.from && body.to && !(Date.parse(body.from) < Date.parse(body.to))) throw Boom.badRequest('"from" must be before "to"');
        if (body.highPrecision !== undefined && body.mediumPrecision !== undefined && !(body.mediumPrecision < body.highPrecision)) {
          throw Boom.badRequest('"mediumPrecision" must be below "highPrecision" (MEDIUM starts at a lower precision than HIGH)');
        }
        if (body.asOf && Date.parse(body.asOf) > Date.now()) throw Boom.badRequest('"asOf" must not be in the future: labels are read as known at that moment');
        const row = await deps.rulesets.startFit(shop, body, user); // audited
        return h.response(fitView(row)).code(202);
      },
    },
  ];
}

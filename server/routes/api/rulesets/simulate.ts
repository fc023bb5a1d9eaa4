import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../../auth/sessionAuth.ts';
import { days, INSTANT } from '../../fields.ts';
import { schema } from '../../validate.ts';
import type { ApiDeps } from '../context.ts';
import { simulationView } from '../simulations.ts';
import { versionOf, versionParams } from './helpers.ts';
import type { SimulateRequest } from '../../../../contract/index.ts';

const DAY_MS = 86_400_000;

/**
 * `POST /api/rulesets/{version}/simulate` (`{from?, to?, days?}`, default the last 90 days): a
 * simulation of the version against the live one, as a job (202; follow it at
 * `/api/simulations/{id}`); 404 for no such version, 409 with nothing published.
 */
export function simulateRulesetRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'POST',
      path: '/api/rulesets/{version}/simulate',
      options: {
        validate: {
          params: versionParams,
          payload: schema({ type: ['object', 'null'], additionalProperties: false, properties: { from: INSTANT, to: INSTANT, days: days(730) } }, 'payload'),
        },
      },
      handler: async (request, h) => {
        const { shop, user } = shopOf(request);
        const version = versionOf(request);
        const body = (request.payload ?? {}) as SimulateRequest;
        const to = body.to ? Date.parse(body.to) : Date.now();
        const from = body.from ? Date.parse(body.from) : to - (body.days ?? 90) * DAY_MS;
        if (Number.isNaN(from) || Number.isNaN(to)) throw Boom.badRequest('"from" and "to" must be ISO 8601 times');
        if (!(from < to)) throw Boom.badRequest('"from" must be before "to"');
        const row = await deps.simulations.start(shop, version, { from: new Date(from), to: new Date(to) }, user);
        await deps.stores.audit.record(shop, user, 'ruleset.simulate', String(version), { simulation: row.id, against: row.against_version });
        return h.response(simulationView(row)).code(202);
      },
    },
  ];
}

import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../auth/sessionAuth.ts';
import { holdoutShareOf } from '../../services/ScoringService.ts';
import { INSTANT, object } from '../fields.ts';
import { schema } from '../validate.ts';
import type { ApiDeps } from './context.ts';
import type { HoldoutData, HoldoutSet, Sendable } from '../../../contract/index.ts';

/**
 * The holdout sample: the share of HIGH decisions whose actions are skipped (0-20 %), and the
 * report comparing their outcomes with those acted on.
 */
export function holdoutRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/holdout',
      options: { validate: { query: schema(object({ from: INSTANT, to: INSTANT }), 'query') } },
      handler: async (request) => {
        const { shop } = shopOf(request);
        const row = await deps.stores.shops.get(shop);
        const range = request.query as { from?: string; to?: string };
        return { percent: Math.round(holdoutShareOf(row?.settings) * 1000) / 10, report: await deps.stores.refundReports.holdout(shop, range) } satisfies Sendable<HoldoutData>;
      },
    },
    {
      method: 'PUT',
      path: '/api/holdout',
      options: { validate: { payload: schema(object({ percent: { type: 'number', minimum: 0, maximum: 20 } }, ['percent']), 'payload') } },
      handler: async (request) => {
        const { shop, user } = shopOf(request);
        const { percent } = request.payload as HoldoutSet;
        const settings = await deps.stores.db.transaction(async (trx) => {
          const updated = await deps.stores.shops.updateSettings(shop, { holdoutPercent: percent }, trx);
          await deps.stores.audit.record(shop, user, 'holdout.set', null, { percent }, trx);
          return updated;
        });
        deps.stores.shops.forget(shop); // after the commit
        return { percent: Number(settings.holdoutPercent) } satisfies HoldoutSet;
      },
    },
  ];
}

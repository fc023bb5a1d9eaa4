import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../auth/sessionAuth.ts';
import { DEFAULT_ORDER_DAYS, EXTENDED_ORDER_DAYS, hasExtendedOrderAccess } from '../../backfill/BackfillService.ts';
import { days, object } from '../fields.ts';
import { schema } from '../validate.ts';
import type { ApiDeps } from './context.ts';
import type { BackfillExtended, BackfillProgress, ExtendRequest, Sendable } from '../../../contract/index.ts';

/** Backfill progress for the admin (polled), and the retry / resume-after-reconnect action. */
export function backfillRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/backfill',
      handler: async (request) => (await deps.backfill.progress(shopOf(request).shop)) satisfies Sendable<BackfillProgress>,
    },
    {
      method: 'POST',
      path: '/api/backfill/retry',
      handler: async (request) => {
        const { shop, user } = shopOf(request);
        const progress = await deps.backfill.progress(shop);
        if (progress.status === 'not-started') throw Boom.notFound('This shop has no backfill to retry');
        if (progress.status === 'done') throw Boom.conflict('The backfill is done; there is nothing to retry');
        await deps.backfill.resume(shop);
        await deps.stores.audit.record(shop, user, 'backfill.retry', null, { from: progress.status });
        return (await deps.backfill.progress(shop)) satisfies Sendable<BackfillProgress>;
      },
    },
    {
      method: 'POST',
      path: '/api/backfill/extend',
      options: {
        validate: {
          payload: schema(object({ days: days(EXTENDED_ORDER_DAYS) }, ['days']), 'payload'),
        },
      },
      handler: async (request, h) => {
        const { shop, user } = shopOf(request);
        const { days } = request.payload as ExtendRequest;
        const progress = await deps.backfill.progress(shop);
        if (progress.status === 'not-started') throw Boom.notFound('This shop has no backfill to extend');
        if (progress.source?.kind === 'bulk' && days > DEFAULT_ORDER_DAYS) {
          const row = await deps.stores.shops.get(shop);
          if (!hasExtendedOrderAccess(row?.scopes)) {
            throw Boom.forbidden(`Orders older than ${DEFAULT_ORDER_DAYS} days need the read_all_orders scope (extended order access); grant it, then extend again`);
          }
        }
        const outcome = await deps.backfill.extend(shop, days);
        if (outcome === 'busy') throw Boom.conflict(`The backfill is ${progress.status}; extend it once it is done`);
        if (outcome === 'covered') return { extended: false, reason: `the backfill already covers ${days} days`, progress } satisfies Sendable<BackfillExtended>;
        await deps.stores.audit.record(shop, user, 'backfill.extend', null, { days });
        return h.response({ extended: true, progress: await deps.backfill.progress(shop) } satisfies Sendable<BackfillExtended>).code(202);
      },
    },
  ];
}

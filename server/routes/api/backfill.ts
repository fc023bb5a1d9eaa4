import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../auth/sessionAuth.ts';
import type { ApiDeps } from './context.ts';

/** Backfill progress for the admin (polled), and the retry / resume-after-reconnect action. */
export function backfillRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/backfill',
      handler: async (request) => deps.backfill.progress(shopOf(request).shop),
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
        return deps.backfill.progress(shop);
      },
    },
  ];
}

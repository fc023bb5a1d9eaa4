import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../auth/sessionAuth.ts';
import { QUEUE_CURSOR, reviewQueue, type QueueQuery } from '../../services/ReviewQueue.ts';
import { days, limit, object, text } from '../fields.ts';
import { schema } from '../validate.ts';
import type { ApiDeps } from './context.ts';

const queueQuery = object({
  zone: { enum: ['low', 'medium', 'high'] },
  kind: { enum: ['order', 'return', 'refund'] },
  reason: { enum: ['unlabelled', 'held', 'ring'] },
  q: text(200, 1),
  ringDays: { ...days(90), default: 7 },
  limit: limit(100, 25),
  after: { type: 'string', pattern: QUEUE_CURSOR, description: "a cursor from a page's next (value:id, e.g. 404.95:17)" },
});

/**
 * `GET /api/queue`: the review queue, the admin's home — unlabelled MEDIUM/HIGH decisions, orders
 * the app holds, orders with a ring alert of the last `ringDays` days; the most money at risk
 * first, keyset pages (`next` → `after`), counts per filter value under the other filters, search
 * by order name, GID or email (`services/ReviewQueue.ts`, `store/QueueStore.ts`).
 */
export function queueRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/queue',
      options: { validate: { query: schema(queueQuery, 'query') } },
      handler: async (request) => {
        const { shop } = shopOf(request);
        return reviewQueue(deps.stores, deps.calibrations, shop, request.query as unknown as QueueQuery);
      },
    },
  ];
}

import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../auth/sessionAuth.ts';
import { INSTANT, object } from '../fields.ts';
import { schema } from '../validate.ts';
import type { ApiDeps } from './context.ts';
import { csvResponse as csv } from './csv.ts';
import type { Comparison, Sendable, SkuTrends } from '../../../contract/index.ts';

const DAY_MS = 86_400_000;
const periodQuery = object({ from: INSTANT, to: INSTANT, compare: { type: 'boolean', default: true }, bucket: { enum: ['week', 'month'], default: 'week' } });

interface PeriodQuery {
  from?: string;
  to?: string;
  compare: boolean;
  bucket: 'week' | 'month';
}

/** The period asked for (`from`/`to`, ISO, validated by the query schema), by default the last 90 days. */
function periodOf(query: PeriodQuery): { from: Date; to: Date } {
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 90 * DAY_MS);
  if (from >= to) throw Boom.badRequest(`from (${from.toISOString()}) must be before to (${to.toISOString()})`);
  return { from, to };
}

/** Period-over-period figures and SKU return trends; every table also as CSV (the goals' too; the goals themselves are under `/api/goals`, goals.ts). */
export function analyticsRoutes(deps: ApiDeps): ServerRoute[] {
  const { analytics } = deps;
  return [
    {
      method: 'GET',
      path: '/api/analytics',
      options: { validate: { query: schema(periodQuery, 'query') } },
      handler: async (request) => {
        const query = request.query as unknown as PeriodQuery;
        const { from, to } = periodOf(query);
        return (await analytics.compare(shopOf(request).shop, from, to, query.compare)) satisfies Sendable<Comparison>;
      },
    },
    {
      method: 'GET',
      path: '/api/analytics/skus',
      options: { validate: { query: schema(periodQuery, 'query') } },
      handler: async (request) => {
        const query = request.query as unknown as PeriodQuery;
        const { from, to } = periodOf(query);
        return { bucket: query.bucket, skus: await analytics.skuTrends(shopOf(request).shop, from, to, query.bucket) } satisfies Sendable<SkuTrends>;
      },
    },
    {
      method: 'GET',
      path: '/api/analytics/{table}.csv',
      options: { validate: { params: schema(object({ table: { enum: ['summary', 'skus', 'goals'] } }, ['table']), 'params'), query: schema(periodQuery, 'query') } },
      handler: async (request, h) => {
        const query = request.query as unknown as PeriodQuery;
        const { shop } = shopOf(request);
        const table = (request.params as { table: string }).table;
        if (table === 'goals') {
          const goals = await analytics.goals(shop);
          return csv(h, 'goals', ['metric', 'reduce_by_pct', 'starts_on', 'ends_on', 'baseline', 'target', 'current', 'progress', 'status', 'note'], goals.map((g) => [g.metric, g.reduceByPct, g.startsOn, g.endsOn, g.baseline ?? '', g.target ?? '', g.current ?? '', g.progress ?? '', g.status, g.note ?? '']));
        }
        const { from, to } = periodOf(query);
        if (table === 'skus') {
          const skus = await analytics.skuTrends(shop, from, to, query.bucket);
          const buckets = skus[0]?.series.map((s) => s.bucket) ?? [];
          return csv(h, 'sku-returns', ['sku', 'title', 'sold', 'returned', ...buckets], skus.map((s) => [s.sku, s.title ?? '', s.sold, s.returned, ...s.series.map((b) => b.returned)]));
        }
        const report = await analytics.compare(shop, from, to, query.compare);
        return csv(h, 'summary', ['metric', 'current', 'previous', 'change_pct'], report.changes.map((c) => [c.metric, c.current ?? '', c.previous ?? '', c.changePct ?? '']));
      },
    },
  ];
}

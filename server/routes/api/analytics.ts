import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../auth/sessionAuth.ts';
import { AnalyticsService, GOAL_METRICS } from '../../services/AnalyticsService.ts';
import type { GoalMetric } from '../../store/index.ts';
import { DAY, INSTANT, object, ROW_ID, text } from '../fields.ts';
import { schema } from '../validate.ts';
import type { ApiDeps } from './context.ts';
import { csvResponse as csv } from './csv.ts';

const DAY_MS = 86_400_000;
const periodQuery = object({ from: INSTANT, to: INSTANT, compare: { type: 'boolean', default: true }, bucket: { enum: ['week', 'month'], default: 'week' } });
const goalPayload = object(
  {
    metric: { enum: Object.keys(GOAL_METRICS) },
    // reduce_by_pct is numeric(5,2): below 0.01 it would be stored as 0.
    reduceByPct: { type: 'number', minimum: 0.01, maximum: 100 },
    startsOn: DAY,
    endsOn: DAY,
    note: text(500),
  },
  ['metric', 'reduceByPct', 'startsOn', 'endsOn'],
);

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

/** Period-over-period figures, SKU return trends, fraud-reduction goals; every table also as CSV. */
export function analyticsRoutes(deps: ApiDeps): ServerRoute[] {
  const analytics = new AnalyticsService(deps.stores);
  return [
    {
      method: 'GET',
      path: '/api/analytics',
      options: { validate: { query: schema(periodQuery, 'query') } },
      handler: async (request) => {
        const query = request.query as unknown as PeriodQuery;
        const { from, to } = periodOf(query);
        return analytics.compare(shopOf(request).shop, from, to, query.compare);
      },
    },
    {
      method: 'GET',
      path: '/api/analytics/skus',
      options: { validate: { query: schema(periodQuery, 'query') } },
      handler: async (request) => {
        const query = request.query as unknown as PeriodQuery;
        const { from, to } = periodOf(query);
        return { bucket: query.bucket, skus: await analytics.skuTrends(shopOf(request).shop, from, to, query.bucket) };
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
    { method: 'GET', path: '/api/goals', handler: async (request) => ({ goals: await analytics.goals(shopOf(request).shop), metrics: GOAL_METRICS }) },
    {
      method: 'POST',
      path: '/api/goals',
      options: { validate: { payload: schema(goalPayload, 'payload') } },
      handler: async (request, h) => {
        const { shop, user } = shopOf(request);
        const body = request.payload as { metric: GoalMetric; reduceByPct: number; startsOn: string; endsOn: string; note?: string };
        if (body.endsOn < body.startsOn) throw Boom.badRequest(`endsOn (${body.endsOn}) must not be before startsOn (${body.startsOn})`);
        const row = await deps.stores.db.transaction(async (trx) => {
          const added = await deps.stores.analytics.addGoal({ shop_id: shop, metric: body.metric, reduce_by_pct: String(body.reduceByPct), starts_on: body.startsOn, ends_on: body.endsOn, note: body.note ?? null, created_by: user }, trx);
          await deps.stores.audit.record(shop, user, 'goal.add', String(added.id), { metric: body.metric, reduceByPct: body.reduceByPct, startsOn: body.startsOn, endsOn: body.endsOn }, trx);
          return added;
        });
        return h.response(await analytics.progressOf(row)).code(201);
      },
    },
    {
      method: 'DELETE',
      path: '/api/goals/{id}',
      options: { validate: { params: schema(object({ id: ROW_ID }, ['id']), 'params') } },
      handler: async (request) => {
        const { shop, user } = shopOf(request);
        const id = (request.params as { id: string }).id;
        await deps.stores.db.transaction(async (trx) => {
          if (!(await deps.stores.analytics.deleteGoal(shop, id, trx))) throw Boom.notFound('No such goal in this shop');
          await deps.stores.audit.record(shop, user, 'goal.delete', id, {}, trx);
        });
        return { deleted: id };
      },
    },
  ];
}

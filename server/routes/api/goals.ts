import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../auth/sessionAuth.ts';
import { GOAL_METRICS, type NewGoal } from '../../services/AnalyticsService.ts';
import { DAY, object, ROW_ID, text } from '../fields.ts';
import { schema } from '../validate.ts';
import type { ApiDeps } from './context.ts';
import type { GoalDeleted, GoalList, GoalProgress, Sendable } from '../../../contract/index.ts';

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

/** Fraud-reduction goals with their progress against the period before them (as CSV: `/api/analytics/goals.csv`). */
export function goalRoutes(deps: ApiDeps): ServerRoute[] {
  const { analytics } = deps;
  return [
    {
      method: 'GET',
      path: '/api/goals',
      handler: async (request) => {
        const { shop } = shopOf(request);
        const [goals, currency] = await Promise.all([analytics.goals(shop), deps.stores.events.shopCurrency(shop)]);
        return { goals, metrics: GOAL_METRICS, currency } satisfies Sendable<GoalList>;
      },
    },
    {
      method: 'POST',
      path: '/api/goals',
      options: { validate: { payload: schema(goalPayload, 'payload') } },
      handler: async (request, h) => {
        const { shop, user } = shopOf(request);
        const goal = request.payload as NewGoal;
        if (goal.endsOn < goal.startsOn) throw Boom.badRequest(`endsOn (${goal.endsOn}) must not be before startsOn (${goal.startsOn})`);
        return h.response((await analytics.addGoal(shop, user, goal)) satisfies Sendable<GoalProgress>).code(201);
      },
    },
    {
      method: 'DELETE',
      path: '/api/goals/{id}',
      options: { validate: { params: schema(object({ id: ROW_ID }, ['id']), 'params') } },
      handler: async (request) => {
        const { shop, user } = shopOf(request);
        const id = (request.params as { id: string }).id;
        if (!(await analytics.deleteGoal(shop, user, id))) throw Boom.notFound('No such goal in this shop');
        return { deleted: id } satisfies GoalDeleted;
      },
    },
  ];
}

import type { Plugin, RouteOptions, ServerRoute } from '@hapi/hapi';
import { NOTHING } from '../fields.ts';
import { schema } from '../validate.ts';
import { analyticsRoutes } from './analytics.ts';
import { backfillRoutes } from './backfill.ts';
import { actionRoutes } from './actions.ts';
import { holdRoutes } from './holds.ts';
import { pluginRoutes } from './plugins.ts';
import { signalRoutes } from './signals.ts';
import { chargebackRoutes } from './chargebacks.ts';
import type { ApiDeps } from './context.ts';
import { customerRoutes } from './customers.ts';
import { decisionRoutes } from './decisions.ts';
import { fitRoutes } from './fits.ts';
import { goalRoutes } from './goals.ts';
import { insightRoutes } from './insights.ts';
import { labelRoutes } from './labels.ts';
import { suggestionRoutes } from './suggestions.ts';
import { holdoutRoutes } from './holdout.ts';
import { listRoutes } from './lists.ts';
import { snoozeRoutes } from './snoozes.ts';
import { refundMethodRoutes } from './refundMethods.ts';
import { simulationRoutes } from './simulations.ts';
import { orderRoutes } from './orders.ts';
import { ringRoutes } from './rings.ts';
import { reasonRoutes } from './reasons.ts';
import { rulesetRoutes } from './rulesets.ts';

const noQuery = schema(NOTHING, 'query');
const noPayload = schema(NOTHING, 'payload');

/**
 * Every route's input validated by schema (fields.ts, validate.ts): a route that declares no
 * query schema takes no query parameters, a POST/PUT/DELETE that declares no payload schema takes
 * no payload, a payload is JSON (another Content-Type gets 415), and a route with path parameters
 * must declare their schema (checked at start).
 */
export function validated(route: ServerRoute): ServerRoute {
  const options = (route.options ?? {}) as RouteOptions;
  const validate = options.validate ?? {};
  if (route.path.includes('{') && !validate.params) throw new Error(`${String(route.method)} ${route.path} has path parameters but no params schema`);
  const takesPayload = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(String(route.method).toUpperCase());
  return {
    ...route,
    options: {
      ...options,
      ...(takesPayload ? { payload: { allow: 'application/json', ...options.payload } } : {}),
      validate: { query: noQuery, ...(takesPayload ? { payload: noPayload } : {}), ...validate },
    },
  };
}

/** The admin JSON API under /api: every route needs a session token and is scoped to its shop. */
export const api: Plugin<ApiDeps> = {
  name: 'refundsentry-api',
  register(server, deps) {
    const routes = [...decisionRoutes(deps), ...customerRoutes(deps), ...rulesetRoutes(deps), ...signalRoutes(deps), ...pluginRoutes(deps), ...holdRoutes(deps), ...actionRoutes(deps), ...backfillRoutes(deps), ...simulationRoutes(deps), ...chargebackRoutes(deps), ...analyticsRoutes(deps), ...goalRoutes(deps), ...insightRoutes(deps), ...orderRoutes(deps), ...ringRoutes(deps), ...listRoutes(deps), ...snoozeRoutes(deps), ...holdoutRoutes(deps), ...refundMethodRoutes(deps), ...reasonRoutes(deps), ...labelRoutes(deps), ...fitRoutes(deps), ...suggestionRoutes(deps)];
    for (const route of routes.map(validated)) server.route({ ...route, options: { ...(route.options as object), auth: 'session' } });
  },
};

export type { ApiDeps } from './context.ts';

import type { Plugin, RouteOptions, ServerRoute } from '@hapi/hapi';
import { NOTHING } from '../fields.ts';
import { schema } from '../validate.ts';
import { actionRoutes } from './actions.ts';
import { alertRoutes } from './alerts.ts';
import { analyticsRoutes } from './analytics.ts';
import { auditRoutes } from './audit.ts';
import { backfillRoutes } from './backfill.ts';
import { chargebackRoutes } from './chargebacks.ts';
import type { ApiDeps } from './context.ts';
import { customerRoutes } from './customers.ts';
import { decisionRoutes } from './decisions.ts';
import { fitRoutes } from './fits.ts';
import { goalRoutes } from './goals.ts';
import { holdoutRoutes } from './holdout.ts';
import { holdRoutes } from './holds.ts';
import { insightRoutes } from './insights.ts';
import { labelRoutes } from './labels.ts';
import { listRoutes } from './lists.ts';
import { orderRoutes } from './orders.ts';
import { pluginRoutes } from './plugins.ts';
import { queueRoutes } from './queue.ts';
import { reasonRoutes } from './reasons.ts';
import { refundMethodRoutes } from './refundMethods.ts';
import { revisionRoutes } from './revisions.ts';
import { ringRoutes } from './rings.ts';
import { createRulesetRoutes } from './rulesets/create.ts';
import { fitRulesetRoutes } from './rulesets/fit.ts';
import { getRulesetRoutes } from './rulesets/get.ts';
import { listRulesetRoutes } from './rulesets/list.ts';
import { previewRulesetRoutes } from './rulesets/preview.ts';
import { publishRulesetRoutes } from './rulesets/publish.ts';
import { rollbackRulesetRoutes } from './rulesets/rollback.ts';
import { shadowRulesetRoutes } from './rulesets/shadow.ts';
import { simulateRulesetRoutes } from './rulesets/simulate.ts';
import { validateRulesetRoutes } from './rulesets/validate.ts';
import { shadowRoutes } from './shadow.ts';
import { signalRoutes } from './signals.ts';
import { simulationRoutes } from './simulations.ts';
import { snoozeRoutes } from './snoozes.ts';
import { suggestionRoutes } from './suggestions.ts';

/** A module of routes: given what handlers may use, its routes. */
export type RouteModule = (deps: ApiDeps) => ServerRoute[];

/**
 * Every route module of the API, by its file (relative to this folder): a URL's first segment
 * after `/api` names its module (`/api/refund-methods.csv` → `refundMethods.ts`), or, for a
 * resource with many routes, its folder with one file per verb or action (`/api/rulesets/{version}/simulate`
 * → `rulesets/simulate.ts`; `GET /api/rulesets` → `rulesets/list.ts`). routeFiles.test.ts keeps
 * it so: every registered route is in the module its URL names, and every module is here.
 */
export const ROUTE_MODULES: Readonly<Record<string, RouteModule>> = {
  actions: actionRoutes,
  alerts: alertRoutes,
  analytics: analyticsRoutes,
  audit: auditRoutes,
  backfill: backfillRoutes,
  chargebacks: chargebackRoutes,
  customers: customerRoutes,
  decisions: decisionRoutes,
  fits: fitRoutes,
  goals: goalRoutes,
  holdout: holdoutRoutes,
  holds: holdRoutes,
  insights: insightRoutes,
  labels: labelRoutes,
  lists: listRoutes,
  orders: orderRoutes,
  plugins: pluginRoutes,
  queue: queueRoutes,
  reasons: reasonRoutes,
  refundMethods: refundMethodRoutes,
  revisions: revisionRoutes,
  rings: ringRoutes,
  'rulesets/create': createRulesetRoutes,
  'rulesets/fit': fitRulesetRoutes,
  'rulesets/get': getRulesetRoutes,
  'rulesets/list': listRulesetRoutes,
  'rulesets/preview': previewRulesetRoutes,
  'rulesets/publish': publishRulesetRoutes,
  'rulesets/rollback': rollbackRulesetRoutes,
  'rulesets/shadow': shadowRulesetRoutes,
  'rulesets/simulate': simulateRulesetRoutes,
  'rulesets/validate': validateRulesetRoutes,
  shadow: shadowRoutes,
  signals: signalRoutes,
  simulations: simulationRoutes,
  snoozes: snoozeRoutes,
  suggestions: suggestionRoutes,
};

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
    const routes = Object.values(ROUTE_MODULES).flatMap((module) => module(deps));
    for (const route of routes.map(validated)) server.route({ ...route, options: { ...(route.options as object), auth: 'session' } });
  },
};

export type { ApiDeps } from './context.ts';

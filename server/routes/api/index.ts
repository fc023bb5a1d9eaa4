import type { Plugin } from '@hapi/hapi';
import { analyticsRoutes } from './analytics.ts';
import { backfillRoutes } from './backfill.ts';
import { catalogRoutes } from './catalog.ts';
import { chargebackRoutes } from './chargebacks.ts';
import type { ApiDeps } from './context.ts';
import { customerRoutes } from './customers.ts';
import { decisionRoutes } from './decisions.ts';
import { listRoutes } from './lists.ts';
import { refundMethodRoutes } from './refundMethods.ts';
import { simulationRoutes } from './simulations.ts';
import { orderRoutes } from './orders.ts';
import { ringRoutes } from './rings.ts';
import { reasonRoutes } from './reasons.ts';
import { rulesetRoutes } from './rulesets.ts';

/** The admin JSON API under /api: every route needs a session token and is scoped to its shop. */
export const api: Plugin<ApiDeps> = {
  name: 'refundsentry-api',
  register(server, deps) {
    const routes = [...decisionRoutes(deps), ...customerRoutes(deps), ...rulesetRoutes(deps), ...catalogRoutes(deps), ...backfillRoutes(deps), ...simulationRoutes(deps), ...chargebackRoutes(deps), ...analyticsRoutes(deps), ...orderRoutes(deps), ...ringRoutes(deps), ...listRoutes(deps), ...refundMethodRoutes(deps), ...reasonRoutes(deps)];
    for (const route of routes) server.route({ ...route, options: { ...(route.options as object), auth: 'session' } });
  },
};

export type { ApiDeps } from './context.ts';

import Boom from '@hapi/boom';
import Hapi from '@hapi/hapi';
import type { AppDeps } from './AppDeps.ts';
import { sessionAuth, type ShopCredentials } from './auth/sessionAuth.ts';
import { demoGuard } from './auth/demoGuard.ts';
import { ShopInstaller } from './auth/ShopInstaller.ts';
import { authRoutes } from './routes/auth.ts';
import { api } from './routes/api/index.ts';
import { errorMapping } from './routes/errors.ts';
import { AnalyticsService } from './services/AnalyticsService.ts';
import { ListService } from './services/ListService.ts';
import { admin } from './routes/admin.ts';
import { webhooks } from './routes/webhooks/index.ts';
import { hasExtendedOrderAccess } from './backfill/BackfillService.ts';

/**
 * The hapi server with its plugins (errors, session auth, webhooks, admin API), not started:
 * `main.ts` starts it; tests use `server.inject`.
 */
export async function createApp(deps: AppDeps): Promise<Hapi.Server> {
  const server = Hapi.server({ host: deps.config.host, port: deps.config.port, routes: { cors: false } });
  server.events.on({ name: 'request', channels: 'error' }, (_request, event) => deps.log.error({ err: event.error }, 'request failed'));
  server.events.on('log', (event) => {
    if (event.tags.includes('error')) deps.log.error({ err: event.error ?? event.data }, 'server error');
  });
  // A new shop's history is backfilled from Shopify (60 days, 12 months with read_all_orders);
  // a reconnected shop's paused backfill resumes from its checkpoint.
  const installer = new ShopInstaller(deps.shopify, deps.stores, deps.defaultRuleset, async (shop, scopes, reconnected) => {
    if (reconnected && (await deps.backfill.progress(shop)).status === 'paused') await deps.backfill.resume(shop);
    else await deps.backfill.start(shop, { kind: 'bulk' }, { days: hasExtendedOrderAccess(scopes) ? 365 : 60 });
  });
  // The first admin call of an embedded shop installs it (token exchange), before any handler runs.
  server.ext('onPostAuth', async (request, h) => {
    const credentials = request.auth.credentials as unknown as ShopCredentials | null;
    if (!request.path.startsWith('/api/') || !credentials?.sessionToken) return h.continue;
    try {
      await installer.ensureInstalled(credentials.shop, credentials.sessionToken);
    } catch (error) {
      deps.log.warn({ shop: credentials.shop, err: error }, 'token exchange failed');
      throw Boom.unauthorized(`Could not connect ${credentials.shop} to Shopify (token exchange failed); reload the app from Shopify admin`);
    }
    return h.continue;
  });
  // Demo mode (no session token needed): loopback Host only, state changes from the admin's own origin only.
  if (deps.config.demoMode) await server.register({ plugin: demoGuard });
  await server.register([
    { plugin: authRoutes, options: { shopify: deps.shopify, installer } },
    { plugin: errorMapping },
    { plugin: sessionAuth, options: { shopify: deps.shopify, demoShop: deps.config.demoMode ? deps.config.demoShop : undefined } },
    { plugin: webhooks, options: deps },
    { plugin: admin, options: { config: deps.config } },
    {
      plugin: api,
      options: { stores: deps.stores, registry: deps.registry, plugins: deps.plugins, scoring: deps.scoring, backfill: deps.backfill, simulations: deps.simulations, trials: deps.trials, rings: deps.rings, reasons: deps.reasons, calibrations: deps.calibrations, chargebacks: deps.chargebacks, alerts: deps.alerts, revisions: deps.revisions, analytics: new AnalyticsService(deps.stores), lists: new ListService(deps.stores), rulesets: deps.rulesets, shopify: deps.shopify, releaseHold: deps.releaseHold },
    },
  ]);
  server.route({ method: 'GET', path: '/health', options: { auth: false }, handler: () => ({ ok: true, demoMode: deps.config.demoMode }) });
  return server;
}

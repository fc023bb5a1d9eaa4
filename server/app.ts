import type { ReasonService } from './services/ReasonService.ts';
import Boom from '@hapi/boom';
import Hapi from '@hapi/hapi';
import type { Shopify } from '@shopify/shopify-api';
import type { WebhookCheckPool } from './shopify/webhookCheck/WebhookCheckPool.ts';
import type { Logger } from 'pino';
import type { Ruleset, SignalRegistry } from '../engine/index.ts';
import type { PluginHost } from '../plugins/PluginHost.ts';
import { sessionAuth, type ShopCredentials } from './auth/sessionAuth.ts';
import { demoGuard } from './auth/demoGuard.ts';
import { ShopInstaller } from './auth/ShopInstaller.ts';
import { authRoutes } from './routes/auth.ts';
import type { Config } from './config.ts';
import type { JobQueue } from './jobs/JobQueue.ts';
import { api } from './routes/api/index.ts';
import { errorMapping } from './routes/errors.ts';
import { admin } from './routes/admin.ts';
import type { SimulationService } from './services/SimulationService.ts';
import type { CalibrationService } from './services/CalibrationService.ts';
import type { ChargebackService } from './services/ChargebackService.ts';
import type { FitService } from './services/FitService.ts';
import type { TrialThreads } from './trials/TrialThreads.ts';
import { webhooks } from './routes/webhooks.ts';
import type { GdprService } from './services/GdprService.ts';
import { hasExtendedOrderAccess, type BackfillService } from './backfill/BackfillService.ts';
import type { OrderIntake } from './services/OrderIntake.ts';
import type { ScoringService } from './services/ScoringService.ts';
import type { RingService } from './services/RingService.ts';
import type { Stores } from './store/index.ts';

export interface AppDeps {
  config: Config;
  stores: Stores;
  registry: SignalRegistry;
  plugins: PluginHost;
  scoring: ScoringService;
  backfill: BackfillService;
  simulations: SimulationService;
  /** Previews and simulations, in trial threads off the main event loop, each within its budget. */
  trials: TrialThreads;
  rings: RingService;
  reasons: ReasonService;
  /** The calibrated risk figures, fits, chargebacks (label counts and suggestions run in `trials`). */
  calibrations: CalibrationService;
  fits: FitService;
  chargebacks: ChargebackService;
  /** Group commit for order webhooks. */
  intake: OrderIntake;
  gdpr: GdprService;
  queue: JobQueue;
  shopify: Shopify;
  /** Verifies (HMAC) and normalizes webhooks, in worker threads unless `WEBHOOK_THREADS=0`. */
  webhookChecks: WebhookCheckPool;
  log: Logger;
  /** Installed as a new shop's first published ruleset. */
  defaultRuleset: Ruleset;
  releaseHold(shopId: string, actionId: string, actor: string): Promise<{ released: string[] }>;
}

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
      options: { stores: deps.stores, registry: deps.registry, plugins: deps.plugins, scoring: deps.scoring, backfill: deps.backfill, simulations: deps.simulations, trials: deps.trials, rings: deps.rings, reasons: deps.reasons, calibrations: deps.calibrations, fits: deps.fits, chargebacks: deps.chargebacks, shopify: deps.shopify, releaseHold: deps.releaseHold },
    },
  ]);
  server.route({ method: 'GET', path: '/health', options: { auth: false }, handler: () => ({ ok: true, demoMode: deps.config.demoMode }) });
  return server;
}

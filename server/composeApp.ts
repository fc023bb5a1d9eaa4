import type { Server } from '@hapi/hapi';
import type { Logger } from 'pino';
import { createRegistry, type Ruleset } from '../engine/index.ts';
import type { PluginHost } from '../plugins/PluginHost.ts';
import { loadPlugins } from './loadPlugins.ts';
import { builtinSignals } from '../signals/index.ts';
import { createApp } from './app.ts';
import { createShopifyApi } from './auth/shopifyApi.ts';
import { WebhookCheckPool } from './shopify/webhookCheck/WebhookCheckPool.ts';
import type { Config } from './config.ts';
import { BackfillRunner, type BackfillOptions } from './backfill/BackfillRunner.ts';
import { BackfillService } from './backfill/BackfillService.ts';
import { historySourceOpener } from './backfill/openHistorySource.ts';
import { SimulationService } from './services/SimulationService.ts';
import { CalibrationService } from './services/CalibrationService.ts';
import { ChargebackService } from './services/ChargebackService.ts';
import { FitService } from './services/FitService.ts';
import { LabelService } from './services/LabelService.ts';
import { RevisionTriggers } from './services/RevisionTriggers.ts';
import { RingService } from './services/RingService.ts';
import { LlmLabeler } from './services/LlmLabeler.ts';
import { ReasonService } from './services/ReasonService.ts';
import { ActionRunner } from './jobs/ActionRunner.ts';
import { JobQueue } from './jobs/JobQueue.ts';
import { startWorkers } from './jobs/startWorkers.ts';
import { GdprService } from './services/GdprService.ts';
import { AlertService, CHECKED_KINDS, smtpMailer } from './services/AlertService.ts';
import { OrderIntake } from './services/OrderIntake.ts';
import { ScoringService } from './services/ScoringService.ts';
import { ProductCatalog } from './services/ProductCatalog.ts';
import { RulesetBudgetGuard } from './services/RulesetBudgetGuard.ts';
import { RulesetService } from './services/RulesetService.ts';
import { TrialThreads } from './trials/TrialThreads.ts';
import type { Stores } from './store/index.ts';

export interface ComposeOptions {
  config: Config;
  stores: Stores;
  databaseUrl: string;
  log: Logger;
  defaultRuleset: Ruleset;
  /** Tests: no waiting between Admin API retries or job retries. */
  fastRetries?: boolean;
  /** Page sizes and the source opener of backfills (tests). */
  backfill?: BackfillOptions;
}

export interface ComposedApp {
  server: Server;
  queue: JobQueue;
  intake: OrderIntake;
  backfill: BackfillService;
  /** The loaded signal plugins (close it on shutdown: it stops their workers). */
  plugins: PluginHost;
}

/**
 * Wires the services, pg-boss workers and the hapi server together; shared by `main.ts` and the
 * test harness so that tests run the same composition as production.
 */
export async function composeApp(options: ComposeOptions): Promise<ComposedApp> {
  const { config, stores, log } = options;
  const plugins = await loadPlugins(config, log);
  const registry = createRegistry([...builtinSignals, ...plugins.signals]);
  const shopify = createShopifyApi(config);
  const webhookChecks = new WebhookCheckPool(config, shopify);
  const queue = await JobQueue.start(options.databaseUrl, (error) => log.error({ err: error }, 'pg-boss error'), options.fastRetries ? { retryDelaySeconds: 0 } : {});
  const guard = new RulesetBudgetGuard(stores, { log });
  const { budgets } = config;
  const trials = new TrialThreads({
    config,
    databaseUrl: options.databaseUrl,
    stores,
    log,
    decisionSteps: budgets.decisionSteps,
    limits: { previewSteps: budgets.previewSteps, previewTimeoutMs: budgets.previewTimeoutMs, simulationSteps: budgets.simulationSteps, simulationTimeoutMs: budgets.simulationTimeoutMs, fitTimeoutMs: budgets.fitTimeoutMs, memoryMb: budgets.trialMemoryMb },
  });
  const catalog = new ProductCatalog(stores, config, { log, enqueue: (shopId, productIds) => queue.sendProducts({ shopId, productIds }), ...(options.fastRetries ? { sleep: async () => {} } : {}) });
  const labels = new LabelService(stores);
  // The ruleset lifecycle the routes use and the one compiled-version cache of this thread (each trial thread has its own):
  // previews and suggestions run in the trial threads; a fit starts here (its label check in the preview thread), runs as a job there.
  const rulesets = new RulesetService(stores, registry, {
    preview: (shopId, body, days) => trials.preview(shopId, body, days),
    fits: (lifecycle) =>
      new FitService(stores, lifecycle, labels, (shopId, fitId) => queue.sendFit({ shopId, fitId }), {
        countLabels: (shopId, o) => trials.labelCounts(shopId, { asOf: o.asOf.toISOString(), minLabels: o.minLabels, ...(o.from ? { from: o.from.toISOString() } : {}), ...(o.to ? { to: o.to.toISOString() } : {}) }),
      }),
    suggestions: {
      proposals: (shopId, days) => trials.suggestions(shopId, days),
      accept: (shopId, signalIds, user, days) => trials.acceptSuggestions(shopId, signalIds, user, days),
    },
    unavailable: (id) => plugins.unavailableReason(id),
    decisionSteps: budgets.decisionSteps,
  });
  // Alert rules: matched after live decisions and ring alerts are stored, delivered by the alert queue's jobs.
  const alerts = new AlertService(stores, { enqueue: (jobs) => queue.sendAlerts(jobs), log, publicUrlsOnly: config.production, ...(config.smtp ? { mailer: await smtpMailer(config.smtp) } : {}) });
  // New facts ask here for open decisions to be revised (the scoring queues carry them).
  const revisions = new RevisionTriggers(stores, (jobs) => queue.sendScoreBatch(jobs));
  const rings = new RingService(stores, (shopId) => queue.sendRings({ shopId }));
  const scoring = new ScoringService(stores, registry, {
    rulesets, guard, liveLoad: trials.liveLoad, catalog, alerts,
    // Live rings: each batch of new orders links into the rings; a ring that forms or grows revises its members' open subjects.
    rings,
    ringsChanged: async (shopId, change) => {
      const trigger = { kind: 'ring' as const, factId: change.orderId, at: change.at };
      await revisions.customers(shopId, change.customers, trigger);
      for (const orderId of change.guestOrders) await revisions.order(shopId, orderId, ['order', 'return', 'refund'], trigger);
    },
  });
  const actions = new ActionRunner({
    stores,
    config,
    log,
    onUnauthorized: (shopId) => stores.shops.markReconnect(shopId),
    retryLater: (shopId, actionId, attempt, delay) => queue.sendAction({ shopId, actionId }, attempt, delay),
    ...(options.fastRetries ? { sleep: async () => {}, retryBaseSeconds: 0 } : {}),
  });
  const backfill = backfillService({ config, stores, log, scoring, options: options.backfill, fastRetries: options.fastRetries }, (shopId, delaySeconds) => queue.sendBackfill({ shopId }, delaySeconds));
  const reasons = new ReasonService(stores, config.llm ? new LlmLabeler(config.llm, stores.reasons) : null, log, (shopId, trigger) => queue.sendReasons({ shopId, trigger }));
  const simulations = new SimulationService(stores, rulesets, scoring, (shopId, simulationId) => queue.sendSimulation({ shopId, simulationId }));
  const calibrations = new CalibrationService(stores, labels, { build: (shopId, version, kind) => trials.calibration(shopId, version, kind) });
  const chargebacks = new ChargebackService(stores, calibrations);
  // A finished backfill rebuilds the shop's rings and return-reason clusters (its whole history is in now).
  backfill.onFinished = async (shopId) => {
    await rings.request(shopId).catch((err) => log.error({ err, shopId }, 'rings rebuild not requested after the backfill'));
    await reasons.request(shopId, 'backfill').catch((err) => log.error({ err, shopId }, 'reason clusters not requested after the backfill'));
  };
  await startWorkers({
    queue, stores, scoring, log,
    runAction: (shopId, id) => actions.run(shopId, id),
    runBackfill: (shopId) => backfill.runJob(shopId),
    runSimulation: (shopId, id) => trials.simulate(shopId, id),
    runRings: async (shopId) => {
      const stats = await rings.run(shopId);
      log.info({ shopId, ...stats }, 'fraud rings rebuilt');
    },
    requestAllRings: async () => {
      await rings.requestAll();
    },
    runReasons: (shopId, trigger) => reasons.run(shopId, trigger),
    runProducts: (shopId, productIds) => catalog.ensureIds(shopId, productIds),
    runAging: async (shopId) => {
      const labelled = await labels.age(shopId);
      if (labelled > 0) calibrations.forget(shopId);
      log.info({ shopId, labelled }, 'aging inference: matured subjects labelled legit');
    },
    requestAllAging: async () => {
      for (const shopId of await stores.shops.activeIds()) await queue.sendAging({ shopId });
    },
    runFit: (shopId, fitId) => trials.fit(shopId, fitId),
    runAlert: (shopId, deliveryId) => alerts.deliver(shopId, deliveryId),
    runAlertChecks: async (shopId) => {
      const recorded = await alerts.checkShop(shopId);
      if (recorded > 0) log.info({ shopId, recorded }, 'periodic alert rules breached');
    },
    requestAllAlertChecks: async () => {
      for (const shopId of await stores.alerts.shopsWithRules(CHECKED_KINDS)) await queue.sendAlertChecks({ shopId });
    },
    sweepAlerts: async () => {
      await alerts.sweep();
    },
  });
  await queue.scheduleRings().catch((err) => log.error({ err }, 'periodic rings rebuild not scheduled'));
  await queue.scheduleAging().catch((err) => log.error({ err }, 'daily aging inference not scheduled'));
  await queue.scheduleAlertChecks().catch((err) => log.error({ err }, 'hourly alert checks not scheduled'));
  await queue.scheduleAlertSweep().catch((err) => log.error({ err }, 'alert delivery sweep not scheduled'));
  const intake = new OrderIntake({
    recordOrders: (items) => stores.deliveries.recordOrders(items),
    sendScores: (jobs) => queue.sendScoreBatch(jobs),
    onEnqueueFailed: (error, jobs) => log.error({ err: error, jobs: jobs.length }, 'score jobs not enqueued; the unscored-subject sweeper will enqueue them'),
  });
  const server = await createApp({
    config,
    stores,
    registry,
    plugins,
    scoring,
    backfill,
    simulations,
    rulesets,
    trials,
    rings,
    reasons,
    calibrations,
    chargebacks,
    alerts,
    intake,
    revisions,
    gdpr: new GdprService(stores),
    queue,
    shopify,
    webhookChecks,
    log,
    defaultRuleset: options.defaultRuleset,
    releaseHold: (shopId, actionId, actor) => actions.release(shopId, actionId, actor),
  });
  // The webhook threads stop with the server.
  server.ext('onPostStop', async () => {
    await webhookChecks.close();
    await trials.close();
  });
  return { server, queue, intake, backfill, plugins };
}

/**
 * The backfill alone, as the app wires it (its history sources, its scoring, its runner), without
 * pg-boss, workers or hapi: for a command that runs the steps in its own process and touches no
 * queue (`refundsentry import-uci` calls `runJob` until the backfill is no longer running, and
 * nothing schedules a next step). Scores with the built-in signals (no plugin is loaded); with no
 * queue, a backfill finished here does not request the shop's rings and return-reason clusters as
 * the app's does.
 */
export function composeBackfill(options: { config: Config; stores: Stores; log: Logger }): BackfillService {
  const scoring = new ScoringService(options.stores, createRegistry(builtinSignals));
  return backfillService({ ...options, scoring }, async () => {});
}

/** The runner and service of backfills over the app's history sources; `enqueue` schedules a next step. */
function backfillService(
  deps: { config: Config; stores: Stores; log: Logger; scoring: ScoringService; options?: BackfillOptions; fastRetries?: boolean },
  enqueue: (shopId: string, delaySeconds?: number) => Promise<void>,
): BackfillService {
  const { config, stores, log, scoring, options } = deps;
  const openSource = options?.openSource ?? historySourceOpener({ stores, config, log, bulk: options?.bulk, ...(deps.fastRetries ? { sleep: async () => {} } : {}) });
  const runner = new BackfillRunner(stores, scoring, log, { ...options, openSource });
  return new BackfillService(stores, runner, enqueue);
}

import type { Shopify } from '@shopify/shopify-api';
import type { Logger } from 'pino';
import type { Ruleset, SignalRegistry } from '../engine/index.ts';
import type { PluginHost } from '../plugins/PluginHost.ts';
import type { BackfillService } from './backfill/BackfillService.ts';
import type { Config } from './config.ts';
import type { JobQueue } from './jobs/JobQueue.ts';
import type { AlertService } from './services/AlertService.ts';
import type { CalibrationService } from './services/CalibrationService.ts';
import type { ChargebackService } from './services/ChargebackService.ts';
import type { GdprService } from './services/GdprService.ts';
import type { OrderIntake } from './services/OrderIntake.ts';
import type { ReasonService } from './services/ReasonService.ts';
import type { RevisionTriggers } from './services/RevisionTriggers.ts';
import type { RulesetService } from './services/RulesetService.ts';
import type { RingService } from './services/RingService.ts';
import type { ScoringService } from './services/ScoringService.ts';
import type { SimulationService } from './services/SimulationService.ts';
import type { WebhookCheckPool } from './shopify/webhookCheck/WebhookCheckPool.ts';
import type { Stores } from './store/index.ts';
import type { TrialThreads } from './trials/TrialThreads.ts';

/**
 * What the hapi app (`app.ts`) and its route plugins are given by the composition root
 * (`composeApp.ts`). A module of its own so that a route plugin can name it without importing
 * `app.ts`, which imports the plugins.
 */
export interface AppDeps {
  config: Config;
  stores: Stores;
  registry: SignalRegistry;
  plugins: PluginHost;
  scoring: ScoringService;
  backfill: BackfillService;
  simulations: SimulationService;
  /** Drafts, publish, rollback, previews, shadow mode, fits and suggestions (the routes' one entry to them), and the one compiled-version cache (`ScoringService` uses it too). */
  rulesets: RulesetService;
  /** Previews and simulations, in trial threads off the main event loop, each within its budget. */
  trials: TrialThreads;
  rings: RingService;
  reasons: ReasonService;
  /** The calibrated risk figures and chargebacks (label counts run in `trials`). */
  calibrations: CalibrationService;
  chargebacks: ChargebackService;
  /** Alert rules and their delivery log (the live path tells it of new decisions and ring alerts). */
  alerts: AlertService;
  /** Group commit for order webhooks. */
  intake: OrderIntake;
  /** New facts (transactions, edits, deliveries, chargebacks, labels, rings) ask here for open decisions to be revised. */
  revisions: RevisionTriggers;
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

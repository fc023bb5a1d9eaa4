import type { Shopify } from '@shopify/shopify-api';
import type { SignalRegistry } from '../../../engine/index.ts';
import type { PluginHost } from '../../../plugins/PluginHost.ts';
import type { BackfillService } from '../../backfill/BackfillService.ts';
import type { AlertService } from '../../services/AlertService.ts';
import type { AnalyticsService } from '../../services/AnalyticsService.ts';
import type { ListService } from '../../services/ListService.ts';
import type { RulesetService } from '../../services/RulesetService.ts';
import type { ScoringService } from '../../services/ScoringService.ts';
import type { SimulationService } from '../../services/SimulationService.ts';
import type { CalibrationService } from '../../services/CalibrationService.ts';
import type { ChargebackService } from '../../services/ChargebackService.ts';
import type { TrialThreads } from '../../trials/TrialThreads.ts';
import type { RingService } from '../../services/RingService.ts';
import type { ReasonService } from '../../services/ReasonService.ts';
import type { Stores } from '../../store/index.ts';

/** What API handlers may use; handed to the api plugin by the composition root. */
export interface ApiDeps {
  stores: Stores;
  registry: SignalRegistry;
  /** Loaded signal plugins: origin of each plugin signal, load failures and health. */
  plugins: PluginHost;
  scoring: ScoringService;
  backfill: BackfillService;
  simulations: SimulationService;
  trials: TrialThreads;
  rings: RingService;
  reasons: ReasonService;
  /** The calibrated risk figures of a version's decisions. */
  calibrations: CalibrationService;
  chargebacks: ChargebackService;
  /** Alert rules (`/api/alerts`) and their delivery log. */
  alerts: AlertService;
  /** Period figures, SKU trends and goals (built by `app.ts` for the API). */
  analytics: AnalyticsService;
  /** Block/allow list entries, hashed and audited (built by `app.ts` for the API). */
  lists: ListService;
  /** Ruleset versions: validate, drafts, publish, rollback, preview, shadow mode, fits and weight suggestions (the one entry to the lifecycle: no route calls `FitService` or `SuggestionService`). */
  rulesets: RulesetService;
  shopify: Shopify;
  /** Releases a hold action now (audited); provided by the action runner. */
  releaseHold(shopId: string, actionId: string, actor: string): Promise<{ released: string[] }>;
}

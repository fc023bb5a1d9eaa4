import type { AppDeps } from '../../AppDeps.ts';
import type { AnalyticsService } from '../../services/AnalyticsService.ts';
import type { ListService } from '../../services/ListService.ts';

/**
 * What API handlers may use, handed to the api plugin by the composition root: the app's
 * dependencies they need (`AppDeps`, where each is described) and the two services `app.ts`
 * builds for the API.
 */
export type ApiDeps = Pick<
  AppDeps,
  'stores' | 'registry' | 'plugins' | 'scoring' | 'backfill' | 'simulations' | 'trials' | 'rings' | 'reasons' | 'calibrations' | 'chargebacks' | 'alerts' | 'revisions' | 'rulesets' | 'shopify' | 'releaseHold'
> & {
  /** Period figures, SKU trends and goals. */
  analytics: AnalyticsService;
  /** Block/allow list entries, hashed and audited. */
  lists: ListService;
};

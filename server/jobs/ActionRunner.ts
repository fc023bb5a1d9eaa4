import type { Logger } from 'pino';
import type { ChosenAction, Decision } from '../../engine/index.ts';
import type { Config } from '../config.ts';
import { AdminGraphqlClient } from '../shopify/AdminGraphqlClient.ts';
import { createRiskAssessment } from '../shopify/actions/createRiskAssessment.ts';
import { holdFulfillment, type FulfillmentHoldRef } from '../shopify/actions/holdFulfillment.ts';
import { releaseHolds } from '../shopify/actions/releaseHolds.ts';
import { swapRiskTag } from '../shopify/actions/swapRiskTag.ts';
import { triggerFlow } from '../shopify/actions/triggerFlow.ts';
import { flowPayload } from '../shopify/flowTriggers.ts';
import { ShopifyApiError } from '../shopify/ShopifyApiError.ts';
import type { ActionRow, DecisionRow, Stores } from '../store/index.ts';

const ZONE_RANK = { low: 0, medium: 1, high: 2 } as const;

export interface ActionRunnerDeps {
  stores: Stores;
  config: Config;
  log: Logger;
  /** A revoked or lost token: the shop is marked for reconnection and its actions wait. */
  onUnauthorized(shopId: string): Promise<void>;
  /** Runs the action again after a delay (a new job), for transient Admin API failures. */
  retryLater(shopId: string, actionId: string, attempt: number, delaySeconds: number): Promise<void>;
  /** For tests: how the Admin API client waits between retries; and the base delay between job attempts. */
  sleep?: (ms: number) => Promise<void>;
  retryBaseSeconds?: number;
}

/** Runs of one action (each with the client's own retries) before it is marked failed. */
const MAX_ATTEMPTS = 5;

/**
 * Runs one stored action against the Admin GraphQL API, idempotently (a done action is never
 * run again) and visibly (every outcome is written on the action row: done, skipped with the
 * reason, or failed with the error after the last attempt).
 */
export class ActionRunner {
  private readonly deps: ActionRunnerDeps;
  constructor(deps: ActionRunnerDeps) {
    this.deps = deps;
  }

  async run(shopId: string, actionId: string): Promise<void> {
    const { stores, log } = this.deps;
    const action = await stores.actions.claim(shopId, actionId);
    if (!action) return;
    const decisionRow = await stores.decisions.get(shopId, action.decision_id);
    if (!decisionRow) return stores.actions.finish(shopId, actionId, 'skipped', { reason: 'decision deleted' });
    // An action of an earlier revision whose zone a later revision lowered is not run any more.
    const superseded = await this.supersededBy(action, decisionRow);
    if (superseded) return stores.actions.finish(shopId, actionId, 'skipped', { reason: superseded });
    if (action.type === 'review.queue') return stores.actions.finish(shopId, actionId, 'done', { queue: (action.spec as { queue?: string }).queue ?? 'default' });
    const shop = await stores.shops.getCached(shopId);
    if (!shop?.access_token) {
      const reason = this.deps.config.demoMode ? 'demo mode: no Shopify store is connected' : `shop is ${shop?.status ?? 'not installed'}: no access token`;
      return stores.actions.finish(shopId, actionId, 'skipped', { reason });
    }
    const client = this.client(shopId, shop.access_token);
    try {
      const result = await this.execute(client, action, decisionRow.trace as Decision);
      const skipped = (result as { skipped?: string }).skipped;
      await stores.actions.finish(shopId, actionId, skipped ? 'skipped' : 'done', result as Record<string, unknown>);
      log.info({ shopId, actionId, type: action.type, skipped }, 'action done');
    } catch (error) {
      if (error instanceof ShopifyApiError && error.kind === 'unauthorized') {
        await this.deps.onUnauthorized(shopId);
        await stores.actions.finish(shopId, actionId, 'failed', null, `Shopify refused the token (${error.message}); reconnect the app`);
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      if (action.attempts < MAX_ATTEMPTS && isTransient(error)) {
        // The client already retried with backoff; try the whole action again later, visibly.
        await stores.actions.requeue(shopId, actionId, `attempt ${action.attempts}: ${message}`);
        const delay = (this.deps.retryBaseSeconds ?? 30) * 2 ** (action.attempts - 1);
        await this.deps.retryLater(shopId, actionId, action.attempts, delay);
        return;
      }
      await stores.actions.finish(shopId, actionId, 'failed', null, `gave up after ${action.attempts} attempt(s): ${message}`);
      log.warn({ shopId, actionId, type: action.type, err: error }, 'action failed');
    }
  }

  /**
   * Why an action chosen by an earlier revision no longer applies: a later revision lowered the
   * zone below the one that chose it. Undefined when it still applies (the same revision, or one
   * that kept or raised the zone).
   */
  private async supersededBy(action: ActionRow, decision: DecisionRow): Promise<string | undefined> {
    const current = decision.revision ?? 0;
    if ((action.revision ?? 0) >= current) return undefined;
    const chosenUnder = (await this.deps.stores.decisions.revisionsOf(action.shop_id, decision.id)).find((r) => r.revision === action.revision);
    if (!chosenUnder || ZONE_RANK[decision.zone] >= ZONE_RANK[chosenUnder.zone]) return undefined;
    return `superseded: revision ${current} lowered the zone from ${chosenUnder.zone.toUpperCase()} to ${decision.zone.toUpperCase()} before it ran`;
  }

  /** One-click release of a hold this app placed (only our hold ids), audited. */
  async release(shopId: string, actionId: string, actor: string): Promise<{ released: string[] }> {
    const { stores } = this.deps;
    const action = await stores.actions.get(shopId, actionId);
    const holds = ((action?.result as { holds?: FulfillmentHoldRef[] } | null)?.holds ?? []).map(({ fulfillmentOrderId, holdId }) => ({ fulfillmentOrderId, holdId }));
    const shop = await stores.shops.get(shopId);
    let released: string[] = [];
    if (holds.length > 0 && shop?.access_token) {
      const result = await releaseHolds(this.client(shopId, shop.access_token), { holds });
      released = result.released;
    }
    await stores.actions.finish(shopId, actionId, 'released', { ...(action?.result ?? {}), releasedBy: actor, released });
    // A revision's proposal to release this hold is answered.
    await stores.actions.settleReleaseProposals(shopId, actionId, actor);
    await stores.audit.record(shopId, actor, 'hold.release', actionId, { released });
    return { released };
  }

  private client(shop: string, accessToken: string): AdminGraphqlClient {
    return new AdminGraphqlClient({
      shop,
      accessToken,
      apiVersion: this.deps.config.shopify.apiVersion,
      origin: this.deps.config.shopify.adminOrigin,
      sleep: this.deps.sleep,
      onRetry: (retry) => this.deps.log.info({ shop, ...retry }, 'Admin API retry'),
    });
  }

  private async execute(client: AdminGraphqlClient, action: ActionRow, decision: Decision): Promise<unknown> {
    const spec = action.spec as ChosenAction;
    const orderId = decision.subject.kind === 'order' ? decision.subject.id : undefined;
    switch (spec.type) {
      case 'fulfillment.hold':
        if (!orderId) return { skipped: 'not an order' };
        return holdFulfillment(client, { orderId, reason: spec.reason ?? 'HIGH_RISK_OF_FRAUD', note: spec.note ?? `RefundSentry score ${decision.score} (${decision.zone})` });
      case 'customer.tag': {
        const customerId = (await this.deps.stores.decisions.get(action.shop_id, action.decision_id))?.customer_id;
        if (!customerId) return { skipped: 'guest checkout: no customer to tag' };
        return swapRiskTag(client, { customerId, tag: spec.tag ?? `refundsentry:${decision.zone}-risk` });
      }
      case 'risk.assessment':
        if (!orderId) return { skipped: 'not an order' };
        return createRiskAssessment(client, { orderId, riskLevel: (spec.riskLevel ?? 'auto') as never, decision });
      case 'flow.trigger': {
        const row = await this.deps.stores.decisions.get(action.shop_id, action.decision_id);
        if (!row?.order_id) return { skipped: 'no order to reference' };
        const returnId = decision.subject.kind === 'return' ? decision.subject.id : null;
        const payload = flowPayload(spec.handle, decision, { orderId: row.order_id, returnId });
        return triggerFlow(client, { handle: spec.handle, payload });
      }
      default:
        return { skipped: `unknown action type ${(spec as { type: string }).type}` };
    }
  }
}

function isTransient(error: unknown): boolean {
  return error instanceof ShopifyApiError && (error.kind === 'throttled' || error.kind === 'network' || (error.kind === 'http' && (error.status ?? 0) >= 500));
}

import type { DecisionAction } from '../api.ts';
import { enumWords, withoutGids } from './format.ts';

/** What each action type does, in a merchant's words. */
const ACTION_WORDS: Record<string, string> = {
  'fulfillment.hold': 'Fulfilment hold',
  'fulfillment.release': 'Release of the fulfilment hold',
  'customer.tag': 'Customer risk tag',
  'risk.assessment': "Risk assessment on Shopify's fraud card",
  'flow.trigger': 'Shopify Flow trigger',
  'review.queue': 'Manual review queue',
};

/** The state word of a type once it happened ("placed" for a hold, "added" for a tag). */
const DONE_WORDS: Record<string, string> = {
  'fulfillment.hold': 'placed',
  'fulfillment.release': 'released',
  'customer.tag': 'added',
  'risk.assessment': 'written',
  'flow.trigger': 'sent',
  'review.queue': 'queued for review',
};

/** Why Shopify left an action undone (the executors' `skipped` codes), in words. */
const SKIP_WORDS: Record<string, string> = {
  'no-open-fulfillment-orders': 'no open fulfilment order to hold',
  'order-not-found': 'Shopify no longer has the order',
  'already-fulfilled': 'the order was already fulfilled',
  'tag-limit': 'the customer already has 250 tags',
  'customer-not-found': 'Shopify no longer has the customer',
  holdout: 'in the holdout sample',
};

export type ActionTone = 'success' | 'critical' | 'attention' | 'info' | undefined;

/** An action's name in words, with what it names ("Customer risk tag refundsentry:high-risk", "Shopify Flow trigger high-risk-order"). */
export function actionTitle(action: Pick<DecisionAction, 'type' | 'spec'>): string {
  const spec = (action.spec ?? {}) as { tag?: unknown; handle?: unknown; queue?: unknown };
  const base = ACTION_WORDS[action.type] ?? enumWords(action.type.replace(/\./g, ' '));
  const detail = action.type === 'customer.tag' ? spec.tag : action.type === 'flow.trigger' ? spec.handle : action.type === 'review.queue' ? spec.queue : undefined;
  return typeof detail === 'string' && detail ? `${base} ${detail}` : base;
}

/** An action's state: the short word (`label`, for a badge), why (`reason`, when there is one) and both as one `text`. */
export interface ActionState {
  label: string;
  reason: string | null;
  text: string;
  tone: ActionTone;
}

/**
 * An action's real state in words, with a badge tone: "placed", "skipped: no Shopify store
 * connected (demo mode or awaiting reconnection)", "failed: …", "waiting to run", "released by
 * staff@shop", "proposed: waiting for you".
 */
export function actionState(action: Pick<DecisionAction, 'type' | 'status' | 'result' | 'error'>): ActionState {
  const result = (action.result ?? {}) as { reason?: unknown; skipped?: unknown; releasedBy?: unknown };
  const state = (label: string, tone: ActionTone, reason: string | null = null): ActionState => ({ label, reason, tone, text: reason ? `${label}: ${reason}` : label });
  switch (action.status) {
    case 'done':
      return state(DONE_WORDS[action.type] ?? 'done', 'success');
    case 'pending':
      return state('waiting to run', 'info');
    case 'proposed':
      return state('proposed', 'attention', 'waiting for you');
    case 'released':
      return state('released', 'info', typeof result.releasedBy === 'string' && result.releasedBy ? `by ${result.releasedBy}` : null);
    case 'failed':
      return state('failed', 'critical', action.error ? withoutGids(action.error) : null);
    case 'skipped': {
      const code = typeof result.skipped === 'string' ? result.skipped : typeof result.reason === 'string' ? result.reason : '';
      return state('skipped', undefined, code ? withoutGids(SKIP_WORDS[code] ?? code) : null);
    }
    default:
      return state(action.status, undefined);
  }
}

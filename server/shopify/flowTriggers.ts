import { LosslessNumber, isSafeNumber } from 'lossless-json';
import type { Decision } from '../../engine/decision.ts';
import { ActionError } from './actions/ActionError.ts';

/**
 * The payload keys of each Flow trigger extension in `extensions/<handle>/shopify.extension.toml`.
 * An `order_reference` field is sent as `order_id` (the Shopify CLI names reference fields
 * `<object>_id`), the others under their `key`.
 */
export const FLOW_TRIGGER_FIELDS = {
  'high-risk-order': ['order_id', 'Risk score', 'Risk zone', 'Top signals'],
  'high-risk-return': ['order_id', 'Return ID', 'Risk score', 'Risk zone', 'Top signals'],
} as const;

export type FlowTriggerHandle = keyof typeof FLOW_TRIGGER_FIELDS;

export interface FlowPayloadIds {
  /** GID of the order, e.g. `gid://shopify/Order/4783296544821`. */
  orderId: string;
  /** GID of the return, for `high-risk-return` (absent for a refund issued without a return). */
  returnId?: string | null;
}

const TOP_SIGNALS = 3;
const MAX_TEXT = 255;

export function isFlowTriggerHandle(handle: string): handle is FlowTriggerHandle {
  return Object.hasOwn(FLOW_TRIGGER_FIELDS, handle);
}

/** The `flowTriggerReceive` payload of one of our triggers for a decision. */
export function flowPayload(handle: string, decision: Decision, ids: FlowPayloadIds): Record<string, unknown> {
  if (!isFlowTriggerHandle(handle)) {
    throw new ActionError('triggerFlow', `no Flow trigger extension has the handle '${handle}' (known: ${Object.keys(FLOW_TRIGGER_FIELDS).join(', ')})`);
  }
  const common = {
    order_id: legacyResourceId(ids.orderId),
    'Risk score': decision.score,
    'Risk zone': decision.zone,
    'Top signals': topSignals(decision),
  };
  if (handle === 'high-risk-order') return common;
  return { ...common, 'Return ID': ids.returnId ?? '' };
}

/**
 * The numeric id Flow expects for a reference field ("numeric ID … legacyResourceId", FACTS 4.5),
 * from a GID. Ids beyond 2^53 stay exact as a LosslessNumber, which the client writes as a number.
 */
export function legacyResourceId(gid: string): number | LosslessNumber {
  const match = /^gid:\/\/shopify\/[A-Za-z]+\/(\d+)(?:\?.*)?$/.exec(gid);
  if (!match) throw new ActionError('triggerFlow', `not a Shopify GID: ${JSON.stringify(gid)}`);
  const digits = match[1];
  return isSafeNumber(digits) ? Number(digits) : new LosslessNumber(digits);
}

/** E.g. `velocity.returns-30d (+12), order.address-mismatch (+8)`: the signals that added most risk. */
function topSignals(decision: Decision): string {
  const text = decision.signals
    .filter((signal) => signal.points > 0)
    .sort((a, b) => b.points - a.points || a.id.localeCompare(b.id))
    .slice(0, TOP_SIGNALS)
    .map((signal) => `${signal.id} (+${Math.round(signal.points * 10) / 10})`)
    .join(', ');
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

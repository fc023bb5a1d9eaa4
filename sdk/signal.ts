import type { SignalContext, SubjectKind } from './context.ts';
import type { JsonSchemaObject } from './params.ts';

export type SignalStatus = 'hit' | 'no_hit' | 'insufficient_data' | 'error';
export type SignalCategory = 'velocity' | 'pattern' | 'customer' | 'order';

export const SIGNAL_STATUSES: readonly SignalStatus[] = Object.freeze([
  'hit',
  'no_hit',
  'insufficient_data',
  'error',
]);
export const SIGNAL_CATEGORIES: readonly SignalCategory[] = Object.freeze([
  'velocity',
  'pattern',
  'customer',
  'order',
]);
export const SUBJECT_KINDS: readonly SubjectKind[] = Object.freeze(['order', 'return', 'refund']);

/**
 * The parts of the context a signal reads. The server loads only what the enabled signals
 * need, and the simulator knows which stored results a change of history invalidates.
 */
export type ContextNeed =
  | 'subject'
  | 'customer'
  | 'history.orders'
  | 'history.fulfillments'
  | 'history.returns'
  | 'history.refunds'
  | 'history.chargebacks'
  | 'history.decisions'
  | 'history.outcomes'
  | 'history.transactions'
  | 'baseline'
  | 'lists'
  | 'derived';

export const CONTEXT_NEEDS: readonly ContextNeed[] = Object.freeze([
  'subject',
  'customer',
  'history.orders',
  'history.fulfillments',
  'history.returns',
  'history.refunds',
  'history.chargebacks',
  'history.decisions',
  'history.outcomes',
  'history.transactions',
  'baseline',
  'lists',
  'derived',
]);

/** JSON that fits in a trace: evidence must stay small (a few numbers and ids). */
export type EvidenceValue =
  | string
  | number
  | boolean
  | null
  | EvidenceValue[]
  | { [key: string]: EvidenceValue };
export type Evidence = Record<string, EvidenceValue>;

export interface SignalMeta {
  /** Namespaced, stable across versions: `velocity.return-rate`, third parties `vendor.name`. */
  id: string;
  /** Semver of the signal's logic. Bump it whenever the same input could give another result. */
  version: string;
  title: string;
  /** What the signal looks for, in words a merchant understands. */
  description: string;
  category: SignalCategory;
  appliesTo: readonly SubjectKind[];
  /** Points at full strength in the default ruleset; negative for trust signals. */
  defaultWeight: number;
  /** JSON Schema (type object) of the params, with a `default` for each property. */
  params: JsonSchemaObject;
  /** The context fields the signal reads. */
  needs: readonly ContextNeed[];
  /**
   * Message templates keyed by message id, with `{{placeholder}}` slots filled from the
   * result's `data` (or its evidence). As in ESLint rules, results name a message id.
   */
  messages?: Readonly<Record<string, string>>;
  /** Optional JSON Schema of the evidence object, for docs and the trace viewer. */
  evidence?: JsonSchemaObject;
  docsUrl?: string;
  deprecated?: boolean;
  replacedBy?: readonly string[];
}

/** What `evaluate` returns. `normalizeOutcome` turns it into a `SignalResult`. */
export interface SignalOutcome {
  status: Exclude<SignalStatus, 'error'> | 'error';
  /** 0..1; defaults to 1 for a hit and 0 otherwise. */
  strength?: number;
  evidence?: Evidence;
  /** A message id from `meta.messages`, rendered with `data` (or `evidence`). */
  messageId?: string;
  data?: Record<string, string | number | boolean | null>;
  /** A literal message, for signals without message templates. */
  message?: string;
}

/** A signal's result as it appears in a decision trace. */
export interface SignalResult {
  status: SignalStatus;
  strength: number;
  evidence: Evidence;
  message: string;
  messageId?: string;
}

export type ParamsOf<S> = S extends Signal<infer P> ? P : never;

export interface SignalDefinition<P extends object> {
  meta: SignalMeta;
  /**
   * Pure: a function of `ctx` and `params` only. No clock (use `ctx.now`), no I/O, no
   * randomness, no mutation of `ctx` (it arrives frozen).
   */
  evaluate(ctx: SignalContext, params: Readonly<P>): SignalOutcome;
}

export interface Signal<P extends object = Record<string, unknown>> extends SignalDefinition<P> {
  readonly meta: Readonly<SignalMeta>;
  /** Marks objects made by `defineSignal`, so loaders can tell a signal from anything else. */
  readonly kind: 'refundsentry.signal';
}

/** A signal of unknown params, as registries hold them. */
export type AnySignal = Signal<any>;

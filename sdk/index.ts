/**
 * @refundsentry/sdk — the contract for RefundSentry signal authors, built-in and third-party.
 * The test kit lives on its own subpath: `@refundsentry/sdk/testing`.
 */
export { defineSignal, resolveParams, isSignal, SignalDefinitionError, SIGNAL_ID_PATTERN } from './defineSignal.ts';
export { evaluateSignal, normalizeOutcome, errorResult, fillTemplate, SignalResultError, MAX_EVIDENCE_BYTES } from './result.ts';
export { SIGNAL_STATUSES, SIGNAL_CATEGORIES, SUBJECT_KINDS, CONTEXT_NEEDS } from './signal.ts';
export type {
  AnySignal,
  ContextNeed,
  Evidence,
  EvidenceValue,
  ParamsOf,
  Signal,
  SignalCategory,
  SignalDefinition,
  SignalMeta,
  SignalOutcome,
  SignalResult,
  SignalStatus,
} from './signal.ts';
export type { JsonSchemaObject, ParamsResolution, ValidationProblem } from './params.ts';
export type * from './context.ts';
export { BASELINE_MEASURES, MIN_BASELINE_OBSERVATIONS, baselinePercentile } from './baseline.ts';
export type { BaselineMeasure } from './baseline.ts';
export { RING_LIST_LIMIT, ringOf } from './ring.ts';
export { CHECKOUT_WINDOW_MS, PAYMENT_KINDS, checkoutTransactions, isCheckoutTransaction, isKnownTransaction, paymentIdentityOf } from './transactions.ts';
export { IDENTITY_RECENT_LIMIT, identityOf } from './identity.ts';
/** The sdk's own version: plugins declare the range they need. */
export const SDK_VERSION = '1.0.0';

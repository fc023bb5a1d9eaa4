import type { OutcomeRisk } from '../engine/chargebacks/calibration.ts';
import type { Decision, SignalTrace } from '../engine/decision.ts';
import type { Instant, Kind, Zone } from './common.ts';

export type { OutcomeRisk };

/**
 * The new fact that made a decision be looked at again (issue 23): what kind, which record
 * (`factId`), when it happened (`at`, the fact's own time) and, when a storm of them was folded
 * into one revision, how many (`coalesced`). An edit of an order comes as `order.updated`: Shopify
 * follows each order edit with an orders/updated body carrying the edited order (the orders/edited
 * body names only the changed line ids, not what the order now is).
 */
export interface RevisionTrigger {
  kind: 'transaction' | 'order.updated' | 'fulfillment' | 'chargeback' | 'label' | 'ring';
  factId: string | null;
  at: Instant;
  coalesced?: number;
}

/** A decision as a table row (`GET /api/decisions`, a customer's history): its top 3 signals by points. */
export interface DecisionSummary {
  id: string;
  kind: Kind;
  subjectId: string;
  orderId: string | null;
  customerId: string | null;
  score: number;
  zone: Zone;
  decidedAt: Instant;
  ruleset: { id: string; version: number };
  topSignals: { id: string; points: number; message: string }[];
  insufficient: number;
  errors: number;
  /** In the holdout sample: a HIGH decision whose actions were deliberately not executed. */
  holdout?: boolean;
  /** The current revision (0: never revised). */
  revision: number;
}

/** One signal's line of a decision's trace: status, strength, points, evidence (snoozed lines score 0). */
export type SignalLine = SignalTrace;

/** `GET /api/decisions?zone=&kind=&from=&to=&customerId=&limit=&before=`. */
export interface DecisionList {
  decisions: DecisionSummary[];
  /** The `before` of the next page, or null on the last. */
  next: string | null;
  /** Decisions per zone over the whole shop. */
  counts: Record<string, number>;
}

/** An action chosen by a decision, as it stands. */
export interface DecisionAction {
  id: string;
  type: string;
  ruleId: string;
  status: string;
  attempts: number;
  result: unknown;
  error: string | null;
  spec?: unknown;
  /** The revision of the decision that chose it (0: the first decision). */
  revision: number;
}

/**
 * One revision of a decision (`GET /api/decisions/{id}`'s `revisions`, oldest first, the current
 * one last): its score and zone, the version that decided it, what triggered it and when, and a
 * sentence saying what changed from the revision before ("score rose from 28 to 71 when …").
 */
export interface DecisionRevision {
  revision: number;
  score: number;
  zone: Zone;
  ruleset: { id: string; version: number };
  trigger: RevisionTrigger | null;
  /** The point in time this revision saw (the subject's own time for the first decision). */
  knownAt: Instant;
  /** When it was made. */
  madeAt: Instant;
  /** What changed from the revision before (null for the first). */
  change: string | null;
  /** The signals whose points changed most from the revision before (at most 3). */
  moved: { id: string; from: number; to: number; message: string }[];
}

/** An outcome label of the decision's subject (a chargeback, the merchant's label, …). */
export interface OutcomeLabel {
  label: 'fraud' | 'legit';
  source: string;
  labelled_at?: Instant;
  labelledAt?: Instant;
  note?: string | null;
}

/** `GET /api/decisions/{id}`: the decision with its whole trace, its actions and outcomes. */
export interface DecisionDetail extends DecisionSummary {
  /** The calibrated fraud risk of this score under the version that decided it (probability null: not enough outcomes yet). */
  risk: OutcomeRisk;
  trace: Decision;
  actions: DecisionAction[];
  outcomes: OutcomeLabel[];
  /** Every revision, oldest first; the last is this decision as it stands. */
  revisions: DecisionRevision[];
}

/** `POST /api/decisions/{id}/outcome` (`{label, note?}`). */
export interface OutcomeRequest {
  label: 'fraud' | 'legit';
  note?: string;
}
export interface OutcomeAnswer {
  ok: true;
  label: 'fraud' | 'legit';
}

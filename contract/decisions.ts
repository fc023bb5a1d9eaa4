import type { OutcomeRisk } from '../engine/chargebacks/calibration.ts';
import type { Decision, SignalTrace } from '../engine/decision.ts';
import type { Instant, Kind, Zone } from './common.ts';

export type { OutcomeRisk };

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

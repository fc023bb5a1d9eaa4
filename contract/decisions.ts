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
  /** The name Shopify gave the order ("#1001"; a return's or refund's order), null when the order is not stored. */
  orderName: string | null;
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

/**
 * What to do next about a decided subject (the order card's words for an order, worded for the
 * kind otherwise): `step` short ("Review before fulfilling"), `text` the sentence, with the
 * calibrated fraud risk when it is at least twice the rate of all known outcomes.
 */
export interface Recommendation {
  step: string;
  text: string;
}

/** A signal of the trace as a merchant reads it: its catalog title and description (a custom signal's from the ruleset version that decided, else its id in words). */
export interface SignalName {
  title: string;
  description: string | null;
  /** The catalog's category (`customer`, `order`, `velocity`, `pattern`, …), `custom` for a ruleset's own. */
  category: string;
}

/** A line of an order: the product as the shop names it, how many, the unit price before discounts and the line's discount. */
export interface OrderItem {
  title: string;
  /** "M / Blue". */
  variant: string | null;
  sku: string | null;
  quantity: number;
  price: number;
  discount: number;
}

/** The order a decision is about (or the order of its return or refund), as stored from Shopify's bodies. Amounts in `currency`, the shop's. */
export interface OrderFacts {
  id: string;
  /** The order's name as the shop shows it (`#1001`); null when the body had none. */
  name: string | null;
  /** ISO 4217, the shop's currency. */
  currency: string;
  placedAt: Instant;
  total: number;
  subtotal: number;
  discounts: number;
  shipping: number | null;
  discountCodes: string[];
  /** Payment gateways ("shopify_payments", "gift_card", …). */
  gateways: string[];
  financialStatus: string | null;
  cancelled: boolean;
  items: OrderItem[];
}

/** The return a decision is about (or the return its refund paid for). `reason` is Shopify's ReturnReason value (`SIZE_TOO_SMALL`). */
export interface ReturnFacts {
  id: string;
  status: string;
  requestedAt: Instant;
  closedAt: Instant | null;
  /** The value of the returned items, in the order's currency. */
  value: number;
  items: { title: string; variant: string | null; quantity: number; unitPrice: number | null; reason: string | null; note: string | null }[];
  exchangeItems: number;
}

/** The refund a decision is about: how much went back, how, for which lines. */
export interface RefundFacts {
  id: string;
  issuedAt: Instant;
  amount: number;
  /** `original_payment`, `store_credit`, `gift_card`, `exchange`, `cash`, `other` (the largest part's). */
  method: string;
  /** Issued by staff without a return. */
  manual: boolean;
  items: { title: string; quantity: number; amount: number }[];
}

/** What the decision is about, from the records stored (null where a record is not stored or does not apply). */
export interface SubjectFacts {
  order: OrderFacts | null;
  return: ReturnFacts | null;
  refund: RefundFacts | null;
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
  /** What to do next (from the zone, the hold RefundSentry placed and `risk`). */
  recommendation: Recommendation;
  /** The title and description of every signal of the trace, by id. */
  signalNames: Record<string, SignalName>;
  /** The order, return and refund behind the decision. */
  facts: SubjectFacts;
  /** The order and the customer in Shopify admin (`https://admin.shopify.com/store/<store>/orders/<number>`), null when unknown. */
  links: { order: string | null; customer: string | null };
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

import type { SubjectKind } from '../../sdk/index.ts';

/**
 * What became known of a decided subject (an order, a return, a refund), as of a moment: its
 * label. Pure: the subject's facts come in (its order's payment means and disputes, its order's
 * refunds and returns, the merchant's label), a label goes out. The fit, the calibration of risk
 * figures, the label counts and the aging job all read labels through here, so "fraud" and
 * "legit" mean one thing everywhere.
 *
 * - **Positive** (fraud or abuse): the merchant labelled it fraud; or a chargeback of a fraud
 *   reason on its order (`fraudulent`, `unrecognized`: the cardholder says they did not make or
 *   know the purchase; Shopify's other reasons, such as `product_not_received` or
 *   `credit_not_processed`, are not fraud labels); or a double dip (its order was refunded or
 *   returned AND charged back, whatever the reason: the customer was paid twice).
 * - **Negative** (legit): the merchant labelled it legit; or it matured without a dispute (its
 *   dispute window closed and no dispute came: aging inference).
 *
 * Only settled labels are used for fitting and calibration: a merchant's label at once; any other
 * only once the subject's dispute window has closed. A fraud chargeback arrives within days, an
 * honest order is known honest only after the window: counting the early positives before their
 * window closes, without the negatives of the same weeks, would inflate every rate (and a
 * precision target set on it). Such subjects are `pending` (fraud known, window still open).
 */

/** Shopify's dispute reasons (webhooks' lowercase form) that are fraud labels. */
export const FRAUD_DISPUTE_REASONS: ReadonlySet<string> = new Set(['fraudulent', 'unrecognized']);

/**
 * Days after the subject within which a card dispute may still come: the card networks' limit for
 * fraud disputes counted from the transaction (Visa 10.4, Mastercard 4837: 120 days). A return or
 * refund counts from its own time (disputes such as "credit not processed" count from the return
 * or credit), which is later than its order's, so never earlier than the network's limit.
 */
export const CHARGEBACK_WINDOW_DAYS = 120;

/**
 * Days after which an order paid only by means no card network can reverse (gift card, store
 * credit, cash on delivery, bank deposit, money order, manual payment) or an order of nothing to
 * pay is settled: no chargeback can come; these days leave the merchant time to see a refused
 * parcel or an unpaid invoice and label it fraud (a merchant's label wins over aging).
 */
export const UNDISPUTABLE_MATURITY_DAYS = 30;

/**
 * Gateways whose disputes the app sees: Shopify Payments' (disputes webhooks and the `disputes`
 * query return ShopifyPaymentsDispute only, FACTS §4.8). A dispute through another processor
 * (PayPal, a third-party card gateway) never reaches the app, so "no dispute came" says nothing
 * there: such orders are `unobservable` and only a merchant's label settles them.
 */
export const DISPUTES_SEEN_GATEWAYS: ReadonlySet<string> = new Set(['shopify_payments']);

/** Parts of gateway names (normalized: lower case, spaces and hyphens as `_`) of means no card network can reverse. */
export const UNDISPUTABLE_GATEWAY_PARTS: readonly string[] = ['gift_card', 'store_credit', 'cash_on_delivery', 'bank_deposit', 'money_order', 'manual'];

const DAY_MS = 86_400_000;

/** "Gift Card" and "gift-card" both as `gift_card` (as `order.gift-card-payment` reads gateways). */
export function normalizeGateway(gateway: string): string {
  return gateway.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

export interface DisputeFact {
  /** When the dispute was opened. */
  at: string;
  reason?: string | null;
  /** `chargeback` or `inquiry` (an inquiry moves no money; it is not a chargeback). */
  type?: string | null;
}

export interface MerchantLabelFact {
  label: 'fraud' | 'legit';
  at: string;
}

/** What the store knows of one decided subject and its order. */
export interface SubjectFacts {
  kind: SubjectKind;
  /** The subject's time. */
  at: string;
  /** The order's payment gateway names (empty when unknown). */
  gateways: readonly string[];
  /** The order's total; null when the order is not stored. */
  orderTotal: number | null;
  /** Every dispute of the subject's order (any time; `labelAt` keeps those known). */
  disputes: readonly DisputeFact[];
  /** The first refund or return of the subject's order (any time), or null. */
  firstPaybackAt: string | null;
  /** The merchant's labels of the subject (any time). */
  merchant: readonly MerchantLabelFact[];
}

export type LabelState =
  /** Settled fraud/abuse. */
  | 'positive'
  /** Settled legit. */
  | 'negative'
  /** Fraud known (a fraud chargeback, a double dip), the dispute window still open: counted, not used until it closes. */
  | 'pending'
  /** Nothing known yet, the dispute window still open. */
  | 'immature'
  /** A dispute that is no fraud label (another reason, or an inquiry), without a refund: neither fraud nor honest. */
  | 'disputed'
  /** Paid by means whose disputes the app cannot see: only a merchant's label settles it. */
  | 'unobservable';

export type LabelSource = 'merchant' | 'fraud-chargeback' | 'double-dip' | 'aging';

export interface SubjectLabel {
  state: LabelState;
  /** Why (positive, negative, pending). */
  source?: LabelSource;
  /** When it became known (positive, negative, pending), or when the window closes (immature, pending: `maturesAt`). */
  at?: string;
  /** When the subject's dispute window closes; null when the app cannot see its disputes. */
  maturesAt: string | null;
}

/** Whether a dispute is a fraud label (a chargeback, not an inquiry, of a fraud reason). */
export function isFraudDispute(dispute: Pick<DisputeFact, 'reason' | 'type'>): boolean {
  return dispute.type !== 'inquiry' && !!dispute.reason && FRAUD_DISPUTE_REASONS.has(dispute.reason.toLowerCase());
}

/** How the subject's order was paid, for its dispute window. */
export type PaymentClass = 'disputable' | 'undisputable' | 'unobservable';

/**
 * `disputable`: through Shopify Payments, or unknown (no gateway stored: treated as the common
 * case, a card); `undisputable`: only means no card network can reverse, or nothing to pay;
 * `unobservable`: another processor, whose disputes the app never sees.
 */
export function paymentClassOf(gateways: readonly string[], orderTotal: number | null): PaymentClass {
  if (orderTotal !== null && orderTotal <= 0) return 'undisputable';
  const names = gateways.map(normalizeGateway).filter((g) => g.length > 0);
  if (names.length === 0) return 'disputable';
  if (names.some((g) => DISPUTES_SEEN_GATEWAYS.has(g))) return 'disputable';
  if (names.every((g) => UNDISPUTABLE_GATEWAY_PARTS.some((part) => g.includes(part)))) return 'undisputable';
  return 'unobservable';
}

/** When the subject's dispute window closes (ms), or null when the app cannot see its disputes. */
export function maturityOf(facts: Pick<SubjectFacts, 'at' | 'gateways' | 'orderTotal'>, windowDays = CHARGEBACK_WINDOW_DAYS): number | null {
  const at = Date.parse(facts.at);
  const payment = paymentClassOf(facts.gateways, facts.orderTotal);
  if (payment === 'unobservable') return null;
  const days = payment === 'undisputable' ? Math.min(UNDISPUTABLE_MATURITY_DAYS, windowDays) : windowDays;
  return at + days * DAY_MS;
}

export interface LabelOptions {
  /** The chargeback window in days (default `CHARGEBACK_WINDOW_DAYS`; a backfill's `agingDays`). */
  windowDays?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The subject's label as known strictly before `asOf` (ms): a chargeback, refund or merchant label
 * recorded at or after `asOf` is not known then. See the module comment for the rules; a
 * merchant's latest label known then wins over everything else.
 */
export function labelAt(facts: SubjectFacts, asOf: number, options: LabelOptions = {}): SubjectLabel {
  const windowDays = options.windowDays ?? CHARGEBACK_WINDOW_DAYS;
  let maturity = maturityOf(facts, windowDays);
  let merchant: MerchantLabelFact | undefined;
  for (const label of facts.merchant) {
    const at = Date.parse(label.at);
    if (at < asOf && (!merchant || at >= Date.parse(merchant.at))) merchant = label;
  }
  const maturesAt = () => (maturity === null ? null : iso(maturity));
  if (merchant) return { state: merchant.label === 'fraud' ? 'positive' : 'negative', source: 'merchant', at: iso(Date.parse(merchant.at)), maturesAt: maturesAt() };

  const known = facts.disputes.filter((d) => Date.parse(d.at) < asOf);
  const chargebacks = known.filter((d) => d.type !== 'inquiry');
  let evidence: { source: LabelSource; at: number } | undefined;
  const fraud = chargebacks.filter(isFraudDispute).map((d) => Date.parse(d.at));
  if (fraud.length > 0) evidence = { source: 'fraud-chargeback', at: Math.min(...fraud) };
  const payback = facts.firstPaybackAt === null ? NaN : Date.parse(facts.firstPaybackAt);
  if (chargebacks.length > 0 && payback < asOf) {
    const at = Math.max(Math.min(...chargebacks.map((d) => Date.parse(d.at))), payback);
    if (!evidence || at < evidence.at) evidence = { source: 'double-dip', at };
  }
  if (evidence) {
    // A dispute was seen, so the app does see this order's disputes, whatever its gateways said.
    maturity ??= Date.parse(facts.at) + windowDays * DAY_MS;
    if (maturity <= asOf) return { state: 'positive', source: evidence.source, at: iso(evidence.at), maturesAt: maturesAt() };
    return { state: 'pending', source: evidence.source, at: iso(evidence.at), maturesAt: maturesAt() };
  }
  if (known.length > 0) return { state: 'disputed', maturesAt: maturesAt() };
  if (maturity === null) return { state: 'unobservable', maturesAt: null };
  if (maturity <= asOf) return { state: 'negative', source: 'aging', at: iso(maturity), maturesAt: maturesAt() };
  return { state: 'immature', maturesAt: maturesAt() };
}

/** Whether a label is settled (usable to fit and calibrate), and which way. */
export function settled(label: SubjectLabel): boolean | undefined {
  return label.state === 'positive' ? true : label.state === 'negative' ? false : undefined;
}

export interface KindLabelCounts {
  /** Decided subjects of the kind. */
  decided: number;
  positive: number;
  negative: number;
  pending: number;
  immature: number;
  disputed: number;
  unobservable: number;
  /** Settled labels by source. */
  bySource: Record<LabelSource, { positive: number; negative: number }>;
  /** When the next subject still in its window (immature or pending) settles, and how many settle within 30 days of `asOf`. */
  maturing: { next: string | null; within30Days: number };
}

export const SUBJECT_KINDS: readonly SubjectKind[] = ['order', 'return', 'refund'];

export function emptyCounts(): KindLabelCounts {
  const pair = () => ({ positive: 0, negative: 0 });
  return {
    decided: 0, positive: 0, negative: 0, pending: 0, immature: 0, disputed: 0, unobservable: 0,
    bySource: { merchant: pair(), 'fraud-chargeback': pair(), 'double-dip': pair(), aging: pair() },
    maturing: { next: null, within30Days: 0 },
  };
}

/** Label counts per subject kind. */
export function countLabels(labels: readonly { kind: SubjectKind; label: SubjectLabel }[], asOf: number): Record<SubjectKind, KindLabelCounts> {
  const counts = Object.fromEntries(SUBJECT_KINDS.map((k) => [k, emptyCounts()])) as Record<SubjectKind, KindLabelCounts>;
  const soon = asOf + 30 * DAY_MS;
  for (const { kind, label } of labels) {
    const c = counts[kind];
    if (!c) continue;
    c.decided++;
    c[label.state]++;
    if ((label.state === 'positive' || label.state === 'negative') && label.source) c.bySource[label.source][label.state]++;
    if ((label.state === 'immature' || label.state === 'pending') && label.maturesAt) {
      const at = Date.parse(label.maturesAt);
      if (c.maturing.next === null || at < Date.parse(c.maturing.next)) c.maturing.next = label.maturesAt;
      if (at <= soon) c.maturing.within30Days++;
    }
  }
  return counts;
}

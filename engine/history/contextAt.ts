import {
  isKnownTransaction,
  type CustomerHistory,
  type CustomerSnapshot,
  type HashedLists,
  type PastDecision,
  type ShopBaseline,
  type SignalContext,
  type Subject,
} from '../../sdk/index.ts';
import { identityAt } from './identityAt.ts';
import { ringAt, type IdentifierSharing } from './ringAt.ts';
import type { Ledger, ShopHistory } from './ShopHistory.ts';

export interface ContextOptions {
  shopId: string;
  /** The shop baseline in force at the subject's time (built only from earlier events). */
  baseline?: ShopBaseline;
  lists?: HashedLists;
}

export const EMPTY_BASELINE: ShopBaseline = Object.freeze({ measures: {}, skuReturnRates: {} }) as ShopBaseline;
export const EMPTY_LISTS: HashedLists = Object.freeze({ blocked: {}, allowed: {} }) as HashedLists;
const RISK_TAG = /^refundsentry:(low|medium|high)-risk$/;

/**
 * The point-in-time context of a subject: only what was known strictly before `subject.at`.
 * The customer's history (or, for a guest, the subject order's own records) is cut at that
 * moment; a fulfilment delivered later shows no delivery time yet; the subject itself is never
 * part of its own history. Adding later events to the history can never change the result.
 * `derived.ring` (`ringAt`) for every subject, and `derived.identity` (`identityAt`) for an order.
 */
export function contextAt(subject: Subject, history: ShopHistory, options: ContextOptions): SignalContext {
  const at = Date.parse(subject.at);
  const customerId = subject.order.customerId ?? null;
  const ledger = history.ledgerFor(customerId, subject.order.id);
  const before = (time: string) => Date.parse(time) < at;
  const customerHistory: CustomerHistory = {
    orders: ledger.orders.filter((o) => before(o.createdAt) && o.id !== subject.id),
    fulfillments: ledger.fulfillments
      .filter((f) => before(f.createdAt))
      .map((f) => (f.deliveredAt && !before(f.deliveredAt) ? { ...f, deliveredAt: null } : f)),
    returns: ledger.returns.filter((r) => before(r.createdAt) && r.id !== subject.id).map((r) => (r.closedAt && !before(r.closedAt) ? { ...r, closedAt: null } : r)),
    refunds: ledger.refunds.filter((r) => before(r.createdAt) && r.id !== subject.id),
    chargebacks: ledger.chargebacks.filter((c) => before(c.initiatedAt)),
    decisions: ledger.decisions.filter((d) => before(d.at) && d.subjectId !== subject.id),
    outcomes: ledger.outcomes.filter((o) => before(o.at)),
    // Those known before the subject, and an order subject's own checkout ones (`isKnownTransaction`).
    transactions: history.transactionsByKey(history.keyFor(customerId, subject.order.id)).filter((t) => isKnownTransaction(t, subject, at)),
  };
  sortByTime(customerHistory);
  // The subject's own order is known at its time (an order subject is excluded from its history).
  const ownOrders = subject.kind === 'order' ? [subject.order, ...customerHistory.orders] : customerHistory.orders.some((o) => o.id === subject.order.id) ? customerHistory.orders : [subject.order, ...customerHistory.orders];
  const sharing = new Map<string, IdentifierSharing>();
  const ring = ringAt(history, history.keyFor(customerId, subject.order.id), ownOrders, at, sharing);
  // Identity facts for order subjects: what the order's identifiers had been used for until now.
  const derived = subject.kind === 'order' ? { ring, identity: identityAt(history, subject.order, customerHistory.orders, at, sharing) } : { ring };
  return {
    shopId: options.shopId,
    now: subject.at,
    subject,
    customer: customerAt(customerId ? history.customers.get(customerId) : undefined, customerId, customerHistory.decisions.at(-1)),
    history: customerHistory,
    baseline: options.baseline ?? EMPTY_BASELINE,
    lists: options.lists ?? EMPTY_LISTS,
    derived,
  };
}

/**
 * The customer as known then: their stored snapshot, with RefundSentry's own risk tag taken
 * from the latest earlier decision rather than from whatever the tag is today.
 */
export function customerAt(snapshot: CustomerSnapshot | undefined, id: string | null, latest: PastDecision | undefined): CustomerSnapshot | null {
  if (!id) return null;
  const base = snapshot ?? { id, tags: [], identity: {} };
  const tags = base.tags.filter((tag) => !RISK_TAG.test(tag));
  if (latest) tags.push(`refundsentry:${latest.zone}-risk`);
  return { ...base, tags };
}

function sortByTime(history: CustomerHistory): void {
  const byTime = <T>(time: (record: T) => string) => (a: T, b: T) => Date.parse(time(a)) - Date.parse(time(b));
  history.orders.sort(byTime((o) => o.createdAt));
  history.fulfillments.sort(byTime((f) => f.createdAt));
  history.returns.sort(byTime((r) => r.createdAt));
  history.refunds.sort(byTime((r) => r.createdAt));
  history.chargebacks.sort(byTime((c) => c.initiatedAt));
  history.decisions.sort(byTime((d) => d.at));
  history.outcomes.sort(byTime((o) => o.at));
  history.transactions?.sort(byTime((t) => t.createdAt));
}

export type { Ledger };

import { isKnownTransaction, type CustomerHistory, type SignalContext, type Subject } from '../../sdk/index.ts';
import { customerAt, derivedAt, pointInTimeContext, type ContextOptions } from './pointInTime.ts';
import type { Ledger, ShopHistory } from './ShopHistory.ts';

export { customerAt, EMPTY_BASELINE, EMPTY_LISTS } from './pointInTime.ts';
export type { ContextOptions };

/**
 * The point-in-time context of a subject: only what was known strictly before `subject.at`.
 * The customer's history (or, for a guest, the subject order's own records) is cut at that
 * moment; a fulfilment delivered later shows no delivery time yet; the subject itself is never
 * part of its own history. Adding later events to the history can never change the result.
 * `derived.ring` (`ringAt`) for every subject, and `derived.identity` (`identityAt`) for an order.
 */
export function contextAt(subject: Subject, history: ShopHistory, options: ContextOptions): SignalContext {
  const at = Date.parse(subject.at);
  // A revision's point of knowledge: the facts learned later are cut there (ContextOptions.knownAt).
  const known = options.knownAt === undefined ? at : Math.max(at, Date.parse(options.knownAt));
  const customerId = subject.order.customerId ?? null;
  const ledger = history.ledgerFor(customerId, subject.order.id);
  const before = (time: string) => Date.parse(time) < at;
  const knownBefore = (time: string) => Date.parse(time) < known;
  const customerHistory: CustomerHistory = {
    orders: ledger.orders.filter((o) => before(o.createdAt) && o.id !== subject.id),
    fulfillments: ledger.fulfillments
      .filter((f) => knownBefore(f.createdAt))
      .map((f) => (f.deliveredAt && !knownBefore(f.deliveredAt) ? { ...f, deliveredAt: null } : f)),
    returns: ledger.returns.filter((r) => before(r.createdAt) && r.id !== subject.id).map((r) => (r.closedAt && !knownBefore(r.closedAt) ? { ...r, closedAt: null } : r)),
    refunds: ledger.refunds.filter((r) => before(r.createdAt) && r.id !== subject.id),
    chargebacks: ledger.chargebacks.filter((c) => knownBefore(c.initiatedAt)),
    decisions: ledger.decisions.filter((d) => before(d.at) && d.subjectId !== subject.id),
    outcomes: ledger.outcomes.filter((o) => knownBefore(o.at)),
    // Those known before the subject (a revision: before its point of knowledge), and an order subject's own checkout ones (`isKnownTransaction`).
    transactions: history.transactionsByKey(history.keyFor(customerId, subject.order.id)).filter((t) => isKnownTransaction(t, subject, known)),
  };
  sortByTime(customerHistory);
  const derived = derivedAt(history, history.keyFor(customerId, subject.order.id), subject, customerHistory.orders, at, known);
  const customer = customerAt(customerId ? history.customers.get(customerId) : undefined, customerId, customerHistory.decisions.at(-1));
  return pointInTimeContext(subject, customer, customerHistory, derived, options);
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

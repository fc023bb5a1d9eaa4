import type { IdentifierHash, OrderRecord, SignalContext, Subject, TransactionRecord } from './context.ts';

/**
 * How long after an order's creation its transactions still count as part of its checkout (5
 * minutes): the payment attempts and authorization of a checkout are recorded around the order's
 * creation, a little after it as often as before. They belong to the order, as its lines do, so
 * an order subject sees them although they may be created after `now`; live scoring and replays
 * apply the same rule (`isKnownTransaction`). Later ones (captures, refunds) are history.
 */
export const CHECKOUT_WINDOW_MS = 5 * 60_000;

/** Transaction kinds that pay for an order at checkout (the card's authorization or sale). */
export const PAYMENT_KINDS: readonly string[] = Object.freeze(['authorization', 'sale']);

/** Whether a transaction of `order` was made at its checkout: created no later than `CHECKOUT_WINDOW_MS` after it. */
export function isCheckoutTransaction(tx: Pick<TransactionRecord, 'orderId' | 'createdAt'>, order: Pick<OrderRecord, 'id' | 'createdAt'>): boolean {
  return tx.orderId === order.id && Date.parse(tx.createdAt) <= Date.parse(order.createdAt) + CHECKOUT_WINDOW_MS;
}

/**
 * Whether a transaction is known in the context of `subject` (at `at` ms, the subject's time): an
 * order subject's own checkout transactions, and any other created strictly before `at`.
 */
export function isKnownTransaction(tx: TransactionRecord, subject: Subject, at: number): boolean {
  if (subject.kind === 'order' && tx.orderId === subject.order.id) return isCheckoutTransaction(tx, subject.order);
  return Date.parse(tx.createdAt) < at;
}

/** The subject order's own checkout transactions in the context (its order's, for a return or refund), in time order. */
export function checkoutTransactions(ctx: Pick<SignalContext, 'subject' | 'history'>): TransactionRecord[] {
  const order = ctx.subject.order;
  return (ctx.history.transactions ?? []).filter((tx) => isCheckoutTransaction(tx, order));
}

/**
 * The card that paid for an order, from its transactions: the card fingerprint of its latest
 * successful authorization or sale, else of its latest attempt (ties: the larger id). The
 * database trigger that fills a stored order's `identity.payment` applies the same rule
 * (migrations/…_order_checkout_facts.ts).
 */
export function paymentIdentityOf(transactions: readonly TransactionRecord[]): IdentifierHash | undefined {
  let best: TransactionRecord | undefined;
  for (const tx of transactions) {
    if (!tx.cardHash || !PAYMENT_KINDS.includes(tx.kind)) continue;
    if (!best || ranksAbove(tx, best)) best = tx;
  }
  return best?.cardHash;
}

function ranksAbove(a: TransactionRecord, b: TransactionRecord): boolean {
  const success = Number(a.status === 'success') - Number(b.status === 'success');
  if (success !== 0) return success > 0;
  const time = Date.parse(a.createdAt) - Date.parse(b.createdAt);
  if (time !== 0) return time > 0;
  return a.id > b.id;
}

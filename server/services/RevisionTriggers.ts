import type { RevisionTrigger } from '../../contract/decisions.ts';
import type { OrderRecord, SubjectKind } from '../../sdk/index.ts';
import type { ScoreJob } from '../jobs/queues.ts';
import type { Stores } from '../store/index.ts';
import { refundRevisionDaysOf } from './ScoringService.ts';

/** The most open subjects one new fact re-scores (a customer's open orders and returns, newest first). */
export const MAX_SUBJECTS_PER_TRIGGER = 50;

/**
 * Where new facts ask for decisions to be revised (issue 23): a transaction or an edit of an
 * order, a delivery of an order whose returns were decided, a chargeback or fraud label
 * on any of a customer's orders, a ring forming or growing around a customer. Each finds the
 * subjects still actionable (`DecisionStore.openSubjects`) and sends them as scoring jobs carrying
 * the trigger, through the same queues as live scoring (one `score-batch` job for several), where
 * `ScoringService` revises them (and folds repeated triggers of a subject into one revision).
 * Best effort from the caller's point of view: the fact is already stored; a lost request only
 * means the decision stays as it was.
 */
export class RevisionTriggers {
  private readonly stores: Stores;
  private readonly send: (jobs: readonly ScoreJob[]) => Promise<void>;

  constructor(stores: Stores, send: (jobs: readonly ScoreJob[]) => Promise<void>) {
    this.stores = stores;
    this.send = send;
  }

  /** One subject (an order whose transaction or edit arrived): sent whether or not it is decided yet; scoring decides or revises it. */
  async subject(shopId: string, kind: SubjectKind, subjectId: string, trigger: RevisionTrigger): Promise<void> {
    await this.send([{ shopId, kind, subjectId, trigger }]);
  }

  /** The open subjects of these customers (a chargeback, a fraud label, a ring), at most `MAX_SUBJECTS_PER_TRIGGER`; how many were sent. */
  async customers(shopId: string, customerIds: readonly string[], trigger: RevisionTrigger, except?: { kind: SubjectKind; id: string }): Promise<number> {
    if (customerIds.length === 0) return 0;
    return this.sendOpen(shopId, { customerIds }, trigger, except);
  }

  /**
   * After a chargeback on an order: the open subjects of the order's customer (or of the order
   * alone, for a guest checkout); how many were sent.
   */
  async orderCustomer(shopId: string, orderId: string, trigger: RevisionTrigger): Promise<number> {
    const order = await this.stores.events.get<OrderRecord>(shopId, 'order', orderId);
    const customerId = order?.customerId ?? null;
    return this.sendOpen(shopId, customerId ? { customerIds: [customerId], orderIds: [orderId] } : { orderIds: [orderId] }, trigger);
  }

  /** The open subjects of an order of these kinds (its returns after a delivery); how many were sent. */
  async order(shopId: string, orderId: string, kinds: readonly SubjectKind[], trigger: RevisionTrigger): Promise<number> {
    return this.sendOpen(shopId, { orderIds: [orderId] }, trigger, undefined, kinds);
  }

  private async sendOpen(shopId: string, by: { customerIds?: readonly string[]; orderIds?: readonly string[] }, trigger: RevisionTrigger, except?: { kind: SubjectKind; id: string }, kinds?: readonly SubjectKind[]): Promise<number> {
    const shop = await this.stores.shops.getCached(shopId);
    if (shop?.status !== 'active') return 0;
    const open = await this.stores.decisions.openSubjects(shopId, by, refundRevisionDaysOf(shop.settings), MAX_SUBJECTS_PER_TRIGGER);
    const jobs = open
      .filter((s) => (!kinds || kinds.includes(s.kind)) && !(except && except.kind === s.kind && except.id === s.subjectId))
      .map((s): ScoreJob => ({ shopId, kind: s.kind, subjectId: s.subjectId, trigger }));
    await this.send(jobs);
    return jobs.length;
  }
}

/**
 * Whether an order's update changed what its decision read: the lines (products, quantities,
 * prices, discounts), the amounts, discount codes, gateways, shipping lines, the addresses and the
 * buyer's identifiers (but the card, which comes from transactions), the customer, and the
 * browser IP's facts. Payment status, cancellation, tags and Shopify's risk are not scored inputs
 * of the order record itself (a cancellation closes the decision; Shopify's risk has its own topic).
 */
export function scoredInputChanged(before: OrderRecord, after: OrderRecord): boolean {
  return JSON.stringify(scoredInput(before)) !== JSON.stringify(scoredInput(after));
}

function scoredInput(order: OrderRecord): unknown {
  const { payment: _card, ...identity } = order.identity ?? {};
  return [
    order.customerId ?? null,
    order.totalPrice,
    order.subtotalPrice,
    order.totalDiscounts,
    order.totalShipping ?? null,
    [...order.discountCodes].sort(),
    [...order.gateways].sort(),
    order.lineItems.map((l) => [l.id, l.productId ?? null, l.variantId ?? null, l.sku ?? null, l.quantity, l.price, l.totalDiscount, l.giftCard ?? null, l.requiresShipping ?? null]),
    order.shippingLines.map((l) => [l.code ?? null, l.title ?? null, l.price, l.speed ?? null]),
    sortedEntries(order.shippingAddress),
    sortedEntries(order.billingAddress),
    sortedEntries(identity),
    order.emailDomainDisposable ?? null,
    order.browserIpCountryCode ?? null,
    order.browserIpAsn ?? null,
    order.browserIpShippingMinKm ?? null,
    order.browserIpBillingMinKm ?? null,
  ];
}

function sortedEntries(value: object | undefined): unknown {
  return value ? Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : null;
}

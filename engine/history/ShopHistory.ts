import type {
  ChargebackRecord,
  CustomerSnapshot,
  FulfillmentRecord,
  OrderRecord,
  PastDecision,
  PastOutcome,
  RefundRecord,
  ReturnRecord,
  RiskAssessmentRecord,
  ShopifyId,
  TransactionRecord,
} from '../../sdk/index.ts';
import { withCheckoutFacts } from './checkoutFacts.ts';
import { addIdentifierOrder, addOrderIdentifiers, type IdentifierOrders } from './identityAt.ts';

/**
 * One line of a normalized history file (JSONL): what happened in a shop, in the shapes of
 * `sdk/context.ts`. Shopify payloads (webhooks, bulk-operation JSONL) are normalized into these
 * by the server; the demo generator and the UCI replay write them directly.
 */
export type HistoryEvent =
  | { type: 'customer'; customer: CustomerSnapshot }
  | { type: 'order'; order: OrderRecord }
  | { type: 'fulfillment'; fulfillment: FulfillmentRecord }
  | { type: 'return'; return: ReturnRecord }
  | { type: 'refund'; refund: RefundRecord }
  | { type: 'chargeback'; chargeback: ChargebackRecord }
  | { type: 'outcome'; outcome: PastOutcome }
  | { type: 'transaction'; transaction: TransactionRecord }
  | { type: 'risk'; risk: RiskAssessmentRecord };

/**
 * The event types, in the order `sortEvents` keeps for ties: an order's checkout transactions and
 * Shopify's assessment of it come just before it (they belong to it: `CHECKOUT_WINDOW_MS`).
 */
export const HISTORY_EVENT_TYPES = Object.freeze(['customer', 'transaction', 'risk', 'order', 'fulfillment', 'return', 'refund', 'chargeback', 'outcome'] as const);

/** When an event happened, for ordering a history. */
export function eventTime(event: HistoryEvent): string {
  switch (event.type) {
    case 'customer':
      return event.customer.createdAt ?? '1970-01-01T00:00:00Z';
    case 'order':
      return event.order.createdAt;
    case 'fulfillment':
      return event.fulfillment.createdAt;
    case 'return':
      return event.return.createdAt;
    case 'refund':
      return event.refund.createdAt;
    case 'chargeback':
      return event.chargeback.initiatedAt;
    case 'outcome':
      return event.outcome.at;
    case 'transaction':
      return event.transaction.createdAt;
    case 'risk':
      return event.risk.assessedAt;
  }
}

/** Everything recorded about one customer (or, for guests, one order), in insertion order. */
export interface Ledger {
  orders: OrderRecord[];
  fulfillments: FulfillmentRecord[];
  returns: ReturnRecord[];
  refunds: RefundRecord[];
  chargebacks: ChargebackRecord[];
  decisions: PastDecision[];
  outcomes: PastOutcome[];
}

function emptyLedger(): Ledger {
  return { orders: [], fulfillments: [], returns: [], refunds: [], chargebacks: [], decisions: [], outcomes: [] };
}

/**
 * An in-memory history of a shop, indexed by customer and by order. It holds everything ever
 * recorded; `contextAt` cuts it to what was known at a moment. Records are linked to their
 * customer through their order, so a chargeback (which carries only an order id) still lands in
 * the customer's ledger.
 */
export class ShopHistory {
  readonly customers = new Map<ShopifyId, CustomerSnapshot>();
  readonly orders = new Map<ShopifyId, OrderRecord>();
  private readonly ledgers = new Map<string, Ledger>();
  private readonly orderKey = new Map<ShopifyId, string>();
  private readonly subjectKey = new Map<ShopifyId, string>();
  /** Every record, for baselines: the shop-wide view. */
  readonly all: Ledger = emptyLedger();
  /**
   * Who used each identifier (`kind:hash` of an order's identity hashes) and when: the ledger key
   * (`customer:<id>` or `guest:<order id>`) and the order's time, for point-in-time ring links.
   */
  readonly identifiers = new Map<string, { key: string; at: number }[]>();
  /** The orders that carried each identifier (`kind:hash`), with their times and cards: for the identity facts' recent uses. */
  readonly identifierOrders = new Map<string, IdentifierOrders>();
  /** Each ledger's payment transactions (by its key), in arrival order. */
  private readonly transactions = new Map<string, TransactionRecord[]>();
  /** Each order's transactions and Shopify's latest assessment of it: the facts its record takes (`withCheckoutFacts`). */
  private readonly checkout = new Map<ShopifyId, { transactions: TransactionRecord[]; risk?: RiskAssessmentRecord }>();
  /** Transactions and assessments that came before their order (`sortEvents` puts checkout ones there), filed when it comes. */
  private readonly waiting = new Map<ShopifyId, HistoryEvent[]>();
  /** Where each order sits in `all.orders`, to replace it when its checkout facts arrive. */
  private readonly allOrderIndex = new Map<ShopifyId, number>();

  static from(events: Iterable<HistoryEvent>): ShopHistory {
    const history = new ShopHistory();
    for (const event of events) history.add(event);
    return history;
  }

  add(event: HistoryEvent): void {
    switch (event.type) {
      case 'customer':
        this.customers.set(event.customer.id, event.customer);
        return;
      case 'order': {
        const facts = this.checkout.get(event.order.id);
        const order = facts ? withCheckoutFacts(event.order, facts.transactions, facts.risk) : event.order;
        const key = order.customerId ? `customer:${order.customerId}` : `guest:${order.id}`;
        this.orders.set(order.id, order);
        this.orderKey.set(order.id, key);
        this.subjectKey.set(order.id, key);
        this.push(key, 'orders', order);
        this.allOrderIndex.set(order.id, this.all.orders.length - 1);
        const at = Date.parse(order.createdAt);
        for (const [kind, hash] of Object.entries(order.identity ?? {})) if (hash) this.addIdentifierUse(`${kind}:${hash}`, key, at);
        addOrderIdentifiers(this.identifierOrders, order, at);
        const waiting = this.waiting.get(order.id);
        if (waiting) {
          this.waiting.delete(order.id);
          for (const early of waiting) this.add(early);
        }
        return;
      }
      case 'transaction':
      case 'risk': {
        const orderId = event.type === 'transaction' ? event.transaction.orderId : event.risk.orderId;
        if (!this.orders.has(orderId)) {
          const waiting = this.waiting.get(orderId);
          if (waiting) waiting.push(event);
          else this.waiting.set(orderId, [event]);
          return;
        }
        const facts = this.checkout.get(orderId) ?? { transactions: [] };
        this.checkout.set(orderId, facts);
        if (event.type === 'transaction') {
          facts.transactions.push(event.transaction);
          const key = this.keyOfOrder(orderId);
          const list = this.transactions.get(key);
          if (list) list.push(event.transaction);
          else this.transactions.set(key, [event.transaction]);
        } else {
          facts.risk = event.risk;
        }
        this.refreshOrder(orderId, facts);
        return;
      }
      case 'fulfillment':
        this.pushForOrder(event.fulfillment.orderId, 'fulfillments', event.fulfillment);
        return;
      case 'return':
        this.subjectKey.set(event.return.id, this.keyOfOrder(event.return.orderId));
        this.pushForOrder(event.return.orderId, 'returns', event.return);
        return;
      case 'refund':
        this.subjectKey.set(event.refund.id, this.keyOfOrder(event.refund.orderId));
        this.pushForOrder(event.refund.orderId, 'refunds', event.refund);
        return;
      case 'chargeback':
        this.pushForOrder(event.chargeback.orderId, 'chargebacks', event.chargeback);
        return;
      case 'outcome':
        this.push(this.subjectKey.get(event.outcome.subjectId) ?? `unlinked:${event.outcome.subjectId}`, 'outcomes', event.outcome);
        return;
    }
  }

  /**
   * A use of an identifier (`kind:hash`) by a user whose orders this history may not hold: a
   * store read of the earliest users of each identifier (`ContextMaterial.identifierUses`) tells
   * `ringAt` an identifier is a hub without loading the hub users' records. `at`: the first use (ms).
   */
  addIdentifierUse(identifier: string, key: string, at: number): void {
    const users = this.identifiers.get(identifier);
    if (users) users.push({ key, at });
    else this.identifiers.set(identifier, [{ key, at }]);
  }

  /**
   * An order that carried an identifier (`kind:hash`) at `at` (ms), with its card, whose record this
   * history may not hold: a store read of an identifier's recent orders (`ContextMaterial.recentUses`)
   * gives `identityAt` the orders of the last day without loading their customers. Adding an order
   * the history already holds changes nothing.
   */
  addIdentifierOrder(identifier: string, orderId: ShopifyId, at: number, card: string | undefined): void {
    addIdentifierOrder(this.identifierOrders, identifier, orderId, at, card);
  }

  /** Records a decision RefundSentry made, so later contexts see it as a past score. */
  addDecision(customerId: ShopifyId | null | undefined, orderId: ShopifyId, decision: PastDecision): void {
    this.push(customerId ? `customer:${customerId}` : this.keyOfOrder(orderId), 'decisions', decision);
  }

  /** The payment transactions of a ledger (`customer:<id>` or `guest:<order id>`), in arrival order. */
  transactionsByKey(key: string): readonly TransactionRecord[] {
    return this.transactions.get(key) ?? [];
  }

  /**
   * A known order takes the facts of its checkout records (the paying card as `identity.payment`,
   * Shopify's assessment), as the stored order does: its record is replaced everywhere this history
   * holds it, and a new card is filed as one of the order's identifiers, used at the order's time.
   */
  private refreshOrder(orderId: ShopifyId, facts: { transactions: TransactionRecord[]; risk?: RiskAssessmentRecord }): void {
    const old = this.orders.get(orderId)!;
    const order = withCheckoutFacts(old, facts.transactions, facts.risk);
    if (order === old) return;
    const key = this.orderKey.get(orderId)!;
    this.orders.set(orderId, order);
    const own = this.ledgers.get(key)?.orders;
    const i = own ? own.lastIndexOf(old) : -1;
    if (own && i >= 0) own[i] = order;
    const j = this.allOrderIndex.get(orderId);
    if (j !== undefined && this.all.orders[j] === old) this.all.orders[j] = order;
    const payment = order.identity?.payment;
    if (payment && payment !== old.identity?.payment) {
      const at = Date.parse(order.createdAt);
      this.addIdentifierUse(`payment:${payment}`, key, at);
      addOrderIdentifiers(this.identifierOrders, order, at);
    }
  }

  /** The ledger of a customer, or of a guest order. */
  ledgerFor(customerId: ShopifyId | null | undefined, orderId: ShopifyId): Ledger {
    return this.ledgers.get(customerId ? `customer:${customerId}` : this.keyOfOrder(orderId)) ?? emptyLedger();
  }

  /** The ledger under a key (`customer:<id>` or `guest:<order id>`), as `identifiers` names them. */
  ledgerByKey(key: string): Ledger {
    return this.ledgers.get(key) ?? emptyLedger();
  }

  /** The ledger key of a customer, or of a guest order. */
  keyFor(customerId: ShopifyId | null | undefined, orderId: ShopifyId): string {
    return customerId ? `customer:${customerId}` : this.keyOfOrder(orderId);
  }

  private keyOfOrder(orderId: ShopifyId): string {
    return this.orderKey.get(orderId) ?? `guest:${orderId}`;
  }

  private pushForOrder<K extends keyof Ledger>(orderId: ShopifyId, kind: K, record: Ledger[K][number]): void {
    this.push(this.keyOfOrder(orderId), kind, record);
  }

  private push<K extends keyof Ledger>(key: string, kind: K, record: Ledger[K][number]): void {
    let ledger = this.ledgers.get(key);
    if (!ledger) {
      ledger = emptyLedger();
      this.ledgers.set(key, ledger);
    }
    (ledger[kind] as Ledger[K][number][]).push(record);
    if (kind !== 'decisions') (this.all[kind] as Ledger[K][number][]).push(record);
  }
}

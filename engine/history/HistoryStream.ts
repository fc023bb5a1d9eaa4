import type {
  ContextNeed,
  CustomerHistory,
  CustomerSnapshot,
  HashedLists,
  PastDecision,
  ShopBaseline,
  ShopifyId,
  SignalContext,
  Subject,
  TransactionRecord,
  RiskAssessmentRecord,
} from '../../sdk/index.ts';
import { isKnownTransaction } from '../../sdk/transactions.ts';
import { withCheckoutFacts } from './checkoutFacts.ts';
import { deepFreeze } from '../../sdk/params.ts';
import { addOrderIdentifiers, type IdentifierOrders } from './identityAt.ts';
import { customerAt, derivedAt, pointInTimeContext } from './pointInTime.ts';
import type { HistoryEvent, Ledger } from './ShopHistory.ts';

/** One list of a ledger: the records in arrival order with their times parsed once. */
class TimedList<T> {
  readonly records: T[] = [];
  readonly times: number[] = [];
  /** A second parsed time per record, for fulfilments (delivery) and returns (closing); NaN when none. */
  readonly later: number[] | undefined;

  constructor(withLater: boolean) {
    this.later = withLater ? [] : undefined;
  }
  /** False once a record arrived earlier than the one before it (the list then needs sorting). */
  ordered = true;

  push(record: T, time: number, later: number): void {
    const last = this.times.length === 0 ? -Infinity : this.times[this.times.length - 1];
    if (!(time >= last)) this.ordered = false;
    this.records.push(record);
    this.times.push(time);
    this.later?.push(later);
  }
}

/** A customer's (or guest order's) records; each list made when its first record arrives. */
class StreamLedger {
  orders?: TimedList<Ledger['orders'][number]>;
  fulfillments?: TimedList<Ledger['fulfillments'][number]>;
  returns?: TimedList<Ledger['returns'][number]>;
  refunds?: TimedList<Ledger['refunds'][number]>;
  chargebacks?: TimedList<Ledger['chargebacks'][number]>;
  decisions?: TimedList<PastDecision>;
  outcomes?: TimedList<Ledger['outcomes'][number]>;
  transactions?: TimedList<TransactionRecord>;
}

const EMPTY: readonly never[] = Object.freeze([]);
const parse = (time: string | null | undefined): number => (time ? Date.parse(time) : NaN);

export interface StreamContextOptions {
  shopId: string;
  baseline?: ShopBaseline;
  lists?: HashedLists;
}

/**
 * A shop history fed one event at a time in time order, that gives the point-in-time context of
 * the subject just reached — the same context as `contextAt` on a `ShopHistory` holding the same
 * events — without re-reading the whole history each time: records are indexed by customer (or
 * guest order) as they arrive, with their times parsed once, and a context materialises only the
 * history lists the caller `needs` (the others are empty). A context comes frozen, as the
 * engine would freeze it, but cheaply: each record is frozen the first time a context holds it,
 * and the engine's own `deepFreeze` then stops at the context's top.
 *
 * The keying (customer, guest order, outcome by subject) is ShopHistory's; a test compares every
 * context with `contextAt`'s.
 */
export class HistoryStream {
  readonly customers = new Map<ShopifyId, CustomerSnapshot>();
  private readonly byCustomer = new Map<ShopifyId, StreamLedger>();
  /** Guest orders' ledgers, and those of records whose order was unknown when they arrived. */
  private readonly byGuestOrder = new Map<ShopifyId, StreamLedger>();
  /** Each known order, with the ledger its records go to (one map: one lookup per record). */
  private readonly byOrder = new Map<ShopifyId, { order: Ledger['orders'][number]; ledger: StreamLedger }>();
  /** The orders known so far, by id. */
  readonly orders = { get: (orderId: ShopifyId): Ledger['orders'][number] | undefined => this.byOrder.get(orderId)?.order };
  /** The ledger of each return and refund, for outcomes about them. */
  private readonly bySubject = new Map<ShopifyId, StreamLedger>();
  /** Who used each identifier hash (`kind:hash`) and when, keyed as ShopHistory keys ledgers: for the ring neighbourhood. */
  readonly identifiers = new Map<string, { key: string; at: number }[]>();
  /** The orders that carried each identifier, with their times and cards: for the identity facts. */
  readonly identifierOrders = new Map<string, IdentifierOrders>();
  /** Each order's transactions and Shopify's latest assessment of it: the facts its record takes (as in ShopHistory). */
  private readonly checkout = new Map<ShopifyId, { transactions: TransactionRecord[]; risk?: RiskAssessmentRecord }>();
  /** Transactions and assessments that came before their order, filed when it comes (as in ShopHistory). */
  private readonly waiting = new Map<ShopifyId, HistoryEvent[]>();

  add(event: HistoryEvent): void {
    switch (event.type) {
      case 'customer':
        this.customers.set(event.customer.id, event.customer);
        return;
      case 'order': {
        const facts = this.checkout.get(event.order.id);
        const order = facts ? withCheckoutFacts(event.order, facts.transactions, facts.risk) : event.order;
        const ledger = order.customerId ? this.customerLedger(order.customerId) : this.guestLedger(order.id);
        this.byOrder.set(order.id, { order, ledger });
        const at = parse(order.createdAt);
        push(ledger, 'orders', order, at);
        const key = order.customerId ? `customer:${order.customerId}` : `guest:${order.id}`;
        for (const [kind, hash] of Object.entries(order.identity ?? {})) {
          if (!hash) continue;
          const users = this.identifiers.get(`${kind}:${hash}`);
          if (users) users.push({ key, at });
          else this.identifiers.set(`${kind}:${hash}`, [{ key, at }]);
        }
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
        const known = this.byOrder.get(orderId);
        if (!known) {
          const waiting = this.waiting.get(orderId);
          if (waiting) waiting.push(event);
          else this.waiting.set(orderId, [event]);
          return;
        }
        const facts = this.checkout.get(orderId) ?? { transactions: [] };
        this.checkout.set(orderId, facts);
        if (event.type === 'transaction') {
          facts.transactions.push(event.transaction);
          push(known.ledger, 'transactions', event.transaction, parse(event.transaction.createdAt));
        } else {
          facts.risk = event.risk;
        }
        this.refreshOrder(known, facts);
        return;
      }
      case 'fulfillment':
        push(this.orderLedger(event.fulfillment.orderId), 'fulfillments', event.fulfillment, parse(event.fulfillment.createdAt), parse(event.fulfillment.deliveredAt));
        return;
      case 'return': {
        const ledger = this.orderLedger(event.return.orderId);
        this.bySubject.set(event.return.id, ledger);
        push(ledger, 'returns', event.return, parse(event.return.createdAt), parse(event.return.closedAt));
        return;
      }
      case 'refund': {
        const ledger = this.orderLedger(event.refund.orderId);
        this.bySubject.set(event.refund.id, ledger);
        push(ledger, 'refunds', event.refund, parse(event.refund.createdAt));
        return;
      }
      case 'chargeback':
        push(this.orderLedger(event.chargeback.orderId), 'chargebacks', event.chargeback, parse(event.chargeback.initiatedAt));
        return;
      case 'outcome': {
        // An outcome about an unknown subject lands in a ledger no subject reads (ShopHistory's `unlinked:`).
        const ledger = this.byOrder.get(event.outcome.subjectId)?.ledger ?? this.bySubject.get(event.outcome.subjectId);
        if (ledger) push(ledger, 'outcomes', event.outcome, parse(event.outcome.at));
        return;
      }
    }
  }

  /** A known order takes the facts of its checkout records, as in ShopHistory (`refreshOrder` there). */
  private refreshOrder(known: { order: Ledger['orders'][number]; ledger: StreamLedger }, facts: { transactions: TransactionRecord[]; risk?: RiskAssessmentRecord }): void {
    const old = known.order;
    const order = withCheckoutFacts(old, facts.transactions, facts.risk);
    if (order === old) return;
    known.order = order;
    const records = known.ledger.orders?.records;
    const i = records ? records.lastIndexOf(old) : -1;
    if (records && i >= 0) records[i] = order;
    const payment = order.identity?.payment;
    if (payment && payment !== old.identity?.payment) {
      const at = parse(order.createdAt);
      const key = order.customerId ? `customer:${order.customerId}` : `guest:${order.id}`;
      const users = this.identifiers.get(`payment:${payment}`);
      if (users) users.push({ key, at });
      else this.identifiers.set(`payment:${payment}`, [{ key, at }]);
      addOrderIdentifiers(this.identifierOrders, order, at);
    }
  }

  /** Records a decision, so later contexts of the same customer (or guest order) see it. */
  addDecision(customerId: ShopifyId | null | undefined, orderId: ShopifyId, decision: PastDecision): void {
    push(this.ledgerOf(customerId, orderId), 'decisions', Object.freeze(decision), parse(decision.at));
  }

  /**
   * The ledger of a customer, or of a guest order, made if new: decisions of one ledger are what
   * later subjects of it read (an opaque key for callers).
   */
  ledgerOf(customerId: ShopifyId | null | undefined, orderId: ShopifyId): object {
    return customerId ? this.customerLedger(customerId) : this.orderLedger(orderId);
  }

  /** What `replayHistory` needs to find a refund's return: the ledger's returns so far. */
  ledgerFor(customerId: ShopifyId | null | undefined, orderId: ShopifyId): { returns: readonly Ledger['returns'][number][] } {
    const ledger = this.find(customerId, orderId);
    return { returns: ledger?.returns ? ledger.returns.records : EMPTY };
  }

  /**
   * The decisions of the subject's customer known before it (strictly earlier, not its own), in
   * time order: what `history.decisions` holds and what the customer's risk tag comes from.
   */
  decisionsBefore(subject: Subject): PastDecision[] {
    const ledger = this.find(subject.order.customerId, subject.order.id);
    if (!ledger) return [];
    const at = Date.parse(subject.at);
    return cut(ledger.decisions, at, (d) => d.subjectId !== subject.id);
  }

  /**
   * The point-in-time context of `subject` (the event just added), as `contextAt` builds it,
   * with only the history lists named in `needs` (the others empty). The customer snapshot,
   * baseline and lists are always given.
   */
  contextOf(subject: Subject, needs: ReadonlySet<ContextNeed>, options: StreamContextOptions): SignalContext {
    const at = Date.parse(subject.at);
    const customerId = subject.order.customerId ?? null;
    const ledger = this.find(customerId, subject.order.id) ?? new StreamLedger();
    const id = subject.id;
    const decisions = cut(ledger.decisions, at, (d) => d.subjectId !== id);
    const history: CustomerHistory = {
      orders: needs.has('history.orders') ? cut(ledger.orders, at, (o) => o.id !== id) : (EMPTY as never[]),
      fulfillments: needs.has('history.fulfillments') ? fulfillmentsBefore(ledger, at) : (EMPTY as never[]),
      returns: needs.has('history.returns') ? returnsBefore(ledger, at, id) : (EMPTY as never[]),
      refunds: needs.has('history.refunds') ? cut(ledger.refunds, at, (r) => r.id !== id) : (EMPTY as never[]),
      chargebacks: needs.has('history.chargebacks') ? cut(ledger.chargebacks, at) : (EMPTY as never[]),
      decisions: needs.has('history.decisions') ? decisions : (EMPTY as never[]),
      outcomes: needs.has('history.outcomes') ? cut(ledger.outcomes, at) : (EMPTY as never[]),
      transactions: needs.has('history.transactions') ? transactionsKnown(ledger, subject, at) : (EMPTY as never[]),
    };
    for (const list of Object.values(history) as unknown[][]) {
      for (const record of list) deepFreeze(record);
      Object.freeze(list);
    }
    Object.freeze(history);
    const customer = customerAt(customerId ? this.customers.get(customerId) : undefined, customerId, decisions.at(-1));
    const key = customerId ? `customer:${customerId}` : `guest:${subject.order.id}`;
    const derived = needs.has('derived') ? derivedAt(this, key, subject, cut(ledger.orders, at, (o) => o.id !== id), at) : {};
    // Every part frozen (deepFreeze stops at the history's records, frozen above), then the whole.
    return pointInTimeContext(subject, customer, history, derived, options, deepFreeze);
  }

  /** The records of a ledger by its ShopHistory key (`customer:<id>` or `guest:<order id>`), in arrival order. */
  ledgerByKey(key: string): Pick<Ledger, 'orders' | 'returns' | 'chargebacks' | 'outcomes'> {
    const id = key.slice(key.indexOf(':') + 1);
    const ledger = key.startsWith('customer:') ? this.byCustomer.get(id) : (this.byOrder.get(id)?.ledger ?? this.byGuestOrder.get(id));
    return {
      orders: ledger?.orders?.records ?? (EMPTY as never[]),
      returns: ledger?.returns?.records ?? (EMPTY as never[]),
      chargebacks: ledger?.chargebacks?.records ?? (EMPTY as never[]),
      outcomes: ledger?.outcomes?.records ?? (EMPTY as never[]),
    };
  }

  private find(customerId: ShopifyId | null | undefined, orderId: ShopifyId): StreamLedger | undefined {
    return customerId ? this.byCustomer.get(customerId) : (this.byOrder.get(orderId)?.ledger ?? this.byGuestOrder.get(orderId));
  }

  private customerLedger(customerId: ShopifyId): StreamLedger {
    let ledger = this.byCustomer.get(customerId);
    if (!ledger) this.byCustomer.set(customerId, (ledger = new StreamLedger()));
    return ledger;
  }

  private guestLedger(orderId: ShopifyId): StreamLedger {
    let ledger = this.byGuestOrder.get(orderId);
    if (!ledger) this.byGuestOrder.set(orderId, (ledger = new StreamLedger()));
    return ledger;
  }

  /** Where an order's records go: its customer's ledger, or (guest or unknown order) the order's own. */
  private orderLedger(orderId: ShopifyId): StreamLedger {
    return this.byOrder.get(orderId)?.ledger ?? this.guestLedger(orderId);
  }
}

function push<K extends keyof StreamLedger>(ledger: StreamLedger, kind: K, record: NonNullable<StreamLedger[K]>['records'][number], time: number, later?: number): void {
  let list = ledger[kind] as TimedList<typeof record> | undefined;
  if (!list) (ledger as Record<K, unknown>)[kind] = list = new TimedList(later !== undefined);
  list.push(record, time, later ?? NaN);
}

/** The records strictly before `at` (and passing `keep`), in time order. */
function cut<T>(list: TimedList<T> | undefined, at: number, keep?: (record: T) => boolean): T[] {
  if (!list) return [];
  const { records, times } = list;
  const out: T[] = [];
  for (let i = 0; i < records.length; i++) if (times[i] < at && (keep === undefined || keep(records[i]))) out.push(records[i]);
  if (!list.ordered) sortByTimes(out, records, times);
  return out;
}

function fulfillmentsBefore(ledger: StreamLedger, at: number): Ledger['fulfillments'] {
  const list = ledger.fulfillments;
  if (!list) return [];
  const { records, times } = list;
  const later = list.later!;
  const out: Ledger['fulfillments'] = [];
  for (let i = 0; i < records.length; i++) {
    if (!(times[i] < at)) continue;
    const f = records[i];
    out.push(f.deliveredAt && !(later[i] < at) ? Object.freeze({ ...f, deliveredAt: null }) : f);
  }
  if (!list.ordered) sortByTimes(out, records, times, (f) => f.createdAt);
  return out;
}

function returnsBefore(ledger: StreamLedger, at: number, subjectId: string): Ledger['returns'] {
  const list = ledger.returns;
  if (!list) return [];
  const { records, times } = list;
  const later = list.later!;
  const out: Ledger['returns'] = [];
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    if (!(times[i] < at) || r.id === subjectId) continue;
    out.push(r.closedAt && !(later[i] < at) ? Object.freeze({ ...r, closedAt: null }) : r);
  }
  if (!list.ordered) sortByTimes(out, records, times, (r) => r.createdAt);
  return out;
}

/**
 * Stable sort by time, for a list whose records arrived out of order (`contextAt` sorts every
 * list; in a time-ordered stream they arrive sorted and this never runs).
 */
function sortByTimes<T>(out: T[], records: readonly T[], times: readonly number[], timeOf?: (record: T) => string): void {
  const timeByRecord = new Map<T, number>();
  records.forEach((record, i) => timeByRecord.set(record, times[i]));
  const time = (record: T) => timeByRecord.get(record) ?? Date.parse(timeOf!(record));
  out.sort((a, b) => time(a) - time(b));
}

/** The ledger's transactions known in the subject's context (`isKnownTransaction`), in time order. */
function transactionsKnown(ledger: StreamLedger, subject: Subject, at: number): TransactionRecord[] {
  const list = ledger.transactions;
  if (!list) return [];
  const { records, times } = list;
  const out: TransactionRecord[] = [];
  for (let i = 0; i < records.length; i++) if (isKnownTransaction(records[i], subject, at)) out.push(records[i]);
  if (!list.ordered) sortByTimes(out, records, times);
  return out;
}

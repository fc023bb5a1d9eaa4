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
} from '../../sdk/index.ts';
import { deepFreeze } from '../../sdk/params.ts';
import { customerAt, EMPTY_BASELINE, EMPTY_LISTS } from './contextAt.ts';
import type { HistoryEvent, Ledger } from './ShopHistory.ts';

/** One list of a ledger: the records in arrival order with their times parsed once. */
class TimedList<T> {
  readonly records: T[] = [];
  readonly times: number[] = [];
  /** False once a record arrived earlier than the one before it (the list then needs sorting). */
  ordered = true;

  push(record: T, time: number): void {
    const last = this.times.length === 0 ? -Infinity : this.times[this.times.length - 1];
    if (!(time >= last)) this.ordered = false;
    this.records.push(record);
    this.times.push(time);
  }
}

class StreamLedger {
  readonly orders = new TimedList<Ledger['orders'][number]>();
  readonly fulfillments = new TimedList<Ledger['fulfillments'][number]>();
  /** Parsed delivery times of `fulfillments` (NaN when none). */
  readonly deliveredTimes: number[] = [];
  readonly returns = new TimedList<Ledger['returns'][number]>();
  /** Parsed closing times of `returns` (NaN when none). */
  readonly closedTimes: number[] = [];
  readonly refunds = new TimedList<Ledger['refunds'][number]>();
  readonly chargebacks = new TimedList<Ledger['chargebacks'][number]>();
  readonly decisions = new TimedList<PastDecision>();
  readonly outcomes = new TimedList<Ledger['outcomes'][number]>();
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
  readonly orders = new Map<ShopifyId, Ledger['orders'][number]>();
  private readonly ledgers = new Map<string, StreamLedger>();
  private readonly orderKey = new Map<ShopifyId, string>();
  private readonly subjectKey = new Map<ShopifyId, string>();

  add(event: HistoryEvent): void {
    switch (event.type) {
      case 'customer':
        this.customers.set(event.customer.id, event.customer);
        return;
      case 'order': {
        const order = event.order;
        const key = order.customerId ? `customer:${order.customerId}` : `guest:${order.id}`;
        this.orders.set(order.id, order);
        this.orderKey.set(order.id, key);
        this.subjectKey.set(order.id, key);
        this.ledger(key).orders.push(order, parse(order.createdAt));
        return;
      }
      case 'fulfillment': {
        const ledger = this.ledger(this.keyOfOrder(event.fulfillment.orderId));
        ledger.fulfillments.push(event.fulfillment, parse(event.fulfillment.createdAt));
        ledger.deliveredTimes.push(parse(event.fulfillment.deliveredAt));
        return;
      }
      case 'return': {
        const key = this.keyOfOrder(event.return.orderId);
        this.subjectKey.set(event.return.id, key);
        const ledger = this.ledger(key);
        ledger.returns.push(event.return, parse(event.return.createdAt));
        ledger.closedTimes.push(parse(event.return.closedAt));
        return;
      }
      case 'refund': {
        const key = this.keyOfOrder(event.refund.orderId);
        this.subjectKey.set(event.refund.id, key);
        this.ledger(key).refunds.push(event.refund, parse(event.refund.createdAt));
        return;
      }
      case 'chargeback':
        this.ledger(this.keyOfOrder(event.chargeback.orderId)).chargebacks.push(event.chargeback, parse(event.chargeback.initiatedAt));
        return;
      case 'outcome':
        this.ledger(this.subjectKey.get(event.outcome.subjectId) ?? `unlinked:${event.outcome.subjectId}`).outcomes.push(event.outcome, parse(event.outcome.at));
        return;
    }
  }

  /** Records a decision, so later contexts of the same customer (or guest order) see it. */
  addDecision(customerId: ShopifyId | null | undefined, orderId: ShopifyId, decision: PastDecision): void {
    this.ledger(this.keyFor(customerId, orderId)).decisions.push(Object.freeze(decision), parse(decision.at));
  }

  /** The ledger key of a customer, or of a guest order: decisions of one key share their fate. */
  keyFor(customerId: ShopifyId | null | undefined, orderId: ShopifyId): string {
    return customerId ? `customer:${customerId}` : this.keyOfOrder(orderId);
  }

  /** What `replayHistory` needs to find a refund's return: the ledger's returns so far. */
  ledgerFor(customerId: ShopifyId | null | undefined, orderId: ShopifyId): { returns: readonly Ledger['returns'][number][] } {
    const ledger = this.ledgers.get(this.keyFor(customerId, orderId));
    return { returns: ledger ? ledger.returns.records : EMPTY };
  }

  /**
   * The decisions of the subject's customer known before it (strictly earlier, not its own), in
   * time order: what `history.decisions` holds and what the customer's risk tag comes from.
   */
  decisionsBefore(subject: Subject): PastDecision[] {
    const ledger = this.ledgers.get(this.keyFor(subject.order.customerId, subject.order.id));
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
    const ledger = this.ledgers.get(this.keyFor(customerId, subject.order.id)) ?? new StreamLedger();
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
    };
    for (const list of Object.values(history) as unknown[][]) {
      for (const record of list) deepFreeze(record);
      Object.freeze(list);
    }
    return Object.freeze({
      shopId: options.shopId,
      now: subject.at,
      subject: deepFreeze(subject),
      customer: deepFreeze(customerAt(customerId ? this.customers.get(customerId) : undefined, customerId, decisions.at(-1))),
      history: Object.freeze(history),
      baseline: deepFreeze(options.baseline ?? EMPTY_BASELINE),
      lists: deepFreeze(options.lists ?? EMPTY_LISTS),
      derived: Object.freeze({}),
    });
  }

  private ledger(key: string): StreamLedger {
    let ledger = this.ledgers.get(key);
    if (!ledger) {
      ledger = new StreamLedger();
      this.ledgers.set(key, ledger);
    }
    return ledger;
  }

  private keyOfOrder(orderId: ShopifyId): string {
    return this.orderKey.get(orderId) ?? `guest:${orderId}`;
  }
}

/** The records strictly before `at` (and passing `keep`), in time order. */
function cut<T>(list: TimedList<T>, at: number, keep?: (record: T) => boolean): T[] {
  const { records, times } = list;
  const out: T[] = [];
  for (let i = 0; i < records.length; i++) if (times[i] < at && (keep === undefined || keep(records[i]))) out.push(records[i]);
  if (!list.ordered) sortByTimes(out, records, times);
  return out;
}

function fulfillmentsBefore(ledger: StreamLedger, at: number): Ledger['fulfillments'] {
  const { records, times } = ledger.fulfillments;
  const out: Ledger['fulfillments'] = [];
  for (let i = 0; i < records.length; i++) {
    if (!(times[i] < at)) continue;
    const f = records[i];
    out.push(f.deliveredAt && !(ledger.deliveredTimes[i] < at) ? Object.freeze({ ...f, deliveredAt: null }) : f);
  }
  if (!ledger.fulfillments.ordered) sortByTimes(out, records, times, (f) => f.createdAt);
  return out;
}

function returnsBefore(ledger: StreamLedger, at: number, subjectId: string): Ledger['returns'] {
  const { records, times } = ledger.returns;
  const out: Ledger['returns'] = [];
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    if (!(times[i] < at) || r.id === subjectId) continue;
    out.push(r.closedAt && !(ledger.closedTimes[i] < at) ? Object.freeze({ ...r, closedAt: null }) : r);
  }
  if (!ledger.returns.ordered) sortByTimes(out, records, times, (r) => r.createdAt);
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

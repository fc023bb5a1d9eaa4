import { CHECKOUT_WINDOW_MS, type HashedLists, type OrderRecord, type ReturnRecord, type ShopBaseline, type SignalContext, type Subject } from '../../sdk/index.ts';
import type { CompiledRuleset } from '../compileRuleset.ts';
import type { Decision } from '../decision.ts';
import type { ExpressionBudget } from '../expression/ExpressionBudget.ts';
import { snoozesAt, snoozesByCustomer, type Snooze } from '../score.ts';
import { buildBaseline } from './buildBaseline.ts';
import { contextAt } from './contextAt.ts';
import { eventTime, HISTORY_EVENT_TYPES, ShopHistory, type HistoryEvent } from './ShopHistory.ts';

export interface ReplayOptions {
  shopId: string;
  lists?: HashedLists;
  /**
   * The shop's snoozes: each subject is decided with those of its customer in force at its time
   * (`snoozesAt`), as live scoring and the backfill decide it.
   */
  snoozes?: readonly Snooze[];
  /** Rebuild the shop baseline every this many days, from earlier events only. Default 7; 0 = never. */
  baselineEveryDays?: number;
  /** With `baselineEveryDays: 0`: the one baseline to judge every event with (e.g. the shop's current one). */
  baseline?: ShopBaseline;
  /** Keep each decision's context in the output (for debugging and tests). */
  keepContexts?: boolean;
  /** A budget every decision's custom expressions are charged to (a preview's, a simulation's): see `DecideOptions.budget`. */
  budget?: ExpressionBudget;
}

export interface ReplayedDecision {
  decision: Decision;
  context?: SignalContext;
}

const DAY_MS = 86_400_000;
const TYPE_ORDER = new Map<string, number>(HISTORY_EVENT_TYPES.map((type, i) => [type, i]));

/**
 * Events in time order; ties keep customers before orders before fulfilments, then input order.
 * An order's checkout transactions and Shopify's assessment of it (made up to `CHECKOUT_WINDOW_MS`
 * after it) come just before it: they belong to the order, so its context sees them, in a replay
 * as when it is scored live.
 */
export function sortEvents(events: readonly HistoryEvent[]): HistoryEvent[] {
  // Keys in flat arrays, compared by position: no wrapper objects, no lookups while sorting.
  const n = events.length;
  const at = new Float64Array(n);
  const type = new Uint8Array(n);
  let orderTimes: Map<string, number> | undefined;
  for (let i = 0; i < n; i++) {
    at[i] = Date.parse(eventTime(events[i]));
    type[i] = TYPE_ORDER.get(events[i].type)!;
    const event = events[i];
    if (event.type === 'transaction' || event.type === 'risk') orderTimes ??= new Map();
  }
  if (orderTimes) {
    for (const event of events) if (event.type === 'order') orderTimes.set(event.order.id, Date.parse(event.order.createdAt));
    for (let i = 0; i < n; i++) {
      const event = events[i];
      if (event.type !== 'transaction' && event.type !== 'risk') continue;
      const orderAt = orderTimes.get(event.type === 'transaction' ? event.transaction.orderId : event.risk.orderId);
      if (orderAt !== undefined && at[i] <= orderAt + CHECKOUT_WINDOW_MS) at[i] = orderAt;
    }
  }
  const compare = (a: number, b: number) => at[a] - at[b] || type[a] - type[b] || a - b;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = compare(i - 1, i) < 0;
  if (sorted) return events.slice();
  const order = Array.from({ length: n }, (_, i) => i).sort(compare);
  return order.map((i) => events[i]);
}

/**
 * Scores a shop's history in time order, each order, return and refund with its point-in-time
 * context (what was known strictly before it, including RefundSentry's own earlier decisions)
 * and the baseline of the week, exactly as it would have been scored live at that moment.
 */
export function* replayHistory(events: readonly HistoryEvent[], compiled: CompiledRuleset, options: ReplayOptions): Generator<ReplayedDecision> {
  const history = new ShopHistory();
  const every = (options.baselineEveryDays ?? 7) * DAY_MS;
  let baseline: ShopBaseline | undefined = options.baseline;
  let nextRebuild = -Infinity;
  const scored = new Set(compiled.ruleset.appliesTo);
  const snoozesOf = snoozesByCustomer(options.snoozes);
  for (const event of sortEvents(events)) {
    history.add(event);
    const subject = subjectOf(event, history);
    if (!subject || !scored.has(subject.kind)) continue;
    const at = Date.parse(subject.at);
    if (every > 0 && at >= nextRebuild) {
      const asOf = Math.floor(at / DAY_MS) * DAY_MS;
      baseline = buildBaseline(history.all, { asOf: new Date(asOf).toISOString() });
      nextRebuild = asOf + every;
    }
    const context = contextAt(subject, history, { shopId: options.shopId, baseline, lists: options.lists });
    const customerId = subject.order.customerId;
    const snoozed = customerId && snoozesOf.size > 0 ? snoozesAt(snoozesOf.get(customerId), subject.at) : undefined;
    const decision = compiled.decide(context, { explainConditions: false, ...(options.budget ? { budget: options.budget } : {}), ...(snoozed ? { snoozed } : {}) });
    history.addDecision(subject.order.customerId, subject.order.id, {
      subjectId: subject.id,
      kind: subject.kind,
      at: subject.at,
      score: decision.score,
      zone: decision.zone,
    });
    yield options.keepContexts ? { decision, context } : { decision };
  }
}

/** What `subjectOf` reads of a history: ShopHistory and HistoryStream both have it. */
export interface SubjectLookup {
  readonly orders: { get(orderId: string): OrderRecord | undefined };
  ledgerFor(customerId: string | null | undefined, orderId: string): { readonly returns: readonly ReturnRecord[] };
}

/** The subject an event asks to score, if any (its order must be known). */
export function subjectOf(event: HistoryEvent, history: SubjectLookup): Subject | undefined {
  switch (event.type) {
    case 'order': {
      // The history's record: with the facts of its checkout (the paying card, Shopify's assessment).
      const order = history.orders.get(event.order.id) ?? event.order;
      return { kind: 'order', id: order.id, at: order.createdAt, order };
    }
    case 'return': {
      const order = history.orders.get(event.return.orderId);
      return order && { kind: 'return', id: event.return.id, at: event.return.createdAt, return: event.return, order };
    }
    case 'refund': {
      const order = history.orders.get(event.refund.orderId);
      if (!order) return undefined;
      const ledger = history.ledgerFor(order.customerId, order.id);
      const ret = event.refund.returnId ? ledger.returns.find((r) => r.id === event.refund.returnId) : undefined;
      return { kind: 'refund', id: event.refund.id, at: event.refund.createdAt, refund: event.refund, order, return: ret ?? null };
    }
    default:
      return undefined;
  }
}

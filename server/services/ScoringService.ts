import { performance } from 'node:perf_hooks';
import { type ChosenAction, type CompiledRuleset, type SignalRegistry, type SnoozeNote } from '../../engine/index.ts';
import { buildBaseline, contextAt, ShopHistory } from '../../engine/history/index.ts';
import type { IdentifierKind, OrderRecord, RefundRecord, ReturnRecord, ShopBaseline, Subject, SubjectKind } from '../../sdk/index.ts';
import type { RecentProbe } from '../store/ContextStore.ts';
import type { DecisionEntry, SettledAction } from '../store/DecisionStore.ts';
import type { RulesetBudgetGuard } from './RulesetBudgetGuard.ts';
import { RulesetService } from './RulesetService.ts';
import type { ProductCatalog } from './ProductCatalog.ts';
import { productIdsOf, withProductFacts, type ActionRow, type DecisionRow, type RingAlertRow, type SnoozeRow, type Stores } from '../store/index.ts';
import { snoozeOf } from '../store/SnoozeStore.ts';
import { inHoldout, snoozesAt as kernelSnoozesAt } from '../../engine/score.ts';

/** What to score: one order, return or refund of a shop (a scoring job's payload). */
export interface ScoreRequest {
  shopId: string;
  kind: SubjectKind;
  subjectId: string;
}

export interface ScoreOptions {
  /**
   * Past events (a backfill): decided as they would have been then, but never acted on now; the
   * chosen actions are recorded as skipped.
   */
  historical?: boolean;
  /**
   * A backfill's scoring pass: the shop's whole history is loaded once and kept in memory across
   * its pages (each decision fed into it), instead of the customers' records being read for every
   * page. `step` is the pass's count of committed pages: a page that is not the one after the
   * cached one (another process scored in between, or the last page failed) reloads from the store.
   */
  session?: { id: string; step: number };
}

export interface ScoreResult {
  decision: DecisionRow;
  created: boolean;
  actions: ActionRow[];
}

/** Thrown when the subject (or its order) is not stored yet; the job retries later. */
export class SubjectNotReadyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubjectNotReadyError';
  }
}

const BASELINE_TTL_MS = 6 * 3_600_000;
/** A batch's decisions give the event loop a turn after this much time deciding (webhooks, /health, other shops). */
const YIELD_AFTER_MS = 10;

export interface ScoringServiceOptions {
  now?: () => number;
  /**
   * The compiled versions (the app's one `RulesetService`); without it, one of its own compiling
   * with `unavailable` and `decisionSteps`.
   */
  rulesets?: RulesetService;
  /** Says why a signal a published version names is missing (e.g. its plugin failed to load); only without `rulesets`. */
  unavailable?: (signalId: string) => string;
  /** Steps all the custom expressions of one decision may use together (engine default when unset); only without `rulesets`. */
  decisionSteps?: number;
  /** Charges each shop's expressions and marks versions that keep exceeding their budget. */
  guard?: RulesetBudgetGuard;
  /** Fetches the facts of products not seen before (live scoring and backfills); without it only stored facts are used. */
  catalog?: ProductCatalog;
  /** Counts live scoring in flight, for the trial threads to pause meanwhile. */
  liveLoad?: { enter(): void; leave(): void };
  /** Told of new live order decisions and ring alerts once they are stored (`AlertService`); its failures never fail scoring. */
  alerts?: DecisionAlerts;
}

/** What is told of live decisions after they are stored (alert rules: `AlertService`). */
export interface DecisionAlerts {
  ordersDecided(decided: readonly { shopId: string; decision: DecisionRow; order: OrderRecord }[]): Promise<void>;
  ringAlerts(shopId: string, alerts: readonly RingAlertRow[]): Promise<void>;
}

/** A shadow version's decision of a live subject (stored beside the live one, never acted on). */
type ShadowEntry = { shop_id: string; ruleset_version: number; subject_kind: string; subject_id: string; customer_id: string | null; score: number; zone: string; trace: unknown; decided_at: string };

/**
 * Scores one order, return or refund: the point-in-time context from the store (what was known
 * before the subject), the shop's published ruleset (compiled once per content, by `RulesetService`), then the
 * decision, the customer profile and the chosen actions in one transaction. Idempotent: a
 * subject already decided returns its stored decision and creates nothing.
 */
export class ScoringService {
  private readonly stores: Stores;
  /** The compiled versions: the live one (`rulesetFor`) and a shadow draft, compiled once per content. */
  readonly rulesets: RulesetService;
  private readonly baselines = new Map<string, { builtAt: number; baseline: ShopBaseline }>();
  private readonly now: () => number;
  private readonly sessions = new Map<string, { id: string; step: number; history: ShopHistory }>();
  private readonly guard: RulesetBudgetGuard | undefined;
  private readonly liveLoad: ScoringServiceOptions['liveLoad'];
  private readonly catalog: ProductCatalog | undefined;
  private readonly alerts: DecisionAlerts | undefined;

  constructor(stores: Stores, registry: SignalRegistry, options: ScoringServiceOptions = {}) {
    this.stores = stores;
    this.now = options.now ?? Date.now;
    this.rulesets = options.rulesets ?? new RulesetService(stores, registry, { ...(options.unavailable ? { unavailable: options.unavailable } : {}), ...(options.decisionSteps === undefined ? {} : { decisionSteps: options.decisionSteps }) });
    this.guard = options.guard;
    this.liveLoad = options.liveLoad;
    this.catalog = options.catalog;
    this.alerts = options.alerts;
  }

  /** Scores one subject (a batch of one); throws what `scoreBatch` would report for it. */
  async score(shopId: string, kind: SubjectKind, subjectId: string): Promise<ScoreResult> {
    const [outcome] = await this.scoreBatch([{ shopId, kind, subjectId }]);
    if (outcome instanceof Error) throw outcome;
    return outcome!;
  }

  /**
   * Scores a batch of subjects in a handful of round trips whatever its size: one for whether
   * each is decided and its record, one for the orders of returns and refunds, one per shop for
   * the material of every context, one for all the decisions with their effects. Within a batch
   * the subjects are decided in time order, and each decision is added to the shared history
   * before the next, so a customer's later subject sees the earlier decision as it would have if
   * they had come in separate batches. The outcome of each request comes back in its place: its
   * result, or the error that subject alone failed with (`SubjectNotReadyError` when its order is
   * not stored yet). The same subject twice gets the same result.
   */
  async scoreBatch(requests: readonly ScoreRequest[], options: ScoreOptions = {}): Promise<(ScoreResult | Error)[]> {
    // Live scoring comes first: the trial threads (previews, simulations) pause while it runs.
    const live = !options.historical && this.liveLoad;
    if (live) live.enter();
    try {
      return await this.scoreBatchNow(requests, options);
    } finally {
      if (live) live.leave();
    }
  }

  private async scoreBatchNow(requests: readonly ScoreRequest[], options: ScoreOptions): Promise<(ScoreResult | Error)[]> {
    const keyOf = (r: ScoreRequest) => `${r.shopId}|${r.kind}|${r.subjectId}`;
    const unique = [...new Map(requests.map((r) => [keyOf(r), r])).values()];
    const outcomes = new Map<string, ScoreResult | Error>();
    const stored = await this.stores.context.subjects<OrderRecord | ReturnRecord | RefundRecord>(unique.map((r) => ({ shopId: r.shopId, kind: r.kind, id: r.subjectId })));
    const undecided: { request: ScoreRequest; record: OrderRecord | ReturnRecord | RefundRecord | undefined }[] = [];
    for (const [i, request] of unique.entries()) {
      const { decided, record } = stored[i]!;
      const existing = decided ? await this.stores.decisions.bySubject(request.shopId, request.subjectId) : undefined;
      if (existing) outcomes.set(keyOf(request), { decision: existing, created: false, actions: [] });
      else undecided.push({ request, record });
    }
    const subjects = await this.loadSubjects(undecided);
    const byShop = Map.groupBy(
      subjects.flatMap((s, i) => (s instanceof Error ? (outcomes.set(keyOf(undecided[i]!.request), s), []) : [{ request: undecided[i]!.request, subject: s }])),
      (item) => item.request.shopId,
    );
    const entries: (DecisionEntry & { key: string })[] = [];
    const shadows: ShadowEntry[] = [];
    for (const [shopId, items] of byShop) {
      try {
        const decided = await this.decideForShop(shopId, items, options);
        entries.push(...decided.entries.map((entry, i) => ({ ...entry, key: keyOf(items[i]!.request) })));
        shadows.push(...decided.shadows);
      } catch (error) {
        for (const item of items) outcomes.set(keyOf(item.request), error as Error);
      }
    }
    const written = await this.stores.decisions.insertManyWithEffects(entries);
    // Versions found over their expression budget are marked now; the next batches score with the last good one.
    await this.guard?.settle().catch(() => undefined);
    written.forEach((result, i) => outcomes.set(entries[i]!.key, { decision: result.row, created: result.created, actions: result.actions }));
    // Shadow decisions of the subjects decided now; a failure here never touches live scoring.
    const created = new Set(written.flatMap((result, i) => (result.created ? [entries[i]!.decision.subject.id] : [])));
    await this.stores.rulesets.insertShadowDecisions(shadows.filter((s) => created.has(s.subject_id))).catch(() => undefined);
    // A new live order whose identifiers match a known ring raises a ring alert (never for a backfill's past orders).
    if (!options.historical) {
      const newOrders = subjects.flatMap((s, i) => (s instanceof Error || s.kind !== 'order' || !created.has(s.id) ? [] : [{ shopId: undecided[i]!.request.shopId, order: s.order }]));
      await this.alertRings(newOrders);
      // Alert rules see the new order decisions once stored; a failure here never fails scoring.
      if (this.alerts && newOrders.length > 0) {
        const orderOf = new Map(newOrders.map(({ shopId, order }) => [`${shopId}|${order.id}`, order]));
        const decided = written.flatMap((result) => {
          const order = result.created && result.row.subject_kind === 'order' ? orderOf.get(`${result.row.shop_id}|${result.row.subject_id}`) : undefined;
          return order ? [{ shopId: result.row.shop_id, decision: result.row, order }] : [];
        });
        await this.alerts.ordersDecided(decided).catch(() => undefined);
      }
    }
    return requests.map((r) => outcomes.get(keyOf(r))!);
  }

  /** The decisions of one shop's subjects, decided in time order over one shared history. */
  private async decideForShop(shopId: string, given: readonly { request: ScoreRequest; subject: Subject }[], options: ScoreOptions): Promise<{ entries: DecisionEntry[]; shadows: ShadowEntry[] }> {
    const items = await this.withProductFacts(shopId, given, options.historical === true);
    const customerIds = new Set<string>();
    const orderIds = new Set<string>();
    for (const { subject } of items) {
      if (subject.order.customerId) customerIds.add(subject.order.customerId);
      orderIds.add(subject.order.id);
    }
    const { session } = options;
    const cached = session ? this.sessions.get(shopId) : undefined;
    const reuse = cached && session && cached.id === session.id && cached.step === session.step ? cached.history : undefined;
    this.sessions.delete(shopId); // taken: a failure below must not leave a half-fed history behind
    const earliest = items.reduce((min, { subject }) => (subject.at < min ? subject.at : min), items[0]?.subject.at ?? new Date(0).toISOString());
    const [history, lists, compiled, baseline, shop, snoozeRows] = await Promise.all([
      reuse ?? this.historyFor(shopId, [...customerIds], [...orderIds], earliest, session !== undefined, recentProbesOf(items.map((item) => item.subject))),
      this.stores.lists.forShopCached(shopId),
      this.rulesetFor(shopId),
      this.baselineFor(shopId),
      this.stores.shops.getCached(shopId),
      this.stores.snoozes.forCustomers(shopId, [...customerIds], earliest),
    ]);
    const connected = Boolean(shop?.access_token);
    const holdoutShare = options.historical ? 0 : holdoutShareOf(shop?.settings);
    const snoozesOf = Map.groupBy(snoozeRows, (row) => row.customer_id);
    // Shadow mode (live events only): a draft decides each subject beside the live version, never acting.
    const shadowRow = options.historical ? undefined : await this.stores.rulesets.shadowCached(shopId).catch(() => undefined);
    const shadow = shadowRow && shadowRow.status === 'draft' ? this.rulesets.compiledVersion(shadowRow) : undefined;
    const shadows: ShadowEntry[] = [];
    const inTimeOrder = items.map((item, i) => ({ ...item, i })).sort((a, b) => Date.parse(a.subject.at) - Date.parse(b.subject.at) || a.i - b.i);
    const entries: DecisionEntry[] = new Array(items.length);
    let turnStarted = performance.now();
    for (const { subject, i } of inTimeOrder) {
      if (performance.now() - turnStarted > YIELD_AFTER_MS) {
        // A long batch (a backfill page, heavy custom expressions) lets the event loop breathe.
        await new Promise((resolve) => setImmediate(resolve));
        turnStarted = performance.now();
      }
      const customerId = subject.order.customerId ?? null;
      const context = contextAt(subject, history, { shopId, baseline, lists });
      const snoozed = customerId ? snoozesAt(snoozesOf.get(customerId), subject.at) : undefined;
      const decision = compiled.decide(context, snoozed ? { clock: () => performance.now(), snoozed } : { clock: () => performance.now() });
      this.guard?.record(shopId, compiled.version, decision.expressions);
      if (shadow && shadowRow) {
        try {
          const s = shadow.decide(context);
          this.guard?.record(shopId, shadowRow.version, s.expressions);
          shadows.push({ shop_id: shopId, ruleset_version: shadowRow.version, subject_kind: subject.kind, subject_id: subject.id, customer_id: subject.order.customerId ?? null, score: s.score, zone: s.zone, trace: s, decided_at: subject.at });
        } catch {
          // A shadow version that fails on an event simply has no decision for it.
        }
      }
      history.addDecision(customerId, subject.order.id, { subjectId: subject.id, kind: subject.kind, at: subject.at, score: decision.score, zone: decision.zone });
      const holdout = decision.zone === 'high' && inHoldout(shopId, subject.id, holdoutShare);
      const actions = decision.actions.map((action) => (options.historical ? historical(action) : holdout ? heldOut(action, holdoutShare) : settle(action, connected)));
      entries[i] = { shopId, decision, orderId: subject.order.id, customerId, actions, ...(holdout ? { holdout } : {}) };
    }
    if (session) this.sessions.set(shopId, { id: session.id, step: session.step + 1, history });
    return { entries, shadows };
  }

  /**
   * The subjects with their orders' line items completed from the stored product facts (product
   * type, compare-at price); products not seen before are fetched (`ProductCatalog`): first, for a
   * backfill; in a products job, for live scoring (the orders after it see them). The history's
   * orders get theirs from the store (ContextStore).
   */
  private async withProductFacts<T extends { subject: Subject }>(shopId: string, items: readonly T[], historical: boolean): Promise<T[]> {
    const orders = items.map((item) => item.subject.order);
    // A backfill (a background job) waits for the fetch; live scoring only asks for it.
    if (historical) await this.catalog?.ensure(shopId, orders);
    else await this.catalog?.request(shopId, orders);
    const facts = await this.stores.products.factsFor(shopId, productIdsOf(orders));
    if (facts.size === 0) return [...items];
    return items.map((item) => ({ ...item, subject: { ...item.subject, order: withProductFacts([item.subject.order], facts)[0]! } }));
  }

  /** Ring alerts for newly decided live orders; best effort: a failure here never fails scoring. */
  private async alertRings(orders: { shopId: string; order: OrderRecord }[]): Promise<void> {
    for (const [shopId, items] of Map.groupBy(orders, (o) => o.shopId)) {
      const alerts = await this.stores.rings
        .alertMatches(shopId, items.map(({ order }) => ({ orderId: order.id, customerId: order.customerId ?? null, at: order.createdAt, identity: order.identity ?? {} })))
        .catch(() => []);
      if (this.alerts && alerts.length > 0) await this.alerts.ringAlerts(shopId, alerts).catch(() => undefined);
    }
  }

  /** Ends a backfill's scoring pass: its in-memory history is dropped. */
  endSession(shopId: string): void {
    this.sessions.delete(shopId);
  }

  /** The history the contexts are cut from: the batch's customers and orders, or (a backfill pass) the whole shop. */
  private async historyFor(shopId: string, customerIds: string[], orderIds: string[], since: string, wholeShop: boolean, recent: RecentProbe[]): Promise<ShopHistory> {
    const material = (wholeShop ? await this.stores.context.wholeShop(shopId) : undefined) ?? (await this.stores.context.material(shopId, customerIds, orderIds, since, recent));
    const history = ShopHistory.from(material.events);
    for (const use of material.identifierUses ?? []) history.addIdentifierUse(`${use.kind}:${use.hash}`, use.key, Date.parse(use.at));
    for (const use of material.recentUses ?? []) history.addIdentifierOrder(`${use.kind}:${use.hash}`, use.orderId, Date.parse(use.at), use.card ?? undefined);
    for (const decision of material.past) history.addDecision(decision.customerId, decision.orderId ?? decision.subjectId, decision);
    for (const outcome of material.outcomes) history.add({ type: 'outcome', outcome });
    for (const [customerId, manualOverride] of material.manualOverrides) {
      const snapshot = history.customers.get(customerId) ?? { id: customerId, tags: [], identity: {} };
      history.customers.set(customerId, { ...snapshot, manualOverride });
    }
    return history;
  }

  /**
   * The ruleset the shop scores with (`RulesetService.live`: compiled once per content hash; the
   * last good version while the published one is over its expression budget).
   */
  async rulesetFor(shopId: string): Promise<CompiledRuleset> {
    const compiled = await this.rulesets.live(shopId);
    if (!compiled) throw new SubjectNotReadyError(`shop ${shopId} has no published ruleset`);
    return compiled;
  }

  /** Pins a shop's baseline (until the next rebuild): the simulator and tests judge with a chosen one. */
  pinBaseline(shopId: string, baseline: ShopBaseline): void {
    this.baselines.set(shopId, { builtAt: this.now(), baseline });
  }

  /** The shop baseline, rebuilt from its stored history every few hours (or now, with `rebuild`). */
  async baselineFor(shopId: string, rebuild = false): Promise<ShopBaseline> {
    const cached = this.baselines.get(shopId);
    if (!rebuild && cached && this.now() - cached.builtAt < BASELINE_TTL_MS) return cached.baseline;
    const history = ShopHistory.from(await this.stores.events.allForBaseline(shopId));
    const baseline = buildBaseline(history.all, { asOf: new Date(this.now()).toISOString() });
    this.baselines.set(shopId, { builtAt: this.now(), baseline });
    return baseline;
  }

  /**
   * Each subject with its order (and a refund's return), reading the orders of all the batch's
   * returns and refunds in one round trip; a subject not stored yet, or whose order is not, is a
   * `SubjectNotReadyError` in its place.
   */
  private async loadSubjects(items: readonly { request: ScoreRequest; record: OrderRecord | ReturnRecord | RefundRecord | undefined }[]): Promise<(Subject | Error)[]> {
    const linked = items.flatMap(({ request, record }) => {
      if (!record || request.kind === 'order') return [];
      const keys = [{ shopId: request.shopId, kind: 'order' as const, id: (record as ReturnRecord | RefundRecord).orderId }];
      const returnId = request.kind === 'refund' ? (record as RefundRecord).returnId : null;
      return returnId ? [...keys, { shopId: request.shopId, kind: 'return' as const, id: returnId }] : keys;
    });
    const linkedRecords = await this.stores.context.subjects<OrderRecord | ReturnRecord>(linked);
    const found = new Map(linked.map((key, i) => [`${key.shopId}|${key.kind}|${key.id}`, linkedRecords[i]!.record]));
    const get = <T>(shopId: string, kind: string, id: string) => found.get(`${shopId}|${kind}|${id}`) as T | undefined;
    return items.map(({ request: { shopId, kind, subjectId }, record }): Subject | Error => {
      if (!record) return new SubjectNotReadyError(`${kind} ${subjectId} is not stored`);
      if (kind === 'order') {
        const order = record as OrderRecord;
        return { kind, id: order.id, at: order.createdAt, order };
      }
      const linkedTo = record as ReturnRecord | RefundRecord;
      const order = get<OrderRecord>(shopId, 'order', linkedTo.orderId);
      if (!order) return new SubjectNotReadyError(`order ${linkedTo.orderId} of ${kind} ${subjectId} is not stored yet`);
      if (kind === 'return') {
        const ret = record as ReturnRecord;
        return { kind, id: ret.id, at: ret.createdAt, return: ret, order };
      }
      const refund = record as RefundRecord;
      const ret = refund.returnId ? get<ReturnRecord>(shopId, 'return', refund.returnId) : undefined;
      return { kind, id: refund.id, at: refund.createdAt, refund, order, return: ret ?? null };
    });
  }
}

/**
 * The identifiers of a batch's order subjects with each one's time: the store reads the orders that
 * carried them in the day before (`ContextStore.material`'s `recent`), for the identity facts.
 */
export function recentProbesOf(subjects: readonly Subject[]): RecentProbe[] {
  return subjects.flatMap((subject) =>
    subject.kind !== 'order'
      ? []
      : (Object.entries(subject.order.identity ?? {}) as [IdentifierKind, string | undefined][]).flatMap(([kind, hash]) => (hash && PROBED_KINDS.has(kind) ? [{ kind, hash, at: subject.at }] : [])),
  );
}
const PROBED_KINDS: ReadonlySet<string> = new Set<IdentifierKind>(['email', 'phone', 'address', 'ip', 'device', 'payment']);

/** The shop's holdout share of HIGH decisions (0..0.2), from its settings' `holdoutPercent`. */
export function holdoutShareOf(settings: Record<string, unknown> | undefined): number {
  const percent = Number(settings?.holdoutPercent ?? 0);
  return Number.isFinite(percent) ? Math.min(20, Math.max(0, percent)) / 100 : 0;
}

/** Whether a HIGH subject falls in the holdout sample: the scoring kernel's (engine/score.ts). */
export { inHoldout };

/** The snoozes in force at `at` (started at or before it, expiring after it), by signal id: the scoring kernel's `snoozesAt`. */
export function snoozesAt(rows: readonly SnoozeRow[] | undefined, at: string): Record<string, SnoozeNote> | undefined {
  return rows ? kernelSnoozesAt(rows.map(snoozeOf), at) : undefined;
}

function heldOut(action: ChosenAction, share: number): SettledAction {
  return { action, status: 'skipped', result: { reason: 'holdout', detail: `in the holdout sample (${Math.round(share * 1000) / 10}% of HIGH decisions are not acted on, to measure what the rules prevent)` } };
}

function historical(action: ChosenAction): SettledAction {
  return { action, status: 'skipped', result: { reason: 'historical event (backfill): decided, not acted on' } };
}

/**
 * Settles at decision time what needs no job: a review-queue entry is the action row itself; with
 * no store connected (demo mode, or a shop awaiting reconnection) an Admin API action can only be
 * recorded as skipped. Everything else is left pending for an action job.
 */
function settle(action: ChosenAction, connected: boolean): SettledAction {
  if (action.type === 'review.queue') return { action, status: 'done', result: { queue: action.queue ?? 'default' } };
  if (!connected) return { action, status: 'skipped', result: { reason: 'no Shopify store connected (demo mode or awaiting reconnection)' } };
  return { action, status: 'pending' };
}

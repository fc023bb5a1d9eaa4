import { performance } from 'node:perf_hooks';
import { type ChosenAction, type CompiledRuleset, type SignalRegistry, type SnoozeNote, type Zone } from '../../engine/index.ts';
import { buildBaseline, contextAt, ShopHistory } from '../../engine/history/index.ts';
import type { IdentifierKind, OrderRecord, RefundRecord, ReturnRecord, ShopBaseline, Subject, SubjectKind } from '../../sdk/index.ts';
import type { RecentProbe } from '../store/ContextStore.ts';
import type { RingMatchInput } from '../store/RingStore.ts';
import type { DecisionEntry, RevisionEntry, RevisionTrigger, SettledAction } from '../store/DecisionStore.ts';
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
  /** A new fact: a decided subject still actionable is revised as of it (see `revise`); an undecided one is decided as usual. */
  trigger?: RevisionTrigger;
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
  /** A trigger revised the decided subject now (its new revision is `decision`). */
  revised?: boolean;
  actions: ActionRow[];
}

/** Thrown when the subject (or its order) is not stored yet; the job retries later. */
export class SubjectNotReadyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubjectNotReadyError';
  }
}

/** Thrown (in its place) when a subject's decision was revised by another job between read and write; the job retries over the new revision. */
export class RevisedMeanwhileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RevisedMeanwhileError';
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
  /**
   * Links new live orders into the shop's rings (`RingService.linkLive`): rings form and grow
   * without a rebuild, and their alerts are stored. Without it, only matches with the stored
   * rings raise alerts (`RingStore.alertMatches`). Its failures never fail scoring.
   */
  rings?: { linkLive(shopId: string, orders: readonly RingMatchInput[]): Promise<{ alerts: RingAlertRow[]; changedCustomers: string[]; changedGuestOrders: string[] }> };
  /** Told of the customers and guest orders whose ring formed or grew, and when (their open subjects are revised: `RevisionTriggers`). */
  ringsChanged?: (shopId: string, change: { customers: string[]; guestOrders: string[]; at: string; orderId: string }) => Promise<void>;
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
  private readonly rings: ScoringServiceOptions['rings'];
  private readonly ringsChanged: ScoringServiceOptions['ringsChanged'];

  constructor(stores: Stores, registry: SignalRegistry, options: ScoringServiceOptions = {}) {
    this.stores = stores;
    this.now = options.now ?? Date.now;
    this.rulesets = options.rulesets ?? new RulesetService(stores, registry, { ...(options.unavailable ? { unavailable: options.unavailable } : {}), ...(options.decisionSteps === undefined ? {} : { decisionSteps: options.decisionSteps }) });
    this.guard = options.guard;
    this.liveLoad = options.liveLoad;
    this.catalog = options.catalog;
    this.alerts = options.alerts;
    this.rings = options.rings;
    this.ringsChanged = options.ringsChanged;
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
    // The same subject twice is decided once; its triggers fold into one (a storm of updates: one revision).
    const unique = [...Map.groupBy(requests, keyOf).values()].map((same) => coalesce(same));
    const outcomes = new Map<string, ScoreResult | Error>();
    const stored = await this.stores.context.subjects<OrderRecord | ReturnRecord | RefundRecord>(unique.map((r) => ({ shopId: r.shopId, kind: r.kind, id: r.subjectId })));
    const undecided: { request: ScoreRequest; record: OrderRecord | ReturnRecord | RefundRecord | undefined }[] = [];
    const toRevise: { request: ScoreRequest & { trigger: RevisionTrigger }; record: OrderRecord | ReturnRecord | RefundRecord | undefined; current: DecisionRow }[] = [];
    for (const [i, request] of unique.entries()) {
      const { decided, record } = stored[i]!;
      const existing = decided ? await this.stores.decisions.bySubject(request.shopId, request.subjectId) : undefined;
      if (existing && request.trigger && !options.historical) toRevise.push({ request: { ...request, trigger: request.trigger }, record, current: existing });
      else if (existing) outcomes.set(keyOf(request), { decision: existing, created: false, actions: [] });
      else undecided.push({ request, record });
    }
    // Orders looked at again after a new fact: linked into the rings again below (a transaction may have given one its card).
    const relinked: { shopId: string; order: OrderRecord }[] = [];
    if (toRevise.length > 0) {
      const revised = await this.revise(toRevise);
      toRevise.forEach((item, i) => {
        outcomes.set(keyOf(item.request), revised[i]!);
        if (item.request.kind === 'order' && item.record && !(revised[i] instanceof Error)) relinked.push({ shopId: item.request.shopId, order: item.record as OrderRecord });
      });
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
      await this.alertRings([...newOrders, ...relinked]);
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
  private async decideForShop(shopId: string, given: readonly { request: ScoreRequest; subject: Subject; knownAt?: string }[], options: ScoreOptions): Promise<{ entries: DecisionEntry[]; shadows: ShadowEntry[] }> {
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
    for (const { subject, knownAt, i } of inTimeOrder) {
      if (performance.now() - turnStarted > YIELD_AFTER_MS) {
        // A long batch (a backfill page, heavy custom expressions) lets the event loop breathe.
        await new Promise((resolve) => setImmediate(resolve));
        turnStarted = performance.now();
      }
      const customerId = subject.order.customerId ?? null;
      // A revision sees what was known at its trigger (`knownAt`); a first decision, what was known at the subject's time.
      const context = contextAt(subject, history, { shopId, baseline, lists, ...(knownAt === undefined ? {} : { knownAt }) });
      const snoozed = customerId ? snoozesAt(snoozesOf.get(customerId), subject.at) : undefined;
      const decision = compiled.decide(context, snoozed ? { clock: () => performance.now(), snoozed } : { clock: () => performance.now() });
      this.guard?.record(shopId, compiled.version, decision.expressions);
      if (shadow && shadowRow && knownAt === undefined) {
        try {
          const s = shadow.decide(context);
          this.guard?.record(shopId, shadowRow.version, s.expressions);
          shadows.push({ shop_id: shopId, ruleset_version: shadowRow.version, subject_kind: subject.kind, subject_id: subject.id, customer_id: subject.order.customerId ?? null, score: s.score, zone: s.zone, trace: s, decided_at: subject.at });
        } catch {
          // A shadow version that fails on an event simply has no decision for it.
        }
      }
      // (A revised subject's decision is in the history already: its first one, at its own time.)
      if (knownAt === undefined) history.addDecision(customerId, subject.order.id, { subjectId: subject.id, kind: subject.kind, at: subject.at, score: decision.score, zone: decision.zone });
      const holdout = decision.zone === 'high' && inHoldout(shopId, subject.id, holdoutShare);
      const actions = decision.actions.map((action) => (options.historical ? historical(action) : holdout ? heldOut(action, holdoutShare) : settle(action, connected)));
      entries[i] = { shopId, decision, orderId: subject.order.id, customerId, actions, ...(holdout ? { holdout } : {}) };
    }
    if (session) this.sessions.set(shopId, { id: session.id, step: session.step + 1, history });
    return { entries, shadows };
  }

  /**
   * Revises decided subjects after new facts (`ScoreRequest.trigger`), in a few round trips: which
   * are still actionable (an order until fulfilled or cancelled, a return until closed, a refund
   * for the shop's `refundRevisionDays`, 14 by default), their records as stored now, and each
   * decided again over the same kind of history as a first decision, as known at
   * max(subject time, trigger time) (`contextAt`'s `knownAt`): the customer's earlier subjects as
   * before, the facts learned since (chargebacks, labels, deliveries, transactions, ring members)
   * up to the trigger. A revision is stored only when the score or zone changed, or a signal's
   * status did (e.g. a timing signal that had no delivery to judge now has one), with the actions
   * the change calls for (`revisionActions`). A subject no longer actionable, or unchanged, keeps
   * its decision (`revised` false).
   */
  private async revise(items: readonly { request: ScoreRequest & { trigger: RevisionTrigger }; record: OrderRecord | ReturnRecord | RefundRecord | undefined; current: DecisionRow }[]): Promise<(ScoreResult | Error)[]> {
    const results: (ScoreResult | Error)[] = items.map((item) => ({ decision: item.current, created: false, revised: false, actions: [] }));
    const indexed = items.map((item, i) => ({ ...item, i }));
    for (const [shopId, group] of Map.groupBy(indexed, (item) => item.request.shopId)) {
      try {
        const shop = await this.stores.shops.getCached(shopId);
        const open = await this.stores.decisions.openSubjects(shopId, { subjects: group.map(({ request }) => ({ kind: request.kind, id: request.subjectId })) }, refundRevisionDaysOf(shop?.settings), group.length);
        const isOpen = new Set(open.map((o) => `${o.kind}|${o.subjectId}`));
        const actionable = group.filter(({ request }) => isOpen.has(`${request.kind}|${request.subjectId}`));
        if (actionable.length === 0) continue;
        const subjects = await this.loadSubjects(actionable);
        const ready = actionable.flatMap((item, n) => {
          const subject = subjects[n]!;
          if (subject instanceof Error) return (results[item.i] = subject), [];
          // What was known at the trigger includes the trigger's own fact (the context holds what is strictly before `knownAt`).
          const knownAt = new Date(Math.max(Date.parse(subject.at), Date.parse(item.request.trigger.at) + 1)).toISOString();
          return [{ item, subject, knownAt }];
        });
        if (ready.length === 0) continue;
        const { entries } = await this.decideForShop(shopId, ready.map(({ item, subject, knownAt }) => ({ request: item.request, subject, knownAt })), {});
        const revisions: (RevisionEntry & { i: number })[] = [];
        for (const [n, { item, knownAt }] of ready.entries()) {
          const entry = entries[n]!;
          const { current } = item;
          // A change of score or zone, or a signal that can now say something it could not (a delivery known at last).
          const was = new Map(current.trace.signals.map((signal) => [signal.id, signal.status]));
          const changed = entry.decision.zone !== current.zone || Math.abs(entry.decision.score - Number(current.score)) >= 0.005 || entry.decision.signals.some((signal) => was.get(signal.id) !== signal.status);
          if (!changed) continue;
          const earlier = await this.stores.actions.forDecision(shopId, current.id);
          revisions.push({
            i: item.i,
            shopId,
            decisionId: current.id,
            fromRevision: current.revision ?? 0,
            decision: entry.decision,
            customerId: current.customer_id,
            trigger: item.request.trigger,
            knownAt,
            actions: revisionActions(current.zone, entry.decision.zone, entry.actions, earlier),
          });
        }
        const written = await this.stores.decisions.revise(revisions);
        revisions.forEach((revision, n) => {
          const stored = written[n];
          // Revised by another worker since it was read: this trigger's facts are decided again over that revision (the job retries).
          results[revision.i] = stored
            ? { decision: stored.row, created: false, revised: true, actions: stored.actions }
            : new RevisedMeanwhileError(`${revision.decision.subject.kind} ${revision.decision.subject.id} was revised by another job meanwhile: decided again`);
        });
      } catch (error) {
        for (const item of group) results[item.i] = error as Error;
      }
    }
    return results;
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

  /**
   * Newly decided live orders and the shop's rings: linked into them (`rings.linkLive`: a ring
   * forms or grows, its alerts stored), or only matched with the stored rings without it; the
   * alerts handed to the alert rules, and the customers of a ring that formed or grew handed on to
   * have their open subjects revised. Best effort: a failure here never fails scoring.
   */
  private async alertRings(orders: { shopId: string; order: OrderRecord }[]): Promise<void> {
    for (const [shopId, items] of Map.groupBy(orders, (o) => o.shopId)) {
      const inputs = items.map(({ order }) => ({ orderId: order.id, customerId: order.customerId ?? null, at: order.createdAt, identity: order.identity ?? {} }));
      const link = this.rings ? await this.rings.linkLive(shopId, inputs).catch(() => undefined) : undefined;
      const alerts = link ? link.alerts : await this.stores.rings.alertMatches(shopId, inputs).catch(() => []);
      if (this.alerts && alerts.length > 0) await this.alerts.ringAlerts(shopId, alerts).catch(() => undefined);
      if (link && this.ringsChanged && link.changedCustomers.length + link.changedGuestOrders.length > 0) {
        // The latest of the orders that linked them: the revisions see the ring as it stands after it.
        const latest = inputs.reduce((a, b) => (Date.parse(b.at) > Date.parse(a.at) ? b : a));
        await this.ringsChanged(shopId, { customers: link.changedCustomers, guestOrders: link.changedGuestOrders, at: latest.at, orderId: latest.orderId }).catch(() => undefined);
      }
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

/** One request for a subject asked for several times in a batch: the latest trigger (by its fact's time), counting the others. */
function coalesce(same: readonly ScoreRequest[]): ScoreRequest {
  const triggers = same.flatMap((r) => (r.trigger ? [r.trigger] : []));
  const first = same[0]!;
  if (triggers.length === 0) return first;
  const latest = triggers.reduce((a, b) => (Date.parse(b.at) >= Date.parse(a.at) ? b : a));
  const count = triggers.reduce((sum, t) => sum + (t.coalesced ?? 1), 0);
  return { ...first, trigger: count > 1 ? { ...latest, coalesced: count } : latest };
}

/** How many days after a refund its decision can still be revised: the shop's `refundRevisionDays` (0..90), 14 by default. */
export function refundRevisionDaysOf(settings: Record<string, unknown> | undefined): number {
  const days = Number(settings?.refundRevisionDays ?? 14);
  return Number.isFinite(days) ? Math.min(90, Math.max(0, Math.round(days))) : 14;
}

const ZONE_RANK = { low: 0, medium: 1, high: 2 } as const;

/**
 * What a revision does, from the zone before and after (issue 23): one that raises the zone runs
 * the new zone's actions (hold, tag, risk assessment, Flow); one that lowers it updates the tag and
 * the risk assessment (a new assessment even if the new zone's rules write none, when an earlier
 * one was written) and proposes, never performs, releasing a hold the app placed; one that keeps
 * the zone does nothing. The actions are settled as a first decision's are (`settled`).
 */
export function revisionActions(before: Zone, after: Zone, settled: readonly SettledAction[], earlier: readonly ActionRow[]): SettledAction[] {
  if (ZONE_RANK[after] > ZONE_RANK[before]) return [...settled];
  if (ZONE_RANK[after] === ZONE_RANK[before]) return [];
  const kept = settled.filter((a) => a.action.type === 'customer.tag' || a.action.type === 'risk.assessment');
  const assessed = earlier.some((a) => a.type === 'risk.assessment' && a.status === 'done');
  const out = [...kept];
  if (assessed && !kept.some((a) => a.action.type === 'risk.assessment')) {
    const template = settled[0];
    const action: ChosenAction = { ruleId: 'revision', type: 'risk.assessment', riskLevel: 'auto' };
    out.push(template && template.status !== 'pending' && template.action.type !== 'review.queue' ? { ...template, action } : { action, status: 'pending' });
  }
  for (const hold of earlier.filter((a) => a.type === 'fulfillment.hold' && a.status === 'done')) {
    out.push({
      action: { ruleId: 'revision', type: 'fulfillment.release', holdActionId: hold.id } as unknown as ChosenAction,
      status: 'proposed',
      result: { holdActionId: hold.id, reason: `the score fell to ${after.toUpperCase()}: release the hold this app placed? (POST /api/actions/${hold.id}/release)` },
    });
  }
  return out;
}

import { performance } from 'node:perf_hooks';
import { compileRuleset, type ChosenAction, type CompiledRuleset, type SignalRegistry } from '../../engine/index.ts';
import { buildBaseline, contextAt, ShopHistory } from '../../engine/history/index.ts';
import type { OrderRecord, RefundRecord, ReturnRecord, ShopBaseline, Subject, SubjectKind } from '../../sdk/index.ts';
import type { SettledAction } from '../store/DecisionStore.ts';
import type { ActionRow, DecisionRow, Stores } from '../store/index.ts';

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

/**
 * Scores one order, return or refund: the point-in-time context from the store (what was known
 * before the subject), the shop's published ruleset (compiled once per version), then the
 * decision, the customer profile and the chosen actions in one transaction. Idempotent: a
 * subject already decided returns its stored decision and creates nothing.
 */
export class ScoringService {
  private readonly stores: Stores;
  private readonly registry: SignalRegistry;
  private readonly compiled = new Map<string, CompiledRuleset>();
  private readonly baselines = new Map<string, { builtAt: number; baseline: ShopBaseline }>();
  private readonly now: () => number;

  constructor(stores: Stores, registry: SignalRegistry, now: () => number = Date.now) {
    this.stores = stores;
    this.registry = registry;
    this.now = now;
  }

  async score(shopId: string, kind: SubjectKind, subjectId: string): Promise<ScoreResult> {
    // One round trip for "decided yet?" and the subject's record, one for the context's material.
    const first = await this.stores.context.subject<OrderRecord | ReturnRecord | RefundRecord>(shopId, kind, subjectId);
    if (first.decided) {
      const existing = await this.stores.decisions.bySubject(shopId, subjectId);
      if (existing) return { decision: existing, created: false, actions: [] };
    }
    const subject = await this.loadSubject(shopId, kind, subjectId, first.record);
    const customerId = subject.order.customerId ?? null;
    const [material, lists, compiled, baseline, shop] = await Promise.all([
      this.stores.context.material(shopId, customerId, subject.order.id),
      this.stores.lists.forShopCached(shopId),
      this.rulesetFor(shopId),
      this.baselineFor(shopId),
      this.stores.shops.getCached(shopId),
    ]);
    const history = ShopHistory.from(material.events);
    for (const decision of material.past) history.addDecision(customerId, subject.order.id, decision);
    for (const outcome of material.outcomes) history.add({ type: 'outcome', outcome });
    if (customerId && material.manualOverride) {
      const snapshot = history.customers.get(customerId) ?? { id: customerId, tags: [], identity: {} };
      history.customers.set(customerId, { ...snapshot, manualOverride: material.manualOverride });
    }
    const context = contextAt(subject, history, { shopId, baseline, lists });
    const decision = compiled.decide(context, { clock: () => performance.now() });
    // Decision, customer profile and actions: one statement, so one transaction.
    const settled = decision.actions.map((action) => settle(action, Boolean(shop?.access_token)));
    const stored = await this.stores.decisions.insertOnceWithEffects(shopId, decision, { orderId: subject.order.id, customerId }, settled);
    return { decision: stored.row, created: stored.created, actions: stored.actions };
  }

  /** The shop's published ruleset, compiled once per content hash. */
  async rulesetFor(shopId: string): Promise<CompiledRuleset> {
    const row = await this.stores.rulesets.publishedCached(shopId);
    if (!row) throw new SubjectNotReadyError(`shop ${shopId} has no published ruleset`);
    let compiled = this.compiled.get(row.content_hash);
    if (!compiled) {
      compiled = compileRuleset(row.body, this.registry);
      this.compiled.set(row.content_hash, compiled);
    }
    return compiled;
  }

  /** The shop baseline, rebuilt from its stored history every few hours. */
  async baselineFor(shopId: string): Promise<ShopBaseline> {
    const cached = this.baselines.get(shopId);
    if (cached && this.now() - cached.builtAt < BASELINE_TTL_MS) return cached.baseline;
    const history = ShopHistory.from(await this.stores.events.allForBaseline(shopId));
    const baseline = buildBaseline(history.all, { asOf: new Date(this.now()).toISOString() });
    this.baselines.set(shopId, { builtAt: this.now(), baseline });
    return baseline;
  }

  /** `record` is the subject's own stored record, already read (undefined when not stored). */
  private async loadSubject(shopId: string, kind: SubjectKind, subjectId: string, record: OrderRecord | ReturnRecord | RefundRecord | undefined): Promise<Subject> {
    const events = this.stores.events;
    if (kind === 'order') {
      const order = record as OrderRecord | undefined;
      if (!order) throw new SubjectNotReadyError(`order ${subjectId} is not stored`);
      return { kind, id: order.id, at: order.createdAt, order };
    }
    if (kind === 'return') {
      const ret = record as ReturnRecord | undefined;
      if (!ret) throw new SubjectNotReadyError(`return ${subjectId} is not stored`);
      const order = await events.get<OrderRecord>(shopId, 'order', ret.orderId);
      if (!order) throw new SubjectNotReadyError(`order ${ret.orderId} of return ${subjectId} is not stored yet`);
      return { kind, id: ret.id, at: ret.createdAt, return: ret, order };
    }
    const refund = record as RefundRecord | undefined;
    if (!refund) throw new SubjectNotReadyError(`refund ${subjectId} is not stored`);
    const order = await events.get<OrderRecord>(shopId, 'order', refund.orderId);
    if (!order) throw new SubjectNotReadyError(`order ${refund.orderId} of refund ${subjectId} is not stored yet`);
    const ret = refund.returnId ? await events.get<ReturnRecord>(shopId, 'return', refund.returnId) : undefined;
    return { kind, id: refund.id, at: refund.createdAt, refund, order, return: ret ?? null };
  }
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

import { compileRuleset, RulesetValidationError, validateRuleset, type Decision, type Ruleset, type RulesetProblem, type SignalRegistry, type SimulationReport } from '../../engine/index.ts';
import type { HistoryEvent } from '../../engine/history/index.ts';
import { compareDecisions, knowledgeOf } from '../../engine/simulate/simulate.ts';
import type { RulesetRow, Stores } from '../store/index.ts';
import type { TrialThreads } from '../trials/TrialThreads.ts';
import type { PreviewResult } from '../trials/previewRuleset.ts';

/** Shadow mode as the admin sees it: the version in shadow since when, and its report against the live decisions. */
export type ShadowReport = { shadowVersion: null; report: null } | { shadowVersion: number; since: RulesetRow['shadow_since']; report: SimulationReport };

/**
 * A shop's ruleset versions as the admin changes them: validate, save a draft (refused unless it
 * compiles), publish (a draft that no longer compiles is never published), roll back, preview an
 * edited body (validated here with JSON pointers, re-weighed in the preview trial thread within
 * its budget), and shadow mode (a draft deciding new live events beside the live version, and
 * the report of the difference). Refusals: `RulesetValidationError` (422 with pointers),
 * `RulesetConflictError` from the store (409), `TrialRefused` from the trials; `routes/errors.ts`
 * maps them.
 */
export class RulesetService {
  private readonly stores: Stores;
  private readonly registry: SignalRegistry;
  private readonly trials: TrialThreads;

  constructor(stores: Stores, registry: SignalRegistry, trials: TrialThreads) {
    this.stores = stores;
    this.registry = registry;
    this.trials = trials;
  }

  /** Every problem of a body, errors and warnings, with its JSON pointer. */
  validate(body: unknown): RulesetProblem[] {
    return validateRuleset(body, this.registry);
  }

  /** A new draft of `body`, over `baseVersion` (409 when a newer version exists); throws `RulesetValidationError` unless it compiles. */
  async saveDraft(shopId: string, body: Ruleset, user: string, baseVersion: number | null): Promise<RulesetRow> {
    compileRuleset(body, this.registry);
    return this.stores.rulesets.createDraft(shopId, body, user, baseVersion);
  }

  async publish(shopId: string, version: number, user: string): Promise<RulesetRow> {
    const draft = await this.stores.rulesets.get(shopId, version);
    if (draft) compileRuleset(draft.body, this.registry); // a draft that no longer compiles is never published
    return this.stores.rulesets.publish(shopId, version, user);
  }

  rollback(shopId: string, version: number, user: string): Promise<RulesetRow> {
    return this.stores.rulesets.rollback(shopId, version, user);
  }

  /** The preview of an edited body over the shop's last `days`: checked here (quickly, with JSON pointers), run in a trial thread within its budget. */
  preview(shopId: string, body: Ruleset, days: number): Promise<PreviewResult> {
    const problems = this.validate(body).filter((p) => p.severity === 'error');
    if (problems.length > 0) throw new RulesetValidationError(problems);
    return this.trials.preview(shopId, body, days);
  }

  /** Runs a draft in shadow (replacing any other), audited; 409 for a version that is not a draft. */
  async startShadow(shopId: string, version: number, user: string): Promise<RulesetRow> {
    const row = await this.stores.rulesets.setShadow(shopId, version);
    await this.stores.audit.record(shopId, user, 'ruleset.shadow', String(version), {});
    return row!;
  }

  async stopShadow(shopId: string, user: string): Promise<void> {
    await this.stores.rulesets.setShadow(shopId, null);
    await this.stores.audit.record(shopId, user, 'ruleset.shadow.stop', null, {});
  }

  /**
   * The shadow version's decisions against the live ones of the same subjects (the latest 5,000),
   * with what is known of those subjects now (labels, chargebacks, refunds) for the outcome columns;
   * everything since the shadow started counts as immature.
   */
  async shadowReport(shopId: string, now = new Date()): Promise<ShadowReport> {
    const row = await this.stores.rulesets.shadow(shopId);
    if (!row) return { shadowVersion: null, report: null };
    const pairs = await this.stores.rulesets.shadowPairs(shopId, row.version);
    const live = pairs.map((p) => p.live as Decision);
    const shadow = new Map(pairs.map((p) => [(p.shadow as Decision).subject.id, p.shadow as Decision]));
    const since = row.shadow_since!.getTime();
    const customers = [...new Set(pairs.flatMap((p) => (p.customer_id ? [p.customer_id] : [])))];
    const orders = [...new Set(pairs.flatMap((p) => (p.order_id ? [p.order_id] : [])))];
    const material = live.length > 0 ? await this.stores.context.material(shopId, customers, orders, now.toISOString()) : { events: [], outcomes: [] };
    const known = knowledgeOf([...material.events, ...material.outcomes.map((outcome): HistoryEvent => ({ type: 'outcome', outcome }))]);
    const report = compareDecisions(live, shadow, { ...known, window: { from: new Date(since).toISOString(), to: now.toISOString() }, immatureFrom: since });
    return { shadowVersion: row.version, since: row.shadow_since, report };
  }
}

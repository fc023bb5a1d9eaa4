import { createHash } from 'node:crypto';
import { deepFreeze } from '../sdk/params.ts';
import { errorResult, evaluateSignal, type SignalContext, type SignalResult, type SubjectKind } from '../sdk/index.ts';
import type { ActionRuleTrace, ChosenAction, Coverage, Decision, SignalTrace } from './decision.ts';
import { RulesetValidationError, type RulesetProblem } from './problems.ts';
import type { SignalRegistry } from './registry.ts';
import type { ActionSpec, Ruleset, Zone } from './ruleset.ts';
import { allocateScore, toCents } from './score.ts';
import {
  analyzeRuleset,
  type CompiledActionRule,
  type CompiledCustomSignal,
  type ConfiguredSignal,
  type RulesetAnalysis,
} from './validateRuleset.ts';

export interface DecideOptions {
  /**
   * Annotate each action rule's condition tree with fact values and results (default true for
   * `decide`, false for `decideBatch`). The matched/unmatched result is always recorded.
   */
  explainConditions?: boolean;
  /** A monotonic clock in ms (e.g. `performance.now`). Timings are recorded only when given. */
  clock?: () => number;
}

/** Stored signal results to reuse instead of evaluating, keyed by signal id. */
export type PrecomputedResults = ReadonlyMap<string, SignalResult>;

export interface CompiledRuleset {
  readonly id: string;
  readonly version: number;
  /** sha256 of the ruleset's canonical JSON: equal bodies, equal hashes. */
  readonly contentHash: string;
  readonly ruleset: Readonly<Ruleset>;
  /** Warnings found while compiling (errors prevent compiling). */
  readonly warnings: readonly RulesetProblem[];
  /** Ids of the signals (registered and custom) that run for a subject kind. */
  signalIds(kind: SubjectKind): readonly string[];
  decide(ctx: SignalContext, options?: DecideOptions): Decision;
  /** Decides reusing stored results for the signals in `results`; evaluates the others. */
  decideWithResults(ctx: SignalContext, results: PrecomputedResults, options?: DecideOptions): Decision;
  /** Same decisions as `decide`, one per context, without per-decision option handling. */
  decideBatch(contexts: readonly SignalContext[], options?: DecideOptions): Decision[];
}

/** One runnable line of the ruleset for a subject kind: a configured signal or a custom one. */
interface Step {
  id: string;
  version: string;
  source: 'signal' | 'custom';
  weight: number;
  insufficientWeight: number;
  run(ctx: SignalContext, facts: ExpressionFacts): SignalResult;
}

type ExpressionFacts = Record<string, unknown> & { derived: Record<string, unknown> };

const CUSTOM_SIGNAL_VERSION = 'ruleset';

/**
 * Validates and compiles a ruleset once per version. The result decides synchronously: no
 * promises, no I/O, no clock unless one is passed in. Throws `RulesetValidationError` with
 * every problem when the ruleset has errors.
 */
export function compileRuleset(input: unknown, registry: SignalRegistry): CompiledRuleset {
  const analysis = analyzeRuleset(input, registry);
  if (!analysis.ruleset) throw new RulesetValidationError(analysis.problems);
  return new RulesetProgram(analysis as Required<RulesetAnalysis>);
}

export function contentHashOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** JSON with object keys sorted, so that equal values serialise identically. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : v,
  );
}

class RulesetProgram implements CompiledRuleset {
  readonly id: string;
  readonly version: number;
  readonly contentHash: string;
  readonly ruleset: Readonly<Ruleset>;
  readonly warnings: readonly RulesetProblem[];
  private readonly stepsByKind: Record<SubjectKind, Step[]>;
  private readonly rulesByKind: Record<SubjectKind, CompiledActionRule[]>;
  private readonly derived: RulesetAnalysis['derived'];
  private readonly zones: { medium: number; high: number };
  private readonly capCents: number;

  constructor(analysis: Required<RulesetAnalysis>) {
    const ruleset = deepFreeze(structuredClone(analysis.ruleset));
    this.ruleset = ruleset;
    this.id = ruleset.id;
    this.version = ruleset.version;
    this.contentHash = contentHashOf(ruleset);
    this.warnings = Object.freeze(analysis.problems.filter((p) => p.severity === 'warning'));
    this.derived = analysis.derived;
    this.zones = ruleset.zones;
    this.capCents = toCents(ruleset.scoring?.cap ?? 100);
    const steps = [...analysis.signals.map(signalStep), ...analysis.customSignals.map(customStep)];
    const kinds: SubjectKind[] = ['order', 'return', 'refund'];
    const scored = (kind: SubjectKind) => ruleset.appliesTo.includes(kind);
    this.stepsByKind = Object.fromEntries(
      kinds.map((kind) => [kind, scored(kind) ? steps.filter((s) => appliesTo(s, analysis, kind)) : []]),
    ) as Record<SubjectKind, Step[]>;
    this.rulesByKind = Object.fromEntries(
      kinds.map((kind) => [kind, scored(kind) ? analysis.actionRules.filter((r) => r.rule.on.includes(kind)) : []]),
    ) as Record<SubjectKind, CompiledActionRule[]>;
  }

  signalIds(kind: SubjectKind): readonly string[] {
    return this.stepsByKind[kind].map((s) => s.id);
  }

  decide(ctx: SignalContext, options: DecideOptions = {}): Decision {
    return this.run(ctx, undefined, options.explainConditions ?? true, options.clock);
  }

  decideWithResults(ctx: SignalContext, results: PrecomputedResults, options: DecideOptions = {}): Decision {
    return this.run(ctx, results, options.explainConditions ?? true, options.clock);
  }

  decideBatch(contexts: readonly SignalContext[], options: DecideOptions = {}): Decision[] {
    const explain = options.explainConditions ?? false;
    const decisions = new Array<Decision>(contexts.length);
    for (let i = 0; i < contexts.length; i++) decisions[i] = this.run(contexts[i], undefined, explain, options.clock);
    return decisions;
  }

  private run(
    input: SignalContext,
    precomputed: PrecomputedResults | undefined,
    explain: boolean,
    clock: (() => number) | undefined,
  ): Decision {
    const started = clock?.();
    const ctx = deepFreeze(input);
    const kind = ctx.subject.kind;
    if (!this.ruleset.appliesTo.includes(kind)) {
      throw new TypeError(`ruleset ${this.id} v${this.version} does not score ${kind} events (appliesTo: ${this.ruleset.appliesTo.join(', ')})`);
    }
    const facts = expressionFacts(ctx);
    const derivedErrors = this.computeDerived(facts);
    const steps = this.stepsByKind[kind];
    const results = new Array<SignalResult>(steps.length);
    const durations = clock ? new Float64Array(steps.length) : undefined;
    const rawCents = new Int32Array(steps.length);
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i];
      const t0 = clock?.();
      const result = precomputed?.get(step.id) ?? step.run(ctx, facts);
      if (durations) durations[i] = clock!() - t0!;
      results[i] = result;
      rawCents[i] = rawPointsCents(step, result);
    }
    const signalsDone = clock?.();
    const allocation = allocateScore(rawCents, this.capCents);
    const score = allocation.scoreCents / 100;
    const zone = this.zoneOf(score);
    const signals = new Array<SignalTrace>(steps.length);
    const coverage: Coverage = { evaluated: steps.length, hit: 0, noHit: 0, insufficient: 0, error: 0 };
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i];
      const result = results[i];
      countStatus(coverage, result.status);
      const trace: SignalTrace = {
        id: step.id,
        version: step.version,
        source: step.source,
        status: result.status,
        strength: result.strength,
        weight: step.weight,
        points: allocation.cents[i] / 100,
        evidence: result.evidence,
        message: result.message,
      };
      if (durations) trace.durationMs = durations[i];
      signals[i] = trace;
    }
    const { ruleTraces, actions } = this.chooseActions(kind, facts, signals, score, zone, coverage, explain);
    const decision: Decision = {
      schema: 'refundsentry.decision/1',
      shopId: ctx.shopId,
      subject: { kind, id: ctx.subject.id, at: ctx.subject.at },
      ruleset: { id: this.id, version: this.version, contentHash: this.contentHash },
      score,
      zone,
      rawScore: allocation.rawCents / 100,
      scaled: allocation.scaled,
      coverage,
      signals,
      derived: this.derivedValues(facts),
      actionRules: ruleTraces,
      actions,
    };
    if (derivedErrors) decision.derivedErrors = derivedErrors;
    if (clock) decision.timings = { totalMs: clock() - started!, signalsMs: signalsDone! - started! };
    return decision;
  }

  private computeDerived(facts: ExpressionFacts): Record<string, string> | undefined {
    let errors: Record<string, string> | undefined;
    for (const [name, expression] of this.derived) {
      try {
        facts.derived[name] = expression.evaluate(facts);
      } catch (e) {
        facts.derived[name] = undefined;
        (errors ??= {})[name] = (e as Error).message;
      }
    }
    return errors;
  }

  private derivedValues(facts: ExpressionFacts): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const [name] of this.derived) values[name] = facts.derived[name] ?? null;
    return values;
  }

  private zoneOf(score: number): Zone {
    if (score >= this.zones.high) return 'high';
    if (score >= this.zones.medium) return 'medium';
    return 'low';
  }

  private chooseActions(
    kind: SubjectKind,
    facts: ExpressionFacts,
    signals: SignalTrace[],
    score: number,
    zone: Zone,
    coverage: Coverage,
    explain: boolean,
  ): { ruleTraces: ActionRuleTrace[]; actions: ChosenAction[] } {
    const rules = this.rulesByKind[kind];
    const ruleTraces: ActionRuleTrace[] = [];
    const actions: ChosenAction[] = [];
    if (rules.length === 0) return { ruleTraces, actions };
    const actionFacts = decisionFacts(facts, signals, score, zone, coverage);
    for (const { rule, conditions } of rules) {
      const trace: ActionRuleTrace = { id: rule.id, matched: false };
      try {
        if (explain) {
          const explained = conditions.explain(actionFacts);
          trace.conditions = explained as unknown as Record<string, unknown>;
          trace.matched = (explained as { result?: boolean }).result === true;
        } else {
          trace.matched = conditions.evaluate(actionFacts);
        }
      } catch (e) {
        trace.error = (e as Error).message;
      }
      ruleTraces.push(trace);
      if (trace.matched) for (const spec of rule.do) actions.push(resolveAction(spec, rule.id, zone));
    }
    return { ruleTraces, actions };
  }
}

function appliesTo(step: Step, analysis: RulesetAnalysis, kind: SubjectKind): boolean {
  if (step.source === 'custom') return analysis.customSignals.find((c) => c.config.id === step.id)!.appliesTo.includes(kind);
  return analysis.signals.find((s) => s.signal.meta.id === step.id)!.signal.meta.appliesTo.includes(kind);
}

function signalStep(configured: ConfiguredSignal): Step {
  const { signal, params } = configured;
  return {
    id: signal.meta.id,
    version: signal.meta.version,
    source: 'signal',
    weight: configured.weight,
    insufficientWeight: configured.insufficientWeight,
    run: (ctx) => evaluateSignal(signal, ctx, params),
  };
}

function customStep(custom: CompiledCustomSignal): Step {
  const { config } = custom;
  return {
    id: config.id,
    version: CUSTOM_SIGNAL_VERSION,
    source: 'custom',
    weight: config.weight,
    insufficientWeight: 0,
    run: (_ctx, facts) => runCustomSignal(custom, facts),
  };
}

/**
 * A custom signal fires when `when` is exactly true; an expression with no value (a missing
 * fact) reports insufficient_data rather than reading as safe.
 */
function runCustomSignal(custom: CompiledCustomSignal, facts: ExpressionFacts): SignalResult {
  const { config } = custom;
  try {
    const fired = custom.when.evaluate(facts);
    if (fired === undefined) {
      return { status: 'insufficient_data', strength: 0, evidence: {}, message: `${config.id}: "${config.when}" has no value (missing facts)` };
    }
    if (typeof fired !== 'boolean') {
      return errorResult(new TypeError(`"when" must give true or false, got ${JSON.stringify(fired)}`));
    }
    if (!fired) return { status: 'no_hit', strength: 0, evidence: {}, message: '' };
    const strength = custom.strength ? custom.strength.evaluate(facts) : 1;
    if (typeof strength !== 'number' || !(strength > 0 && strength <= 1)) {
      return errorResult(new RangeError(`"strength" must give a number above 0 and at most 1, got ${JSON.stringify(strength)}`));
    }
    const evidence: Record<string, never> = {};
    for (const [name, expression] of custom.evidence) {
      const value = expression.evaluate(facts);
      (evidence as Record<string, unknown>)[name] = value === undefined ? null : value;
    }
    return { status: 'hit', strength, evidence, message: config.message ?? config.title ?? config.id };
  } catch (e) {
    return errorResult(e);
  }
}

function rawPointsCents(step: Step, result: SignalResult): number {
  if (result.status === 'hit') return toCents(result.strength * step.weight);
  if (result.status === 'insufficient_data') return toCents(step.insufficientWeight);
  return 0;
}

function countStatus(coverage: Coverage, status: SignalResult['status']): void {
  if (status === 'hit') coverage.hit++;
  else if (status === 'no_hit') coverage.noHit++;
  else if (status === 'insufficient_data') coverage.insufficient++;
  else coverage.error++;
}

/** The facts JSONata expressions see; `derived` starts as the context's own derived facts. */
function expressionFacts(ctx: SignalContext): ExpressionFacts {
  const subject = ctx.subject;
  return {
    now: ctx.now,
    kind: subject.kind,
    subject,
    order: subject.order,
    return: subject.kind === 'return' ? subject.return : subject.kind === 'refund' ? (subject.return ?? undefined) : undefined,
    refund: subject.kind === 'refund' ? subject.refund : undefined,
    customer: ctx.customer,
    history: ctx.history,
    baseline: ctx.baseline,
    derived: { ...ctx.derived },
  };
}

/** The facts action conditions see: the expression facts plus the decision itself. */
function decisionFacts(
  facts: ExpressionFacts,
  signals: SignalTrace[],
  score: number,
  zone: Zone,
  coverage: Coverage,
): Record<string, unknown> {
  const byId: Record<string, { status: string; strength: number; points: number }> = {};
  const hits: string[] = [];
  const insufficient: string[] = [];
  const errors: string[] = [];
  for (const s of signals) {
    byId[s.id] = { status: s.status, strength: s.strength, points: s.points };
    if (s.status === 'hit') hits.push(s.id);
    else if (s.status === 'insufficient_data') insufficient.push(s.id);
    else if (s.status === 'error') errors.push(s.id);
  }
  return { ...facts, score, zone, hits, insufficient, errors, signals: byId, coverage };
}

const RISK_LEVEL: Record<Zone, 'HIGH' | 'MEDIUM' | 'LOW'> = { high: 'HIGH', medium: 'MEDIUM', low: 'LOW' };

function resolveAction(spec: ActionSpec, ruleId: string, zone: Zone): ChosenAction {
  switch (spec.type) {
    case 'fulfillment.hold':
      return { ruleId, ...spec, reason: spec.reason ?? 'HIGH_RISK_OF_FRAUD' };
    case 'customer.tag':
      return { ruleId, ...spec, tag: (spec.tag ?? 'refundsentry:{{zone}}-risk').replaceAll('{{zone}}', zone) };
    case 'risk.assessment': {
      const level = spec.riskLevel ?? 'auto';
      return { ruleId, ...spec, riskLevel: level === 'auto' ? RISK_LEVEL[zone] : level };
    }
    case 'review.queue':
      return { ruleId, ...spec, queue: spec.queue ?? 'default', priority: spec.priority ?? 'normal' };
    default:
      return { ruleId, ...spec };
  }
}

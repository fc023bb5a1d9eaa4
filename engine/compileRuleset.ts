import { createHash } from 'node:crypto';
import { deepFreeze } from '../sdk/params.ts';
import { CONTEXT_NEEDS, evaluateSignal, type ContextNeed, type SignalContext, type SignalResult, type SubjectKind } from '../sdk/index.ts';
import type { ActionRuleTrace, ChosenAction, Coverage, Decision, SignalTrace } from './decision.ts';
import { RulesetValidationError, type RulesetProblem } from './problems.ts';
import type { SignalRegistry } from './registry.ts';
import type { Ruleset, Zone, ZoneThresholds } from './ruleset.ts';
import { allocateScore, lineCents, STATUS_CODE, toCents, ZONES, zoneCode, type SnoozeNote } from './score.ts';
import { curveStrength, type StrengthCurve } from './strengthCurve.ts';
import { ExpressionBudget } from './expression/ExpressionBudget.ts';
import { resolveAction } from './evaluate/actions.ts';
import { runCustomSignal, requiredFacts } from './evaluate/customSignals.ts';
import { decisionFacts, expressionFacts, type ExpressionFacts } from './evaluate/facts.ts';
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
  /**
   * Signals the merchant snoozed for this subject's customer, in force at the subject's time
   * (the caller picks them point-in-time; the engine reads no clock). A snoozed signal still
   * runs and keeps its status in the trace, marked `snoozed`, but scores 0 points.
   */
  snoozed?: Readonly<Record<string, SnoozeNote>>;
  /**
   * A budget shared by every decision of a request (a preview, a simulation): each decision's
   * expressions are charged to it as well, and the decision that uses it up throws
   * `ExpressionBudgetExhausted` instead of returning.
   */
  budget?: ExpressionBudget;
}

export interface CompileOptions {
  /**
   * Steps (`compileExpression`'s unit) that all the custom expressions of one decision may use
   * together: derived facts, then custom signals in ruleset order. Once it is used up, the custom
   * signals left answer `error` (and the trace says so in `expressions`). Default 100,000.
   */
  decisionSteps?: number;
}

/** Steps that all the custom expressions of one decision may use together, unless compiled with another limit. */
export const DEFAULT_DECISION_STEPS = 100_000;

/** Thrown when a request's shared budget (`DecideOptions.budget`) is used up. */
export class ExpressionBudgetExhausted extends Error {
  override readonly name = 'ExpressionBudgetExhausted';
  readonly limit: number;
  /** The custom signals and derived facts that used the most steps (when the budget tracks them). */
  readonly heaviest: { label: string; steps: number }[];
  constructor(budget: ExpressionBudget) {
    const heaviest = budget.heaviest();
    super(`the custom expressions used up the budget of ${budget.limit.toLocaleString('en-US')} steps${heaviest.length > 0 ? ` (most: ${heaviest.map((h) => `${h.label} ${h.steps.toLocaleString('en-US')}`).join(', ')})` : ''}`);
    this.limit = budget.limit;
    this.heaviest = heaviest;
  }
}

export type { SnoozeNote };

/**
 * Stored signal results to reuse instead of evaluating: keyed by signal id, or an array aligned
 * with `signalIds(kind)` (the fast form for simulation; `undefined` entries are evaluated).
 */
export type PrecomputedResults = ReadonlyMap<string, SignalResult> | readonly (SignalResult | undefined)[];

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
  /** Weights, zones and cap, for bulk re-weighting of stored signal results (the simulator). */
  scoringModel(): ScoringModel;
  /**
   * Each signal that runs (registered and custom), with what decides its result besides the
   * context: its version and resolved params (`key`), the kinds it scores and the context parts
   * it reads. Two rulesets give a signal the same results on the same contexts when the keys are
   * equal (the simulator reuses stored results on that ground).
   */
  signalSpecs(): SignalSpec[];
  /**
   * The results of the named signals only, for one context, exactly as `decide` computes them
   * (aligned with `ids`; `undefined` where a signal does not score the subject's kind).
   */
  evaluateSignals(ctx: SignalContext, ids: readonly string[], options?: { budget?: ExpressionBudget }): (SignalResult | undefined)[];
}

export interface SignalSpec {
  id: string;
  version: string;
  source: 'signal' | 'custom';
  /** Canonical JSON of what fixes the signal's logic: version and resolved params (custom: its config and the derived facts). */
  key: string;
  kinds: SubjectKind[];
  /** The context parts it reads; custom signals may read any. */
  needs: readonly ContextNeed[];
}

export interface ScoringModel {
  /**
   * Each signal that runs: `weight` is its base weight (what a kind without its own uses),
   * `weightByKind` the weight it scores each kind it runs for with (absent kinds: it does not
   * run for them, 0 points).
   */
  signals: ScoringSignal[];
  /** The ruleset's zones (what a kind without its own uses). */
  zones: ZoneThresholds;
  /** The zones each kind is judged with (`zones.byKind`, else `zones`). */
  zonesByKind: Record<SubjectKind, ZoneThresholds>;
  capCents: number;
}

/** One signal of a `ScoringModel`. */
export interface ScoringSignal {
  id: string;
  weight: number;
  weightByKind: Partial<Record<SubjectKind, number>>;
  insufficientWeight: number;
  /** The strength curve of kinds without their own (`curve` in the ruleset); absent: the identity. */
  curve?: StrengthCurve;
  /** The curve each kind it runs for scores hits with, for the kinds that have one (absent when none has). */
  curveByKind?: Partial<Record<SubjectKind, StrengthCurve>>;
}

/** One runnable line of the ruleset for a subject kind: a configured signal or a custom one. */
interface Step {
  id: string;
  version: string;
  source: 'signal' | 'custom';
  key: string;
  needs: readonly ContextNeed[];
  /** The points at full strength for this step's kind. */
  weight: number;
  /** The signal's weight for kinds without their own (`weight` in the ruleset). */
  baseWeight: number;
  /** The strength curve of this step's kind; undefined: the identity. */
  curve?: StrengthCurve;
  /** The signal's curve for kinds without their own (`curve` in the ruleset). */
  baseCurve?: StrengthCurve;
  insufficientWeight: number;
  insufficientCents: number;
  run(ctx: SignalContext, facts: ExpressionFacts, budget: ExpressionBudget | undefined): SignalResult;
}


const CUSTOM_SIGNAL_VERSION = 'ruleset';
const KINDS: readonly SubjectKind[] = ['order', 'return', 'refund'];

/**
 * Validates and compiles a ruleset once per version. The result decides synchronously: no
 * promises, no I/O, no clock unless one is passed in. Throws `RulesetValidationError` with
 * every problem when the ruleset has errors.
 */
export function compileRuleset(input: unknown, registry: SignalRegistry, options: CompileOptions = {}): CompiledRuleset {
  const analysis = analyzeRuleset(input, registry);
  if (!analysis.ruleset) throw new RulesetValidationError(analysis.problems);
  return new RulesetProgram(analysis as Required<RulesetAnalysis>, options.decisionSteps ?? DEFAULT_DECISION_STEPS);
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
  private readonly zones: ZoneThresholds;
  private readonly zonesByKind: Record<SubjectKind, ZoneThresholds>;
  private readonly capCents: number;
  private readonly actionFactsUsed: ReadonlySet<string>;
  private readonly rulesetRef: Decision['ruleset'];
  private readonly resolvedActions: Map<CompiledActionRule, Record<Zone, readonly ChosenAction[]>>;
  private readonly scratchCents: Record<SubjectKind, Int32Array>;
  private readonly decisionSteps: number;
  /** Whether any expression runs for a kind (derived facts or custom signals): only then is a budget kept. */
  private readonly expressive: Record<SubjectKind, boolean>;

  constructor(analysis: Required<RulesetAnalysis>, decisionSteps: number) {
    this.decisionSteps = decisionSteps;
    const ruleset = deepFreeze(structuredClone(analysis.ruleset));
    this.ruleset = ruleset;
    this.id = ruleset.id;
    this.version = ruleset.version;
    this.contentHash = contentHashOf(ruleset);
    this.warnings = Object.freeze(analysis.problems.filter((p) => p.severity === 'warning'));
    this.derived = analysis.derived;
    this.zones = { medium: ruleset.zones.medium, high: ruleset.zones.high };
    this.zonesByKind = Object.fromEntries(
      KINDS.map((kind) => {
        const own = ruleset.zones.byKind?.[kind];
        return [kind, own ? { medium: own.medium, high: own.high } : this.zones];
      }),
    ) as Record<SubjectKind, ZoneThresholds>;
    this.capCents = toCents(ruleset.scoring?.cap ?? 100);
    this.rulesetRef = Object.freeze({ id: this.id, version: this.version, contentHash: this.contentHash });
    this.resolvedActions = new Map(
      analysis.actionRules.map((compiled) => [
        compiled,
        {
          low: Object.freeze(compiled.rule.do.map((spec) => Object.freeze(resolveAction(spec, compiled.rule.id, 'low')))),
          medium: Object.freeze(compiled.rule.do.map((spec) => Object.freeze(resolveAction(spec, compiled.rule.id, 'medium')))),
          high: Object.freeze(compiled.rule.do.map((spec) => Object.freeze(resolveAction(spec, compiled.rule.id, 'high')))),
        },
      ]),
    );
    this.actionFactsUsed = factsNamedIn(analysis.actionRules.map((r) => r.rule.conditions), new Set());
    // Steps per kind, in ruleset order (registered signals by id, then custom ones): a registered
    // signal scores each kind with that kind's weight; a custom signal keeps one weight.
    const customSteps = analysis.customSignals.map((custom) => ({ custom, step: customStep(custom, ruleset.derived ?? {}) }));
    const kinds = KINDS;
    const scored = (kind: SubjectKind) => ruleset.appliesTo.includes(kind);
    this.stepsByKind = Object.fromEntries(
      kinds.map((kind) => [
        kind,
        scored(kind)
          ? [
              ...analysis.signals.filter((c) => c.signal.meta.appliesTo.includes(kind)).map((c) => signalStep(c, kind)),
              ...customSteps.filter((c) => c.custom.appliesTo.includes(kind)).map((c) => c.step),
            ]
          : [],
      ]),
    ) as Record<SubjectKind, Step[]>;
    this.rulesByKind = Object.fromEntries(
      kinds.map((kind) => [kind, scored(kind) ? analysis.actionRules.filter((r) => r.rule.on.includes(kind)) : []]),
    ) as Record<SubjectKind, CompiledActionRule[]>;
    const scratch = <T>(make: (n: number) => T) =>
      Object.fromEntries(kinds.map((kind) => [kind, make(this.stepsByKind[kind].length)])) as Record<SubjectKind, T>;
    this.scratchCents = scratch((n) => new Int32Array(n));
    this.expressive = Object.fromEntries(kinds.map((kind) => [kind, this.derived.length > 0 || this.stepsByKind[kind].some((s) => s.source === 'custom')])) as Record<SubjectKind, boolean>;
  }

  /** The budget of one decision's expressions: the ruleset's per-decision steps, or what is left of the request's. */
  private decisionBudget(kind: SubjectKind, request: ExpressionBudget | undefined): ExpressionBudget | undefined {
    if (!this.expressive[kind]) return undefined;
    return new ExpressionBudget(Math.min(this.decisionSteps, request?.remaining ?? Infinity), { track: request?.usage !== undefined });
  }

  /** Charges a decision's steps to the request's budget; throws when that is used up. */
  private settleBudget(decision: ExpressionBudget | undefined, request: ExpressionBudget | undefined): void {
    if (!decision || !request) return;
    if (decision.usage) for (const [label, steps] of decision.usage) request.charge(steps, label);
    else request.charge(decision.used);
    if (request.exhausted) throw new ExpressionBudgetExhausted(request);
  }

  signalIds(kind: SubjectKind): readonly string[] {
    return this.stepsByKind[kind].map((s) => s.id);
  }

  decide(ctx: SignalContext, options: DecideOptions = {}): Decision {
    return this.run(ctx, undefined, options.explainConditions ?? true, options.clock, options.snoozed, options.budget);
  }

  decideWithResults(ctx: SignalContext, results: PrecomputedResults, options: DecideOptions = {}): Decision {
    return this.run(ctx, results, options.explainConditions ?? true, options.clock, options.snoozed, options.budget);
  }

  decideBatch(contexts: readonly SignalContext[], options: DecideOptions = {}): Decision[] {
    const explain = options.explainConditions ?? false;
    const decisions = new Array<Decision>(contexts.length);
    for (let i = 0; i < contexts.length; i++) decisions[i] = this.run(contexts[i], undefined, explain, options.clock, undefined, options.budget);
    return decisions;
  }

  private run(
    input: SignalContext,
    precomputed: PrecomputedResults | undefined,
    explain: boolean,
    clock: (() => number) | undefined,
    snoozed?: Readonly<Record<string, SnoozeNote>>,
    request?: ExpressionBudget,
  ): Decision {
    const started = clock?.();
    const ctx = deepFreeze(input);
    const kind = ctx.subject.kind;
    if (!this.ruleset.appliesTo.includes(kind)) {
      throw new TypeError(`ruleset ${this.id} v${this.version} does not score ${kind} events (appliesTo: ${this.ruleset.appliesTo.join(', ')})`);
    }
    const facts = expressionFacts(ctx, this.derived.length > 0);
    const budget = this.decisionBudget(kind, request);
    const derivedErrors = this.derived.length > 0 ? this.computeDerived(facts, budget) : undefined;
    const aligned = Array.isArray(precomputed) ? (precomputed as readonly (SignalResult | undefined)[]) : undefined;
    const byId = aligned ? undefined : (precomputed as ReadonlyMap<string, SignalResult> | undefined);
    const steps = this.stepsByKind[kind];
    // One pass: each signal's result, raw points and trace line. Points are fixed up only when
    // clamping rescales them.
    const rawCents = this.scratchCents[kind];
    const signals = new Array<SignalTrace>(steps.length);
    const coverage: Coverage = { evaluated: steps.length, hit: 0, noHit: 0, insufficient: 0, error: 0 };
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i];
      const t0 = clock === undefined ? 0 : clock();
      const result = (aligned ? aligned[i] : byId?.get(step.id)) ?? step.run(ctx, facts, budget);
      const status = result.status;
      if (status === 'hit') coverage.hit++;
      else if (status === 'no_hit') coverage.noHit++;
      else if (status === 'insufficient_data') coverage.insufficient++;
      else coverage.error++;
      const snooze = snoozed?.[step.id];
      // The kernel's line (score.ts): strength (through the curve) × weight, insufficient-data points, 0 when snoozed.
      const cents = lineCents(STATUS_CODE[status] ?? STATUS_CODE.error, result.strength, step.weight, step.curve, step.insufficientCents, snooze !== undefined);
      rawCents[i] = cents;
      const trace = new SignalTraceEntry(step, result, cents / 100);
      if (step.curve !== undefined && status === 'hit') trace.countedStrength = curveStrength(step.curve, result.strength);
      if (snooze !== undefined) trace.snoozed = { ...snooze };
      if (clock !== undefined) trace.durationMs = clock() - t0;
      signals[i] = trace;
    }
    const signalsDone = clock?.();
    this.settleBudget(budget, request);
    const allocation = allocateScore(rawCents, this.capCents);
    if (allocation.scaled) for (let i = 0; i < steps.length; i++) signals[i].points = allocation.cents[i] / 100;
    const score = allocation.scoreCents / 100;
    const zone = ZONES[zoneCode(allocation.scoreCents, this.zonesByKind[kind])]!;
    const { ruleTraces, actions } = this.chooseActions(kind, facts, signals, score, zone, coverage, explain);
    const decision: Decision = {
      schema: 'refundsentry.decision/1',
      shopId: ctx.shopId,
      subject: { kind, id: ctx.subject.id, at: ctx.subject.at },
      ruleset: this.rulesetRef,
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
    if (budget) decision.expressions = budget.exhausted ? { steps: budget.used, limit: budget.limit, exhausted: true } : { steps: budget.used, limit: budget.limit };
    if (clock) decision.timings = { totalMs: clock() - started!, signalsMs: signalsDone! - started! };
    return decision;
  }

  private computeDerived(facts: ExpressionFacts, budget: ExpressionBudget | undefined): Record<string, string> | undefined {
    let errors: Record<string, string> | undefined;
    for (const [name, expression] of this.derived) {
      try {
        const value = expression.evaluate(facts, budget, `derived.${name}`);
        if (typeof value === 'number' && !Number.isFinite(value)) {
          // JSONata gives Infinity/NaN for a division by zero; a fact with no sensible value is missing.
          facts.derived[name] = undefined;
          (errors ??= {})[name] = `gave ${value} (a division by zero?); treated as missing`;
          continue;
        }
        facts.derived[name] = value;
      } catch (e) {
        facts.derived[name] = undefined;
        (errors ??= {})[name] = (e as Error).message;
      }
    }
    return errors;
  }

  /**
   * What the score is made of, for bulk re-weighting (the simulator): each signal's weight and
   * insufficient-data weight, the zones and the cap. Signals not in the ruleset, or switched
   * off, are absent (they add nothing).
   */
  scoringModel(): ScoringModel {
    const byId = new Map<string, ScoringModel['signals'][number]>();
    for (const kind of KINDS) {
      for (const step of this.stepsByKind[kind]) {
        let entry = byId.get(step.id);
        if (!entry) {
          entry = { id: step.id, weight: step.baseWeight, weightByKind: {}, insufficientWeight: step.insufficientWeight };
          if (step.baseCurve) entry.curve = step.baseCurve;
          byId.set(step.id, entry);
        }
        entry.weightByKind[kind] = step.weight;
        if (step.curve) (entry.curveByKind ??= {})[kind] = step.curve;
      }
    }
    return {
      signals: [...byId.values()],
      zones: { ...this.zones },
      zonesByKind: { order: { ...this.zonesByKind.order }, return: { ...this.zonesByKind.return }, refund: { ...this.zonesByKind.refund } },
      capCents: this.capCents,
    };
  }

  signalSpecs(): SignalSpec[] {
    const byId = new Map<string, SignalSpec>();
    for (const kind of KINDS) {
      for (const step of this.stepsByKind[kind]) {
        const spec = byId.get(step.id);
        if (spec) spec.kinds.push(kind);
        else byId.set(step.id, { id: step.id, version: step.version, source: step.source, key: step.key, kinds: [kind], needs: step.needs });
      }
    }
    return [...byId.values()];
  }

  evaluateSignals(input: SignalContext, ids: readonly string[], options: { budget?: ExpressionBudget } = {}): (SignalResult | undefined)[] {
    const ctx = deepFreeze(input);
    const steps = this.stepsByKind[ctx.subject.kind];
    const results = new Array<SignalResult | undefined>(ids.length);
    let facts: ExpressionFacts | undefined;
    let budget: ExpressionBudget | undefined;
    for (let i = 0; i < ids.length; i++) {
      const step = steps.find((s) => s.id === ids[i]);
      if (!step) continue;
      if (step.source === 'custom' && facts === undefined) {
        facts = expressionFacts(ctx, this.derived.length > 0);
        budget = this.decisionBudget(ctx.subject.kind, options.budget);
        if (this.derived.length > 0) this.computeDerived(facts, budget);
      }
      results[i] = step.run(ctx, facts!, budget);
    }
    this.settleBudget(budget, options.budget);
    return results;
  }

  private derivedValues(facts: ExpressionFacts): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const [name] of this.derived) values[name] = facts.derived[name] ?? null;
    return values;
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
    const actionFacts = decisionFacts(facts, signals, score, zone, coverage, this.actionFactsUsed);
    for (const compiled of rules) {
      const { rule, conditions } = compiled;
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
      if (trace.matched) for (const action of this.resolvedActions.get(compiled)![zone]) actions.push(action);
    }
    return { ruleTraces, actions };
  }
}

/** A signal's line in the trace; a class so that every line shares one hidden shape. */
class SignalTraceEntry implements SignalTrace {
  declare id: string;
  declare version: string;
  declare source: 'signal' | 'custom';
  declare status: SignalResult['status'];
  declare strength: number;
  declare weight: number;
  declare points: number;
  declare evidence: SignalResult['evidence'];
  declare message: string;
  declare countedStrength?: number;
  declare snoozed?: SnoozeNote;
  declare durationMs?: number;
  constructor(step: Step, result: SignalResult, points: number) {
    this.id = step.id;
    this.version = step.version;
    this.source = step.source;
    this.status = result.status;
    this.strength = result.strength;
    this.weight = step.weight;
    this.points = points;
    this.evidence = result.evidence;
    this.message = result.message;
  }
}

/** A registered signal's step for one kind: that kind's weight (`weightByKind`), else the signal's weight. */
function signalStep(configured: ConfiguredSignal, kind: SubjectKind): Step {
  const { signal, params } = configured;
  return {
    id: signal.meta.id,
    version: signal.meta.version,
    source: 'signal',
    key: canonicalJson({ version: signal.meta.version, params }),
    needs: signal.meta.needs,
    weight: configured.weightByKind[kind] ?? configured.weight,
    baseWeight: configured.weight,
    ...curvesOf(configured, kind),
    insufficientWeight: configured.insufficientWeight,
    insufficientCents: toCents(configured.insufficientWeight),
    run: (ctx) => evaluateSignal(signal, ctx, params),
  };
}

/** A registered signal's curve for a kind (its own, else the base one) and its base curve; identity curves are absent. */
function curvesOf(configured: ConfiguredSignal, kind: SubjectKind): { curve?: StrengthCurve; baseCurve?: StrengthCurve } {
  const curve = kind in configured.curveByKind ? configured.curveByKind[kind] : configured.curve;
  return { ...(curve ? { curve } : {}), ...(configured.curve ? { baseCurve: configured.curve } : {}) };
}

function customStep(custom: CompiledCustomSignal, derived: Readonly<Record<string, string>>): Step {
  const { config } = custom;
  const requires = requiredFacts(custom);
  return {
    id: config.id,
    version: CUSTOM_SIGNAL_VERSION,
    source: 'custom',
    // Its expressions may read any derived fact: a change of either changes its results. The
    // weight is scoring, not logic.
    key: canonicalJson({ config: { ...config, weight: 0 }, derived }),
    needs: CONTEXT_NEEDS,
    weight: config.weight,
    baseWeight: config.weight,
    insufficientWeight: 0,
    insufficientCents: 0,
    run: (_ctx, facts, budget) => runCustomSignal(custom, requires, facts, budget),
  };
}

/** Every fact a condition tree names, in leaves and in `value: { fact }` references. */
function factsNamedIn(node: unknown, into: Set<string>): Set<string> {
  if (node === null || typeof node !== 'object') return into;
  if (Array.isArray(node)) {
    for (const child of node) factsNamedIn(child, into);
    return into;
  }
  const record = node as Record<string, unknown>;
  if (typeof record.fact === 'string') into.add(record.fact);
  for (const key of ['all', 'any', 'not', 'value']) factsNamedIn(record[key], into);
  return into;
}


import type { AnySignal, ContextNeed, SignalContext, SignalResult, SubjectKind } from '../sdk/index.ts';
import type { CompiledConditions } from './conditions/compileConditions.ts';
import type { ChosenAction, Decision } from './decision.ts';
import type { CompiledExpression } from './expression/compileExpression.ts';
import type { ExpressionBudget } from './expression/ExpressionBudget.ts';
import type { RulesetProblem } from './problems.ts';
import type { ActionRule, CustomSignalConfig, Ruleset, Zone, ZoneThresholds } from './ruleset.ts';
import type { SnoozeNote } from './score.ts';
import type { StrengthCurve } from './strengthCurve.ts';

/**
 * The types the engine's stages hand each other (types only, so that no stage imports another
 * to name them): validate (`validateRuleset.ts`) parses and checks a body into a
 * `RulesetAnalysis`; compile (`compileRuleset.ts`) resolves it into a `RulesetPlan`; evaluate
 * (`evaluate/decide.ts`) runs a plan on a context. `CompiledRuleset` is what callers hold: a
 * plan and its evaluator.
 */

// ── validate → compile: what the checks had to parse anyway ─────────────────────────────────

/** A registered signal the ruleset names, with its params resolved against the signal's schema. */
export interface ParsedSignal {
  id: string;
  signal: AnySignal;
  params: Readonly<Record<string, unknown>>;
}

/** A custom signal's expressions, compiled. */
export interface CompiledCustomSignal {
  config: CustomSignalConfig;
  when: CompiledExpression;
  strength?: CompiledExpression;
  evidence: [string, CompiledExpression][];
}

/** An action rule's condition tree, compiled. */
export interface CompiledActionRule {
  rule: ActionRule;
  conditions: CompiledConditions;
}

/**
 * What validating a ruleset yields: its problems and, when there are no errors, the ruleset and
 * the parts the checks parsed (switched-off signals and rules included: compile leaves them out).
 */
export interface RulesetAnalysis {
  problems: RulesetProblem[];
  ruleset?: Ruleset;
  /** In signal id order. */
  signals: ParsedSignal[];
  derived: [string, CompiledExpression][];
  /** In ruleset order. */
  customSignals: CompiledCustomSignal[];
  /** In ruleset order. */
  actionRules: CompiledActionRule[];
}

// ── compile → evaluate: the plan ────────────────────────────────────────────────────────────

interface PlanStepBase {
  id: string;
  version: string;
  /** Canonical JSON of what fixes the step's results besides the context (`SignalSpec.key`). */
  key: string;
  needs: readonly ContextNeed[];
  /** The points at full strength for this step's kind. */
  weight: number;
  /** The signal's weight for kinds without their own (`weight` in the ruleset). */
  baseWeight: number;
  /** The strength curve of this step's kind; undefined: the identity. */
  curve: StrengthCurve | undefined;
  /** The signal's curve for kinds without their own (`curve` in the ruleset); undefined: the identity. */
  baseCurve: StrengthCurve | undefined;
  insufficientWeight: number;
  insufficientCents: number;
}

/** A registered signal's step: the signal runs with its resolved params. */
export interface SignalStep extends PlanStepBase {
  source: 'signal';
  signal: AnySignal;
  params: Readonly<Record<string, unknown>>;
}

/** A custom signal's step: its expressions run on the decision's facts. */
export interface CustomStep extends PlanStepBase {
  source: 'custom';
  custom: CompiledCustomSignal;
  /** The facts its `when` cannot judge without (`insufficient_data` when one is missing). */
  requires: readonly string[];
}

/** One runnable line of the ruleset for a subject kind: a registered signal or a custom one. */
export type PlanStep = SignalStep | CustomStep;

/** An action rule as a kind runs it: its compiled conditions and its actions as each zone resolves them. */
export interface PlanActionRule {
  id: string;
  conditions: CompiledConditions;
  actions: Readonly<Record<Zone, readonly ChosenAction[]>>;
}

/** Everything a decision needs, resolved once per ruleset version: data, no behaviour. */
export interface RulesetPlan {
  readonly id: string;
  readonly version: number;
  readonly contentHash: string;
  readonly ruleset: Readonly<Ruleset>;
  readonly warnings: readonly RulesetProblem[];
  /** The ruleset reference each decision carries. */
  readonly ref: Decision['ruleset'];
  /** Steps per kind, in ruleset order (registered signals by id, then custom ones); none for a kind the ruleset does not score. */
  readonly steps: Readonly<Record<SubjectKind, readonly PlanStep[]>>;
  /** Enabled action rules per kind, in ruleset order. */
  readonly actionRules: Readonly<Record<SubjectKind, readonly PlanActionRule[]>>;
  /** The ruleset's derived facts, in order. */
  readonly derived: readonly (readonly [string, CompiledExpression])[];
  /** The ruleset's zones (what a kind without its own uses). */
  readonly zones: ZoneThresholds;
  /** The zones each kind is judged with (`zones.byKind`, else `zones`). */
  readonly zonesByKind: Readonly<Record<SubjectKind, ZoneThresholds>>;
  readonly capCents: number;
  /** The facts the action rules' conditions name (the per-signal facts are built only when named). */
  readonly actionFacts: ReadonlySet<string>;
  /** Steps one decision's custom expressions may use together. */
  readonly decisionSteps: number;
  /** Whether any expression runs for a kind (derived facts or custom signals): only then is a budget kept. */
  readonly expressive: Readonly<Record<SubjectKind, boolean>>;
}

// ── what callers hold ───────────────────────────────────────────────────────────────────────

export interface CompileOptions {
  /**
   * Steps (`compileExpression`'s unit) that all the custom expressions of one decision may use
   * together: derived facts, then custom signals in ruleset order. Once it is used up, the custom
   * signals left answer `error` (and the trace says so in `expressions`). Default 100,000.
   */
  decisionSteps?: number;
}

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

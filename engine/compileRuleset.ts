import { createHash } from 'node:crypto';
import { deepFreeze } from '../sdk/params.ts';
import { CONTEXT_NEEDS, type SignalContext, type SignalResult, type SubjectKind } from '../sdk/index.ts';
import { resolveAction } from './compile/actions.ts';
import { curveFor, signalWeights, weightFor, type SignalWeights } from './compile/weights.ts';
import type { Decision } from './decision.ts';
import type { ExpressionBudget } from './expression/ExpressionBudget.ts';
import { Evaluator } from './evaluate/decide.ts';
import type {
  CompiledCustomSignal,
  CompiledRuleset,
  CompileOptions,
  CustomStep,
  DecideOptions,
  ParsedSignal,
  PlanActionRule,
  PlanStep,
  PrecomputedResults,
  RulesetAnalysis,
  RulesetPlan,
  ScoringModel,
  SignalSpec,
  SignalStep,
} from './plan.ts';
import { RulesetValidationError } from './problems.ts';
import type { SignalRegistry } from './registry.ts';
import type { Ruleset, Zone, ZoneThresholds } from './ruleset.ts';
import { toCents } from './score.ts';
import { analyzeRuleset } from './validateRuleset.ts';

/**
 * Compile stage: a ruleset that validated (`validateRuleset.ts`) resolved once per version into
 * a `RulesetPlan` (`plan.ts`), plain data that the evaluate stage (`evaluate/decide.ts`) runs:
 * per subject kind the steps (each registered signal with its resolved params and that kind's
 * weight and curve, `compile/weights.ts`; each custom signal with its compiled expressions), the
 * enabled action rules with their compiled conditions and their actions resolved for each zone
 * (`compile/actions.ts`), the zones, the cap and the expression budget.
 */

export type {
  CompiledRuleset,
  CompileOptions,
  DecideOptions,
  PrecomputedResults,
  ScoringModel,
  ScoringSignal,
  SignalSpec,
} from './plan.ts';
export type { SnoozeNote } from './score.ts';

/** Steps that all the custom expressions of one decision may use together, unless compiled with another limit. */
export const DEFAULT_DECISION_STEPS = 100_000;

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
  return new RulesetProgram(planRuleset(analysis as Required<RulesetAnalysis>, options.decisionSteps ?? DEFAULT_DECISION_STEPS));
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

/** The plan of a ruleset that validated: everything resolved that does not depend on the subject. */
function planRuleset(analysis: Required<RulesetAnalysis>, decisionSteps: number): RulesetPlan {
  const ruleset = deepFreeze(structuredClone(analysis.ruleset));
  const contentHash = contentHashOf(ruleset);
  const zones: ZoneThresholds = { medium: ruleset.zones.medium, high: ruleset.zones.high };
  const zonesByKind = perKind((kind) => {
    const own = ruleset.zones.byKind?.[kind];
    return own ? { medium: own.medium, high: own.high } : zones;
  });
  const scored = (kind: SubjectKind) => ruleset.appliesTo.includes(kind);
  // Steps per kind, in ruleset order (registered signals by id, then custom ones): a registered
  // signal scores each kind with that kind's weight and curve; a custom signal keeps one weight.
  const factor = ruleset.scoring?.insufficientDataFactor ?? 0;
  const signals = analysis.signals
    .filter((parsed) => ruleset.signals[parsed.id]?.enabled !== false)
    .map((parsed) => ({ parsed, weights: signalWeights(parsed, ruleset.signals[parsed.id] ?? {}, factor) }));
  const customs = analysis.customSignals
    .filter((custom) => custom.config.enabled !== false)
    .map((custom) => ({ appliesTo: custom.config.appliesTo ?? ruleset.appliesTo, step: customStep(custom, ruleset.derived ?? {}) }));
  const steps = perKind((kind): PlanStep[] =>
    scored(kind)
      ? [
          ...signals.filter((s) => s.parsed.signal.meta.appliesTo.includes(kind)).map((s) => signalStep(s.parsed, s.weights, kind)),
          ...customs.filter((c) => c.appliesTo.includes(kind)).map((c) => c.step),
        ]
      : [],
  );
  const enabledRules = analysis.actionRules.filter((compiled) => compiled.rule.enabled !== false);
  const planRules = new Map(
    enabledRules.map(({ rule, conditions }): [typeof rule, PlanActionRule] => {
      const resolved = (zone: Zone) => Object.freeze(rule.do.map((spec) => Object.freeze(resolveAction(spec, rule.id, zone))));
      return [rule, { id: rule.id, conditions, actions: { low: resolved('low'), medium: resolved('medium'), high: resolved('high') } }];
    }),
  );
  const derived = analysis.derived;
  return {
    id: ruleset.id,
    version: ruleset.version,
    contentHash,
    ruleset,
    warnings: Object.freeze(analysis.problems.filter((p) => p.severity === 'warning')),
    ref: Object.freeze({ id: ruleset.id, version: ruleset.version, contentHash }),
    steps,
    actionRules: perKind((kind) => (scored(kind) ? enabledRules.filter((r) => r.rule.on.includes(kind)).map((r) => planRules.get(r.rule)!) : [])),
    derived,
    zones,
    zonesByKind,
    capCents: toCents(ruleset.scoring?.cap ?? 100),
    actionFacts: factsNamedIn(enabledRules.map((r) => r.rule.conditions), new Set()),
    decisionSteps,
    expressive: perKind((kind) => derived.length > 0 || steps[kind].some((s) => s.source === 'custom')),
  };
}

function perKind<T>(make: (kind: SubjectKind) => T): Record<SubjectKind, T> {
  return Object.fromEntries(KINDS.map((kind) => [kind, make(kind)])) as Record<SubjectKind, T>;
}

/** A registered signal's step for one kind: that kind's weight and curve (`compile/weights.ts`). */
function signalStep(parsed: ParsedSignal, weights: SignalWeights, kind: SubjectKind): SignalStep {
  const { signal, params } = parsed;
  return {
    id: signal.meta.id,
    version: signal.meta.version,
    source: 'signal',
    key: canonicalJson({ version: signal.meta.version, params }),
    needs: signal.meta.needs,
    weight: weightFor(weights, kind),
    baseWeight: weights.weight,
    curve: curveFor(weights, kind),
    baseCurve: weights.curve,
    insufficientWeight: weights.insufficientWeight,
    insufficientCents: toCents(weights.insufficientWeight),
    signal,
    params,
  };
}

function customStep(custom: CompiledCustomSignal, derived: Readonly<Record<string, string>>): CustomStep {
  const { config } = custom;
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
    curve: undefined,
    baseCurve: undefined,
    insufficientWeight: 0,
    insufficientCents: 0,
    custom,
    requires: requiredFacts(custom),
  };
}

/**
 * The facts a custom signal's `when` cannot judge without: the roots it reads (e.g. `refund` on
 * an order is absent, `customer` is null for a guest) and the derived facts it uses. JSONata
 * would compare a missing value as false, which would read as safe.
 */
export function requiredFacts(custom: CompiledCustomSignal): string[] {
  const names = new Set<string>();
  for (const path of custom.when.paths) {
    const [root, key] = path.split('.');
    // A bare root (`customer = null`) is a deliberate test for absence; reading into it is not.
    if (root === '$' || root === '$$' || key === undefined) continue;
    names.add(root === 'derived' ? `derived.${key}` : root);
  }
  return [...names].sort();
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

/** What `compileRuleset` returns: a plan, what it says (signal ids, specs, scoring model) and its evaluator. */
class RulesetProgram implements CompiledRuleset {
  readonly id: string;
  readonly version: number;
  readonly contentHash: string;
  readonly ruleset: Readonly<Ruleset>;
  readonly warnings: RulesetPlan['warnings'];
  private readonly plan: RulesetPlan;
  private readonly evaluator: Evaluator;

  constructor(plan: RulesetPlan) {
    this.plan = plan;
    this.id = plan.id;
    this.version = plan.version;
    this.contentHash = plan.contentHash;
    this.ruleset = plan.ruleset;
    this.warnings = plan.warnings;
    this.evaluator = new Evaluator(plan);
  }

  signalIds(kind: SubjectKind): readonly string[] {
    return this.plan.steps[kind].map((s) => s.id);
  }

  decide(ctx: SignalContext, options: DecideOptions = {}): Decision {
    return this.evaluator.decide(ctx, undefined, options.explainConditions ?? true, options.clock, options.snoozed, options.budget);
  }

  decideWithResults(ctx: SignalContext, results: PrecomputedResults, options: DecideOptions = {}): Decision {
    return this.evaluator.decide(ctx, results, options.explainConditions ?? true, options.clock, options.snoozed, options.budget);
  }

  decideBatch(contexts: readonly SignalContext[], options: DecideOptions = {}): Decision[] {
    const explain = options.explainConditions ?? false;
    const decisions = new Array<Decision>(contexts.length);
    for (let i = 0; i < contexts.length; i++) decisions[i] = this.evaluator.decide(contexts[i], undefined, explain, options.clock, undefined, options.budget);
    return decisions;
  }

  evaluateSignals(ctx: SignalContext, ids: readonly string[], options: { budget?: ExpressionBudget } = {}): (SignalResult | undefined)[] {
    return this.evaluator.evaluateSignals(ctx, ids, options.budget);
  }

  /**
   * What the score is made of, for bulk re-weighting (the simulator): each signal's weight and
   * insufficient-data weight, the zones and the cap. Signals not in the ruleset, or switched
   * off, are absent (they add nothing).
   */
  scoringModel(): ScoringModel {
    const byId = new Map<string, ScoringModel['signals'][number]>();
    for (const kind of KINDS) {
      for (const step of this.plan.steps[kind]) {
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
    const { zones, zonesByKind } = this.plan;
    return {
      signals: [...byId.values()],
      zones: { ...zones },
      zonesByKind: { order: { ...zonesByKind.order }, return: { ...zonesByKind.return }, refund: { ...zonesByKind.refund } },
      capCents: this.plan.capCents,
    };
  }

  signalSpecs(): SignalSpec[] {
    const byId = new Map<string, SignalSpec>();
    for (const kind of KINDS) {
      for (const step of this.plan.steps[kind]) {
        const spec = byId.get(step.id);
        if (spec) spec.kinds.push(kind);
        else byId.set(step.id, { id: step.id, version: step.version, source: step.source, key: step.key, kinds: [kind], needs: step.needs });
      }
    }
    return [...byId.values()];
  }
}

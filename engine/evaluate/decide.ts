import { deepFreeze } from '../../sdk/params.ts';
import { evaluateSignal, type SignalContext, type SignalResult, type SubjectKind } from '../../sdk/index.ts';
import type { ActionRuleTrace, ChosenAction, Coverage, Decision, SignalTrace } from '../decision.ts';
import { ExpressionBudget } from '../expression/ExpressionBudget.ts';
import type { PlanStep, PrecomputedResults, RulesetPlan } from '../plan.ts';
import type { Zone } from '../ruleset.ts';
import { allocateScore, lineCents, STATUS_CODE, ZONES, zoneCode, type SnoozeNote } from '../score.ts';
import { curveStrength } from '../strengthCurve.ts';
import { runCustomSignal } from './customSignals.ts';
import { decisionFacts, expressionFacts, type ExpressionFacts } from './facts.ts';

/**
 * Evaluate stage: a compiled plan (`RulesetPlan`, from `compileRuleset.ts`) run on one
 * point-in-time context. The derived facts, then each step's result (or the stored one), its
 * points through the scoring kernel (`score.ts`: `lineCents`, `allocateScore`, `zoneCode`), then
 * the action rules on the decision's facts. Synchronous: no promises, no I/O, no clock unless
 * one is passed in.
 */

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

const KINDS: readonly SubjectKind[] = ['order', 'return', 'refund'];

/** Runs one plan; keeps a scratch line buffer per kind, so a decision allocates no points array unless clamping rescales. */
export class Evaluator {
  private readonly plan: RulesetPlan;
  private readonly scratchCents: Record<SubjectKind, Int32Array>;

  constructor(plan: RulesetPlan) {
    this.plan = plan;
    this.scratchCents = Object.fromEntries(KINDS.map((kind) => [kind, new Int32Array(plan.steps[kind].length)])) as Record<SubjectKind, Int32Array>;
  }

  /** One decision: stored results where `precomputed` has them, the steps' own results elsewhere. */
  decide(
    input: SignalContext,
    precomputed: PrecomputedResults | undefined,
    explain: boolean,
    clock: (() => number) | undefined,
    snoozed?: Readonly<Record<string, SnoozeNote>>,
    request?: ExpressionBudget,
  ): Decision {
    const plan = this.plan;
    const started = clock?.();
    const ctx = deepFreeze(input);
    const kind = ctx.subject.kind;
    if (!plan.ruleset.appliesTo.includes(kind)) {
      throw new TypeError(`ruleset ${plan.id} v${plan.version} does not score ${kind} events (appliesTo: ${plan.ruleset.appliesTo.join(', ')})`);
    }
    const facts = expressionFacts(ctx, plan.derived.length > 0);
    const budget = this.decisionBudget(kind, request);
    const derivedErrors = plan.derived.length > 0 ? this.computeDerived(facts, budget) : undefined;
    const aligned = Array.isArray(precomputed) ? (precomputed as readonly (SignalResult | undefined)[]) : undefined;
    const byId = aligned ? undefined : (precomputed as ReadonlyMap<string, SignalResult> | undefined);
    const steps = plan.steps[kind];
    // One pass: each signal's result, raw points and trace line. Points are fixed up only when
    // clamping rescales them.
    const rawCents = this.scratchCents[kind];
    const signals = new Array<SignalTrace>(steps.length);
    const coverage: Coverage = { evaluated: steps.length, hit: 0, noHit: 0, insufficient: 0, error: 0 };
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i];
      const t0 = clock === undefined ? 0 : clock();
      const result = (aligned ? aligned[i] : byId?.get(step.id)) ?? runStep(step, ctx, facts, budget);
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
    const allocation = allocateScore(rawCents, plan.capCents);
    if (allocation.scaled) for (let i = 0; i < steps.length; i++) signals[i].points = allocation.cents[i] / 100;
    const score = allocation.scoreCents / 100;
    const zone = ZONES[zoneCode(allocation.scoreCents, plan.zonesByKind[kind])]!;
    const { ruleTraces, actions } = this.chooseActions(kind, facts, signals, score, zone, coverage, explain);
    const decision: Decision = {
      schema: 'refundsentry.decision/1',
      shopId: ctx.shopId,
      subject: { kind, id: ctx.subject.id, at: ctx.subject.at },
      ruleset: plan.ref,
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

  /** The results of the named steps only, for one context, exactly as `decide` computes them. */
  evaluateSignals(input: SignalContext, ids: readonly string[], request: ExpressionBudget | undefined): (SignalResult | undefined)[] {
    const plan = this.plan;
    const ctx = deepFreeze(input);
    const steps = plan.steps[ctx.subject.kind];
    const results = new Array<SignalResult | undefined>(ids.length);
    let facts: ExpressionFacts | undefined;
    let budget: ExpressionBudget | undefined;
    for (let i = 0; i < ids.length; i++) {
      const step = steps.find((s) => s.id === ids[i]);
      if (!step) continue;
      if (step.source === 'custom' && facts === undefined) {
        facts = expressionFacts(ctx, plan.derived.length > 0);
        budget = this.decisionBudget(ctx.subject.kind, request);
        if (plan.derived.length > 0) this.computeDerived(facts, budget);
      }
      results[i] = runStep(step, ctx, facts!, budget);
    }
    this.settleBudget(budget, request);
    return results;
  }

  /** The budget of one decision's expressions: the ruleset's per-decision steps, or what is left of the request's. */
  private decisionBudget(kind: SubjectKind, request: ExpressionBudget | undefined): ExpressionBudget | undefined {
    if (!this.plan.expressive[kind]) return undefined;
    return new ExpressionBudget(Math.min(this.plan.decisionSteps, request?.remaining ?? Infinity), { track: request?.usage !== undefined });
  }

  /** Charges a decision's steps to the request's budget; throws when that is used up. */
  private settleBudget(decision: ExpressionBudget | undefined, request: ExpressionBudget | undefined): void {
    if (!decision || !request) return;
    if (decision.usage) for (const [label, steps] of decision.usage) request.charge(steps, label);
    else request.charge(decision.used);
    if (request.exhausted) throw new ExpressionBudgetExhausted(request);
  }

  private computeDerived(facts: ExpressionFacts, budget: ExpressionBudget | undefined): Record<string, string> | undefined {
    let errors: Record<string, string> | undefined;
    for (const [name, expression] of this.plan.derived) {
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

  private derivedValues(facts: ExpressionFacts): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const [name] of this.plan.derived) values[name] = facts.derived[name] ?? null;
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
    const rules = this.plan.actionRules[kind];
    const ruleTraces: ActionRuleTrace[] = [];
    const actions: ChosenAction[] = [];
    if (rules.length === 0) return { ruleTraces, actions };
    const actionFacts = decisionFacts(facts, signals, score, zone, coverage, this.plan.actionFacts);
    for (const rule of rules) {
      const { conditions } = rule;
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
      if (trace.matched) for (const action of rule.actions[zone]) actions.push(action);
    }
    return { ruleTraces, actions };
  }
}

/** A step's own result: the registered signal run with its params, or the custom signal's expressions on the facts. */
function runStep(step: PlanStep, ctx: SignalContext, facts: ExpressionFacts, budget: ExpressionBudget | undefined): SignalResult {
  return step.source === 'signal' ? evaluateSignal(step.signal, ctx, step.params) : runCustomSignal(step.custom, step.requires, facts, budget);
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
  constructor(step: PlanStep, result: SignalResult, points: number) {
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

/** The decision engine: pure TypeScript, no I/O, no clock. */
// The stages: validate (parse and check) → compile (a plan) → evaluate (decide on a context).
export { validateRuleset, analyzeRuleset } from './validateRuleset.ts';
export { compileRuleset, canonicalJson, contentHashOf, DEFAULT_DECISION_STEPS } from './compileRuleset.ts';
export type { CompiledRuleset, CompileOptions, DecideOptions, PrecomputedResults } from './plan.ts';
export { ExpressionBudgetExhausted } from './evaluate/decide.ts';
export { ExpressionBudget } from './expression/ExpressionBudget.ts';
export { createRegistry, RegistryError } from './registry.ts';
export type { SignalRegistry } from './registry.ts';
export { RulesetValidationError } from './problems.ts';
export type { RulesetProblem } from './problems.ts';
export type { ActionRuleTrace, ChosenAction, Coverage, Decision, SignalTrace } from './decision.ts';
export type { ActionRule, ActionSpec, ActionType, CustomSignalConfig, Ruleset, SignalConfig, Zone, ZoneConfig, ZoneThresholds } from './ruleset.ts';
export { ACTION_FACTS, EXPRESSION_ROOTS } from './ruleset.ts';
export { allocateScore, inHoldout, snoozesAt } from './score.ts';
export type { Snooze, SnoozeNote } from './score.ts';
export { simulate } from './simulate/simulate.ts';
export type { Flip, SimulationReport, SimulationWindow } from './simulate/simulate.ts';
export { fitRuleset, FitRefused, calibrationTable, splitRows } from './learn/fitRuleset.ts';
export type { CalibrationBand, FitOptions, FitReport, KindFit, LabelledRow, RefusedKind, VersionMetrics } from './learn/fitRuleset.ts';

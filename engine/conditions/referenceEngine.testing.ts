// json-rules-engine as the reference semantics for compileConditions: one
// rule, runtime facts, allowUndefinedFacts. Slow (promises per condition);
// for tests and benchmarks only.
import { Engine, type RuleProperties } from 'json-rules-engine';
import type { ConditionTrace, Facts, LeafTrace } from './compileConditions.ts';

export type ReferenceOutcome = { result: boolean } | { error: string };
export type ReferenceTrace = { trace: ConditionTrace } | { error: string };

type RawCondition = Record<string, unknown>;

async function runRule(conditions: unknown, facts: Facts): Promise<{ result: unknown; conditions: unknown }> {
  const engine = new Engine([], { allowUndefinedFacts: true });
  engine.addRule({ conditions, event: { type: 'conditions-met' } } as RuleProperties);
  const { results, failureResults } = await engine.run(facts);
  return [...results, ...failureResults][0];
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export async function evaluateWithJsonRulesEngine(conditions: unknown, facts: Facts): Promise<ReferenceOutcome> {
  try {
    const ruleResult = await runRule(conditions, facts);
    return { result: ruleResult.result === true };
  } catch (error) {
    return { error: messageOf(error) };
  }
}

/** The library's annotated condition tree (RuleResult.conditions), in ConditionTrace shape. */
export async function explainWithJsonRulesEngine(conditions: unknown, facts: Facts): Promise<ReferenceTrace> {
  try {
    const ruleResult = await runRule(conditions, facts);
    const trace = toTrace(ruleResult.conditions as RawCondition);
    // The root's own result is only recorded on the RuleResult.
    trace.result = ruleResult.result === true;
    return { trace };
  } catch (error) {
    return { error: messageOf(error) };
  }
}

// Same precedence as Condition.booleanOperator: any, then all, then not.
function toTrace(condition: RawCondition): ConditionTrace {
  const name = Object.hasOwn(condition, 'name') ? { name: condition.name as string } : {};
  const result = condition.result as boolean;
  if (Object.hasOwn(condition, 'any')) return { ...name, any: (condition.any as RawCondition[]).map(toTrace), result };
  if (Object.hasOwn(condition, 'all')) return { ...name, all: (condition.all as RawCondition[]).map(toTrace), result };
  if (Object.hasOwn(condition, 'not')) return { ...name, not: toTrace(condition.not as RawCondition), result };
  const leaf: LeafTrace = {
    fact: condition.fact as string,
    operator: condition.operator as string,
    value: condition.value,
    factResult: condition.factResult,
    valueResult: condition.valueResult,
    result,
  };
  if (Object.hasOwn(condition, 'path')) leaf.path = condition.path as string;
  if (Object.hasOwn(condition, 'params')) leaf.params = condition.params as Record<string, unknown>;
  return { ...name, ...leaf };
}

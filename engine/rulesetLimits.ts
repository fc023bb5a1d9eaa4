import rulesetSchema from '../rulesets/schema/ruleset.schema.json' with { type: 'json' };
import { pointerOf, type RulesetProblem } from './problems.ts';

/**
 * The size a ruleset may have, checked before anything else reads it: a ruleset is merchant
 * input, and validating, compiling and evaluating it costs time on a shared server. The counts
 * are the JSON Schema's own (`maxItems`, `maxProperties`), so the editor shows the same limits.
 */
export const RULESET_LIMITS = Object.freeze({
  /** Nesting of arrays and objects anywhere in the body (condition trees, params). */
  maxDepth: 32,
  /** Values anywhere in the body (every object, array, string, number…). */
  maxValues: 20_000,
  /** Characters of all JSONata expressions together (derived facts, custom signals). */
  maxExpressionCharacters: 100_000,
  customSignals: rulesetSchema.properties.customSignals.maxItems,
  derived: rulesetSchema.properties.derived.maxProperties,
  actions: rulesetSchema.properties.actions.maxItems,
});

/**
 * The problems of a ruleset that is too large or too deeply nested to check further (empty when
 * it is within the limits). Walks the body once, iteratively (no recursion a deep body could
 * exhaust), and stops at the first value past a limit.
 */
export function limitProblems(input: object): RulesetProblem[] {
  const problems: RulesetProblem[] = [];
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: input, path: [] }];
  let values = 0;
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (++values > RULESET_LIMITS.maxValues) {
      problems.push(tooLarge('', `the ruleset holds more than ${RULESET_LIMITS.maxValues.toLocaleString('en-US')} values; split it or remove unused parts`));
      return problems;
    }
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= RULESET_LIMITS.maxDepth) {
      problems.push(tooLarge(pointerOf(...path), `nested more than ${RULESET_LIMITS.maxDepth} levels deep`));
      return problems;
    }
    if (Array.isArray(value)) value.forEach((item, i) => stack.push({ value: item, path: [...path, i] }));
    else for (const key of Object.keys(value)) stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
  }
  const ruleset = input as { customSignals?: unknown; derived?: unknown; actions?: unknown };
  const count = (v: unknown) => (Array.isArray(v) ? v.length : v !== null && typeof v === 'object' ? Object.keys(v).length : 0);
  if (count(ruleset.customSignals) > RULESET_LIMITS.customSignals) problems.push(tooLarge('/customSignals', `${count(ruleset.customSignals)} custom signals; at most ${RULESET_LIMITS.customSignals}`));
  if (count(ruleset.derived) > RULESET_LIMITS.derived) problems.push(tooLarge('/derived', `${count(ruleset.derived)} derived facts; at most ${RULESET_LIMITS.derived}`));
  if (count(ruleset.actions) > RULESET_LIMITS.actions) problems.push(tooLarge('/actions', `${count(ruleset.actions)} action rules; at most ${RULESET_LIMITS.actions}`));
  const characters = expressionCharacters(ruleset);
  if (characters > RULESET_LIMITS.maxExpressionCharacters) {
    problems.push(tooLarge('/customSignals', `the expressions total ${characters.toLocaleString('en-US')} characters; at most ${RULESET_LIMITS.maxExpressionCharacters.toLocaleString('en-US')}`));
  }
  return problems;
}

function tooLarge(pointer: string, message: string): RulesetProblem {
  return { pointer, code: 'too-large', severity: 'error', message };
}

function expressionCharacters(ruleset: { customSignals?: unknown; derived?: unknown }): number {
  let total = 0;
  const add = (v: unknown) => void (typeof v === 'string' && (total += v.length));
  if (ruleset.derived && typeof ruleset.derived === 'object') Object.values(ruleset.derived).forEach(add);
  if (Array.isArray(ruleset.customSignals)) {
    for (const custom of ruleset.customSignals as { when?: unknown; strength?: unknown; evidence?: unknown }[]) {
      if (custom === null || typeof custom !== 'object') continue;
      add(custom.when);
      add(custom.strength);
      if (custom.evidence && typeof custom.evidence === 'object') Object.values(custom.evidence).forEach(add);
    }
  }
  return total;
}

import { errorResult, type SignalResult } from '../../sdk/index.ts';
import type { ExpressionBudget } from '../expression/ExpressionBudget.ts';
import { RS_BUDGET } from '../expression/errors.ts';
import type { CompiledCustomSignal } from '../plan.ts';
import type { ExpressionFacts } from './facts.ts';

/** Evaluate stage: a ruleset's custom signal (its compiled `when`, `strength` and `evidence`) on one decision's facts. */

/**
 * A custom signal fires when `when` is exactly true; an expression with no value (a missing
 * fact) reports insufficient_data rather than reading as safe. `requires`: the facts its `when`
 * cannot judge without, worked out once when compiling (`requiredFacts` in compileRuleset.ts).
 */
export function runCustomSignal(custom: CompiledCustomSignal, requires: readonly string[], facts: ExpressionFacts, budget: ExpressionBudget | undefined): SignalResult {
  const { config } = custom;
  if (budget?.exhausted) return budgetUsedUp(config.id, budget);
  const missing = requires.filter((name) => factValue(facts, name) == null);
  if (missing.length > 0) {
    return { status: 'insufficient_data', strength: 0, evidence: {}, message: `${config.id}: no value for ${missing.join(', ')}` };
  }
  try {
    const fired = custom.when.evaluate(facts, budget, config.id);
    if (fired === undefined) {
      return { status: 'insufficient_data', strength: 0, evidence: {}, message: `${config.id}: "${config.when}" has no value (missing facts)` };
    }
    if (typeof fired !== 'boolean') {
      return errorResult(new TypeError(`"when" must give true or false, got ${JSON.stringify(fired)}`));
    }
    if (!fired) return { status: 'no_hit', strength: 0, evidence: {}, message: '' };
    const strength = custom.strength ? custom.strength.evaluate(facts, budget, config.id) : 1;
    if (typeof strength !== 'number' || !(strength > 0 && strength <= 1)) {
      return errorResult(new RangeError(`"strength" must give a number above 0 and at most 1, got ${JSON.stringify(strength)}`));
    }
    const evidence: Record<string, never> = {};
    for (const [name, expression] of custom.evidence) {
      const value = expression.evaluate(facts, budget, config.id);
      (evidence as Record<string, unknown>)[name] = value === undefined ? null : boundedEvidence(value);
    }
    return { status: 'hit', strength, evidence, message: config.message ?? config.title ?? config.id };
  } catch (e) {
    if (budget && (e as { code?: string }).code === RS_BUDGET) return budgetUsedUp(config.id, budget);
    return errorResult(e);
  }
}

/** The most a custom signal's evidence value may hold: values (objects, arrays, scalars) and string characters. */
export const EVIDENCE_LIMITS = Object.freeze({ values: 200, characters: 2_000 });

/**
 * A custom evidence value as the trace keeps it: as is when it is small, else a note saying what
 * it was (every stored decision carries its evidence: `$$` as evidence would store the whole
 * context each time). Walks at most `EVIDENCE_LIMITS.values` values.
 */
function boundedEvidence(value: unknown): unknown {
  if (typeof value === 'string') return value.length <= EVIDENCE_LIMITS.characters ? value : `${value.slice(0, EVIDENCE_LIMITS.characters)}… (${value.length.toLocaleString('en-US')} characters)`;
  if (value === null || typeof value !== 'object') return value;
  let values = 0;
  let characters = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (++values > EVIDENCE_LIMITS.values) break;
    if (typeof item === 'string') characters += item.length;
    else if (item !== null && typeof item === 'object') for (const [key, child] of Object.entries(item)) {
      characters += key.length;
      stack.push(child);
    }
    if (characters > EVIDENCE_LIMITS.characters) break;
  }
  if (values <= EVIDENCE_LIMITS.values && characters <= EVIDENCE_LIMITS.characters) return value;
  return `(${Array.isArray(value) ? 'a list' : 'an object'} too large to keep as evidence: at most ${EVIDENCE_LIMITS.values} values and ${EVIDENCE_LIMITS.characters.toLocaleString('en-US')} characters)`;
}

/** A custom signal the decision's expression budget did not stretch to: an error, never "safe". */
export function budgetUsedUp(id: string, budget: ExpressionBudget): SignalResult {
  return {
    status: 'error',
    strength: 0,
    evidence: {},
    message: `${id} was not evaluated: this decision's custom expressions used up their budget of ${budget.limit.toLocaleString('en-US')} steps (simplify the heaviest expressions, or move shared work into a derived fact)`,
  };
}

function factValue(facts: ExpressionFacts, name: string): unknown {
  return name.startsWith('derived.') ? facts.derived[name.slice('derived.'.length)] : facts[name];
}

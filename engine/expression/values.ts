/**
 * Value model shared by the compiled evaluator: jsonata's "sequence" arrays, the per-evaluation
 * step budget, and the small predicates (isNumeric, isFunction, ...) the jsonata semantics rely on.
 *
 * jsonata distinguishes arrays that came from the input document from arrays it built itself
 * (sequences, array-constructor results). It marks its own arrays with flags; we do the same with a
 * single private symbol-keyed bit set, so marks never collide with input fields.
 */
import { BudgetExceeded, EvalFault } from './errors.ts';

const TAG: unique symbol = Symbol('refundsentry.expression.tag');

/** A jsonata-built array: a result sequence (flattened, singleton-unwrapped by the evaluator). */
const SEQUENCE = 1;
/** Built by an array constructor `[...]` at the start or end of a path: never flattened into a step result. */
const CONS = 2;
/** The single-item sequence wrapping a top-level input array (jsonata's outerWrapper). */
const OUTER_WRAPPER = 4;
/** Any array we allocated (so the final result can be copied free of tags). */
const OWNED = 8;

export type Tagged = unknown[] & { [TAG]?: number };

export interface Env {
  /** The whole input document: the value of `$$`. */
  readonly root: unknown;
  steps: number;
  readonly maxSteps: number;
}

export function tick(env: Env): void {
  if (++env.steps > env.maxSteps) throw new BudgetExceeded(env.steps);
}

export function tickMany(env: Env, count: number): void {
  env.steps += count;
  if (env.steps > env.maxSteps) throw new BudgetExceeded(env.steps);
}

/**
 * String work is charged one step per 16 characters, so that a step costs about as much time on
 * strings as elsewhere (copying, case-mapping or stringifying 16 characters takes about as long
 * as one node evaluation), and huge strings processed in loops stay bounded in time.
 */
export function tickString(env: Env, text: string): void {
  if (text.length >= 16) tickMany(env, text.length >>> 4);
}

/** Work that allocates per character (splitting into code points): one step per 4 characters. */
export function tickPerCharacter(env: Env, text: string): void {
  if (text.length >= 4) tickMany(env, text.length >>> 2);
}

function tagsOf(value: unknown[]): number {
  return (value as Tagged)[TAG] ?? 0;
}

export function createSequence(): Tagged {
  const sequence: Tagged = [];
  sequence[TAG] = SEQUENCE | OWNED;
  return sequence;
}

export function sequenceOf(item: unknown): Tagged {
  const sequence = createSequence();
  sequence.push(item);
  return sequence;
}

export function wrapTopLevelArray(input: unknown[]): Tagged {
  const sequence = sequenceOf(input);
  sequence[TAG] = SEQUENCE | OUTER_WRAPPER | OWNED;
  return sequence;
}

/** Marks an array we allocated that is not a sequence (e.g. the result of Array.prototype.concat). */
export function owned<T extends unknown[]>(array: T): T {
  (array as Tagged)[TAG] = OWNED;
  return array;
}

export function markCons(array: unknown[]): void {
  (array as Tagged)[TAG] = tagsOf(array) | CONS | OWNED;
}

export function isSequence(value: unknown): value is Tagged {
  return Array.isArray(value) && (tagsOf(value) & SEQUENCE) !== 0;
}

export function isCons(value: unknown[]): boolean {
  return (tagsOf(value) & CONS) !== 0;
}

export function isOuterWrapper(value: unknown): value is Tagged {
  return Array.isArray(value) && (tagsOf(value) & OUTER_WRAPPER) !== 0;
}

/** jsonata's evaluate() epilogue: empty sequences vanish, singleton sequences become their item. */
export function unwrapSequence(value: unknown): unknown {
  if (Array.isArray(value) && (tagsOf(value) & SEQUENCE) !== 0) {
    if (value.length === 0) return undefined;
    if (value.length === 1) return value[0];
  }
  return value;
}

/** Copies arrays we built into plain arrays (recursively) so no internal tag leaks to callers. */
export function exportValue(value: unknown): unknown {
  if (!Array.isArray(value) || (tagsOf(value) & OWNED) === 0) return value;
  const plain = new Array<unknown>(value.length);
  for (let i = 0; i < value.length; i++) plain[i] = exportValue(value[i]);
  return plain;
}

/** jsonata's utils.isNumeric: NaN is not numeric, and ±Infinity is an error (D1001). */
export function isNumeric(value: unknown): value is number {
  if (typeof value !== 'number') return false;
  if (Number.isNaN(value)) return false;
  if (!Number.isFinite(value)) throw new EvalFault('D1001', { value });
  return true;
}

/** jsonata's utils.isArrayOfNumbers. Like jsonata it inspects every item (no short-circuit). */
export function isArrayOfNumbers(value: unknown, env: Env): boolean {
  if (!Array.isArray(value)) return false;
  tickMany(env, value.length);
  let allNumeric = true;
  for (let i = 0; i < value.length; i++) {
    if (!isNumeric(value[i])) allNumeric = false;
  }
  return allNumeric;
}

/**
 * jsonata treats objects carrying its internal function markers as functions (they are skipped by
 * path lookups and stringify to ""). Plain JSON inputs never have them, but we mirror the rule.
 */
export function isFunctionValue(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (value === null || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  return record._jsonata_function === true || record._jsonata_lambda === true;
}

export function objectKeys(value: unknown): string[] {
  return typeof value === 'object' && value !== null ? Object.keys(value) : [];
}

/** jsonata's utils.isDeepEqual, charging one step per visited value. */
export function isDeepEqual(lhs: unknown, rhs: unknown, env: Env): boolean {
  tick(env);
  if (lhs === rhs) return true;
  if (typeof lhs !== 'object' || typeof rhs !== 'object' || lhs === null || rhs === null) return false;
  if (Array.isArray(lhs) && Array.isArray(rhs)) {
    if (lhs.length !== rhs.length) return false;
    for (let i = 0; i < lhs.length; i++) {
      if (!isDeepEqual(lhs[i], rhs[i], env)) return false;
    }
    return true;
  }
  // jsonata compares own property *names* (including non-enumerable ones, e.g. an array's "length").
  const lkeys = Object.getOwnPropertyNames(lhs).sort();
  const rkeys = Object.getOwnPropertyNames(rhs).sort();
  tickMany(env, lkeys.length);
  if (lkeys.length !== rkeys.length) return false;
  for (let i = 0; i < lkeys.length; i++) {
    if (lkeys[i] !== rkeys[i]) return false;
  }
  const l = lhs as Record<string, unknown>;
  const r = rhs as Record<string, unknown>;
  for (const key of lkeys) {
    if (!isDeepEqual(l[key], r[key], env)) return false;
  }
  return true;
}

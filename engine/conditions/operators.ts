// json-rules-engine 7.3.1 operators and decorators, re-implemented with the
// same JS expressions (engine-default-operators.js, engine-default-operator-
// decorators.js, operator.js, operator-decorator.js, operator-map.js) so the
// coercions and the TypeErrors are the library's own.

export type OperatorFn = (factValue: unknown, jsonValue: unknown) => boolean;

/** What is statically known about one operand: a literal, or nothing (a fact). */
export type Operand = { readonly known: true; readonly value: unknown } | { readonly known: false };

/**
 * May this operator chain throw for these operands, for ANY fact values?
 * Conservative: coercion (ToString/ToPrimitive) of a fact can throw, e.g. for
 * a plain object owning a non-function "toString", so only operators that
 * never coerce an unknown operand answer false.
 */
type ThrowAnalysis = (factValue: Operand, jsonValue: Operand) => boolean;

type BaseOperator = { readonly evaluate: OperatorFn; readonly mayThrow: ThrowAnalysis };
type Decorator = {
  readonly decorate: (next: OperatorFn) => OperatorFn;
  readonly mayThrow: (rest: ThrowAnalysis, factValue: Operand, jsonValue: Operand) => boolean;
};

type Indexable = { indexOf(searchElement: unknown): number };
type ArrayMethods = { some(cb: (item: unknown) => boolean): boolean; every(cb: (item: unknown) => boolean): boolean };

export const UNKNOWN: Operand = { known: false };
export const known = (value: unknown): Operand => ({ known: true, value });

const never: ThrowAnalysis = () => false;

// Library: `Number.parseFloat(factValue).toString() !== 'NaN'`. Same truth
// table without allocating a string; numbers skip the ToString round trip.
function isNumeric(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isNaN(value);
  return !Number.isNaN(Number.parseFloat(value as string));
}

// `b.indexOf(a)` throws unless b is an array or a string, and a string b
// coerces a; only a literal array b is safe (strict equality, no coercion).
const mayThrowIndexOf: ThrowAnalysis = (_fact, json) => !(json.known && Array.isArray(json.value));

// parseFloat(a) and `a < b` coerce both sides; safe only if a is a known
// primitive that fails the numeric validator or both are known primitives.
const mayThrowComparison: ThrowAnalysis = (fact, json) => {
  if (!isKnownPrimitive(fact)) return true;
  return isNumeric(fact.value) && !isKnownPrimitive(json);
};

function isKnownPrimitive(operand: Operand): operand is { known: true; value: unknown } {
  if (!operand.known) return false;
  const { value } = operand;
  return value === null || (typeof value !== 'object' && typeof value !== 'symbol' && typeof value !== 'function');
}

// `<` on unknown operands: JS coercion is the library semantics, the casts only silence TS.
type Comparable = number;

const BASE_OPERATORS: ReadonlyMap<string, BaseOperator> = new Map<string, BaseOperator>([
  ['equal', { evaluate: (a, b) => a === b, mayThrow: never }],
  ['notEqual', { evaluate: (a, b) => a !== b, mayThrow: never }],
  ['in', { evaluate: (a, b) => (b as Indexable).indexOf(a) > -1, mayThrow: mayThrowIndexOf }],
  ['notIn', { evaluate: (a, b) => (b as Indexable).indexOf(a) === -1, mayThrow: mayThrowIndexOf }],
  ['contains', { evaluate: (a, b) => Array.isArray(a) && a.indexOf(b) > -1, mayThrow: never }],
  ['doesNotContain', { evaluate: (a, b) => Array.isArray(a) && a.indexOf(b) === -1, mayThrow: never }],
  ['lessThan', { evaluate: (a, b) => isNumeric(a) && (a as Comparable) < (b as Comparable), mayThrow: mayThrowComparison }],
  ['lessThanInclusive', { evaluate: (a, b) => isNumeric(a) && (a as Comparable) <= (b as Comparable), mayThrow: mayThrowComparison }],
  ['greaterThan', { evaluate: (a, b) => isNumeric(a) && (a as Comparable) > (b as Comparable), mayThrow: mayThrowComparison }],
  ['greaterThanInclusive', { evaluate: (a, b) => isNumeric(a) && (a as Comparable) >= (b as Comparable), mayThrow: mayThrowComparison }],
]);

// someFact/everyFact carry Array.isArray as fact validator; someValue/everyValue
// have none, so a non-array value throws "jsonValue.some is not a function".
const DECORATORS: ReadonlyMap<string, Decorator> = new Map<string, Decorator>([
  ['someFact', {
    decorate: (next) => (a, b) => Array.isArray(a) && a.some((fv) => next(fv, b)),
    mayThrow: (rest, a, b) => eachFactElement(a, (element) => rest(element, b)),
  }],
  ['someValue', {
    decorate: (next) => (a, b) => (b as ArrayMethods).some((jv) => next(a, jv)),
    mayThrow: (rest, a, b) => eachValueElement(b, (element) => rest(a, element)),
  }],
  ['everyFact', {
    decorate: (next) => (a, b) => Array.isArray(a) && a.every((fv) => next(fv, b)),
    mayThrow: (rest, a, b) => eachFactElement(a, (element) => rest(element, b)),
  }],
  ['everyValue', {
    decorate: (next) => (a, b) => (b as ArrayMethods).every((jv) => next(a, jv)),
    mayThrow: (rest, a, b) => eachValueElement(b, (element) => rest(a, element)),
  }],
  ['swap', { decorate: (next) => (a, b) => next(b, a), mayThrow: (rest, a, b) => rest(b, a) }],
  ['not', { decorate: (next) => (a, b) => !next(a, b), mayThrow: (rest, a, b) => rest(a, b) }],
]);

function eachFactElement(operand: Operand, mayThrow: (element: Operand) => boolean): boolean {
  if (!operand.known) return mayThrow(UNKNOWN);
  return Array.isArray(operand.value) && operand.value.some((element) => mayThrow(known(element)));
}

function eachValueElement(operand: Operand, mayThrow: (element: Operand) => boolean): boolean {
  if (!operand.known || !Array.isArray(operand.value)) return true;
  return operand.value.some((element) => mayThrow(known(element)));
}

export const OPERATOR_NAMES: readonly string[] = [...BASE_OPERATORS.keys()];
export const DECORATOR_NAMES: readonly string[] = [...DECORATORS.keys()];

export type ParsedOperator =
  | { readonly ok: true; readonly decorators: readonly string[]; readonly base: string }
  | { readonly ok: false; readonly code: 'unknown-operator' | 'unknown-decorator'; readonly name: string };

/** Splits `not:someFact:equal` the way OperatorMap.get does: peel `name:` prefixes until a base operator remains. */
export function parseOperator(operator: string): ParsedOperator {
  const decorators: string[] = [];
  let rest = operator;
  while (!BASE_OPERATORS.has(rest)) {
    const colon = rest.indexOf(':');
    if (colon <= 0) return { ok: false, code: 'unknown-operator', name: rest };
    const decorator = rest.slice(0, colon);
    if (!DECORATORS.has(decorator)) return { ok: false, code: 'unknown-decorator', name: decorator };
    decorators.push(decorator);
    rest = rest.slice(colon + 1);
  }
  return { ok: true, decorators, base: rest };
}

export type CompiledOperator = { readonly evaluate: OperatorFn; readonly mayThrow: ThrowAnalysis };

/** The leftmost decorator is the outermost wrapper, as in the library. */
export function compileOperator(parsed: { readonly decorators: readonly string[]; readonly base: string }): CompiledOperator {
  const base = BASE_OPERATORS.get(parsed.base);
  if (!base) throw new Error(`unknown operator ${parsed.base}`);
  let evaluate = base.evaluate;
  let mayThrow = base.mayThrow;
  for (let i = parsed.decorators.length - 1; i >= 0; i--) {
    const decorator = DECORATORS.get(parsed.decorators[i]);
    if (!decorator) throw new Error(`unknown decorator ${parsed.decorators[i]}`);
    evaluate = decorator.decorate(evaluate);
    const rest = mayThrow;
    mayThrow = (a, b) => decorator.mayThrow(rest, a, b);
  }
  return { evaluate, mayThrow };
}

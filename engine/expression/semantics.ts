/**
 * Synchronous ports of jsonata 2.2 operator semantics and the core casting functions
 * ($boolean, $string, field lookup). Kept deliberately close to jsonata.js so behaviour matches
 * bit for bit; every loop charges the evaluation budget.
 */
import { EvalFault } from './errors.ts';
import {
  createSequence,
  isDeepEqual,
  isFunctionValue,
  isNumeric,
  isOuterWrapper,
  objectKeys,
  tick,
  tickMany,
  tickString,
  type Env,
} from './values.ts';

export type NumericOperator = '+' | '-' | '*' | '/' | '%';
export type ComparisonOperator = '<' | '<=' | '>' | '>=';

/** Field lookup (jsonata's fn.lookup): maps over arrays, flattening one level of array results. */
export function lookup(input: unknown, key: string, env: Env): unknown {
  if (Array.isArray(input)) {
    const result = createSequence();
    for (let i = 0; i < input.length; i++) {
      tick(env);
      const value = lookup(input[i], key, env);
      if (value === undefined) continue;
      if (Array.isArray(value)) {
        tickMany(env, value.length);
        for (let j = 0; j < value.length; j++) result.push(value[j]);
      } else {
        result.push(value);
      }
    }
    return result;
  }
  if (input !== null && typeof input === 'object' && Object.hasOwn(input, key) && !isFunctionValue(input)) {
    return (input as Record<string, unknown>)[key];
  }
  return undefined;
}

/**
 * + - * / %: a non-numeric operand is an error even when the other side is undefined;
 * otherwise an undefined operand makes the result undefined.
 */
export function numericOperation(lhs: unknown, rhs: unknown, op: NumericOperator): number | undefined {
  if (lhs !== undefined && !isNumeric(lhs)) throw new EvalFault('T2001', { value: lhs });
  if (rhs !== undefined && !isNumeric(rhs)) throw new EvalFault('T2002', { value: rhs });
  if (lhs === undefined || rhs === undefined) return undefined;
  switch (op) {
    case '+':
      return lhs + rhs;
    case '-':
      return lhs - rhs;
    case '*':
      return lhs * rhs;
    case '/':
      return lhs / rhs;
    case '%':
      return lhs % rhs;
  }
}

/** = and !=: deep equality; anything compared with undefined is false (for both operators). */
export function equalityOperation(lhs: unknown, rhs: unknown, negate: boolean, env: Env): boolean {
  if (lhs === undefined || rhs === undefined) return false;
  const equal = isDeepEqual(lhs, rhs, env);
  return negate ? !equal : equal;
}

/** < <= > >=: only numbers or strings of the same type; an undefined operand gives undefined. */
export function comparisonOperation(lhs: unknown, rhs: unknown, op: ComparisonOperator): boolean | undefined {
  const lType = typeof lhs;
  const rType = typeof rhs;
  const lComparable = lType === 'undefined' || lType === 'string' || lType === 'number';
  const rComparable = rType === 'undefined' || rType === 'string' || rType === 'number';
  if (!lComparable || !rComparable) {
    throw new EvalFault('T2010', { value: !(lType === 'string' || lType === 'number') ? lhs : rhs });
  }
  if (lhs === undefined || rhs === undefined) return undefined;
  if (lType !== rType) throw new EvalFault('T2009', { value: lhs, value2: rhs });
  const l = lhs as number | string;
  const r = rhs as number | string;
  switch (op) {
    case '<':
      return l < r;
    case '<=':
      return l <= r;
    case '>':
      return l > r;
    case '>=':
      return l >= r;
  }
}

/** `in`: strict (===) membership; a non-array right side is treated as a one-item array. */
export function includesOperation(lhs: unknown, rhs: unknown, env: Env): boolean {
  if (lhs === undefined || rhs === undefined) return false;
  if (!Array.isArray(rhs)) return rhs === lhs;
  for (let i = 0; i < rhs.length; i++) {
    tick(env);
    if (rhs[i] === lhs) return true;
  }
  return false;
}

/** `&`: both sides cast with $string; undefined sides contribute "". */
export function concatOperation(lhs: unknown, rhs: unknown, env: Env): string {
  const left = lhs === undefined ? '' : (castToString(lhs, false, env) as string);
  const right = rhs === undefined ? '' : (castToString(rhs, false, env) as string);
  return left.concat(right);
}

/** jsonata's boolize, used by `and` / `or`: $boolean, with undefined counting as false. */
export function toBooleanOperand(value: unknown, env: Env): boolean {
  return castToBoolean(value, env) ?? false;
}

/**
 * $boolean: arrays are true if any item is truthy (a singleton array is its item), numbers are
 * true unless 0 (NaN is false), objects if they have keys, functions are false.
 */
export function castToBoolean(value: unknown, env: Env): boolean | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    if (value.length === 1) return castToBoolean(value[0], env);
    if (value.length === 0) return false;
    tickMany(env, value.length);
    // jsonata filters the whole array (so e.g. an Infinity anywhere still raises D1001).
    let anyTrue = false;
    for (let i = 0; i < value.length; i++) {
      if (castToBoolean(value[i], env)) anyTrue = true;
    }
    return anyTrue;
  }
  if (typeof value === 'string') return value.length > 0;
  if (isNumeric(value)) return value !== 0;
  if (value !== null && typeof value === 'object' && !isFunctionValue(value)) {
    const keys = objectKeys(value);
    tickMany(env, keys.length);
    return keys.length > 0;
  }
  return value === true;
}

/**
 * $string: strings unchanged; non-finite numbers are D3001; everything else is JSON with
 * non-integers rounded to 15 significant digits (so 0.1 + 0.2 renders as "0.3").
 */
export function castToString(value: unknown, prettify: boolean, env: Env): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    tickString(env, value);
    return value;
  }
  if (isFunctionValue(value)) return '';
  if (typeof value === 'number' && !Number.isFinite(value)) throw new EvalFault('D3001', { value });
  const subject = isOuterWrapper(value) ? value[0] : value;
  const text = JSON.stringify(subject, (_key, item: unknown) => stringifyReplacer(item, env), prettify ? 2 : 0);
  tickString(env, text);
  return text;
}

function stringifyReplacer(item: unknown, env: Env): unknown {
  tick(env);
  if (item !== undefined && item !== null && isNumeric(item)) {
    return Number.isInteger(item) ? item : Number(item.toPrecision(15));
  }
  return item && isFunctionValue(item) ? '' : item;
}

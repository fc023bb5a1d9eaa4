/**
 * The built-in functions the compiled subset supports: synchronous ports of jsonata 2.2's
 * functions.js implementations, each paired with jsonata's own signature so argument validation
 * and coercion (and the resulting T04xx errors) are identical.
 */
import { EvalFault } from './errors.ts';
import { castToBoolean, castToString } from './semantics.ts';
import { parseSignature, type Signature } from './signature.ts';
import {
  createSequence,
  isDeepEqual,
  isFunctionValue,
  isNumeric,
  isSequence,
  objectKeys,
  owned,
  sequenceOf,
  tick,
  tickMany,
  tickPerCharacter,
  tickString,
  type Env,
} from './values.ts';

export interface BuiltinFunction {
  readonly name: string;
  readonly signature: Signature;
  readonly implementation: (args: readonly unknown[], env: Env) => unknown;
}

type Implementation = BuiltinFunction['implementation'];

// Arguments reaching an implementation have already been validated against its signature, so the
// casts below restate what the signature guarantees (e.g. `<a<n>:n>`: undefined or number[]).
const asNumbers = (value: unknown): number[] | undefined => value as number[] | undefined;
const asStrings = (value: unknown): string[] | undefined => value as string[] | undefined;
const asString = (value: unknown): string | undefined => value as string | undefined;
const asNumber = (value: unknown): number | undefined => value as number | undefined;

/** Splits into code points (jsonata's stringToArray), so surrogate pairs count as one character. */
function codePoints(text: string, env: Env): string[] {
  tickPerCharacter(env, text);
  return Array.from(text);
}

const sum: Implementation = ([arg], env) => {
  const numbers = asNumbers(arg);
  if (numbers === undefined) return undefined;
  tickMany(env, numbers.length);
  let total = 0;
  for (const n of numbers) total += n;
  return total;
};

const count: Implementation = ([arg]) => (arg === undefined ? 0 : (arg as unknown[]).length);

/** Math.max/min over the array; a pairwise fold gives identical results without spreading huge arrays. */
function extremum(pick: (a: number, b: number) => number, start: number): Implementation {
  return ([arg], env) => {
    const numbers = asNumbers(arg);
    if (numbers === undefined || numbers.length === 0) return undefined;
    tickMany(env, numbers.length);
    let result = start;
    for (const n of numbers) result = pick(result, n);
    return result;
  };
}

const average: Implementation = ([arg], env) => {
  const numbers = asNumbers(arg);
  if (numbers === undefined || numbers.length === 0) return undefined;
  tickMany(env, numbers.length);
  let total = 0;
  for (const n of numbers) total += n;
  return total / numbers.length;
};

const string: Implementation = ([arg, prettify], env) => castToString(arg, prettify === true, env);

const substring: Implementation = ([arg, startArg, lengthArg], env) => {
  const text = asString(arg);
  if (text === undefined) return undefined;
  const chars = codePoints(text, env);
  let start = startArg as number;
  if (chars.length + start < 0) start = 0;
  const length = asNumber(lengthArg);
  if (length !== undefined) {
    if (length <= 0) return '';
    const end = start >= 0 ? start + length : chars.length + start + length;
    return chars.slice(start, end).join('');
  }
  return chars.slice(start).join('');
};

const substringBefore: Implementation = ([arg, chars], env) => {
  const text = asString(arg);
  if (text === undefined) return undefined;
  tickString(env, text);
  const position = text.indexOf(chars as string);
  return position > -1 ? text.slice(0, position) : text;
};

const substringAfter: Implementation = ([arg, charsArg], env) => {
  const text = asString(arg);
  if (text === undefined) return undefined;
  tickString(env, text);
  const chars = charsArg as string;
  const position = text.indexOf(chars);
  return position > -1 ? text.slice(position + chars.length) : text;
};

function stringMap(transform: (text: string) => string): Implementation {
  return ([arg], env) => {
    const text = asString(arg);
    if (text === undefined) return undefined;
    tickString(env, text);
    return transform(text);
  };
}

const length: Implementation = ([arg], env) => {
  const text = asString(arg);
  return text === undefined ? undefined : codePoints(text, env).length;
};

/** $trim: runs of space/tab/CR/LF collapse to one space, then one leading/trailing space is removed. */
function trimText(text: string): string {
  let result = text.replace(/[ \t\n\r]+/gm, ' ');
  if (result.charAt(0) === ' ') result = result.substring(1);
  if (result.charAt(result.length - 1) === ' ') result = result.substring(0, result.length - 1);
  return result;
}

const contains: Implementation = ([arg, token], env) => {
  const text = asString(arg);
  if (text === undefined || token === undefined) return undefined;
  tickString(env, text);
  // The signature also admits a function (regex matcher); the subset has no function values.
  return text.indexOf(token as string) !== -1;
};

const join: Implementation = ([arg, separator], env) => {
  const strings = asStrings(arg);
  if (strings === undefined) return undefined;
  tickMany(env, strings.length);
  const result = strings.join(separator === undefined ? '' : (separator as string));
  tickString(env, result);
  return result;
};

const NUMERIC_STRING = /^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$/;
const RADIX_STRING = /^(0[xX][0-9A-Fa-f]+)|(0[oO][0-7]+)|(0[bB][0-1]+)$/;

const number: Implementation = ([arg]) => {
  if (arg === undefined) return undefined;
  if (typeof arg === 'number') return arg;
  if (typeof arg === 'string' && NUMERIC_STRING.test(arg) && !Number.isNaN(parseFloat(arg)) && Number.isFinite(Number(arg))) {
    return parseFloat(arg);
  }
  // jsonata's (unanchored-alternation) radix pattern, reproduced as is.
  if (typeof arg === 'string' && RADIX_STRING.test(arg)) return Number(arg);
  if (arg === true) return 1;
  if (arg === false) return 0;
  throw new EvalFault('D3030', { value: arg, index: 1 });
};

function numberMap(transform: (n: number) => number): Implementation {
  return ([arg]) => {
    const n = asNumber(arg);
    return n === undefined ? undefined : transform(n);
  };
}

/** Shifts the decimal point through the string form, avoiding binary floating-point error. */
function shiftDecimal(value: number, places: number): number {
  const [mantissa, exponent] = value.toString().split('e');
  return +`${mantissa}e${exponent ? +exponent + places : places}`;
}

/** $round: round half to even ("banker's rounding"), optionally at a number of decimal places. */
const round: Implementation = ([arg, precisionArg]) => {
  let value = asNumber(arg);
  if (value === undefined) return undefined;
  const precision = asNumber(precisionArg);
  if (precision) value = shiftDecimal(value, precision);
  let result = Math.round(value);
  const diff = result - value;
  if (Math.abs(diff) === 0.5 && Math.abs(result % 2) === 1) result = result - 1;
  if (precision) result = shiftDecimal(result, -precision);
  return Object.is(result, -0) ? 0 : result;
};

const sqrt: Implementation = ([arg]) => {
  const n = asNumber(arg);
  if (n === undefined) return undefined;
  if (n < 0) throw new EvalFault('D3060', { value: n, index: 1 });
  return Math.sqrt(n);
};

const power: Implementation = ([arg, exponent]) => {
  const base = asNumber(arg);
  if (base === undefined) return undefined;
  const result = Math.pow(base, exponent as number);
  if (!Number.isFinite(result)) throw new EvalFault('D3061', { value: base, exp: exponent, index: 1 });
  return result;
};

const boolean: Implementation = ([arg], env) => castToBoolean(arg, env);

const not: Implementation = ([arg], env) => (arg === undefined ? undefined : !castToBoolean(arg, env));

const exists: Implementation = ([arg]) => arg !== undefined;

function keysOf(arg: unknown, env: Env): unknown[] {
  const result = createSequence();
  if (Array.isArray(arg)) {
    // The union of the keys of every item, in first-seen (object property) order.
    const merged: Record<string, true> = Object.create(null);
    for (const item of arg) {
      tick(env);
      for (const key of keysOf(item, env)) merged[key as string] = true;
    }
    return keysOf(merged, env);
  }
  if (arg !== null && typeof arg === 'object' && !isFunctionValue(arg)) {
    const keys = objectKeys(arg);
    tickMany(env, keys.length);
    for (const key of keys) result.push(key);
  }
  return result;
}

const keys: Implementation = ([arg], env) => keysOf(arg, env);

const append: Implementation = ([first, second], env) => {
  if (first === undefined) return second;
  if (second === undefined) return first;
  const head = Array.isArray(first) ? first : sequenceOf(first);
  const tail = Array.isArray(second) ? second : [second];
  tickMany(env, head.length + tail.length);
  // Array.prototype.concat returns a plain array: the sequence flag is (deliberately) dropped.
  return owned(head.concat(tail));
};

const distinct: Implementation = ([arg], env) => {
  if (arg === undefined) return undefined;
  if (!Array.isArray(arg) || arg.length <= 1) return arg;
  const results: unknown[] = isSequence(arg) ? createSequence() : owned([]);
  for (const value of arg) {
    tick(env);
    let seen = false;
    for (const existing of results) {
      if (isDeepEqual(value, existing, env)) {
        seen = true;
        break;
      }
    }
    if (!seen) results.push(value);
  }
  return results;
};

const reverse: Implementation = ([arg], env) => {
  if (arg === undefined) return undefined;
  const items = arg as unknown[];
  if (items.length <= 1) return items;
  tickMany(env, items.length);
  const result = owned(new Array<unknown>(items.length));
  for (let i = 0; i < items.length; i++) result[items.length - i - 1] = items[i];
  return result;
};

const type: Implementation = ([arg]) => {
  if (arg === undefined) return undefined;
  if (arg === null) return 'null';
  if (isNumeric(arg)) return 'number';
  if (typeof arg === 'string') return 'string';
  if (typeof arg === 'boolean') return 'boolean';
  if (Array.isArray(arg)) return 'array';
  if (isFunctionValue(arg)) return 'function';
  return 'object';
};

const DEFINITIONS: ReadonlyArray<readonly [string, string, Implementation]> = [
  ['count', '<a:n>', count],
  ['sum', '<a<n>:n>', sum],
  ['max', '<a<n>:n>', extremum(Math.max, -Infinity)],
  ['min', '<a<n>:n>', extremum(Math.min, Infinity)],
  ['average', '<a<n>:n>', average],
  ['exists', '<x:b>', exists],
  ['not', '<x-:b>', not],
  ['boolean', '<x-:b>', boolean],
  ['number', '<(nsb)-:n>', number],
  ['string', '<x-b?:s>', string],
  ['length', '<s-:n>', length],
  ['lowercase', '<s-:s>', stringMap((s) => s.toLowerCase())],
  ['uppercase', '<s-:s>', stringMap((s) => s.toUpperCase())],
  ['trim', '<s-:s>', stringMap(trimText)],
  ['contains', '<s-(sf):b>', contains],
  ['substring', '<s-nn?:s>', substring],
  ['substringBefore', '<s-s:s>', substringBefore],
  ['substringAfter', '<s-s:s>', substringAfter],
  ['join', '<a<s>s?:s>', join],
  ['abs', '<n-:n>', numberMap(Math.abs)],
  ['floor', '<n-:n>', numberMap(Math.floor)],
  ['ceil', '<n-:n>', numberMap(Math.ceil)],
  ['round', '<n-n?:n>', round],
  ['sqrt', '<n-:n>', sqrt],
  ['power', '<n-n:n>', power],
  ['distinct', '<x:x>', distinct],
  ['append', '<xx:a>', append],
  ['keys', '<x-:a<s>>', keys],
  ['reverse', '<a:a>', reverse],
  ['type', '<x:s>', type],
];

export const BUILTINS: ReadonlyMap<string, BuiltinFunction> = new Map(
  DEFINITIONS.map(([name, signature, implementation]) => [
    name,
    { name, signature: parseSignature(signature), implementation },
  ]),
);

/** Built-ins that read the clock or a random source: refused so decisions stay reproducible. */
export const NON_DETERMINISTIC_FUNCTIONS: ReadonlySet<string> = new Set(['now', 'millis', 'random']);

import { JSONPath } from './library.ts';

export type Facts = Readonly<Record<string, unknown>>;
export type FactReader = (facts: Facts) => unknown;
export type CompiledRead = { readonly read: FactReader; readonly mayThrow: boolean };

// Tokens that JSONPath#_trace (10.4.x) only ever resolves as "follow own
// property". Everything else (`*`, `..`, `^`, `~`, `$`, slices, filters,
// `(expr)`, `@type()`, backtick literals, unions) goes to JSONPath itself.
function isPlainToken(token: unknown): token is string {
  if (typeof token !== 'string') return false;
  if (token === '*' || token === '..' || token === '^' || token === '~' || token === '$') return false;
  if (token.includes(',') || token.includes(':')) return false;
  const first = token.charAt(0);
  return first !== '?' && first !== '(' && first !== '@' && first !== '`';
}

/** Property chain for `path` if JSONPath would only follow own properties, else undefined. */
export function plainPathTokens(path: string): readonly string[] | undefined {
  let tokens: unknown[];
  try {
    // The library's tokenizer, so escaping quirks match by construction (it
    // throws for paths like "constructor": its cache is a plain object).
    tokens = JSONPath.toPathArray(path);
  } catch {
    return undefined;
  }
  if (tokens[0] === '$' && tokens.length > 1) tokens.shift();
  return tokens.every(isPlainToken) ? tokens : undefined;
}

// JSONPath#_trace follows a property iff `val && Object.hasOwn(val, loc)`:
// falsy values stop the walk, strings expose `length` and indices.
function walk(root: object, tokens: readonly string[]): unknown {
  let current: unknown = root;
  for (let i = 0; i < tokens.length; i++) {
    if (!current || !Object.hasOwn(current as object, tokens[i])) return undefined;
    current = (current as Record<string, unknown>)[tokens[i]];
  }
  return current;
}

// Runtime facts live in a Map inside the Almanac, so inherited names such as
// "constructor" are undefined facts unless the facts object owns them.
function factGetter(fact: string): FactReader {
  if (fact in Object.prototype) return (facts) => (Object.hasOwn(facts, fact) ? facts[fact] : undefined);
  return (facts) => facts[fact];
}

// Almanac#factValue applies the path only to a non-null object (arrays
// included); any other fact value is returned as is, path ignored.
const isPathable = (value: unknown): value is object => value !== null && typeof value === 'object';

export function compileRead(fact: string, path: string | undefined): CompiledRead {
  const get = factGetter(fact);
  if (!path) return { read: get, mayThrow: false };
  const tokens = plainPathTokens(path);
  if (tokens) {
    return {
      read: (facts) => {
        const value = get(facts);
        return isPathable(value) ? walk(value, tokens) : value;
      },
      mayThrow: false,
    };
  }
  return {
    read: (facts) => {
      const value = get(facts);
      return isPathable(value) ? JSONPath({ path, json: value, wrap: false }) : value;
    },
    mayThrow: true,
  };
}

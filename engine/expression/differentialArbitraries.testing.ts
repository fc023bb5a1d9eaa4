/**
 * fast-check generators for the differential test: random expressions over the supported subset
 * (as source text) and random JSON-like inputs sharing a small field vocabulary, so generated
 * paths usually hit data - sometimes of the expected type, often not.
 */
import fc from 'fast-check';
import { BUILTINS } from './builtins.ts';

type Arb = fc.Arbitrary<string>;

const FIELD_NAMES = ['a', 'b', 'n', 's', 'items', 'tags', 'flag', 'missing'] as const;
/** Expressions also probe inherited Object.prototype members, which lookups must not see. */
const PROTOTYPE_NAMES = ['constructor', 'toString'] as const;

// ---------------------------------------------------------------------------------------------
// Inputs

const numberValue = fc.oneof(
  fc.integer({ min: -5, max: 20 }),
  // Halves (banker's rounding), -0, binary-fraction noise (15-digit rendering), exponent forms.
  fc.constantFrom(0, 0.5, 1.25, 1.5, -0.4, -0.5, -2.5, 2.5, 3.5, 0.1, 0.2, 100, 1e3, 3.7, -0, 0.30000000000000004, 1 / 3, 1e21, 1e-7, 123456.78901234567),
);
const stringValue = fc.constantFrom('', 'a', 'b', 'abc', 'vip', 'SIZE', '12', '3.5', '-1e2', '0x1F', ' x  y ', 'Hello World', 'é', '😀x');
const leafValue = fc.oneof(
  { arbitrary: numberValue, weight: 4 },
  { arbitrary: stringValue, weight: 3 },
  { arbitrary: fc.boolean(), weight: 1 },
  { arbitrary: fc.constant(null), weight: 1 },
);
/** A tiny pool, so arrays often contain duplicates and equal values ($distinct, =, in). */
const duplicateProneValue = fc.constantFrom<unknown>(1, 2, 'a', 'b', true, null);

function objectOf(value: fc.Arbitrary<unknown>, maxKeys: number): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .uniqueArray(fc.tuple(fc.constantFrom(...FIELD_NAMES), value), { maxLength: maxKeys, selector: ([key]) => key })
    .map((entries) => Object.fromEntries(entries));
}

function jsonValue(depth: number): fc.Arbitrary<unknown> {
  if (depth <= 0) return leafValue;
  const inner = jsonValue(depth - 1);
  return fc.oneof(
    { arbitrary: leafValue, weight: 5 },
    { arbitrary: objectOf(inner, 4), weight: 3 },
    { arbitrary: fc.array(inner, { maxLength: 4 }), weight: 2 },
    { arbitrary: fc.array(leafValue, { maxLength: 5 }), weight: 2 },
    { arbitrary: fc.array(fc.array(leafValue, { maxLength: 3 }), { maxLength: 3 }), weight: 1 },
    { arbitrary: fc.array(duplicateProneValue, { maxLength: 5 }), weight: 1 },
  );
}

/** Optional fields: each is missing with probability 1/5. */
function record(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(fields).map(([key, value]) => fc.option(value, { freq: 5, nil: undefined }).map((v) => [key, v] as const));
  return fc.tuple(...entries).map((pairs) => Object.fromEntries(pairs.filter(([, v]) => v !== undefined)));
}

/** Documents shaped like engine facts: mostly the expected types, so typed expressions succeed. */
const shapedItem = record({
  n: numberValue,
  s: stringValue,
  flag: fc.boolean(),
  tags: fc.array(stringValue, { maxLength: 3 }),
  a: fc.array(fc.array(numberValue, { maxLength: 3 }), { maxLength: 3 }),
});
const shapedInput = record({
  n: numberValue,
  s: stringValue,
  flag: fc.boolean(),
  tags: fc.array(fc.oneof(stringValue, duplicateProneValue), { maxLength: 4 }),
  items: fc.array(shapedItem, { maxLength: 4 }),
  a: record({ n: numberValue, s: stringValue, items: fc.array(shapedItem, { maxLength: 3 }), b: fc.array(numberValue, { maxLength: 4 }) }),
  b: fc.array(duplicateProneValue, { maxLength: 4 }),
});

/** Mostly objects (like the engine's fact documents), sometimes arrays or scalars. */
export const inputArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: shapedInput, weight: 5 },
  { arbitrary: objectOf(jsonValue(3), 7), weight: 4 },
  { arbitrary: fc.array(objectOf(jsonValue(2), 4), { maxLength: 3 }), weight: 1 },
  { arbitrary: jsonValue(1), weight: 1 },
);

// ---------------------------------------------------------------------------------------------
// Expressions

const field = fc.oneof(
  { arbitrary: fc.constantFrom(...FIELD_NAMES), weight: 20 },
  { arbitrary: fc.constantFrom(...PROTOTYPE_NAMES), weight: 1 },
);
/** Paths into nested arrays of the shaped input (index filters over arrays of arrays, etc.). */
const shapedPath = fc.constantFrom('items.a[0]', 'items.a[-1]', 'items.a[0][1]', 'items.a.$[0]', 'items[0].a', 'a.items.a[1]', 'items.tags[0]', 'b[0]', 'a.b[-1]');
const fieldPath = fc.oneof(
  { arbitrary: fc.array(field, { minLength: 1, maxLength: 3 }).map((names) => names.join('.')), weight: 5 },
  { arbitrary: shapedPath, weight: 1 },
);
const numberLiteral = fc.constantFrom('0', '1', '2', '3', '10', '0.5', '1.25', '1.5', '-1', '-1.5', '-0.5', '-0.4', '-2.5', '2.5', '-10', '100', '0.1', '1e3', '7');
const integerLiteral = fc.constantFrom('-10', '-2', '-1', '0', '1', '2', '3', '20');
const stringLiteral = fc.constantFrom('""', '"a"', '"abc"', '"vip"', '"SIZE"', '"12"', '"3.5"', '"0x1F"', '" x "', '"Hello World"', '"é"', '"😀x"', '"["');
const valueLiteral = fc.constantFrom('true', 'false', 'null');
const literal = fc.oneof(
  { arbitrary: numberLiteral, weight: 3 },
  { arbitrary: stringLiteral, weight: 2 },
  { arbitrary: valueLiteral, weight: 1 },
);
const indexLiteral = fc.constantFrom('0', '1', '-1', '2', '-2', '0.5', '5');
/** Arithmetic whose results exercise number rendering, non-finite values and -0. */
const trickyNumber = fc.constantFrom('(0.1 + 0.2)', '(1 / 3)', '(2 / 3 * 100)', '(1 / 0)', '(0 / 0)', '(-1 * 0)');
/** Arrays with duplicates, nesting, falsy items and non-finite numbers. */
const trickyArray = fc.constantFrom('[1, 2, 2]', '["a", "b", "a"]', '[[1, 2], [1, 2]]', '[1, (1 / 0)]', '["x", (1 / 0)]', '[0, false, ""]', '[]', '[null]', '[[1], 2]', '[0.1, 0.2, 0.3]');

const BINARY_OPERATORS = ['+', '-', '*', '/', '%', '=', '!=', '<', '<=', '>', '>=', 'and', 'or', '&', 'in'] as const;

type ArgumentKind = 'any' | 'number' | 'integer' | 'string' | 'boolean' | 'array' | 'numbers' | 'strings';

/** Per built-in: the argument kinds of its valid call forms (an empty form uses the context value). */
const FUNCTION_FORMS: Readonly<Record<string, readonly (readonly ArgumentKind[])[]>> = {
  count: [['array'], ['any'], []],
  sum: [['numbers'], ['any']],
  max: [['numbers'], ['any']],
  min: [['numbers'], ['any']],
  average: [['numbers'], ['any']],
  exists: [['any'], []],
  not: [['any'], []],
  boolean: [['any'], ['array'], []],
  number: [['string'], ['number'], ['boolean'], ['any'], []],
  string: [['any'], ['any', 'boolean'], []],
  length: [['string'], ['any'], []],
  lowercase: [['string'], []],
  uppercase: [['string'], []],
  trim: [['string'], []],
  contains: [['string', 'string'], ['string']],
  substring: [['string', 'integer'], ['string', 'integer', 'integer'], ['string', 'number', 'number'], ['string']],
  substringBefore: [['string', 'string'], ['string']],
  substringAfter: [['string', 'string'], ['string']],
  join: [['strings'], ['strings', 'string'], ['any', 'any']],
  abs: [['number'], []],
  floor: [['number'], []],
  ceil: [['number'], []],
  round: [['number'], ['number', 'integer'], []],
  sqrt: [['number'], []],
  power: [['number', 'number'], ['number', 'integer'], ['number']],
  distinct: [['array'], ['any']],
  append: [['any', 'any'], ['array', 'array'], ['any']],
  keys: [['any'], []],
  reverse: [['array'], ['any']],
  type: [['any']],
};

export const GENERATED_FUNCTIONS: readonly string[] = Object.keys(FUNCTION_FORMS);

for (const name of BUILTINS.keys()) {
  if (!(name in FUNCTION_FORMS)) throw new Error(`differential generator does not cover $${name}`);
}

function parenthesizeSometimes(expression: Arb): Arb {
  return fc.tuple(expression, fc.boolean()).map(([text, wrap]) => (wrap ? `(${text})` : text));
}

class ExpressionGrammar {
  private readonly cache = new Map<string, Arb>();

  /** Any expression of at most `depth` nested constructs. */
  expression(depth: number): Arb {
    return this.memo(`expression:${depth}`, () => {
      if (depth <= 0) return this.leaf();
      const sub = this.expression(depth - 1);
      return fc.oneof(
        { arbitrary: this.leaf(), weight: 3 },
        { arbitrary: this.path(depth), weight: 5 },
        { arbitrary: this.binary(sub), weight: 5 },
        { arbitrary: this.functionCall(depth), weight: 5 },
        { arbitrary: this.condition(sub), weight: 2 },
        { arbitrary: sub.map((text) => (/^[\w$"]/.test(text) ? `-${text}` : `-(${text})`)), weight: 1 },
        { arbitrary: sub.map((text) => `(${text})`), weight: 1 },
        { arbitrary: this.arrayConstructor(sub), weight: 2 },
        { arbitrary: fc.tuple(sub, fc.array(literal, { maxLength: 3 })).map(([l, items]) => `${l} in [${items.join(', ')}]`), weight: 2 },
        { arbitrary: fc.tuple(sub, this.arrayConstructor(sub)).map(([l, r]) => `${l} in ${r}`), weight: 1 },
        // Membership is by identity: an equal but separately constructed array is not "in".
        { arbitrary: fc.tuple(sub, sub).map(([x, y]) => `[${x}] in [[${x}], ${y}]`), weight: 1 },
        { arbitrary: fc.tuple(this.filterable(sub), this.filter(depth - 1)).map(([base, filter]) => `${base}[${filter}]`), weight: 2 },
      );
    });
  }

  /** A call of a random built-in: usually with well-typed arguments, sometimes with anything. */
  functionCall(depth: number): Arb {
    return this.memo(`call:${depth}`, () =>
      fc.constantFrom(...GENERATED_FUNCTIONS).chain((name) => {
        const typedForm = fc.constantFrom(...FUNCTION_FORMS[name]!).chain((kinds) => fc.tuple(...kinds.map((kind) => this.argument(kind, depth))));
        const anyArity = fc.integer({ min: 0, max: 3 }).chain((arity) => fc.array(this.argument('any', depth), { minLength: arity, maxLength: arity }));
        return fc
          .oneof({ arbitrary: typedForm, weight: 4 }, { arbitrary: anyArity, weight: 1 })
          .map((args) => `$${name}(${args.join(', ')})`);
      }),
    );
  }

  private argument(kind: ArgumentKind, depth: number): Arb {
    return this.memo(`argument:${kind}:${depth}`, () => {
      const any = depth <= 0 ? this.leaf() : this.expression(depth - 1);
      const typed = this.typedLeaf(kind);
      return fc.oneof({ arbitrary: typed, weight: kind === 'any' ? 1 : 5 }, { arbitrary: any, weight: 2 });
    });
  }

  private typedLeaf(kind: ArgumentKind): Arb {
    switch (kind) {
      case 'number':
        return fc.oneof(numberLiteral, trickyNumber, fc.constantFrom('n', 'a.n', 'items[0].n', '$count(items)', '-n'));
      case 'integer':
        return fc.oneof(integerLiteral, fc.constantFrom('$count(tags)', '$floor(n)'));
      case 'string':
        return fc.oneof(stringLiteral, fc.constantFrom('s', 'a.s', 'tags[0]', 'items[-1].s', '$string(n)', 's & "x"'));
      case 'boolean':
        return fc.oneof(valueLiteral, fc.constantFrom('flag', 'n > 1', '$exists(s)'));
      case 'array':
        return fc.oneof(trickyArray, fc.constantFrom('items', 'tags', 'b', 'a.b', 'items.n', 'items.a', 'items.tags', '$append(tags, b)'));
      case 'numbers':
        return fc.oneof(fc.constantFrom('items.n', 'a.b', 'items.a', '[1, 2, 2]', '[0.1, 0.2, 0.3]', '[]', '[n, a.n, -1.5]', 'n', '[1, (1 / 0)]'));
      case 'strings':
        return fc.constantFrom('tags', 'items.s', '["a", "b", "a"]', 's', '[s, "-", a.s]', 'items.tags');
      case 'any':
        return fc.oneof(this.leaf(), trickyArray);
    }
  }

  private leaf(): Arb {
    return this.memo('leaf', () =>
      fc.oneof(
        { arbitrary: literal, weight: 3 },
        { arbitrary: fieldPath, weight: 4 },
        { arbitrary: fc.constantFrom('$', '$$', '$.n', '$$.a'), weight: 1 },
        { arbitrary: trickyNumber, weight: 1 },
      ),
    );
  }

  /** Multi-step paths, with filters on steps and expression steps (blocks, calls, constructors). */
  private path(depth: number): Arb {
    return this.memo(`path:${depth}`, () => {
      const sub = this.expression(depth - 1);
      const filters = fc.array(this.filter(depth - 1), { maxLength: 2 }).map((list) => list.map((f) => `[${f}]`).join(''));
      const nameStep = fc.tuple(field, filters).map(([name, f]) => `${name}${f}`);
      const laterStep = fc.oneof(
        { arbitrary: nameStep, weight: 6 },
        { arbitrary: fc.constant('$'), weight: 1 },
        { arbitrary: sub.map((text) => `(${text})`), weight: 1 },
        { arbitrary: this.functionCall(depth - 1), weight: 1 },
        { arbitrary: this.arrayConstructor(sub), weight: 1 },
      );
      const firstStep = fc.oneof(
        { arbitrary: nameStep, weight: 8 },
        { arbitrary: fc.constantFrom('$', '$$'), weight: 1 },
        { arbitrary: this.arrayConstructor(sub), weight: 1 },
      );
      return fc
        .tuple(firstStep, fc.array(laterStep, { minLength: 1, maxLength: 3 }))
        .map(([first, rest]) => [first, ...rest].join('.'));
    });
  }

  private filter(depth: number): Arb {
    return this.memo(`filter:${depth}`, () => {
      const sub = this.expression(depth);
      const comparison = fc
        .tuple(field, fc.constantFrom('=', '!=', '<', '>', '>='), fc.oneof(numberLiteral, stringLiteral))
        .map(([name, op, value]) => `${name} ${op} ${value}`);
      return fc.oneof(
        { arbitrary: indexLiteral, weight: 3 },
        { arbitrary: comparison, weight: 3 },
        { arbitrary: sub, weight: 3 },
        { arbitrary: fc.constantFrom('$ > 1', '$ = "a"', '$exists(n)', 'n', '$not(flag)'), weight: 1 },
        // Computed (non-literal) numeric predicates select by floored index, possibly several.
        { arbitrary: numberLiteral.map((n) => `(${n})`), weight: 1 },
        { arbitrary: fc.oneof(trickyArray, fc.tuple(sub, sub).map(([x, y]) => `[${x}, ${y}]`)), weight: 1 },
      );
    });
  }

  private filterable(sub: Arb): Arb {
    return fc.oneof(sub.map((text) => `(${text})`), this.arrayConstructor(sub), trickyArray, fc.constantFrom('$', '$$'));
  }

  private binary(sub: Arb): Arb {
    return fc
      .tuple(parenthesizeSometimes(sub), fc.constantFrom(...BINARY_OPERATORS), parenthesizeSometimes(sub))
      .map(([lhs, op, rhs]) => `${lhs} ${op} ${rhs}`);
  }

  private condition(sub: Arb): Arb {
    const part = parenthesizeSometimes(sub);
    return fc.oneof(
      fc.tuple(part, part, part).map(([c, t, e]) => `(${c}) ? ${t} : ${e}`),
      fc.tuple(part, part).map(([c, t]) => `(${c}) ? ${t}`),
      fc.tuple(part, part).map(([l, r]) => `(${l}) ?? ${r}`),
      fc.tuple(part, part).map(([l, r]) => `(${l}) ?: ${r}`),
    );
  }

  private arrayConstructor(sub: Arb): Arb {
    return fc.array(sub, { maxLength: 3 }).map((items) => `[${items.join(', ')}]`);
  }

  private memo(key: string, build: () => Arb): Arb {
    let arbitrary = this.cache.get(key);
    if (arbitrary === undefined) {
      arbitrary = build();
      this.cache.set(key, arbitrary);
    }
    return arbitrary;
  }
}

const grammar = new ExpressionGrammar();

/** Expressions of up to `depth` nested constructs over the whole supported subset. */
export function expressionArbitrary(depth: number): Arb {
  return grammar.expression(depth);
}

/** A single call of a random built-in (guarantees every function is exercised). */
export const functionCallArbitrary: Arb = grammar.functionCall(2);

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  compileConditions,
  ConditionCompileErrors,
  ConditionEvaluationError,
  type CompiledConditions,
  type Facts,
  type TopLevelCondition,
} from './compileConditions.ts';
import { plainPathTokens } from './factReaders.ts';
import { evaluateWithJsonRulesEngine, explainWithJsonRulesEngine } from './referenceEngine.testing.ts';

const DIFFERENTIAL_RUNS = Number(process.env.CONDITIONS_DIFF_RUNS ?? 10_000);
const EXPLAIN_RUNS = Math.ceil(DIFFERENTIAL_RUNS / 4);

// ---------------------------------------------------------------- generators

const FACT_NAMES = ['score', 'zone', 'kind', 'hits', 'signals', 'subject', 'derived', 'constructor'] as const;
const KEYS = ['a', 'b', 'c', '0', '1', 'x.y', 'a-b', 'velocity\\', 'return-rate', 'status', 'length', 'constructor', 'toString', 'valueOf', 'a,b'];
const BASE_OPERATORS = [
  'equal', 'notEqual', 'in', 'notIn', 'contains', 'doesNotContain',
  'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive',
];
const DECORATORS = ['someFact', 'someValue', 'everyFact', 'everyValue', 'swap', 'not'];
const BAD_OPERATORS = ['equals', 'not:', ':equal', 'foo:equal', 'someFact:', 'equal:', '', 'someFact:nope'];
const PLAIN_PATHS = [
  '$.a', '$.a.b', '$.b', '$.a[0]', '$[0]', '$.0', "$['a-b'].c", "$['a-b']", "$['x.y']", '$.x\\.y',
  '$.velocity\\.return-rate.status', '$.length', '$.a.length', 'a', 'a.b', '$.constructor', '$.a.constructor', '$.status', '',
];
const JSONPATH_PATHS = [
  '$', '$.*', '$..a', '$..*', '$.a[*]', '$[?(@ > 1)]', '$.a[?(@.b)]', '$[0:2]', '$[-1:]', "$['a','b']", "$.a['a,b']",
  '$.a,b', '$.a^', '$.a~', '$.*~', '$[(@.length-1)]', 'constructor', 'toString', '$.@string()', '$.@foo()', '$..a.b', '$.`b',
];

const scalar = fc.oneof(
  fc.constantFrom<unknown>(
    0, -0, 1, 12, 72, 3.5, -7, 1e21, Infinity, Number.NaN, '12', '12abc', '', ' 7', '-3.5e2', 'abc', 'Infinity',
    'NaN', 'high', 'hit', 'a', 'b', 'x', true, false, null, undefined,
  ),
  fc.integer({ min: -100, max: 100 }),
  fc.string({ maxLength: 3 }),
);

const data: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown; array: unknown[]; object: Record<string, unknown> }>((tie) => ({
  value: fc.oneof({ maxDepth: 3, depthSize: 'small' }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 4, noNullPrototype: true }),
})).value;

const factName = fc.constantFrom(...FACT_NAMES);
const path = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...PLAIN_PATHS) }, { weight: 1, arbitrary: fc.constantFrom(...JSONPATH_PATHS) });
const factReference = fc.record({ fact: factName, path }, { requiredKeys: ['fact'], noNullPrototype: true });
const value = fc.oneof({ weight: 4, arbitrary: data }, { weight: 1, arbitrary: factReference });
const operator = fc.oneof(
  { weight: 40, arbitrary: fc.constantFrom(...BASE_OPERATORS) },
  {
    weight: 20,
    arbitrary: fc.tuple(fc.array(fc.constantFrom(...DECORATORS), { minLength: 1, maxLength: 2 }), fc.constantFrom(...BASE_OPERATORS))
      .map(([decorators, base]) => [...decorators, base].join(':')),
  },
  { weight: 1, arbitrary: fc.constantFrom(...BAD_OPERATORS) },
);
const leaf = fc.record(
  { fact: factName, operator, value, path },
  { requiredKeys: ['fact', 'operator', 'value'], noNullPrototype: true },
);

const tree = fc.letrec<{ node: unknown; all: unknown; any: unknown; not: unknown }>((tie) => ({
  node: fc.oneof({ maxDepth: 4, depthSize: 'small' }, leaf, tie('all'), tie('any'), tie('not')),
  all: fc.record({ all: fc.array(tie('node'), { maxLength: 4 }) }, { noNullPrototype: true }),
  any: fc.record({ any: fc.array(tie('node'), { maxLength: 4 }) }, { noNullPrototype: true }),
  not: fc.record({ not: tie('node') }, { noNullPrototype: true }),
}));
const conditions = fc.oneof(tree.all, tree.any, tree.not) as fc.Arbitrary<TopLevelCondition>;
const facts: fc.Arbitrary<Facts> = fc.dictionary(factName, data, { maxKeys: FACT_NAMES.length, noNullPrototype: true });

// ---------------------------------------------------------------- helpers

type Outcome = boolean | 'error';

function tryCompile(input: TopLevelCondition): CompiledConditions | undefined {
  try {
    return compileConditions(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConditionCompileErrors);
    return undefined;
  }
}

function run(fn: () => boolean): Outcome {
  try {
    return fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConditionEvaluationError);
    return 'error';
  }
}

async function reference(input: unknown, factValues: Facts): Promise<Outcome> {
  const outcome = await evaluateWithJsonRulesEngine(input, factValues);
  return 'error' in outcome ? 'error' : outcome.result;
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

function compileErrors(input: unknown, pointer?: string): { code: string; pointer: string }[] {
  try {
    compileConditions(input as TopLevelCondition, pointer);
  } catch (error) {
    if (!(error instanceof ConditionCompileErrors)) throw error;
    return error.errors.map((problem) => ({ code: problem.code, pointer: problem.pointer }));
  }
  return [];
}

// ---------------------------------------------------------------- differential

describe('compileConditions vs json-rules-engine (differential)', () => {
  it(`evaluate agrees with json-rules-engine on ${DIFFERENTIAL_RUNS} random trees`, async () => {
    const tally = { true: 0, false: 0, error: 0, compileError: 0 };
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(conditions, fc.array(facts, { minLength: 1, maxLength: 3 }), async (input, factsList) => {
        const compiled = tryCompile(input);
        for (const factValues of factsList) {
          const expected = await reference(input, factValues);
          if (!compiled) {
            tally.compileError++;
            expect(expected).toBe('error');
            continue;
          }
          const actual = run(() => compiled.evaluate(factValues));
          expect(actual).toBe(expected);
          expect(run(() => compiled.explain(factValues).result)).toBe(expected);
          tally[String(actual) as 'true' | 'false' | 'error']++;
        }
      }),
      { numRuns: DIFFERENTIAL_RUNS },
    );
    const comparisons = tally.true + tally.false + tally.error + tally.compileError;
    console.info(`differential: ${comparisons} comparisons in ${Math.round(performance.now() - started)} ms`, tally);
    // Guard against a generator that silently degenerates to one outcome.
    expect(tally.true).toBeGreaterThan(comparisons * 0.1);
    expect(tally.false).toBeGreaterThan(comparisons * 0.1);
    expect(tally.error).toBeGreaterThan(comparisons * 0.05);
    expect(tally.compileError).toBeGreaterThan(0);
  });

  it(`explain equals the library's annotated RuleResult conditions on ${EXPLAIN_RUNS} random trees`, async () => {
    await fc.assert(
      fc.asyncProperty(conditions, facts, async (input, factValues) => {
        const compiled = tryCompile(input);
        const expected = await explainWithJsonRulesEngine(input, factValues);
        if (!compiled || 'error' in expected) {
          expect(!compiled || run(() => compiled.explain(factValues).result) === 'error').toBe('error' in expected);
          return;
        }
        expect(compiled.explain(factValues)).toEqual(expected.trace);
      }),
      { numRuns: EXPLAIN_RUNS },
    );
  });
});

// ---------------------------------------------------------------- table tests

describe('compile errors', () => {
  const cases: { name: string; input: unknown; expected: { code: string; pointer: string }[] }[] = [
    { name: 'root without boolean operator', input: { fact: 'a', operator: 'equal', value: 1 }, expected: [{ code: 'invalid-root', pointer: '/p' }] },
    { name: 'root is not an object', input: [], expected: [{ code: 'invalid-root', pointer: '/p' }] },
    { name: 'root condition reference', input: { condition: 'shared' }, expected: [{ code: 'condition-reference-unsupported', pointer: '/p/condition' }] },
    {
      name: 'nested condition reference and priorities',
      input: { all: [{ condition: 'shared' }, { fact: 'a', operator: 'equal', value: 1, priority: 2 }], priority: 1 },
      expected: [
        { code: 'priority-unsupported', pointer: '/p/priority' },
        { code: 'condition-reference-unsupported', pointer: '/p/all/0/condition' },
        { code: 'priority-unsupported', pointer: '/p/all/1/priority' },
      ],
    },
    {
      name: 'unknown operator and decorator',
      input: { any: [{ fact: 'a', operator: 'equals', value: 1 }, { fact: 'a', operator: 'not:some:equal', value: 1 }] },
      expected: [
        { code: 'unknown-operator', pointer: '/p/any/0/operator' },
        { code: 'unknown-decorator', pointer: '/p/any/1/operator' },
      ],
    },
    {
      name: 'leaf without fact, operator, value',
      input: { all: [{}] },
      expected: [
        { code: 'missing-fact', pointer: '/p/all/0' },
        { code: 'missing-operator', pointer: '/p/all/0' },
        { code: 'missing-value', pointer: '/p/all/0' },
      ],
    },
    {
      name: 'wrong types',
      input: { all: [{ fact: 3, operator: true, value: 1, path: 5 }, { fact: 'a', operator: 'equal', value: { fact: '', path: [] } }] },
      expected: [
        { code: 'invalid-fact', pointer: '/p/all/0/fact' },
        { code: 'invalid-operator', pointer: '/p/all/0/operator' },
        { code: 'invalid-path', pointer: '/p/all/0/path' },
        { code: 'invalid-fact', pointer: '/p/all/1/value/fact' },
        { code: 'invalid-path', pointer: '/p/all/1/value/path' },
      ],
    },
    {
      name: 'malformed boolean nodes',
      input: { all: [{ not: [] }, { any: {} }, { all: [], any: [] }, 'x', null] },
      expected: [
        { code: 'invalid-operand', pointer: '/p/all/0/not' },
        { code: 'invalid-operand', pointer: '/p/all/1/any' },
        { code: 'ambiguous-condition', pointer: '/p/all/2' },
        { code: 'invalid-condition', pointer: '/p/all/3' },
        { code: 'invalid-condition', pointer: '/p/all/4' },
      ],
    },
    {
      name: 'unknown keys (typos), escaped in the pointer',
      input: { not: { fact: 'a', operator: 'equal', value: { fact: 'b', pth: '$.x' }, 'a/b': 1 }, fact: 'z' },
      expected: [
        { code: 'unknown-key', pointer: '/p/fact' },
        { code: 'unknown-key', pointer: '/p/not/a~1b' },
        { code: 'unknown-key', pointer: '/p/not/value/pth' },
      ],
    },
  ];

  for (const { name, input, expected } of cases) {
    it(name, () => expect(compileErrors(input, '/p')).toEqual(expected));
  }

  it('reports everything in one ConditionCompileErrors with a readable message', () => {
    const input = { all: [{ fact: 'zone', operator: 'equals', value: 'high' }, { fact: 'score' }] };
    const error = caught(() => compileConditions(input as unknown as TopLevelCondition, '/actions/0/conditions'));
    expect(error).toBeInstanceOf(ConditionCompileErrors);
    const { errors, message } = error as ConditionCompileErrors;
    expect(errors.map((problem) => problem.pointer)).toEqual([
      '/actions/0/conditions/all/0/operator',
      '/actions/0/conditions/all/1',
      '/actions/0/conditions/all/1',
    ]);
    expect(message).toContain('/actions/0/conditions/all/0/operator: unknown operator "equals"');
    expect(message).toContain('greaterThanInclusive');
    expect(message).toContain('not:');
  });

  it('accepts every operator with composed decorators', () => {
    for (const base of BASE_OPERATORS) {
      expect(compileErrors({ all: [{ fact: 'a', operator: `not:someFact:swap:${base}`, value: [] }] })).toEqual([]);
    }
  });
});

describe('explain', () => {
  const input: TopLevelCondition = {
    all: [
      { fact: 'zone', operator: 'equal', value: 'high' },
      { fact: 'signals', path: "$['velocity.return-rate'].status", operator: 'equal', value: 'hit', name: 'velocity' },
      { any: [{ fact: 'score', operator: 'greaterThan', value: { fact: 'derived', path: '$.threshold' } }] },
      { not: { fact: 'kind', operator: 'in', value: ['refund', 'exchange'] } },
    ],
  };
  const factValues = {
    zone: 'high',
    score: 72,
    kind: 'order',
    derived: { threshold: 80 },
    signals: { 'velocity.return-rate': { status: 'hit', strength: 0.9, points: 12 } },
  };

  it('annotates leaves with factResult/valueResult/result and boolean nodes with result', () => {
    expect(compileConditions(input).explain(factValues)).toEqual({
      all: [
        { fact: 'zone', operator: 'equal', value: 'high', factResult: 'high', valueResult: 'high', result: true },
        {
          fact: 'signals', path: "$['velocity.return-rate'].status", operator: 'equal', value: 'hit', name: 'velocity',
          factResult: 'hit', valueResult: 'hit', result: true,
        },
        {
          any: [{
            fact: 'score', operator: 'greaterThan', value: { fact: 'derived', path: '$.threshold' },
            factResult: 72, valueResult: 80, result: false,
          }],
          result: false,
        },
        {
          not: { fact: 'kind', operator: 'in', value: ['refund', 'exchange'], factResult: 'order', valueResult: ['refund', 'exchange'], result: false },
          result: true,
        },
      ],
      result: false,
    });
  });

  it('matches the library trace on the same input', async () => {
    const expected = await explainWithJsonRulesEngine(input, factValues);
    expect(expected).toEqual({ trace: compileConditions(input).explain(factValues) });
  });
});

describe('paths', () => {
  it.each([
    ['$.a.b', ['a', 'b']],
    ['a.b', ['a', 'b']],
    ['$.a[0]', ['a', '0']],
    ["$['a-b'].c", ['a-b', 'c']],
    ["$['x.y'].status", ['x.y', 'status']],
    // jsonpath-plus has no backslash escapes: the backslash stays in the key.
    ['$.velocity\\.return-rate.status', ['velocity\\', 'return-rate', 'status']],
  ])('compiles %s to direct property reads', (input, tokens) => {
    expect(plainPathTokens(input)).toEqual(tokens);
  });

  it.each(['$', '$.*', '$..points', '$.list[?(@.amount > 100)]', '$.list[0:2]', "$['a','b']", '$.a~', 'constructor'])(
    'falls back to JSONPath for %s',
    (input) => expect(plainPathTokens(input)).toBeUndefined(),
  );

  const factValues = {
    signals: { 'velocity.return-rate': { status: 'hit', points: 12 }, 'address.mismatch': { status: 'miss', points: 4 } },
    order: { list: [{ amount: 50 }, { amount: 150 }, { amount: 250 }], name: 'abc', empty: '' },
    score: 72,
  };
  const cases: { name: string; condition: Record<string, unknown>; expected: boolean | 'error' }[] = [
    { name: 'wildcard', condition: { fact: 'signals', path: '$.*.status', operator: 'contains', value: 'hit' }, expected: true },
    { name: 'recursive descent', condition: { fact: 'signals', path: '$..points', operator: 'everyFact:greaterThan', value: 3 }, expected: true },
    { name: 'filter', condition: { fact: 'order', path: '$.list[?(@.amount > 100)].amount', operator: 'equal', value: 150 }, expected: false },
    { name: 'filter, array result', condition: { fact: 'order', path: '$.list[?(@.amount > 100)].amount', operator: 'contains', value: 250 }, expected: true },
    { name: 'single wildcard match is still an array', condition: { fact: 'order', path: '$.list[2:]', operator: 'contains', value: { amount: 250 } }, expected: false },
    { name: 'slice', condition: { fact: 'order', path: '$.list[1:].amount', operator: 'someFact:greaterThan', value: 200 }, expected: true },
    { name: 'quoted key with a dot', condition: { fact: 'signals', path: "$['velocity.return-rate'].status", operator: 'equal', value: 'hit' }, expected: true },
    { name: 'escaped dot does not work', condition: { fact: 'signals', path: '$.velocity\\.return-rate.status', operator: 'equal', value: 'hit' }, expected: false },
    { name: 'string length is an own property', condition: { fact: 'order', path: '$.name.length', operator: 'equal', value: 3 }, expected: true },
    { name: 'empty string stops the walk', condition: { fact: 'order', path: '$.empty.length', operator: 'equal', value: 0 }, expected: false },
    { name: 'path ignored on a primitive fact', condition: { fact: 'score', path: '$.anything', operator: 'equal', value: 72 }, expected: true },
    { name: 'path on a missing fact', condition: { fact: 'missing', path: '$.a', operator: 'equal', value: { fact: 'nope' } }, expected: true },
    { name: 'bad filter throws', condition: { fact: 'order', path: '$.list[?(@.amount.x.y > 1)]', operator: 'equal', value: 1 }, expected: 'error' },
    { name: 'unknown @type() throws', condition: { fact: 'order', path: '$.@nope()', operator: 'equal', value: 1 }, expected: 'error' },
  ];

  it.each(cases)('$name', async ({ condition, expected }) => {
    const input = { all: [condition] } as unknown as TopLevelCondition;
    expect(run(() => compileConditions(input).evaluate(factValues))).toBe(expected);
    expect(await reference(input, factValues)).toBe(expected);
  });
});

describe('runtime semantics', () => {
  const cases: { name: string; input: unknown; facts: Facts; expected: boolean | 'error' }[] = [
    { name: 'empty all is true', input: { all: [] }, facts: {}, expected: true },
    { name: 'empty any is true', input: { any: [] }, facts: {}, expected: true },
    { name: 'numeric string passes the validator', input: { all: [{ fact: 'n', operator: 'greaterThan', value: 10 }] }, facts: { n: '12abc' }, expected: false },
    { name: '"12" > 10 by JS coercion', input: { all: [{ fact: 'n', operator: 'greaterThan', value: 10 }] }, facts: { n: '12' }, expected: true },
    { name: 'empty string is not numeric', input: { all: [{ fact: 'n', operator: 'lessThan', value: 10 }] }, facts: { n: '' }, expected: false },
    { name: '[5] is numeric', input: { all: [{ fact: 'n', operator: 'lessThan', value: 10 }] }, facts: { n: [5] }, expected: true },
    { name: 'in with a string value', input: { all: [{ fact: 'z', operator: 'in', value: 'highest' }] }, facts: { z: 'high' }, expected: true },
    { name: 'in with a number value throws', input: { all: [{ fact: 'z', operator: 'in', value: 5 }] }, facts: { z: 5 }, expected: 'error' },
    { name: 'contains needs an array fact', input: { all: [{ fact: 'z', operator: 'contains', value: 'h' }] }, facts: { z: 'high' }, expected: false },
    { name: 'someValue on a non-array throws', input: { all: [{ fact: 'z', operator: 'someValue:equal', value: 'h' }] }, facts: { z: 'h' }, expected: 'error' },
    { name: 'not:someFact:equal', input: { all: [{ fact: 'hits', operator: 'not:someFact:equal', value: 'c' }] }, facts: { hits: ['a', 'b'] }, expected: true },
    { name: 'swap:contains', input: { all: [{ fact: 'h', operator: 'swap:contains', value: ['a', 'b'] }] }, facts: { h: 'a' }, expected: true },
    { name: 'a fact owning a non-function toString throws on coercion', input: { all: [{ fact: 'n', operator: 'lessThan', value: 5 }] }, facts: { n: { toString: 1 } }, expected: 'error' },
    // RuleResult clones the conditions; clone drops keys shadowing Object.prototype.
    { name: 'literal values are compared as the library copies them', input: { all: [{ fact: 'n', operator: 'lessThan', value: { toString: 1 } }] }, facts: { n: 5 }, expected: false },
    { name: 'inherited names are undefined facts', input: { all: [{ fact: 'constructor', operator: 'equal', value: { fact: 'missing' } }] }, facts: {}, expected: true },
    {
      name: 'a throwing sibling fails the run even after any() is decided',
      input: { any: [{ fact: 'a', operator: 'equal', value: 1 }, { not: { fact: 'a', operator: 'in', value: { fact: 'b' } } }] },
      facts: { a: 1, b: 2 },
      expected: 'error',
    },
    {
      name: 'a throwing sibling fails the run even after all() is decided',
      input: { all: [{ fact: 'a', operator: 'equal', value: 2 }, { fact: 'a', operator: 'in', value: null }] },
      facts: { a: 1 },
      expected: 'error',
    },
  ];

  it.each(cases)('$name', async ({ input, facts: factValues, expected }) => {
    expect(run(() => compileConditions(input as TopLevelCondition).evaluate(factValues))).toBe(expected);
    expect(await reference(input, factValues)).toBe(expected);
  });

  it('throws ConditionEvaluationError pointing at the failing leaf', () => {
    const compiled = compileConditions({ all: [{ fact: 'a', operator: 'equal', value: 1 }, { fact: 'a', operator: 'in', value: 5 }] }, '/actions/3/conditions');
    for (const error of [caught(() => compiled.evaluate({ a: 1 })), caught(() => compiled.explain({ a: 1 }))]) {
      expect(error).toBeInstanceOf(ConditionEvaluationError);
      expect((error as ConditionEvaluationError).pointer).toBe('/actions/3/conditions/all/1');
      expect((error as ConditionEvaluationError).cause).toBeInstanceOf(TypeError);
    }
  });
});

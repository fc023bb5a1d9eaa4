import fc from 'fast-check';
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import type { AstNode } from './ast.ts';
import { childNodes } from './ast.ts';
import { compileExpression, ExpressionError, type CompiledExpression } from './compileExpression.ts';
import { expressionArbitrary, functionCallArbitrary, GENERATED_FUNCTIONS, inputArbitrary } from './differentialArbitraries.testing.ts';
import { evaluateWithJsonata } from './timeboxedJsonata.testing.ts';

// -----------------------------------------------------------------------------------------------
// Differential harness

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: ExpressionError };

interface DifferentialStats {
  runs: number;
  comparisons: number;
  equalValues: number;
  equalErrors: number;
  /** Both failed but with different errors, where jsonata's concurrent array-item evaluation makes the order differ. */
  raceTolerated: number;
  /** jsonata crashed with an uncoded internal error (e.g. a TypeError) and we raised a coded error. */
  referenceCrashes: number;
  refused: number;
  successesByFunction: Map<string, number>;
}

const stats: DifferentialStats = {
  runs: 0,
  comparisons: 0,
  equalValues: 0,
  equalErrors: 0,
  raceTolerated: 0,
  referenceCrashes: 0,
  refused: 0,
  successesByFunction: new Map(),
};

const fcSeed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
const fcParameters = (numRuns: number): fc.Parameters<unknown> => ({ numRuns, ...(fcSeed === undefined ? {} : { seed: fcSeed }) });

/** Plain copies: jsonata marks its result arrays (`sequence`), ours must not carry any marks. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return Array.from(value, plain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
  }
  return value;
}

function asExpressionError(error: unknown): ExpressionError {
  if (error instanceof ExpressionError) return error;
  throw new Error(`expected an ExpressionError, got ${String(error)}`);
}

function runOurs(compiled: CompiledExpression, input: unknown): Outcome {
  try {
    return { ok: true, value: compiled.evaluate(input) };
  } catch (error) {
    return { ok: false, error: asExpressionError(error) };
  }
}

async function runReference(source: string, input: unknown): Promise<Outcome> {
  try {
    return { ok: true, value: await evaluateWithJsonata(source, input, { timeoutMs: 5_000 }) };
  } catch (error) {
    return { ok: false, error: asExpressionError(error) };
  }
}

/**
 * jsonata evaluates the items of an array constructor concurrently (Promise.all), so when two
 * items fail, which error surfaces depends on promise scheduling. Only then may errors differ.
 */
function hasConcurrentItems(node: AstNode): boolean {
  if (node.type === 'unary' && node.value === '[' && (node.expressions?.length ?? 0) > 1) return true;
  return childNodes(node).some(hasConcurrentItems);
}

function describeOutcome(outcome: Outcome): string {
  return outcome.ok ? `value ${JSON.stringify(outcome.value)}` : `${outcome.error.code} "${outcome.error.message}" @${outcome.error.position}`;
}

async function compareWithJsonata(source: string, inputs: readonly unknown[]): Promise<void> {
  stats.runs++;
  let compiled: CompiledExpression;
  try {
    compiled = compileExpression(source, { maxDepth: 200 });
  } catch (error) {
    const refusal = asExpressionError(error);
    if (refusal.code === 'RS_UNSUPPORTED') {
      stats.refused++;
      return;
    }
    // Syntax errors: jsonata must reject the source with the same code and position.
    const reference = await runReference(source, inputs[0]);
    expect(reference.ok, `jsonata accepted ${source} that we rejected with ${refusal.code}`).toBe(false);
    if (!reference.ok) expect([reference.error.code, reference.error.position]).toEqual([refusal.code, refusal.position]);
    return;
  }
  for (const input of inputs) {
    stats.comparisons++;
    const ours = runOurs(compiled, input);
    const reference = await runReference(source, input);
    const context = `${source}\ninput: ${JSON.stringify(input)}\nours: ${describeOutcome(ours)}\njsonata: ${describeOutcome(reference)}`;
    if (ours.ok && reference.ok) {
      expect(plain(ours.value), context).toEqual(plain(reference.value));
      stats.equalValues++;
      for (const name of GENERATED_FUNCTIONS) {
        if (source.includes(`$${name}(`)) stats.successesByFunction.set(name, (stats.successesByFunction.get(name) ?? 0) + 1);
      }
    } else if (!ours.ok && !reference.ok) {
      const same = ours.error.code === reference.error.code && ours.error.message === reference.error.message && ours.error.position === reference.error.position;
      if (same) {
        stats.equalErrors++;
      } else if (reference.error.code === 'RS_INTERNAL') {
        stats.referenceCrashes++;
      } else if (hasConcurrentItems(jsonata(source).ast() as AstNode)) {
        stats.raceTolerated++;
      } else {
        expect.fail(`errors differ\n${context}`);
      }
    } else {
      expect.fail(`one side failed\n${context}`);
    }
  }
}

const inputs = fc.array(inputArbitrary, { minLength: 3, maxLength: 3 });

const CORNER_INPUTS: readonly unknown[] = [
  {
    n: 2.5,
    s: 'abc',
    flag: false,
    tags: ['vip', 'b', 'vip'],
    dups: [1, 1, 1],
    a: {},
    b: [1, 2, 2],
    // jsonata treats objects carrying its internal function marker as functions, even in input data.
    fn: { _jsonata_function: true, x: 1 },
    items: [
      { n: 1, s: 'x', tags: ['a'], a: [[1, 2], [3]] },
      { n: 3, a: [[4]], tags: [] },
      { n: -0.5, s: '', a: [] },
    ],
  },
  [{ n: 1, tags: ['x'] }, { n: 2 }],
  5,
  undefined,
];

const CORNER_CASES: readonly string[] = [
  // sequences: flattening, singleton unwrapping, input arrays kept whole, constructors never flattened
  'items.a', 'items.a.$', 'items.a[0]', 'items.a[-1]', 'items.a[0][1]', 'items.a[[0, 1]]', 'items.a.$[0]', 'items[0].a', '$count(items.a)',
  '[1, 2, 3].($ * 2)', '[[1, 2], [3]].$', '[1, [2, 3]][1]', 'items.[n, s]', 'items.[n]', '[items.n]', '[items.n][0]', '["[", "a"]', '[[1, 2], 3][0]',
  // filters
  'items[n > 1].n', 'items[0.5]', 'items[-0.5]', 'items[(1.5)]', 'items[[0, 2]]', 'items[[0.5, -1]]', 'items[$exists(s)]', 'items[tags]',
  'items[["x", 1 / 0]]', 'missing[true]', 'items.missing[true]', '$count(items.missing[$exists($) = false])', 'tags[$ = "vip"]',
  // context and root
  '$', '$$', '$[0]', '$$[0]', '$.n', '$$.n', '$string()', '$keys()', '$count()', 'items.$string()', 'tags.$uppercase()', 'items.n.$abs()',
  'items.$count(a)', 'items.$sum(a)',
  // prototype members are not fields; marked "function" objects are opaque
  'constructor', 'a.constructor', 'toString', 'items.toString',
  'fn.x', '$type(fn)', '$string(fn)', '$string([fn])', '$boolean(fn)', '$keys(fn)', '$count(fn)', '$sum(fn)', 'fn = fn', '[fn].x',
  // operators and undefined propagation
  'missing < 1', '(missing < 1) = false', 'missing = missing', 'missing != 1', '"a" < 1', 'true < 1', 'null = null', 'items = items',
  '[1, 2] = [1, 2]', '1 / 0', '-(1 / 0)', '(1 / 0) > 1', '0 / 0', '(0 / 0) = (0 / 0)', '(0 / 0) + 1', '-0', '0 * -1', '5 % -3',
  '"a" & missing', 'missing & missing', '1 & true', '"x" & (1 / 0)', 'items & ""', '[1, 2] in [[1, 2]]', 'tags[0] in tags', 'null in [null]',
  '$ in [$]', 'flag or missing', 'missing and (1 / 0)', '[0, ""] and 1',
  // conditions
  '$exists(missing) ? 1', 'n ?? 5', 'missing ?? 5', 'n ?: 5', '0 ?: 5', 'tags ? "t" : "f"', '[] ? 1 : 2',
  // numbers and casting
  '$round(-0.5)', '$round(2.5)', '$round(-2.5)', '$round(3.5)', '$round(1.005, 2)', '$round(1234.5, -2)', '$round(n, 0)', '$abs(-0)',
  '$floor(-0.5)', '$ceil(-0.5)', '$sqrt(-0)', '$sqrt(-0.5)', '$power(2, 0.5)', '$power(-8, 1 / 3)', '$power(10, 400)',
  '$number("0x1F")', '$number("0x1Fz")', '$number("-1e2")', '$number(" 1")', '$number("1e400")', '$number(true)', '$number(null)',
  '$string(0.1 + 0.2)', '$string(1e21)', '$string(1 / 3)', '$string(1e-7)', '$string(items, true)', '$string([1 / 3, 0.1 + 0.2])',
  '$string([1, 1 / 0])', '$string(null)', '$string(-0)',
  '$boolean([0, ""])', '$boolean([[]])', '$boolean([1, 1 / 0])', '$boolean(a)', '$boolean(0 / 0)', '$not([])', '$not(missing)',
  // aggregates
  '$sum([])', '$max([])', '$average([])', '$count(missing)', '$sum(missing)', '$max([1, -0])', '$min([0, -0])', '$max([0.1, 1 / 0])',
  '$sum(items.n)', '$average(b)', '$sum(tags)', '$sum([1, "a"])', '$count([[1, 2], [3]])',
  // strings
  '$substring("abcdef", -10, 2)', '$substring("abcdef", -2)', '$substring("😀abc", 1, 2)', '$substring("abc", 1.5, 1.5)', '$substring(s, 0, -1)',
  '$lowercase("ÀÉ")', '$length("😀x")', '$trim("  a \t b  ")', '$contains("abc", "")', '$substringBefore("a-b-c", "-")', '$substringAfter("a-b", "x")',
  '$join(tags, 1)', '$join("a")', '$join([])', '$join(tags, ", ")', '$uppercase(1)', '$length()',
  // arrays
  '$distinct([1, 1])', '$distinct(dups)', '$distinct(items.n)', '$distinct([[1, 2], [1, 2]])', '$distinct(tags)',
  '$append(1, [])', '$append([], 1)', '$append(items.n, tags)', '$append(1, missing)', '$append(missing, missing)',
  '$keys(items)', '$keys($)', '$keys(a)', '$reverse(tags)', '$reverse("a")', '$reverse([])',
  '$type(1 / 0)', '$type(0 / 0)', '$type(items)', '$type(null)', '$type(missing)',
];

describe('differential: compiled evaluation matches the jsonata library', () => {
  it('agrees on random expressions over the whole subset', async () => {
    await fc.assert(fc.asyncProperty(expressionArbitrary(3), inputs, compareWithJsonata), fcParameters(1500));
  });

  it('agrees on shallower expressions (paths, filters, operators dominate)', async () => {
    await fc.assert(fc.asyncProperty(expressionArbitrary(2), inputs, compareWithJsonata), fcParameters(900));
  });

  it('agrees on calls of every supported built-in', async () => {
    await fc.assert(fc.asyncProperty(functionCallArbitrary, inputs, compareWithJsonata), fcParameters(600));
  });

  // Deterministic corners of jsonata's semantics, checked on every run in addition to the random ones.
  it.each(CORNER_CASES)('agrees on %s', async (source) => {
    await compareWithJsonata(source, CORNER_INPUTS);
  });

  it('covered the subset meaningfully', () => {
    const summary = JSON.stringify({ ...stats, successesByFunction: Object.fromEntries(stats.successesByFunction) });
    console.info(`differential stats: ${summary}`);
    expect(stats.runs).toBeGreaterThanOrEqual(3000);
    expect(stats.refused / stats.runs, summary).toBeLessThan(0.02);
    expect(stats.equalValues / stats.comparisons, summary).toBeGreaterThan(0.4);
    expect(stats.equalErrors, summary).toBeGreaterThan(100);
    for (const name of GENERATED_FUNCTIONS) {
      expect(stats.successesByFunction.get(name) ?? 0, `successful comparisons of $${name}`).toBeGreaterThanOrEqual(5);
    }
  });
});

// -----------------------------------------------------------------------------------------------
// Table tests

function compileError(source: string, options?: Parameters<typeof compileExpression>[1]): ExpressionError {
  try {
    compileExpression(source, options);
  } catch (error) {
    return asExpressionError(error);
  }
  throw new Error(`expected ${source} to be rejected`);
}

function evaluationError(compiled: CompiledExpression, input: unknown): ExpressionError {
  try {
    compiled.evaluate(input);
  } catch (error) {
    return asExpressionError(error);
  }
  throw new Error(`expected ${compiled.source} to fail`);
}

const FACTS = {
  refund: { amount: 120, reason: 'SIZE_TOO_SMALL' },
  order: { totalPrice: 200, lineItems: [{ sku: 'A', price: 150 }, { sku: 'B', price: 50 }] },
  customer: { tags: ['vip', 'wholesale'] },
  history: {
    returns: [{ reason: 'SIZE_TOO_SMALL' }, { reason: 'DEFECTIVE' }, { reason: 'SIZE_TOO_SMALL' }, { reason: 'SIZE_TOO_SMALL' }],
    refunds: [{ amount: 30 }, { amount: 20 }],
    orders: [{ totalPrice: 100 }, { totalPrice: 150 }],
  },
};

describe('compileExpression', () => {
  it.each([
    ['refund.amount / order.totalPrice', 0.6],
    ['refund.amount > 500', false],
    ['$count(history.returns[reason = "SIZE_TOO_SMALL"]) >= 3', true],
    ['$sum(history.refunds.amount) / $sum(history.orders.totalPrice)', 0.2],
    ['customer.tags[0] = "vip" ? 1 : 0.5', 1],
    ['refund.reason in ["SIZE_TOO_SMALL", "DEFECTIVE"]', true],
    ['order.lineItems[price > 100].sku', 'A'],
    ['order.lineItems.sku', ['A', 'B']],
    ['missing.field', undefined],
    ['$round(2.5) + $round(3.5)', 6],
    ['$string(0.1 + 0.2) & "!"', '0.3!'],
  ])('evaluates %s', (source, expected) => {
    expect(compileExpression(source).evaluate(FACTS)).toEqual(expected);
  });

  it('returns plain arrays, free of internal sequence marks', () => {
    const result = compileExpression('history.returns.reason').evaluate(FACTS);
    expect(Array.isArray(result)).toBe(true);
    expect(Object.getOwnPropertySymbols(result)).toEqual([]);
    expect(Object.keys(result as object)).toEqual(['0', '1', '2', '3']);
  });

  it.each([
    ['refund.amount / order.totalPrice', ['refund', 'order'], ['refund.amount', 'order.totalPrice']],
    ['$count(history.returns[reason = "X"]) >= 3', ['history'], ['history.returns.reason']],
    ['$sum(history.refunds.amount) / $sum(history.orders.totalPrice)', ['history'], ['history.refunds.amount', 'history.orders.totalPrice']],
    ['customer.tags[0] = "vip" ? derived.score : 0.5', ['customer', 'derived'], ['customer.tags', 'derived.score']],
    ['order.lineItems[price > $$.refund.amount].sku', ['order', 'refund'], ['order.lineItems.price', 'refund.amount', 'order.lineItems.sku']],
    ['$exists(refund) and refund.amount > 0', ['refund'], ['refund.amount']],
    ['$append(a.b, c).d', ['a', 'c'], ['a.b.d', 'c.d']],
    ['$sum(a).b', ['a'], ['a']],
    ['$keys($)', ['$'], ['$']],
    ['1 + 2', [], []],
  ])('reports the fields %s reads', (source, roots, paths) => {
    const compiled = compileExpression(source);
    expect(compiled.roots).toEqual(roots);
    expect(compiled.paths).toEqual(paths);
  });

  describe('parse errors carry jsonata codes and positions', () => {
    it.each(['refund.amount +', 'refund.amount > ', '1.a', '"unterminated', '(a', 'a ]', 'a = = 1', '$count(a'])('%s', (source) => {
      let expected: { code: string; position: number } | undefined;
      try {
        jsonata(source);
      } catch (error) {
        expected = error as { code: string; position: number };
      }
      expect(expected).toBeDefined();
      const error = compileError(source);
      expect(error.stage).toBe('parse');
      expect(error.code).toBe(expected?.code);
      expect(error.code).toMatch(/^S0\d{3}$/);
      expect(error.position).toBe(expected?.position);
    });

    it('example: a dangling operator', () => {
      const error = compileError('refund.amount +');
      expect([error.code, error.position]).toEqual(['S0207', 15]);
    });
  });

  describe('unsupported constructs are refused at compile time', () => {
    it.each([
      ['function($x){ $x }', 'function definitions'],
      ['$x := 1', 'variable binding'],
      ['a ~> $sum()', '~>'],
      ['$substring(?, 0, 1)', 'partial function application'],
      ['$contains(s, /ab/)', 'regular expressions'],
      ['[1..5]', 'ranges'],
      ['a.*', 'wildcard'],
      ['**.a', 'descendant'],
      ['a.b.%.c', 'parent operator'],
      ['a^(b)', 'order-by'],
      ['{"a": 1}', 'object constructors'],
      ['a{b: c}', 'grouping'],
      ['a[]', 'keep-array'],
      ['a@$x.b', 'bindings'],
      ['a#$i.b', 'bindings'],
      ['|a|{"x": 1}|', 'transform'],
      ['(1; 2)', 'more than one expression'],
      ['$x + 1', 'the variable $x'],
      ['$lookup(a, "b")', 'the function $lookup'],
      ['$map(a, $string)', 'the function $map'],
      ['([1, 2].$).x', 'parenthesised array constructor'],
      ['[1, 2, 3][0].x', 'filtered array constructor'],
    ])('%s', (source, construct) => {
      const error = compileError(source);
      expect(error.code).toBe('RS_UNSUPPORTED');
      expect(error.stage).toBe('compile');
      expect(error.message).toContain(construct);
      expect(error.message).toContain('Supported:');
      expect(error.message).toContain('$count');
    });

    it('gives the AST position of the refused construct', () => {
      expect(compileError('refund.amount + $lookup(a, "b")').position).toBe(24);
    });

    it.each(['$now()', '$millis()', '$random()', '$now', 'refund.amount > $millis() - 1000'])('refuses non-deterministic %s', (source) => {
      const error = compileError(source);
      expect(error.code).toBe('RS_UNSUPPORTED');
      expect(error.message).toMatch(/not allowed: expressions must be deterministic/);
      expect(error.message).toContain('`now`');
    });
  });

  describe('depth limit', () => {
    const nested = (levels: number): string => `${'('.repeat(levels)}1${')'.repeat(levels)}`;
    const chained = (terms: number): string => Array.from({ length: terms }, (_, i) => `a${i}`).join(' + ');

    it('rejects expressions deeper than maxDepth (default 24)', () => {
      expect(compileError(nested(30)).code).toBe('RS_TOO_DEEP');
      expect(compileError(chained(30)).code).toBe('RS_TOO_DEEP');
      expect(compileError(nested(30)).message).toContain('24');
      expect(compileExpression(nested(20)).evaluate({})).toBe(1);
    });

    it('honours a custom maxDepth', () => {
      expect(compileError(nested(5), { maxDepth: 4 }).code).toBe('RS_TOO_DEEP');
      expect(compileExpression(chained(30), { maxDepth: 40 }).evaluate({ a0: 1 })).toBe(undefined);
    });

    it('survives pathologically nested source', () => {
      const error = compileError(nested(50_000));
      expect(error.code).toBe('RS_TOO_DEEP');
    });
  });

  describe('knownRoots', () => {
    const knownRoots = ['refund', 'order', 'customer', 'history', 'derived', 'now'];

    it('accepts paths from known roots, including inside filters and via $$', () => {
      const compiled = compileExpression('order.lineItems[price > $$.refund.amount].sku', { knownRoots });
      expect(compiled.evaluate(FACTS)).toBe('A');
    });

    it('rejects an unknown root, listing the known ones', () => {
      const error = compileError('refund.amount > 0 and custmer.tags[0] = "vip"', { knownRoots });
      expect(error.code).toBe('RS_UNKNOWN_ROOT');
      expect(error.stage).toBe('compile');
      expect(error.message).toContain('"custmer"');
      expect(error.message).toContain('refund, order, customer, history, derived, now');
      expect(error.position).toBe(29);
    });

    it('does not treat names relative to a filtered array as roots', () => {
      expect(() => compileExpression('$count(history.returns[reason = "X"])', { knownRoots })).not.toThrow();
    });
  });

  describe('evaluation errors match jsonata codes and messages', () => {
    it.each([
      ['refund.reason + 1', 'T2001'],
      ['1 + refund.reason', 'T2002'],
      ['refund.amount > refund.reason', 'T2009'],
      ['refund > 1', 'T2010'],
      ['-refund.reason', 'D1002'],
      ['(1 / 0) + 1', 'D1001'],
      ['$string(1 / 0)', 'D3001'],
      ['$sum(customer.tags)', 'T0412'],
      ['$uppercase(1)', 'T0410'],
      ['$number("12abc")', 'D3030'],
      ['$sqrt(-1)', 'D3060'],
    ])('%s -> %s', async (source, code) => {
      const ours = evaluationError(compileExpression(source), FACTS);
      const reference = await evaluateWithJsonata(source, FACTS).then(
        () => undefined,
        (error: unknown) => asExpressionError(error),
      );
      expect(ours.code).toBe(code);
      expect(ours.stage).toBe('evaluate');
      expect([ours.code, ours.message, ours.position]).toEqual([reference?.code, reference?.message, reference?.position]);
    });
  });

  describe('step budget', () => {
    const items = Array.from({ length: 100_000 }, (_, i) => ({ n: i, tag: i % 7 === 0 ? 'x' : 'y' }));
    const bigInput = { items };

    it('stops a quadratic nested filter over a 100k-element array promptly', () => {
      const compiled = compileExpression('$count(items[n > $count($$.items[tag = "x"])])', { maxSteps: 50_000 });
      const started = performance.now();
      const error = evaluationError(compiled, bigInput);
      const elapsed = performance.now() - started;
      expect(error.code).toBe('RS_RUNAWAY');
      expect(error.message).toContain('exceeded its evaluation budget');
      expect(elapsed).toBeLessThan(500);
    });

    it('bounds the default budget too (no hang on big arrays)', () => {
      const compiled = compileExpression('$count(items[n in $$.items.n])');
      const started = performance.now();
      expect(evaluationError(compiled, bigInput).code).toBe('RS_RUNAWAY');
      expect(performance.now() - started).toBeLessThan(1_000);
    });

    it('bounds quadratic built-ins ($distinct)', () => {
      const compiled = compileExpression('$count($distinct(items.n))', { maxSteps: 100_000 });
      expect(evaluationError(compiled, bigInput).code).toBe('RS_RUNAWAY');
    });

    it('lets linear work within the budget through', () => {
      const compiled = compileExpression('$count(items[tag = "x"])', { maxSteps: 1_000_000 });
      expect(compiled.evaluate(bigInput)).toBe(Math.ceil(100_000 / 7));
    });

    it('budgets each evaluation separately', () => {
      const compiled = compileExpression('$sum(items.n)', { maxSteps: 1_000 });
      const small = { items: items.slice(0, 100) };
      for (let i = 0; i < 50; i++) expect(compiled.evaluate(small)).toBe(4950);
    });
  });
});

describe('evaluateWithJsonata', () => {
  it('evaluates like jsonata', async () => {
    expect(await evaluateWithJsonata('$count(history.returns[reason = "SIZE_TOO_SMALL"])', FACTS)).toBe(3);
  });

  it('stops a non-terminating recursive lambda with RS_RUNAWAY', async () => {
    const started = performance.now();
    const error = await evaluateWithJsonata('($f := function($n){ $f($n + 1) }; $f(0))', {}, { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(asExpressionError(error).code).toBe('RS_RUNAWAY');
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('stops deep non-tail recursion with RS_RUNAWAY (depth)', async () => {
    const error = await evaluateWithJsonata('($f := function($n){ 1 + $f($n + 1) }; $f(0))', {}, { maxDepth: 200 }).catch((e: unknown) => e);
    expect(asExpressionError(error).code).toBe('RS_RUNAWAY');
    expect(asExpressionError(error).message).toContain('nested evaluation frames');
  });

  it('stops a huge range mapping with RS_RUNAWAY', async () => {
    const started = performance.now();
    const error = await evaluateWithJsonata('$count([1..10000000].($ * 2))', {}, { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(asExpressionError(error).code).toBe('RS_RUNAWAY');
    expect(asExpressionError(error).message).toContain('exceeded its evaluation budget');
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('keeps guarding after an array constructor', async () => {
    const error = await evaluateWithJsonata('($a := [1, 2]; $f := function($n){ $f($n + 1) }; $f(0))', {}, { timeoutMs: 200 }).catch(
      (e: unknown) => e,
    );
    expect(asExpressionError(error).code).toBe('RS_RUNAWAY');
  });

  it('normalises jsonata errors to ExpressionError', async () => {
    const parse = asExpressionError(await evaluateWithJsonata('a +', {}).catch((e: unknown) => e));
    expect([parse.code, parse.stage]).toEqual(['S0207', 'parse']);
    const evaluation = asExpressionError(await evaluateWithJsonata('1 + "a"', {}).catch((e: unknown) => e));
    expect([evaluation.code, evaluation.stage, evaluation.position]).toEqual(['T2002', 'evaluate', 3]);
  });
});

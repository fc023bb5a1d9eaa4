import { describe, expect, it } from 'vitest';
import { defineSignal } from '../sdk/index.ts';
import { createRegistry } from './registry.ts';
import { validateRuleset } from './validateRuleset.ts';
import { fixedSignal } from './testing/testSignals.ts';

const oldSignal = defineSignal({
  meta: {
    id: 'test.old',
    version: '2.0.0',
    title: 'Old signal',
    description: 'Kept for old rulesets, for validation tests.',
    category: 'pattern',
    appliesTo: ['refund'],
    defaultWeight: 5,
    params: { type: 'object', properties: {} },
    needs: ['subject'],
    deprecated: true,
    replacedBy: ['test.quiet'],
  },
  evaluate: () => ({ status: 'no_hit' }),
});

const registry = createRegistry([fixedSignal('test.quiet', { status: 'no_hit' }), fixedSignal('velocity.return-rate', { status: 'no_hit' }), oldSignal]);
const base = { id: 'shop-rules', version: 1, appliesTo: ['order'], zones: { medium: 31, high: 66 }, signals: { 'test.quiet': {} } };
const check = (overrides: Record<string, unknown>) => validateRuleset({ ...base, ...overrides }, registry);
const summary = (problems: ReturnType<typeof check>) => problems.map((p) => `${p.severity} ${p.pointer} ${p.code}`);

describe('validateRuleset', () => {
  it('accepts a minimal ruleset', () => {
    expect(check({})).toEqual([]);
  });

  it('refuses what is not an object', () => {
    expect(validateRuleset([1, 2], registry)).toEqual([{ pointer: '', code: 'schema', severity: 'error', message: 'a ruleset must be a JSON object' }]);
  });

  it('reports schema problems as JSON pointers with messages that name the problem', () => {
    const problems = check({ version: 0, zones: { medium: 31 }, colour: 'red', appliesTo: ['orders'] });
    expect(summary(problems)).toEqual([
      'error /appliesTo/0 schema',
      'error /colour schema',
      'error /version schema',
      'error /zones/high schema',
    ]);
    expect(problems.find((p) => p.pointer === '/colour')!.message).toBe('unknown property "colour"');
    expect(problems.find((p) => p.pointer === '/zones/high')!.message).toBe('missing required property "high"');
    expect(problems.find((p) => p.pointer === '/appliesTo/0')!.message).toBe('must be one of "order", "return", "refund"');
  });

  it('names unknown signals and suggests the closest id', () => {
    const [problem] = check({ signals: { 'velocity.return-rates': {} } });
    expect(problem).toMatchObject({ pointer: '/signals/velocity.return-rates', code: 'unknown-signal', severity: 'error' });
    expect(problem.message).toMatch(/did you mean "velocity.return-rate"/);
  });

  it("checks params against the signal's own schema, refusing unknown ones", () => {
    const problems = check({ signals: { 'test.quiet': { params: { strength: 2, colour: 'red' } } } });
    expect(summary(problems)).toEqual(['error /signals/test.quiet/params/colour bad-params', 'error /signals/test.quiet/params/strength bad-params']);
  });

  it('refuses zones out of order or above the cap', () => {
    expect(summary(check({ zones: { medium: 70, high: 40 } }))).toEqual(['error /zones/high zones-order']);
    expect(summary(check({ zones: { medium: 0, high: 40 } }))).toEqual(['error /zones/medium zones-order']);
    expect(summary(check({ zones: { medium: 30, high: 90 }, scoring: { cap: 80 } }))).toEqual(['error /zones/high zones-order']);
  });

  it('reports JSONata syntax errors with their position inside the expression', () => {
    const [problem] = check({ customSignals: [{ id: 'custom.x', when: 'refund.amount >', weight: 5 }] });
    expect(problem).toMatchObject({ pointer: '/customSignals/0/when', code: 'expression', severity: 'error' });
    expect(typeof problem.position).toBe('number');
  });

  it('refuses unknown expression roots and non-deterministic functions', () => {
    const problems = check({ derived: { a: 'refnd.amount * 2', b: '$now()' } });
    expect(summary(problems)).toEqual(['error /derived/a expression', 'error /derived/b expression']);
  });

  it('checks derived-fact references: defined, and defined earlier', () => {
    const problems = check({ derived: { share: 'derived.total / 2', total: 'order.totalPrice', self: 'derived.self + 1', ghost: 'derived.nothing' } });
    expect(summary(problems)).toEqual(['error /derived/ghost unknown-derived', 'error /derived/self derived-cycle', 'error /derived/share derived-order']);
  });

  it('refuses duplicate ids and custom ids that shadow registered signals', () => {
    const problems = check({
      customSignals: [
        { id: 'custom.a', when: 'true', weight: 1 },
        { id: 'custom.a', when: 'true', weight: 1 },
      ],
      actions: [
        { id: 'x', on: ['order'], conditions: { all: [] }, do: [{ type: 'review.queue' }] },
        { id: 'x', on: ['order'], conditions: { all: [] }, do: [{ type: 'review.queue' }] },
      ],
    });
    expect(summary(problems)).toEqual(['error /actions/1/id duplicate-id', 'error /customSignals/1/id duplicate-id']);
  });

  it('points at the exact place of a bad condition or action', () => {
    const problems = check({
      actions: [
        {
          id: 'hold',
          on: ['order'],
          conditions: { all: [{ fact: 'zone', operator: 'equal', value: 'high' }, { any: [{ fact: 'scroe', operator: 'greaterThan', value: 5 }] }] },
          do: [{ type: 'flow.trigger' }, { type: 'customer.tag', colour: 'red' }],
        },
        { id: 'op', on: ['order'], conditions: { all: [{ fact: 'score', operator: 'biggerThan', value: 5 }] }, do: [{ type: 'review.queue' }] },
      ],
    });
    const pointers = problems.map((p) => p.pointer);
    expect(pointers).toContain('/actions/0/conditions/all/1/any/0/fact');
    expect(pointers).toContain('/actions/0/do/0/handle');
    expect(pointers).toContain('/actions/0/do/1/colour');
    expect(pointers.some((p) => p.startsWith('/actions/1/conditions/all/0'))).toBe(true);
    expect(problems.find((p) => p.pointer === '/actions/0/conditions/all/1/any/0/fact')!.message).toMatch(/unknown fact "scroe"/);
  });

  it('warns, without blocking, about deprecated signals and kinds nothing applies to', () => {
    const problems = check({ signals: { 'test.old': {} } });
    expect(summary(problems)).toEqual(['warning /signals/test.old deprecated-signal', 'warning /signals/test.old never-applies']);
    expect(problems[0].message).toBe('test.old is deprecated; use test.quiet instead');
  });
});

describe('validateRuleset: size limits (a ruleset is merchant input on a shared server)', () => {
  const custom = (i: number) => ({ id: `custom.c-${i}`, when: 'order.totalPrice > 1', weight: 1 });

  it('refuses too many custom signals at once, without compiling any of them', () => {
    const started = performance.now();
    const problems = check({ customSignals: Array.from({ length: 10_000 }, (_, i) => custom(i)) });
    expect(problems).toEqual([{ pointer: '', code: 'too-large', severity: 'error', message: expect.stringMatching(/more than 20,000 values/) }]);
    const fewer = check({ customSignals: Array.from({ length: 101 }, (_, i) => custom(i)) });
    expect(fewer).toEqual([{ pointer: '/customSignals', code: 'too-large', severity: 'error', message: '101 custom signals; at most 100' }]);
    expect(check({ customSignals: Array.from({ length: 100 }, (_, i) => custom(i)) })).toEqual([]);
    // Not compiled: refusing 10,000 signals takes what walking the body takes.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('refuses too many derived facts or action rules, and too many expression characters in all', () => {
    expect(summary(check({ derived: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`d${i}`, '1'])) }))).toEqual(['error /derived too-large']);
    const rule = (i: number) => ({ id: `r-${i}`, on: ['order'], conditions: { all: [{ fact: 'zone', operator: 'equal', value: 'high' }] }, do: [{ type: 'review.queue' }] });
    expect(summary(check({ actions: Array.from({ length: 51 }, (_, i) => rule(i)) }))).toEqual(['error /actions too-large']);
    const long = `order.totalPrice > ${'1 + '.repeat(480)}1`;
    const problems = check({ customSignals: Array.from({ length: 60 }, (_, i) => ({ ...custom(i), when: long })) });
    expect(problems).toEqual([{ pointer: '/customSignals', code: 'too-large', severity: 'error', message: expect.stringMatching(/expressions total 116,400 characters; at most 100,000/) }]);
  });

  it('refuses a condition tree nested deeper than 32 levels with its pointer, without recursing into it', () => {
    let conditions: Record<string, unknown> = { fact: 'zone', operator: 'equal', value: 'high' };
    for (let i = 0; i < 100_000; i++) conditions = { not: conditions };
    const problems = check({ actions: [{ id: 'deep', on: ['order'], conditions, do: [{ type: 'review.queue' }] }] });
    expect(problems).toEqual([{ pointer: expect.stringMatching(/^\/actions\/0\/conditions(\/not){29}$/), code: 'too-large', severity: 'error', message: 'nested more than 32 levels deep' }]);
  });

  it('puts the same counts in the JSON Schema the editor reads', async () => {
    const schema = (await import('../rulesets/schema/ruleset.schema.json', { with: { type: 'json' } })).default;
    expect(schema.properties.customSignals.maxItems).toBe(100);
    expect(schema.properties.derived.maxProperties).toBe(50);
    expect(schema.properties.actions.maxItems).toBe(50);
  });
});

describe('validateRuleset: per-kind weights and zones', () => {
  it('accepts weights and zones per kind', () => {
    expect(check({ appliesTo: ['order', 'return'], zones: { medium: 31, high: 66, byKind: { order: { medium: 20, high: 45 } } }, signals: { 'test.quiet': { weight: 10, weightByKind: { order: 25, return: -5 } } } })).toEqual([]);
  });

  it('checks each kind’s zone order, with a pointer to the kind’s threshold', () => {
    const problems = check({ appliesTo: ['order', 'return', 'refund'], zones: { medium: 31, high: 66, byKind: { order: { medium: 50, high: 40 }, return: { medium: 0, high: 30 }, refund: { medium: 10, high: 99 } } }, scoring: { cap: 90 } });
    expect(summary(problems)).toEqual([
      'error /zones/byKind/order/high zones-order',
      'error /zones/byKind/refund/high zones-order',
      'error /zones/byKind/return/medium zones-order',
    ]);
    expect(problems.find((p) => p.pointer === '/zones/byKind/order/high')!.message).toBe('the HIGH zone of orders must start above the MEDIUM zone (medium 50, high 40)');
    expect(problems.find((p) => p.pointer === '/zones/byKind/refund/high')!.message).toContain('above the score cap 90');
  });

  it('refuses unknown kinds, out-of-range weights and incomplete kind zones by schema', () => {
    const problems = check({ zones: { medium: 31, high: 66, byKind: { orders: { medium: 1, high: 2 }, order: { medium: 20 } } }, signals: { 'test.quiet': { weightByKind: { order: 120, refunds: 3 } } } });
    expect(summary(problems)).toEqual([
      'error /signals/test.quiet/weightByKind/order schema',
      'error /signals/test.quiet/weightByKind/refunds schema',
      'error /zones/byKind/order/high schema',
      'error /zones/byKind/orders schema',
    ]);
  });

  it('warns about a kind weight or zone that is never used', () => {
    const problems = check({ appliesTo: ['order'], zones: { medium: 31, high: 66, byKind: { refund: { medium: 20, high: 40 } } }, signals: { 'test.old': { weightByKind: { order: 5 } }, 'test.quiet': { weightByKind: { return: 5 } } } });
    expect(summary(problems).filter((p) => p.includes('never-applies'))).toEqual([
      'warning /signals/test.old never-applies',
      'warning /signals/test.old/weightByKind/order never-applies',
      'warning /signals/test.quiet/weightByKind/return never-applies',
      'warning /zones/byKind/refund never-applies',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { makeLineItem, makeOrder, orderContext, returnContext } from '../sdk/testing/index.ts';
import { builtinSignals } from '../signals/index.ts';
import defaultRuleset from '../rulesets/default.json' with { type: 'json' };
import { compileRuleset, contentHashOf } from './compileRuleset.ts';
import { ExpressionBudgetExhausted } from './evaluate/decide.ts';
import { ExpressionBudget } from './expression/ExpressionBudget.ts';
import { RulesetValidationError } from './problems.ts';
import { createRegistry } from './registry.ts';
import type { Ruleset } from './ruleset.ts';
import { fixedSignal, outOfRangeSignal, throwingSignal } from './testing/testSignals.ts';

const registry = createRegistry([
  fixedSignal('test.hit-strong', { status: 'hit', strength: 1, message: 'strong' }, 40),
  fixedSignal('test.hit-half', { status: 'hit', strength: 0.5, message: 'half' }, 30),
  fixedSignal('test.quiet', { status: 'no_hit', message: '' }, 25),
  fixedSignal('test.thin', { status: 'insufficient_data', message: 'too little history' }, 20),
  fixedSignal('test.trust', { status: 'hit', strength: 1, message: 'trusted' }, -15),
  fixedSignal('test.returns-only', { status: 'hit', strength: 1, message: 'r' }, 10, ['return']),
  throwingSignal,
  outOfRangeSignal,
]);

function ruleset(overrides: Partial<Ruleset> = {}): Ruleset {
  return {
    id: 'test',
    version: 3,
    appliesTo: ['order', 'return', 'refund'],
    zones: { medium: 31, high: 66 },
    signals: { 'test.hit-strong': {}, 'test.hit-half': {}, 'test.quiet': {}, 'test.thin': {} },
    ...overrides,
  };
}

describe('compileRuleset → decide', () => {
  it('scores a weighted sum whose points add up to the score, with a zone', () => {
    const decision = compileRuleset(ruleset(), registry).decide(orderContext());
    expect(decision.score).toBe(55);
    expect(decision.zone).toBe('medium');
    expect(decision.signals.map((s) => [s.id, s.status, s.points])).toEqual([
      ['test.hit-half', 'hit', 15],
      ['test.hit-strong', 'hit', 40],
      ['test.quiet', 'no_hit', 0],
      ['test.thin', 'insufficient_data', 0],
    ]);
    expect(decision.signals.reduce((sum, s) => sum + s.points, 0)).toBe(decision.score);
    expect(decision.coverage).toEqual({ evaluated: 4, hit: 2, noHit: 1, insufficient: 1, error: 0 });
    expect(decision.ruleset).toEqual({ id: 'test', version: 3, contentHash: contentHashOf(ruleset()) });
    expect(decision.signals[0]).toMatchObject({ version: '1.2.3', source: 'signal', weight: 30, strength: 0.5, message: 'half' });
  });

  it('uses ruleset weights and params over the signal defaults, and skips disabled signals', () => {
    const decision = compileRuleset(
      ruleset({ signals: { 'test.hit-strong': { weight: 10, params: { strength: 0.25 } }, 'test.hit-half': { enabled: false } } }),
      registry,
    ).decide(orderContext());
    expect(decision.signals.map((s) => s.id)).toEqual(['test.hit-strong']);
    expect(decision.score).toBe(2.5);
    expect(decision.zone).toBe('low');
  });

  it('can weight insufficient data, per signal or as a share of the weight, and always shows it', () => {
    const perSignal = compileRuleset(ruleset({ signals: { 'test.thin': { insufficientWeight: 12 } } }), registry).decide(orderContext());
    expect(perSignal.signals[0]).toMatchObject({ status: 'insufficient_data', points: 12, message: 'too little history' });
    const shared = compileRuleset(ruleset({ scoring: { insufficientDataFactor: 0.5 }, signals: { 'test.thin': {} } }), registry).decide(orderContext());
    expect(shared.score).toBe(10);
  });

  it('records a throwing or misbehaving signal as an error and still scores the rest', () => {
    const decision = compileRuleset(
      ruleset({ signals: { 'test.hit-strong': {}, 'test.throws': {}, 'test.out-of-range': {} } }),
      registry,
    ).decide(orderContext());
    const byId = Object.fromEntries(decision.signals.map((s) => [s.id, s]));
    expect(byId['test.throws']).toMatchObject({ status: 'error', points: 0, message: 'Error: upstream data missing' });
    expect(byId['test.out-of-range'].status).toBe('error');
    expect(byId['test.out-of-range'].message).toMatch(/strength must be a number from 0 to 1; got 7/);
    expect(decision.score).toBe(40);
    expect(decision.coverage.error).toBe(2);
  });

  it('clamps to the cap and rescales points so that they still add up', () => {
    const decision = compileRuleset(
      ruleset({ signals: { 'test.hit-strong': { weight: 90 }, 'test.hit-half': { weight: 100 }, 'test.trust': {} } }),
      registry,
    ).decide(orderContext());
    expect(decision.rawScore).toBe(125);
    expect(decision.score).toBe(100);
    expect(decision.scaled).toBe(true);
    expect(decision.zone).toBe('high');
    expect(decision.signals.reduce((sum, s) => sum + Math.round(s.points * 100), 0)).toBe(10000);
  });

  it('runs only the signals that apply to the subject kind', () => {
    const compiled = compileRuleset(ruleset({ signals: { 'test.returns-only': {}, 'test.quiet': {} } }), registry);
    expect(compiled.signalIds('order')).toEqual(['test.quiet']);
    expect(compiled.signalIds('return')).toEqual(['test.quiet', 'test.returns-only']);
    expect(compiled.decide(returnContext()).score).toBe(10);
  });

  it('refuses a subject kind the ruleset does not score', () => {
    const compiled = compileRuleset(ruleset({ appliesTo: ['return'] }), registry);
    expect(() => compiled.decide(orderContext())).toThrow(/does not score order events/);
  });

  it('computes derived facts and custom signals from JSONata, insufficient when facts are missing', () => {
    const compiled = compileRuleset(
      ruleset({
        signals: {},
        derived: { itemCount: '$sum(order.lineItems.quantity)', bigBasket: 'derived.itemCount >= 3' },
        customSignals: [
          {
            id: 'custom.big-basket',
            when: 'derived.bigBasket',
            strength: 'derived.itemCount >= 5 ? 1 : 0.5',
            weight: 20,
            message: 'Many items in one order',
            evidence: { items: 'derived.itemCount' },
          },
          { id: 'custom.refund-share', appliesTo: ['order', 'refund'], when: 'refund.amount / order.totalPrice > 0.8', weight: 10 },
          { id: 'custom.guest', when: 'customer = null', weight: 5 },
        ],
      }),
      registry,
    );
    const order = makeOrder({ lineItems: [makeLineItem({ quantity: 2 }), makeLineItem({ quantity: 2 })] });
    const decision = compiled.decide(orderContext(order));
    expect(decision.derived).toEqual({ itemCount: 4, bigBasket: true });
    const [basket, share, guest] = decision.signals;
    expect(guest).toMatchObject({ id: 'custom.guest', status: 'no_hit' });
    expect(compiled.decide(orderContext(order, { customer: null })).signals[2]).toMatchObject({ id: 'custom.guest', status: 'hit', points: 5 });
    expect(basket).toMatchObject({ id: 'custom.big-basket', source: 'custom', status: 'hit', strength: 0.5, points: 10, evidence: { items: 4 } });
    expect(share).toMatchObject({ id: 'custom.refund-share', status: 'insufficient_data', points: 0 });
  });

  it('treats a derived fact that divides by zero as missing, with the reason in the trace', () => {
    const compiled = compileRuleset(
      ruleset({
        signals: {},
        derived: { discountShare: 'order.totalDiscounts / order.totalPrice' },
        customSignals: [{ id: 'custom.deep-discount', when: 'derived.discountShare > 0.5', weight: 10 }],
      }),
      registry,
    );
    const decision = compiled.decide(orderContext(makeOrder({ totalPrice: 0, totalDiscounts: 20 })));
    expect(decision.derived).toEqual({ discountShare: null });
    expect(decision.derivedErrors).toEqual({ discountShare: 'gave Infinity (a division by zero?); treated as missing' });
    expect(decision.signals[0]).toMatchObject({
      id: 'custom.deep-discount',
      status: 'insufficient_data',
      message: 'custom.deep-discount: no value for derived.discountShare',
    });
  });

  it('stops a runaway expression with a clear error and still decides', () => {
    const compiled = compileRuleset(
      ruleset({
        signals: { 'test.hit-strong': {} },
        customSignals: [
          // Quadratic: for every past order, scan every past order again.
          { id: 'custom.quadratic', when: '$count(history.orders[$count($$.history.orders[totalPrice > 0]) > 0]) > 0', weight: 30 },
        ],
      }),
      registry,
    );
    const orders = Array.from({ length: 3000 }, (_, i) => makeOrder({ id: `gid://shopify/Order/${i}` }));
    const decision = compiled.decide(orderContext(makeOrder(), { history: { orders } }));
    const runaway = decision.signals.find((s) => s.id === 'custom.quadratic')!;
    expect(runaway.status).toBe('error');
    expect(runaway.message).toMatch(/used up their budget of 100,000 steps/);
    expect(decision.score).toBe(40);
    expect(decision.expressions).toEqual({ steps: 100_000, limit: 100_000, exhausted: true });
  });

  describe('the per-decision expression budget', () => {
    // Each of these stringifies the whole context once per past order: heavy on a long history.
    const heavy = (n: number) => ({ id: `custom.heavy-${n}`, when: '$sum(history.orders.($length($string($$)))) > 0', weight: 5 });
    const orders = Array.from({ length: 10 }, (_, i) => makeOrder({ id: `gid://shopify/Order/${i}` }));

    it('is shared by every custom expression of a decision: once used up, the rest answer error without running', () => {
      const compiled = compileRuleset(ruleset({ signals: { 'test.hit-strong': {} }, customSignals: Array.from({ length: 40 }, (_, i) => heavy(i)) }), registry, { decisionSteps: 50_000 });
      const decision = compiled.decide(orderContext(makeOrder(), { history: { orders } }));
      const custom = decision.signals.filter((s) => s.source === 'custom');
      const ran = custom.filter((s) => s.status === 'hit');
      expect(ran.length).toBeGreaterThan(0);
      expect(ran.length).toBeLessThan(40);
      for (const s of custom.slice(ran.length)) expect(s).toMatchObject({ status: 'error', points: 0, message: expect.stringMatching(/not evaluated: .*budget of 50,000 steps/) });
      expect(decision.expressions).toMatchObject({ limit: 50_000, exhausted: true });
      expect(decision.expressions!.steps).toBeLessThanOrEqual(50_000);
      // Built-in signals are not expressions: they still score.
      expect(decision.signals.find((s) => s.id === 'test.hit-strong')!.points).toBe(40);
    });

    it('keeps small evidence as is and replaces a value too large to keep (every stored trace carries it) with a note', () => {
      const compiled = compileRuleset(
        ruleset({ customSignals: [{ id: 'custom.e', when: 'true', weight: 5, evidence: { total: 'order.totalPrice', everything: '$$', orders: 'history.orders', long: '$join(history.orders.id, ",")' } }] }),
        registry,
      );
      const many = Array.from({ length: 300 }, (_, i) => makeOrder({ id: `gid://shopify/Order/${i}` }));
      const evidence = compiled.decide(orderContext(makeOrder({ totalPrice: 42 }), { history: { orders: many } })).signals.find((s) => s.id === 'custom.e')!.evidence as Record<string, unknown>;
      expect(evidence.total).toBe(42);
      expect(evidence.everything).toMatch(/^\(an object too large to keep as evidence: at most 200 values and 2,000 characters\)$/);
      expect(evidence.orders).toMatch(/^\(a list too large/);
      expect(evidence.long).toMatch(/^gid:\/\/shopify\/Order\/0,.*… \([\d,]+ characters\)$/);
      expect((evidence.long as string).length).toBeLessThan(2_100);
    });

    it('is deterministic: the same context and limit give the same decision byte for byte', () => {
      const body = ruleset({ customSignals: Array.from({ length: 10 }, (_, i) => heavy(i)) });
      const ctx = orderContext(makeOrder(), { history: { orders } });
      const a = compileRuleset(body, registry, { decisionSteps: 30_000 }).decide(ctx);
      const b = compileRuleset(body, registry, { decisionSteps: 30_000 }).decide(structuredClone(ctx));
      expect(a.expressions!.exhausted).toBe(true);
      expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    });

    it('records the steps used when within the limit, and nothing for a ruleset without expressions', () => {
      const light = compileRuleset(ruleset({ customSignals: [{ id: 'custom.big', when: 'order.totalPrice > 1', weight: 5 }] }), registry).decide(orderContext(makeOrder({ totalPrice: 50 })));
      expect(light.expressions).toMatchObject({ limit: 100_000 });
      expect(light.expressions!.exhausted).toBeUndefined();
      expect(light.expressions!.steps).toBeGreaterThan(0);
      expect(compileRuleset(ruleset(), registry).decide(orderContext()).expressions).toBeUndefined();
    });

    it('charges a request budget across decisions and stops the request, naming the heaviest expressions', () => {
      const compiled = compileRuleset(ruleset({ customSignals: [heavy(1), { id: 'custom.light', when: 'order.totalPrice > 1', weight: 5 }] }), registry);
      const budget = new ExpressionBudget(200_000, { track: true });
      const ctx = orderContext(makeOrder(), { history: { orders } });
      let decided = 0;
      const run = () => {
        for (;;) {
          compiled.decide(ctx, { budget });
          decided++;
        }
      };
      expect(run).toThrow(ExpressionBudgetExhausted);
      expect(decided).toBeGreaterThan(0);
      expect(budget.exhausted).toBe(true);
      try {
        compiled.decide(ctx, { budget });
      } catch (error) {
        expect((error as ExpressionBudgetExhausted).heaviest[0]!.label).toBe('custom.heavy-1');
        expect((error as Error).message).toMatch(/budget of 200,000 steps \(most: custom\.heavy-1/);
      }
    });
  });

  it('chooses actions from condition rules over the decision and explains why', () => {
    const compiled = compileRuleset(
      ruleset({
        actions: [
          {
            id: 'hold',
            on: ['order'],
            conditions: { all: [{ fact: 'zone', operator: 'equal', value: 'medium' }, { fact: 'hits', operator: 'contains', value: 'test.hit-strong' }] },
            do: [{ type: 'fulfillment.hold' }, { type: 'customer.tag' }, { type: 'risk.assessment' }],
          },
          { id: 'never', on: ['order'], conditions: { any: [{ fact: 'score', operator: 'greaterThan', value: 90 }] }, do: [{ type: 'flow.trigger', handle: 'x' }] },
          { id: 'returns', on: ['return'], conditions: { all: [] }, do: [{ type: 'review.queue' }] },
        ],
      }),
      registry,
    );
    const decision = compiled.decide(orderContext());
    expect(decision.actionRules.map((r) => [r.id, r.matched])).toEqual([
      ['hold', true],
      ['never', false],
    ]);
    expect(decision.actions).toEqual([
      { ruleId: 'hold', type: 'fulfillment.hold', reason: 'HIGH_RISK_OF_FRAUD' },
      { ruleId: 'hold', type: 'customer.tag', tag: 'refundsentry:medium-risk' },
      { ruleId: 'hold', type: 'risk.assessment', riskLevel: 'MEDIUM' },
    ]);
    expect(JSON.stringify(decision.actionRules[0].conditions)).toContain('"factResult":"medium"');
    expect(compiled.decide(returnContext()).actions).toEqual([{ ruleId: 'returns', type: 'review.queue', queue: 'default', priority: 'normal' }]);
  });

  it('is deterministic: the same context and ruleset give the same bytes; batch equals single', () => {
    const compiled = compileRuleset(defaultRuleset, createRegistry(builtinSignals));
    const contexts = [orderContext(), returnContext(), orderContext(makeOrder({ discountCodes: ['A', 'B'] }), { customer: null })];
    const single = contexts.map((ctx) => JSON.stringify(compiled.decide(structuredClone(ctx), { explainConditions: false })));
    const again = contexts.map((ctx) => JSON.stringify(compileRuleset(defaultRuleset, createRegistry(builtinSignals)).decide(structuredClone(ctx), { explainConditions: false })));
    const batch = compiled.decideBatch(contexts.map((c) => structuredClone(c))).map((d) => JSON.stringify(d));
    expect(again).toEqual(single);
    expect(batch).toEqual(single);
  });

  it('reuses precomputed signal results and evaluates the rest', () => {
    const compiled = compileRuleset(ruleset(), registry);
    const stored = new Map([['test.quiet', { status: 'hit' as const, strength: 1, evidence: { stored: true }, message: 'from store' }]]);
    const decision = compiled.decideWithResults(orderContext(), stored);
    expect(decision.signals.find((s) => s.id === 'test.quiet')).toMatchObject({ status: 'hit', points: 25, evidence: { stored: true } });
    expect(decision.score).toBe(80);
  });

  it('records timings only when given a clock', () => {
    const compiled = compileRuleset(ruleset(), registry);
    expect(compiled.decide(orderContext()).timings).toBeUndefined();
    let tick = 0;
    const timed = compiled.decide(orderContext(), { clock: () => (tick += 1) });
    expect(timed.timings!.totalMs).toBeGreaterThan(0);
    expect(timed.signals.every((s) => s.durationMs === 1)).toBe(true);
  });

  it('throws every validation problem at once for a bad ruleset', () => {
    const bad = { ...ruleset(), zones: { medium: 70, high: 40 }, signals: { 'test.nope': {}, 'test.quiet': { params: { strength: 3 } } } };
    try {
      compileRuleset(bad, registry);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RulesetValidationError);
      const pointers = (e as RulesetValidationError).problems.map((p) => p.pointer);
      expect(pointers).toEqual(['/signals/test.nope', '/signals/test.quiet/params/strength', '/zones/high']);
    }
  });
});

describe('compileRuleset → evaluateSignals and signalSpecs (for the simulator)', () => {
  it('runs only the named signals, with the results decide gives, and nothing for kinds they do not score', () => {
    const compiled = compileRuleset(
      ruleset({
        signals: { 'test.hit-half': {}, 'test.returns-only': {}, 'test.throws': {} },
        derived: { big: 'order.totalPrice > 10' },
        customSignals: [{ id: 'custom.big', when: 'derived.big', weight: 5 }],
      }),
      registry,
    );
    const ctx = returnContext();
    const decided = new Map(compiled.decide(ctx).signals.map((s) => [s.id, s]));
    const ids = ['custom.big', 'test.throws', 'test.returns-only'];
    const results = compiled.evaluateSignals(ctx, ids);
    results.forEach((result, i) => {
      const trace = decided.get(ids[i])!;
      expect(result).toMatchObject({ status: trace.status, strength: trace.strength, message: trace.message });
    });
    expect(results.map((r) => r!.status)).toEqual(['hit', 'error', 'hit']);
    expect(compiled.evaluateSignals(orderContext(), ['test.returns-only', 'test.hit-half']).map((r) => r?.status)).toEqual([undefined, 'hit']);
  });

  it('keys each signal by its version and resolved params, and custom signals by their config and the derived facts', () => {
    const specs = (r: Partial<Ruleset>) => new Map(compileRuleset(ruleset(r), registry).signalSpecs().map((s) => [s.id, s]));
    const base = specs({ signals: { 'test.hit-half': {}, 'test.returns-only': {} }, customSignals: [{ id: 'custom.a', when: 'true', weight: 1 }] });
    expect(base.get('test.returns-only')!.kinds).toEqual(['return']);
    expect(base.get('custom.a')!.needs.length).toBeGreaterThan(5);
    const reweighted = specs({ signals: { 'test.hit-half': { weight: 99 }, 'test.returns-only': {} }, customSignals: [{ id: 'custom.a', when: 'true', weight: 7 }] });
    expect(reweighted.get('test.hit-half')!.key).toBe(base.get('test.hit-half')!.key);
    expect(reweighted.get('custom.a')!.key).toBe(base.get('custom.a')!.key);
    const otherDerived = specs({ signals: { 'test.hit-half': {} }, derived: { x: '1' }, customSignals: [{ id: 'custom.a', when: 'true', weight: 1 }] });
    expect(otherDerived.get('custom.a')!.key).not.toBe(base.get('custom.a')!.key);
  });
});

describe('per-kind weights and zones', () => {
  const perKind = ruleset({
    zones: { medium: 31, high: 66, byKind: { return: { medium: 20, high: 50 } } },
    signals: { 'test.hit-strong': { weight: 40, weightByKind: { return: 55, refund: 0 } }, 'test.hit-half': { weightByKind: { order: 10 } }, 'test.quiet': {}, 'test.thin': {}, 'test.returns-only': { weightByKind: { return: 3 } } },
    actions: [{ id: 'hold-high', on: ['order', 'return'], conditions: { all: [{ fact: 'zone', operator: 'equal', value: 'high' }] }, do: [{ type: 'review.queue' }] }],
  });
  const compiled = compileRuleset(perKind, registry);
  const order = makeOrder();

  it("scores each kind with its own weights, and the trace shows the kind's weight", () => {
    const onOrder = compiled.decide(orderContext(order));
    expect(onOrder.signals.map((s) => [s.id, s.weight, s.points])).toEqual([
      ['test.hit-half', 10, 5],
      ['test.hit-strong', 40, 40],
      ['test.quiet', 25, 0],
      ['test.thin', 20, 0],
    ]);
    expect([onOrder.score, onOrder.zone]).toEqual([45, 'medium']);
    const onReturn = compiled.decide(returnContext(undefined, order));
    expect(onReturn.signals.map((s) => [s.id, s.weight, s.points])).toEqual([
      ['test.hit-half', 30, 15],
      ['test.hit-strong', 55, 55],
      ['test.quiet', 25, 0],
      ['test.returns-only', 3, 3],
      ['test.thin', 20, 0],
    ]);
    // 73 is HIGH for a return (its own zones: 20/50) and the action rule's `zone` fact says so.
    expect([onReturn.score, onReturn.zone]).toEqual([73, 'high']);
    expect(onReturn.actionRules).toMatchObject([{ id: 'hold-high', matched: true }]);
    expect(onOrder.actionRules).toMatchObject([{ id: 'hold-high', matched: false }]);
  });

  it("judges a kind with its own zones: the same score is MEDIUM on an order and HIGH on a return", () => {
    const flat = compileRuleset(ruleset({ zones: { medium: 31, high: 66, byKind: { return: { medium: 20, high: 50 } } }, signals: { 'test.hit-strong': { weight: 52 } } }), registry);
    expect(flat.decide(orderContext(order))).toMatchObject({ score: 52, zone: 'medium' });
    expect(flat.decide(returnContext(undefined, order))).toMatchObject({ score: 52, zone: 'high' });
  });

  it('scoringModel gives each signal its weight per kind it runs for, and each kind its zones', () => {
    const model = compiled.scoringModel();
    expect(model.signals.find((s) => s.id === 'test.hit-strong')).toEqual({ id: 'test.hit-strong', weight: 40, weightByKind: { order: 40, return: 55, refund: 0 }, insufficientWeight: 0 });
    expect(model.signals.find((s) => s.id === 'test.returns-only')).toEqual({ id: 'test.returns-only', weight: 10, weightByKind: { return: 3 }, insufficientWeight: 0 });
    expect(model.zones).toEqual({ medium: 31, high: 66 });
    expect(model.zonesByKind).toEqual({ order: { medium: 31, high: 66 }, return: { medium: 20, high: 50 }, refund: { medium: 31, high: 66 } });
  });

  it('a ruleset that spells out every kind with the same weights and zones decides byte for byte as one that does not', () => {
    const plain = structuredClone(defaultRuleset) as Ruleset;
    const spelled = structuredClone(defaultRuleset) as Ruleset;
    for (const config of Object.values(spelled.signals)) if (config.weight !== undefined) config.weightByKind = { order: config.weight, return: config.weight, refund: config.weight };
    spelled.zones.byKind = { order: { ...plain.zones }, return: { ...plain.zones }, refund: { ...plain.zones } };
    const full = createRegistry(builtinSignals);
    const a = compileRuleset(plain, full);
    const b = compileRuleset(spelled, full);
    const contexts = [orderContext(order), returnContext(undefined, order)];
    for (const ctx of contexts) {
      const strip = (d: unknown) => JSON.stringify({ ...(d as object), ruleset: undefined });
      expect(strip(b.decide(ctx))).toBe(strip(a.decide(ctx)));
    }
  });
});

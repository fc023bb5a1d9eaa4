import fc from 'fast-check';
import { Engine } from 'json-rules-engine';
import { describe, expect, it } from 'vitest';
import { defineSignal, evaluateSignal, type SignalContext, type SignalStatus, type SubjectKind } from '../sdk/index.ts';
import { makeLineItem, makeOrder, makeReturn, orderContext, returnContext } from '../sdk/testing/index.ts';
import { compileRuleset } from './compileRuleset.ts';
import { evaluateWithJsonata } from './expression/timeboxedJsonata.testing.ts';
import { createRegistry } from './registry.ts';
import type { ActionRule, CustomSignalConfig, Ruleset, Zone } from './ruleset.ts';

/**
 * End to end: random rulesets (weights, strength curves, zones, cap, insufficient-data weights, derived facts,
 * custom signals, action rules) decided on random contexts by the compiled engine, and by a
 * straightforward reference that evaluates every expression with the jsonata library and every
 * action rule with json-rules-engine, as the documented semantics say. They must agree.
 */

const ECHO_IDS = Array.from({ length: 8 }, (_, i) => `echo.signal-${i}`);
type EchoOutcome = { status: Exclude<SignalStatus, 'error'>; strength: number } | { status: 'throw' };

// Signals whose outcome the context dictates (ctx.derived.echo[id]), so random contexts drive them.
const echoSignals = ECHO_IDS.map((id, i) =>
  defineSignal({
    meta: {
      id,
      version: `1.0.${i}`,
      title: `Echo ${i}`,
      description: 'Returns the outcome the context asks for (test signal).',
      category: 'pattern',
      appliesTo: i === 7 ? ['return'] : ['order', 'return', 'refund'],
      defaultWeight: 10 + i,
      params: { type: 'object', properties: {} },
      needs: ['derived'],
    },
    evaluate(ctx) {
      const outcome = (ctx.derived.echo as Record<string, EchoOutcome>)[id];
      if (outcome.status === 'throw') throw new Error(`${id} failed`);
      return outcome.status === 'hit'
        ? { status: 'hit', strength: outcome.strength, message: 'echo' }
        : { status: outcome.status, message: outcome.status === 'no_hit' ? '' : 'thin' };
    },
  }),
);
const registry = createRegistry(echoSignals);

const DERIVED_POOL = [
  'order.totalPrice * 2',
  '$sum(order.lineItems.quantity)',
  'order.totalDiscounts / order.totalPrice',
  '$count(history.orders)',
  '$max(history.orders.totalPrice)',
  '$average(history.orders.totalPrice)',
  'order.totalPrice - $sum(history.orders[totalPrice > 100].totalPrice)',
  '$count(order.discountCodes) > 1',
];
const WHEN_POOL = [
  'order.totalPrice > 120',
  '$count(history.orders) >= 2',
  '$sum(order.lineItems.quantity) > 3 and order.totalDiscounts > 0',
  'order.discountCodes[0] = "VIP" or order.totalPrice < 30',
  'kind = "return"',
  '$exists(return) and return.totalValue > 50',
  'customer = null',
  'derived.d0 > 100',
  'derived.d1 >= 3',
  'derived.d2 > 0.2',
];
const STRENGTH_POOL = ['0.5', 'order.totalPrice > 200 ? 1 : 0.25', '$count(history.orders) > 0 ? 0.8 : 0.4'];

const outcomeArb: fc.Arbitrary<EchoOutcome> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ status: fc.constant('hit' as const), strength: fc.integer({ min: 1, max: 100 }).map((n) => n / 100) }) },
  { weight: 4, arbitrary: fc.constant({ status: 'no_hit' as const, strength: 0 }) },
  { weight: 2, arbitrary: fc.constant({ status: 'insufficient_data' as const, strength: 0 }) },
  { weight: 1, arbitrary: fc.constant({ status: 'throw' as const }) },
);

const contextArb = fc
  .record({
    kind: fc.constantFrom<SubjectKind>('order', 'return'),
    prices: fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 4 }),
    quantities: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 4, maxLength: 4 }),
    discount: fc.integer({ min: 0, max: 80 }),
    codes: fc.subarray(['VIP', 'WELCOME', 'SPRING']),
    history: fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 5 }),
    guest: fc.boolean(),
    echo: fc.tuple(...ECHO_IDS.map(() => outcomeArb)),
  })
  .map((r): SignalContext => {
    const lineItems = r.prices.map((price, i) => makeLineItem({ id: `gid://shopify/LineItem/${i}`, price, quantity: r.quantities[i] }));
    const gross = lineItems.reduce((sum, item) => sum + item.price * item.quantity, 0);
    const order = makeOrder({ id: 'gid://shopify/Order/1', lineItems, discountCodes: r.codes, totalDiscounts: Math.min(r.discount, gross), totalPrice: gross - Math.min(r.discount, gross) });
    const history = { orders: r.history.map((totalPrice, i) => makeOrder({ id: `gid://shopify/Order/h${i}`, totalPrice })) };
    const overrides = { customer: r.guest ? null : undefined, history, derived: { echo: Object.fromEntries(ECHO_IDS.map((id, i) => [id, r.echo[i]])) } };
    return r.kind === 'order' ? orderContext(order, overrides) : returnContext(makeReturn(order, { id: 'gid://shopify/Return/1' }), order, overrides);
  });

const leafArb = fc.oneof(
  fc.record({ fact: fc.constant('score'), operator: fc.constantFrom('greaterThan', 'lessThanInclusive', 'greaterThanInclusive'), value: fc.integer({ min: 0, max: 100 }) }),
  fc.record({ fact: fc.constant('zone'), operator: fc.constantFrom('equal', 'notEqual'), value: fc.constantFrom('low', 'medium', 'high') }),
  fc.record({ fact: fc.constant('zone'), operator: fc.constantFrom('in', 'notIn'), value: fc.subarray(['low', 'medium', 'high']) }),
  fc.record({ fact: fc.constantFrom('hits', 'insufficient', 'errors'), operator: fc.constantFrom('contains', 'doesNotContain'), value: fc.constantFrom(...ECHO_IDS, 'custom.c0') }),
  fc.record({ fact: fc.constant('signals'), path: fc.constantFrom(...ECHO_IDS.map((id) => `$['${id}'].status`)), operator: fc.constant('equal'), value: fc.constantFrom('hit', 'no_hit') }),
  fc.record({ fact: fc.constant('kind'), operator: fc.constant('equal'), value: fc.constantFrom('order', 'return') }),
  fc.record({ fact: fc.constant('coverage'), path: fc.constant('$.error'), operator: fc.constant('greaterThan'), value: fc.integer({ min: 0, max: 2 }) }),
);
const { tree: conditionArb } = fc.letrec<{ tree: Record<string, unknown>; node: unknown }>((tie) => ({
  tree: fc.oneof(
    fc.record({ all: fc.array(tie('node'), { maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('node'), { maxLength: 3 }) }),
    fc.record({ not: tie('node') }),
  ),
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leafArb, tie('tree')),
}));

/** A valid strength curve: 0 to 4 inner points at strengths in hundredths, counted strengths never going down. */
const curveArb = fc
  .tuple(fc.uniqueArray(fc.integer({ min: 1, max: 99 }), { maxLength: 4 }), fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 6, maxLength: 6 }))
  .map(([inner, ys]): [number, number][] => {
    const xs = [0, ...[...inner].sort((a, b) => a - b), 100];
    const counted = ys.slice(0, xs.length).sort((a, b) => a - b);
    return xs.map((x, i) => [x / 100, counted[i]! / 100]);
  });

/** The reference reading of a curve: the segment holding the strength, the straight line through its ends. */
function referenceCurve(curve: [number, number][], strength: number): number {
  const right = curve.findIndex(([x]) => x >= strength);
  if (right <= 0) return right === 0 ? curve[0]![1] : curve[curve.length - 1]![1];
  const [x1, y1] = curve[right]!;
  if (x1 === strength) return y1;
  const [x0, y0] = curve[right - 1]!;
  return y0 + ((strength - x0) * (y1 - y0)) / (x1 - x0);
}

const rulesetArb = fc
  .record({
    signals: fc.uniqueArray(
      fc.record({
        id: fc.constantFrom(...ECHO_IDS),
        weight: fc.integer({ min: -30, max: 60 }),
        insufficientWeight: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
        enabled: fc.boolean(),
        // Per-kind weights (a fitted version's): some kinds listed, the others on `weight`.
        weightByKind: fc.option(fc.record({ order: fc.integer({ min: -30, max: 70 }), return: fc.integer({ min: -30, max: 70 }) }, { requiredKeys: [] }), { nil: undefined }),
        // Strength curves: one for every kind, and some kinds' own.
        curve: fc.option(curveArb, { nil: undefined }),
        curveByKind: fc.option(fc.record({ order: curveArb, return: curveArb }, { requiredKeys: [] }), { nil: undefined }),
      }),
      { selector: (s) => s.id, maxLength: 8 },
    ),
    derivedCount: fc.integer({ min: 0, max: 3 }),
    derivedPicks: fc.array(fc.constantFrom(...DERIVED_POOL), { minLength: 3, maxLength: 3 }),
    customs: fc.array(fc.record({ when: fc.constantFrom(...WHEN_POOL), strength: fc.option(fc.constantFrom(...STRENGTH_POOL), { nil: undefined }), weight: fc.integer({ min: -20, max: 40 }) }), { maxLength: 3 }),
    actions: fc.array(conditionArb, { maxLength: 3 }),
    cap: fc.constantFrom(100, 80),
    medium: fc.integer({ min: 5, max: 40 }),
    gap: fc.integer({ min: 1, max: 35 }),
    factor: fc.constantFrom(0, 0.5),
    kindZones: fc.option(fc.record({ order: fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 })), return: fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 })) }, { requiredKeys: [] }), { nil: undefined }),
  })
  .map((r): Ruleset => {
    const derived = Object.fromEntries(r.derivedPicks.slice(0, r.derivedCount).map((src, i) => [`d${i}`, src]));
    const customSignals: CustomSignalConfig[] = r.customs
      .filter((c) => !/derived\.d(\d)/.test(c.when) || Number(/derived\.d(\d)/.exec(c.when)![1]) < r.derivedCount)
      .map((c, i) => ({ id: `custom.c${i}`, when: c.when, weight: c.weight, ...(c.strength ? { strength: c.strength } : {}) }));
    const actions: ActionRule[] = r.actions.map((conditions, i) => ({ id: `rule-${i}`, on: i === 2 ? ['return'] : ['order', 'return'], conditions, do: [{ type: 'review.queue' }] }));
    return {
      id: 'random',
      version: 1,
      appliesTo: ['order', 'return'],
      zones: {
        medium: r.medium,
        high: Math.min(r.cap, r.medium + r.gap),
        ...(r.kindZones ? { byKind: Object.fromEntries(Object.entries(r.kindZones).map(([kind, [medium, gap]]) => [kind, { medium, high: Math.min(r.cap, medium + gap) }])) } : {}),
      },
      scoring: { cap: r.cap, insufficientDataFactor: r.factor },
      derived,
      signals: Object.fromEntries(r.signals.map((s) => [s.id, { weight: s.weight, enabled: s.enabled, ...(s.insufficientWeight === undefined ? {} : { insufficientWeight: s.insufficientWeight }), ...(s.weightByKind ? { weightByKind: s.weightByKind } : {}), ...(s.curve ? { curve: s.curve } : {}), ...(s.curveByKind ? { curveByKind: s.curveByKind } : {}) }])),
      customSignals,
      actions,
    };
  });

interface ReferenceDecision {
  score: number;
  zone: Zone;
  signals: { id: string; status: string; strength: number }[];
  matched: string[];
  derived: Record<string, unknown>;
}

async function referenceDecide(ruleset: Ruleset, ctx: SignalContext): Promise<ReferenceDecision> {
  const kind = ctx.subject.kind;
  const subject = ctx.subject as SignalContext['subject'] & { return?: unknown; refund?: unknown };
  const facts: Record<string, unknown> & { derived: Record<string, unknown> } = {
    now: ctx.now, kind, subject, order: subject.order, return: subject.return ?? undefined, refund: subject.refund,
    customer: ctx.customer, history: ctx.history, baseline: ctx.baseline, derived: { ...ctx.derived },
  };
  for (const [name, source] of Object.entries(ruleset.derived ?? {})) {
    let value: unknown;
    try {
      value = await evaluateWithJsonata(source, facts);
    } catch {
      value = undefined;
    }
    facts.derived[name] = typeof value === 'number' && !Number.isFinite(value) ? undefined : value;
  }
  const factor = ruleset.scoring?.insufficientDataFactor ?? 0;
  const lines: { id: string; status: string; strength: number; cents: number }[] = [];
  for (const id of Object.keys(ruleset.signals).sort()) {
    const config = ruleset.signals[id];
    const signal = registry.get(id)!;
    if (config.enabled === false || !signal.meta.appliesTo.includes(kind)) continue;
    const weight = config.weight ?? signal.meta.defaultWeight;
    // A kind's own weight scores hits; insufficient data is one weight for every kind, from `weight`.
    const kindWeight = config.weightByKind?.[kind] ?? weight;
    // A hit counts at its kind's curve of its strength (the kind's own curve, else the signal's).
    const curve = (config.curveByKind?.[kind] ?? config.curve) as [number, number][] | undefined;
    const result = evaluateSignal(signal, ctx, {});
    const counted = curve ? referenceCurve(curve, result.strength) : result.strength;
    const cents = result.status === 'hit' ? Math.round(counted * kindWeight * 100) : result.status === 'insufficient_data' ? Math.round((config.insufficientWeight ?? factor * weight) * 100) : 0;
    lines.push({ id, status: result.status, strength: result.strength, cents });
  }
  for (const custom of ruleset.customSignals ?? []) {
    const missing = [...custom.when.matchAll(/derived\.(\w+)/g)].some((m) => facts.derived[m[1]] == null) || (/\breturn\./.test(custom.when) && facts.return == null);
    let status = 'insufficient_data';
    let strength = 0;
    if (!missing) {
      try {
        const fired = await evaluateWithJsonata(custom.when, facts);
        if (fired === true) {
          strength = custom.strength ? ((await evaluateWithJsonata(custom.strength, facts)) as number) : 1;
          status = 'hit';
        } else if (fired === undefined) status = 'insufficient_data';
        else status = typeof fired === 'boolean' ? 'no_hit' : 'error';
      } catch {
        status = 'error';
        strength = 0;
      }
    }
    lines.push({ id: custom.id, status, strength, cents: status === 'hit' ? Math.round(strength * custom.weight * 100) : 0 });
  }
  const cap = (ruleset.scoring?.cap ?? 100) * 100;
  const scoreCents = Math.min(cap, Math.max(0, lines.reduce((sum, l) => sum + l.cents, 0)));
  const score = scoreCents / 100;
  const zones = ruleset.zones.byKind?.[kind] ?? ruleset.zones;
  const zone: Zone = score >= zones.high ? 'high' : score >= zones.medium ? 'medium' : 'low';
  const ids = (status: string) => lines.filter((l) => l.status === status).map((l) => l.id);
  const decisionFacts = {
    ...facts, score, zone, hits: ids('hit'), insufficient: ids('insufficient_data'), errors: ids('error'),
    signals: Object.fromEntries(lines.map((l) => [l.id, { status: l.status, strength: l.strength }])),
    coverage: { evaluated: lines.length, hit: ids('hit').length, noHit: ids('no_hit').length, insufficient: ids('insufficient_data').length, error: ids('error').length },
  };
  const matched: string[] = [];
  for (const rule of ruleset.actions ?? []) {
    if (!rule.on.includes(kind)) continue;
    const engine = new Engine([], { allowUndefinedFacts: true });
    engine.addRule({ name: rule.id, conditions: rule.conditions as never, event: { type: rule.id } });
    const { events } = await engine.run(structuredClone(decisionFacts));
    if (events.length > 0) matched.push(rule.id);
  }
  const derived = Object.fromEntries(Object.keys(ruleset.derived ?? {}).map((name) => [name, facts.derived[name] ?? null]));
  return { score, zone, signals: lines.map(({ id, status, strength }) => ({ id, status, strength })), matched, derived };
}

describe('compiled decisions against the reference libraries', () => {
  it('agree on signals, score, zone, derived facts and matched actions for random rulesets and events', async () => {
    let matchedSome = 0;
    let zones = new Set<string>();
    await fc.assert(
      fc.asyncProperty(rulesetArb, fc.array(contextArb, { minLength: 1, maxLength: 3 }), async (ruleset, contexts) => {
        const compiled = compileRuleset(ruleset, registry);
        for (const ctx of contexts) {
          const ours = compiled.decide(ctx);
          const reference = await referenceDecide(ruleset, ctx);
          expect(ours.signals.map(({ id, status, strength }) => ({ id, status, strength }))).toEqual(reference.signals);
          expect(ours.score).toBe(reference.score);
          expect(ours.zone).toBe(reference.zone);
          expect(JSON.parse(JSON.stringify(ours.derived))).toEqual(JSON.parse(JSON.stringify(reference.derived)));
          expect(ours.actionRules.filter((r) => r.matched).map((r) => r.id)).toEqual(reference.matched);
          expect(ours.signals.reduce((sum, s) => sum + Math.round(s.points * 100), 0)).toBe(Math.round(ours.score * 100));
          if (reference.matched.length > 0) matchedSome++;
          zones.add(ours.zone);
        }
      }),
      { numRuns: 1500 },
    );
    // The generator must reach every zone and fire actions, or the comparison proves little.
    expect([...zones].sort()).toEqual(['high', 'low', 'medium']);
    expect(matchedSome).toBeGreaterThan(50);
  }, 120_000);
});

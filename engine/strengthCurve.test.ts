import { describe, expect, it } from 'vitest';
import defaultRuleset from '../rulesets/default.json' with { type: 'json' };
import { generateShop } from '../scenarios/generateShop.ts';
import { makeOrder, orderContext, returnContext } from '../sdk/testing/index.ts';
import type { SignalResult } from '../sdk/index.ts';
import { builtinSignals } from '../signals/index.ts';
import { compileRuleset } from './compileRuleset.ts';
import { replayHistory } from './history/replayHistory.ts';
import { createRegistry } from './registry.ts';
import type { Ruleset } from './ruleset.ts';
import { changedSignals } from './simulate/changedSignals.ts';
import { rescoreChanged } from './simulate/rescoreChanged.ts';
import { reweigh, SignalMatrix } from './simulate/signalMatrix.ts';
import { curveProblems, curveStrength, type StrengthCurve } from './strengthCurve.ts';
import { fixedSignal } from './testing/testSignals.ts';
import { validateRuleset } from './validateRuleset.ts';

describe('curveStrength', () => {
  it('draws straight lines between the points, flat beyond the ends', () => {
    const curve: StrengthCurve = [[0, 0], [0.5, 0.1], [0.9, 0.1], [1, 1]];
    expect(curveStrength(curve, 0)).toBe(0);
    expect(curveStrength(curve, 0.25)).toBeCloseTo(0.05, 12);
    expect(curveStrength(curve, 0.5)).toBe(0.1);
    expect(curveStrength(curve, 0.7)).toBeCloseTo(0.1, 12);
    expect(curveStrength(curve, 0.95)).toBeCloseTo(0.55, 12);
    expect(curveStrength(curve, 1)).toBe(1);
    expect(curveStrength(curve, 1.5)).toBe(1);
    expect(curveStrength(curve, -1)).toBe(0);
    // A step: hours-old accounts count nothing, minutes-old ones in full.
    const step: StrengthCurve = [[0, 0], [0.99, 0], [1, 1]];
    expect([0.3, 0.8, 0.98, 0.99, 0.995, 1].map((s) => Math.round(curveStrength(step, s) * 1000) / 1000)).toEqual([0, 0, 0, 0, 0.5, 1]);
    // Flat from the start: any hit counts in full.
    expect(curveStrength([[0, 1], [1, 1]], 0.1)).toBe(1);
  });

  it('says what is wrong with a curve, at the point concerned', () => {
    expect(curveProblems([[0, 0], [1, 1]])).toEqual([]);
    expect(curveProblems([[0.1, 0], [0.5, 0.6], [0.4, 0.5], [0.9, 0.7]]).map((p) => p.pointer)).toEqual(['/0/0', '/3/0', '/2/0', '/2/1']);
  });
});

const registry = createRegistry([
  fixedSignal('test.strong', { status: 'hit', strength: 1, message: 'strong' }, 40),
  fixedSignal('test.half', { status: 'hit', strength: 0.5, message: 'half' }, 30),
  fixedSignal('test.quiet', { status: 'no_hit', message: '' }, 25),
  fixedSignal('test.returns-only', { status: 'hit', strength: 0.8, message: 'r' }, 10, ['return']),
]);
const base: Ruleset = { id: 'curves', version: 1, appliesTo: ['order', 'return', 'refund'], zones: { medium: 31, high: 66 }, signals: { 'test.strong': {}, 'test.half': {}, 'test.quiet': {} } };
const withSignals = (signals: Ruleset['signals']): Ruleset => ({ ...base, signals });
const summary = (problems: ReturnType<typeof validateRuleset>) => problems.map((p) => `${p.severity} ${p.pointer} ${p.code}`);

describe('validating strength curves', () => {
  it('accepts curves and per-kind curves', () => {
    expect(validateRuleset(withSignals({ 'test.half': { curve: [[0, 0], [0.4, 0], [1, 1]], curveByKind: { return: [[0, 0.2], [1, 1]] } } }), registry)).toEqual([]);
  });

  it('refuses a curve out of range, with too many points or of the wrong shape (schema), and one that is not sorted, not from 0 to 1 or goes down (meaning), each at its JSON pointer', () => {
    const nine = Array.from({ length: 9 }, (_, i) => [i / 8, i / 8]);
    const problems = validateRuleset(
      withSignals({
        'test.strong': { curve: [[0, 0], [0.5, -0.2], [1, 1]], curveByKind: { order: nine as never, refunds: [[0, 0], [1, 1]] } as never },
        'test.half': { curve: [[0, 0], [0.5], [1, 1]] as never },
        'test.quiet': { curve: [[0.1, 0], [0.6, 0.5], [0.5, 0.7], [0.9, 0.6]], curveByKind: { return: [[0, 0], [1, 1], [1, 1]] } },
      }),
      registry,
    );
    expect(summary(problems)).toEqual([
      'error /signals/test.half/curve/1 schema',
      'error /signals/test.quiet/curve/0/0 bad-curve',
      'error /signals/test.quiet/curve/2/0 bad-curve',
      'error /signals/test.quiet/curve/3/0 bad-curve',
      'error /signals/test.quiet/curve/3/1 bad-curve',
      'error /signals/test.quiet/curveByKind/return/2/0 bad-curve',
      'error /signals/test.strong/curve/1/1 schema',
      'error /signals/test.strong/curveByKind/order schema',
      'error /signals/test.strong/curveByKind/refunds schema',
    ]);
    const message = (pointer: string) => problems.find((p) => p.pointer === pointer)!.message;
    expect(message('/signals/test.quiet/curve/0/0')).toBe('test.quiet: a strength curve starts at strength 0 (got 0.1)');
    expect(message('/signals/test.quiet/curve/3/0')).toBe('test.quiet: a strength curve ends at strength 1 (got 0.9)');
    expect(message('/signals/test.quiet/curve/2/0')).toBe('test.quiet: the points of a strength curve are sorted by strength, each above the one before (0.5 after 0.6)');
    expect(message('/signals/test.quiet/curve/3/1')).toBe('test.quiet: a strength curve never goes down: a stronger hit counts at least as much (0.6 after 0.7)');
    expect(message('/signals/test.strong/curveByKind/order')).toMatch(/must NOT have more than 8 items/);
  });

  it('warns about a kind the signal does not judge or the ruleset does not score', () => {
    const problems = validateRuleset({ ...withSignals({ 'test.returns-only': { curveByKind: { order: [[0, 0], [1, 1]] } }, 'test.half': { curveByKind: { refund: [[0, 0], [1, 1]] } } }), appliesTo: ['order', 'return'] }, registry);
    expect(summary(problems)).toEqual(['warning /signals/test.half/curveByKind/refund never-applies', 'warning /signals/test.returns-only/curveByKind/order never-applies']);
  });
});

describe('deciding with strength curves', () => {
  const order = makeOrder();

  it('counts a hit at curve(strength) × weight, per kind, and the trace says at what strength it counted', () => {
    const compiled = compileRuleset(
      withSignals({ 'test.strong': {}, 'test.half': { curve: [[0, 0], [0.4, 0.1], [0.6, 0.3], [1, 1]], curveByKind: { return: [[0, 0], [0.99, 0], [1, 1]] } }, 'test.quiet': { curve: [[0, 1], [1, 1]] } }),
      registry,
    );
    const onOrder = compiled.decide(orderContext(order));
    expect(onOrder.signals.map((s) => [s.id, s.strength, s.countedStrength, s.points])).toEqual([
      ['test.half', 0.5, 0.2, 6],
      ['test.quiet', 0, undefined, 0],
      ['test.strong', 1, undefined, 40],
    ]);
    expect(onOrder.score).toBe(46);
    const onReturn = compiled.decide(returnContext(undefined, order));
    expect(onReturn.signals.find((s) => s.id === 'test.half')).toMatchObject({ strength: 0.5, countedStrength: 0, points: 0 });
    expect(onReturn.score).toBe(40);
    const model = compiled.scoringModel().signals.find((s) => s.id === 'test.half')!;
    expect(model.curve).toEqual([[0, 0], [0.4, 0.1], [0.6, 0.3], [1, 1]]);
    expect(model.curveByKind).toEqual({ order: model.curve, return: [[0, 0], [0.99, 0], [1, 1]], refund: model.curve });
    expect(compiled.scoringModel().signals.find((s) => s.id === 'test.strong')).toEqual({ id: 'test.strong', weight: 40, weightByKind: { order: 40, return: 40, refund: 40 }, insufficientWeight: 0 });
  });

  it('an identity curve, for every kind or one, decides byte for byte as no curve', () => {
    const plain = compileRuleset(base, registry);
    const identity = compileRuleset(withSignals({ 'test.strong': { curve: [[0, 0], [1, 1]] }, 'test.half': { curve: [[0, 0], [0.3, 0.3], [1, 1]], curveByKind: { return: [[0, 0], [0.7, 0.7], [1, 1]] } }, 'test.quiet': {} }), registry);
    for (const ctx of [orderContext(order), returnContext(undefined, order)]) {
      const strip = (d: object) => JSON.stringify({ ...d, ruleset: undefined });
      expect(strip(identity.decide(ctx))).toBe(strip(plain.decide(ctx)));
    }
  });

  it('a curve change is scoring, not signal logic: it never invalidates a stored result', () => {
    const live = compileRuleset(base, registry);
    const draft = compileRuleset(withSignals({ 'test.strong': { curve: [[0, 0], [0.5, 0], [1, 1]] }, 'test.half': { curveByKind: { order: [[0, 1], [1, 1]] } }, 'test.quiet': {} }), registry);
    expect(changedSignals(live, draft)).toMatchObject({ changed: [], removed: [] });
  });
});

describe('strength curves over a replayed shop: decide, reweigh and rescoreChanged agree', () => {
  const full = createRegistry(builtinSignals);
  const live = compileRuleset(defaultRuleset as Ruleset, full);
  const { events } = generateShop({ seed: 4, customers: 80, days: 150 });
  const replayed = [...replayHistory(events, live, { shopId: 's', keepContexts: true })];
  const stored = SignalMatrix.fromDecisions(replayed.map((r) => r.decision));
  const curved = structuredClone(defaultRuleset) as Ruleset;
  curved.signals['customer.new-account'] = { ...curved.signals['customer.new-account'], weightByKind: { order: 35 }, curveByKind: { order: [[0, 0], [0.99, 0], [1, 1]] }, curve: [[0, 0], [0.5, 0.7], [1, 1]] };
  curved.signals['velocity.return-rate'] = { ...curved.signals['velocity.return-rate'], weight: 30, curve: [[0, 0], [0.3, 0], [0.6, 0.8], [1, 1]] };
  curved.signals['customer.lifetime-refund-ratio'] = { ...curved.signals['customer.lifetime-refund-ratio'], curveByKind: { refund: [[0, 0.5], [1, 1]] } };
  curved.signals['customer.trusted-long-term'] = { ...curved.signals['customer.trusted-long-term'], curve: [[0, 0], [0.5, 1], [1, 1]] };
  curved.zones = { ...curved.zones, byKind: { return: { medium: 20, high: 45 } } };
  const draft = compileRuleset(curved, full);

  it('reweigh equals the engine deciding with the same stored results, row by row, and the curves move zones', () => {
    const result = reweigh(stored, draft);
    let moved = 0;
    let counted = 0;
    replayed.forEach(({ decision, context }, row) => {
      const results = new Map<string, SignalResult>(decision.signals.map((s) => [s.id, { status: s.status, strength: s.strength, evidence: s.evidence, message: s.message }]));
      const expected = draft.decideWithResults(context!, results);
      expect(result.scoreCents[row]! / 100, decision.subject.id).toBe(expected.score);
      expect(['low', 'medium', 'high'][result.zones[row]!]).toBe(expected.zone);
      if (expected.zone !== decision.zone) moved++;
      counted += expected.signals.filter((s) => s.countedStrength !== undefined && s.countedStrength !== s.strength).length;
    });
    expect(moved).toBeGreaterThan(0);
    expect(counted).toBeGreaterThan(20);
  });

  it('rescoreChanged (a curve-only draft: nothing runs again but the verdicts fed forward) equals the full replay of the draft', () => {
    const exact = [...replayHistory(events, draft, { shopId: 's' })].map((r) => r.decision);
    const result = rescoreChanged(events, stored, live, draft, { shopId: 's' });
    expect(result.report.changed).toEqual([]);
    expect(result.report.exact).toBe(true);
    exact.forEach((d, row) => {
      expect(result.scores.scoreCents[row]! / 100, d.subject.id).toBe(d.score);
      expect(['low', 'medium', 'high'][result.scores.zones[row]!]).toBe(d.zone);
    });
    expect(exact.some((d, row) => d.zone !== replayed[row]!.decision.zone)).toBe(true);
  });
});

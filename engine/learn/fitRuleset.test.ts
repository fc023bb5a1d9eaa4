import { describe, expect, it } from 'vitest';
import type { SubjectKind } from '../../sdk/index.ts';
import { compileRuleset } from '../compileRuleset.ts';
import { createRegistry } from '../registry.ts';
import type { Ruleset, Zone } from '../ruleset.ts';
import { reweigh, SignalMatrix } from '../simulate/signalMatrix.ts';
import { fixedSignal } from '../testing/testSignals.ts';
import { curveStrength } from '../strengthCurve.ts';
import { curveDistance } from './fitCurves.ts';
import { calibrationTable, fitRuleset, FitRefused, splitRows, type KindFit, type LabelledRow } from './fitRuleset.ts';
import { rocAuc } from './rocAuc.ts';

const IDS = ['test.a', 'test.b', 'test.c', 'test.d', 'test.e', 'test.f'];
/** The weights the synthetic labels are drawn from (points at 10 points per log-odds unit): test.d is a trust signal, test.e noise. */
const TRUE_POINTS = [40, 25, 15, -20, 0, 10];
const registry = createRegistry([...IDS.map((id) => fixedSignal(id, { status: 'hit', strength: 1, message: id })), fixedSignal('test.returns', { status: 'hit', strength: 1, message: 'r' }, 10, ['return'])]);
const body: Ruleset = {
  id: 'shop',
  version: 4,
  description: 'The shop rules.',
  appliesTo: ['order', 'return'],
  zones: { medium: 31, high: 66 },
  signals: { ...Object.fromEntries(IDS.map((id) => [id, { weight: 10 }])), 'test.returns': { weight: 10 } },
  customSignals: [{ id: 'custom.big', when: 'order.totalPrice > 1000', weight: 5 }],
};
const current = compileRuleset(body, registry);

function prng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/**
 * n order rows: each signal fires with probability 0.25 at a strength in 0.5..1; the label is
 * drawn from log-odds −3 + Σ TRUE_POINTS/10 × strength. One customer per 2 rows, a day apart.
 */
function synthetic(n: number, seed = 1, kind: SubjectKind = 'order'): LabelledRow[] {
  const random = prng(seed);
  return Array.from({ length: n }, (_, i) => {
    let z = -3;
    const signals = IDS.map((id, j) => {
      if (random() >= 0.25) return { id, status: 'no_hit' as const, strength: 0 };
      const strength = 0.5 + Math.round(random() * 50) / 100;
      z += (TRUE_POINTS[j]! / 10) * strength;
      return { id, status: 'hit' as const, strength };
    });
    const positive = random() < 1 / (1 + Math.exp(-z));
    const liveScore = Math.min(100, signals.reduce((sum, s) => sum + (s.status === 'hit' ? Math.round(s.strength * 10 * 100) / 100 : 0), 0));
    const liveZone: Zone = liveScore >= 66 ? 'high' : liveScore >= 31 ? 'medium' : 'low';
    return {
      subjectId: `gid://shopify/${kind === 'order' ? 'Order' : 'Return'}/${seed}-${i}`,
      kind,
      at: new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString(),
      customerId: i % 7 === 0 ? null : `gid://shopify/Customer/${Math.floor(i / 2)}`,
      positive,
      value: 50 + (i % 10) * 10,
      signals,
      liveScore,
      liveZone,
    };
  });
}

const kindFit = (report: { kinds: unknown[] }, kind: SubjectKind) => report.kinds.find((k) => (k as KindFit).kind === kind && 'weights' in (k as object)) as KindFit;

describe('fitRuleset', () => {
  const rows = synthetic(12_000);
  const { body: fitted, report } = fitRuleset(rows, current, { split: 'customer' });
  const order = kindFit(report, 'order');

  it('recovers the weights the labels were drawn from: signs, ranking, and points within ±20 % after scaling', () => {
    const got = IDS.map((id) => order.weights[id]!);
    // The scale is the fit's (points per log-odds unit); compare after the least-squares factor.
    const factor = got.reduce((s, w, j) => s + w * TRUE_POINTS[j]!, 0) / TRUE_POINTS.reduce((s, w) => s + w * w, 0);
    expect(factor).toBeGreaterThan(0);
    TRUE_POINTS.forEach((truth, j) => {
      if (truth === 0) expect(Math.abs(got[j]!), IDS[j]).toBeLessThanOrEqual(0.05 * 40 * factor + 0.5);
      else {
        expect(Math.sign(got[j]!), IDS[j]).toBe(Math.sign(truth));
        expect(Math.abs(got[j]! - truth * factor), IDS[j]).toBeLessThanOrEqual(0.2 * Math.abs(truth * factor));
      }
    });
    const rank = (values: number[]) => values.map((_, j) => j).sort((a, b) => values[b]! - values[a]!);
    expect(rank(got)).toEqual(rank(TRUE_POINTS));
  });

  it('writes a draft body: the current ruleset with weights and zones for the fitted kind, custom signals and base weights kept', () => {
    for (const id of IDS) expect(fitted.signals[id]).toEqual({ weight: 10, weightByKind: { order: order.weights[id] } });
    expect(fitted.signals['test.returns']).toEqual({ weight: 10 });
    expect(fitted.zones).toEqual({ medium: 31, high: 66, byKind: { order: order.zones } });
    expect(fitted.customSignals).toEqual(body.customSignals);
    expect(order.kept).toEqual(['custom.big']);
    expect(fitted.description).toMatch(/^The shop rules\.\nFitted by RefundSentry to orders \d+ fraud\/abuse \+ \d+ legit; customer split \(seed 20261207\), 30% held out/);
    // It compiles, and the engine scores the held-out rows as the report did.
    const compiled = compileRuleset(fitted, registry);
    const held = splitRows(rows, { split: 'customer' }).isTest;
    const test = rows.filter((_, i) => held[i]);
    const scores = reweigh(SignalMatrix.fromResults(test.map((r) => ({ subjectId: r.subjectId, kind: r.kind, signals: r.signals }))), compiled);
    const high = test.filter((_, i) => scores.zones[i] === 2);
    expect(report.heldOut.order!.fitted.high.flagged).toBe(high.length);
    expect(report.heldOut.order!.fitted.high.precision).toBeCloseTo(high.filter((r) => r.positive).length / high.length, 4);
  });

  it('chooses zones where the held-out precision reaches the targets, and reports both versions side by side', () => {
    const { live, fitted: fit } = report.heldOut.order!;
    expect(fit.high.precision).toBeGreaterThanOrEqual(0.9);
    expect(fit.mediumPlus.precision).toBeGreaterThanOrEqual(0.5);
    expect(fit.high.flagged).toBeGreaterThan(20);
    expect(order.zones.medium).toBeLessThan(order.zones.high);
    // The live ruleset (every signal 10 points, the trust signal adding risk) ranks worse.
    expect(fit.auc!).toBeGreaterThan(live.auc! + 0.05);
    expect(fit.money.caught).toBeGreaterThan(0);
    expect(fit.money.positivesTotal).toBe(live.money.positivesTotal);
    expect(fit.calibration.reduce((s, b) => s + b.rows, 0)).toBe(order.counts.test.positive + order.counts.test.negative);
    // Calibrated: the observed rate climbs with the band.
    const rates = fit.calibration.filter((b) => b.rows >= 50).map((b) => b.rate!);
    expect(rates.length).toBeGreaterThan(3);
    expect(rates[rates.length - 1]).toBeGreaterThan(rates[0]! + 0.5);
  });

  it('is deterministic: the same rows, ruleset and options give the same draft and report, byte for byte', () => {
    const again = fitRuleset(rows, current, { split: 'customer' });
    expect(JSON.stringify(again.body)).toBe(JSON.stringify(fitted));
    expect(JSON.stringify(again.report)).toBe(JSON.stringify(report));
    const auto = fitRuleset(rows, current);
    expect(JSON.stringify(fitRuleset(rows, current))).toBe(JSON.stringify(auto));
  });

  it('shrinks toward the current weights: few labels stay near them, many move to the data', () => {
    const distance = (fit: KindFit) => IDS.reduce((s, id) => s + Math.abs(fit.weights[id]! - fit.current[id]!), 0) / IDS.length;
    const few = kindFit(fitRuleset(synthetic(160, 3), current, { split: 'customer', minLabels: 10 }).report, 'order');
    const many = order;
    expect(distance(few)).toBeLessThan(6);
    expect(distance(many)).toBeGreaterThan(12);
    // The trust signal turns negative only when the data is plentiful.
    expect(few.weights['test.d']).toBeGreaterThan(0);
    expect(many.weights['test.d']).toBeLessThan(0);
  });

  it('refuses with the counts when no kind has enough labels, and refuses a short kind beside a fitted one', () => {
    const small = synthetic(40, 5);
    const positives = small.filter((r) => r.positive).length;
    let refusal: unknown;
    try {
      fitRuleset(small, current);
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toBeInstanceOf(FitRefused);
    expect((refusal as FitRefused).counts.order).toEqual({ positive: positives, negative: 40 - positives });
    expect((refusal as FitRefused).counts.return).toEqual({ positive: 0, negative: 0 });
    expect((refusal as Error).message).toContain(`order: ${positives} fraud/abuse and ${40 - positives} legit order labels; at least 20 of each are needed`);
    const mixed = fitRuleset([...rows, ...synthetic(30, 9, 'return')], current, { split: 'customer' });
    expect(mixed.report.kinds.map((k) => [k.kind, 'weights' in k ? 'fitted' : (k as { refused: string }).refused])).toEqual([
      ['order', 'fitted'],
      ['return', expect.stringMatching(/^\d+ fraud\/abuse and \d+ legit return labels; at least 20 of each are needed$/)],
    ]);
    expect(mixed.report.heldOut.return).toBeUndefined();
    expect(mixed.body.zones.byKind).toEqual({ order: expect.any(Object) });
  });

  it('keeps a threshold no held-out score reaches, and says so; signals that never fired keep their current weights', () => {
    const silent = synthetic(2_000, 4).map((r) => ({ ...r, signals: r.signals.map((sig) => ({ ...sig, status: 'no_hit' as const, strength: 0 })) }));
    const fit = kindFit(fitRuleset(silent, current, { split: 'customer' }).report, 'order');
    expect(fit.notes).toEqual([
      'no held-out order score reaches precision 0.9 at HIGH with few enough legit orders in it (share 0.005: at most 2 of the 460 held-out and 5 of the 1055 training legit orders): HIGH kept at 66',
      'no held-out order score below HIGH reaches precision 0.5: MEDIUM kept at 31',
    ]);
    expect(fit.zones).toEqual({ medium: 31, high: 66 });
    for (const id of IDS) expect(fit.weights[id]).toBe(10);
  });
});

describe('splitRows', () => {
  const rows = synthetic(3_000, 2);

  it('time: the latest share of the rows by time are held out', () => {
    const split = splitRows(rows, { split: 'time', testShare: 0.3 });
    expect(split.mode).toBe('time');
    const held = rows.filter((_, i) => split.isTest[i]);
    expect(held.length).toBe(900);
    const firstHeld = Math.min(...held.map((r) => Date.parse(r.at)));
    expect(rows.filter((_, i) => !split.isTest[i]).every((r) => Date.parse(r.at) < firstHeld)).toBe(true);
  });

  it('customer: every customer’s rows on one side, about the share of customers held out, the same for the same seed', () => {
    const split = splitRows(rows, { split: 'customer', testShare: 0.3, seed: 7 });
    const side = new Map<string, boolean>();
    rows.forEach((r, i) => {
      if (r.customerId === null) return;
      if (side.has(r.customerId)) expect(side.get(r.customerId)).toBe(split.isTest[i]);
      side.set(r.customerId, split.isTest[i]!);
    });
    const customers = new Set(rows.map((r) => r.customerId ?? r.subjectId));
    expect(Math.abs(rows.filter((_, i) => split.isTest[i]).length / rows.length - 0.3)).toBeLessThan(0.03);
    expect(customers.size).toBeGreaterThan(1_000);
    expect(splitRows(rows, { split: 'customer', seed: 7 }).isTest).toEqual(split.isTest);
    expect(splitRows(rows, { split: 'customer', seed: 8 }).isTest).not.toEqual(split.isTest);
  });

  it('auto: time when both parts hold enough labels of each class; customer when the latest part does not, saying why', () => {
    expect(splitRows(rows).mode).toBe('time');
    // Positives only in the first half of the time: the held-out latest part has none.
    const early = rows.map((r, i) => ({ ...r, positive: r.positive && i < 1500 }));
    const split = splitRows(early);
    expect(split.mode).toBe('customer');
    expect(split.reason).toMatch(/a time-ordered split leaves too few labels \(fewer than 20\) in a part \(orders: 0 held-out positives\)/);
  });
});

describe('calibrationTable', () => {
  it('bands scores by 10 points (100 in the last band) with rows, positives and the observed rate', () => {
    const table = calibrationTable([0, 5, 9.99, 10, 55, 100, 100], [false, true, false, true, true, true, false]);
    expect(table).toHaveLength(10);
    expect(table[0]).toEqual({ from: 0, to: 10, rows: 3, positives: 1, rate: 0.3333 });
    expect(table[1]).toEqual({ from: 10, to: 20, rows: 1, positives: 1, rate: 1 });
    expect(table[2]).toEqual({ from: 20, to: 30, rows: 0, positives: 0, rate: null });
    expect(table[9]).toEqual({ from: 90, to: 100, rows: 2, positives: 1, rate: 0.5 });
    expect(calibrationTable([12, 30], [true, false], 25).map((b) => [b.from, b.to, b.rows])).toEqual([[0, 25, 1], [25, 50, 1], [50, 75, 0], [75, 100, 0]]);
  });
});

describe('fitRuleset: signals that never hit', () => {
  it('are listed as unobserved: their log-odds stay at the prior', () => {
    const rows = synthetic(4_000, 6).map((r) => ({ ...r, signals: r.signals.map((s) => (s.id === 'test.f' ? { ...s, status: 'no_hit' as const, strength: 0 } : s)) }));
    const fit = kindFit(fitRuleset(rows, current, { split: 'customer' }).report, 'order');
    expect(fit.unobserved).toEqual(['test.f']);
    expect(fit.weights['test.f']).toBe(Math.round(10 * (fit.scale.pointsPerLogit / fit.scale.priorPointsPerLogit) * 2) / 2);
  });
});

/**
 * n order rows with curved effects: test.a steps up only at full strength (a quarter of its hits
 * are at 1, the rest anywhere in 0.1..0.95 and worth nothing), test.b counts the same at any
 * strength (a level), test.c is linear in its strength; log-odds −2.5 + 3 × 1[a = 1] + 1.5 × 1[b] + 2 × c.
 */
function curved(n: number, seed = 21): LabelledRow[] {
  const random = prng(seed);
  return Array.from({ length: n }, (_, i) => {
    let z = -2.5;
    const signals = IDS.map((id) => {
      const fires = random() < 0.3;
      if (!fires || !['test.a', 'test.b', 'test.c'].includes(id)) return { id, status: 'no_hit' as const, strength: 0 };
      const strength = id === 'test.a' ? (random() < 0.25 ? 1 : 0.1 + Math.round(random() * 85) / 100) : 0.2 + Math.round(random() * 80) / 100;
      z += id === 'test.a' ? (strength === 1 ? 3 : 0) : id === 'test.b' ? 1.5 : 2 * strength;
      return { id, status: 'hit' as const, strength };
    });
    return {
      subjectId: `gid://shopify/Order/c${seed}-${i}`,
      kind: 'order' as const,
      at: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
      customerId: `gid://shopify/Customer/c${i}`,
      positive: random() < 1 / (1 + Math.exp(-z)),
      value: 80,
      signals,
      liveScore: 0,
      liveZone: 'low' as Zone,
    };
  });
}

describe('fitRuleset: strength curves', () => {
  const rows = curved(20_000);
  const { body: fitted, report } = fitRuleset(rows, current, { split: 'customer' });
  const order = kindFit(report, 'order');

  it('recovers a known non-linear curve: a step at full strength, a level at any strength; a linear signal keeps none', () => {
    const a = order.curves['test.a']!;
    const b = order.curves['test.b']!;
    expect(a, JSON.stringify(order.curveEvidence)).toBeDefined();
    expect(b).toBeDefined();
    expect(order.curves['test.c']).toBeUndefined();
    for (const s of [0.2, 0.5, 0.8]) expect(curveStrength(a, s), `test.a at ${s}`).toBeLessThanOrEqual(0.1);
    expect(curveStrength(a, 1)).toBe(1);
    for (const s of [0.25, 0.5, 0.75, 1]) expect(curveStrength(b, s), `test.b at ${s}`).toBeGreaterThanOrEqual(0.85);
    expect(order.curveEvidence['test.a']).toMatchObject({ atom: 1 });
    expect(order.curveEvidence['test.a']!.logLikelihoodGain).toBeGreaterThan(50);
    // The weights: log-odds 3 (a), 1.5 (b) and 2 (c) at full strength, in points at one scale.
    const perLogit = order.scale.pointsPerLogit;
    expect(order.weights['test.a']! / perLogit).toBeGreaterThan(2.5);
    expect(order.weights['test.a']! / perLogit).toBeLessThan(3.5);
    expect(order.weights['test.b']! / perLogit).toBeGreaterThan(1.2);
    expect(order.weights['test.b']! / perLogit).toBeLessThan(1.8);
    expect(order.weights['test.c']! / perLogit).toBeGreaterThan(1.6);
    expect(order.weights['test.c']! / perLogit).toBeLessThan(2.4);
  });

  it('writes the curves into the draft (curveByKind), which compiles and scores the held-out rows as the report did', () => {
    expect(fitted.signals['test.a']).toEqual({ weight: 10, weightByKind: { order: order.weights['test.a'] }, curveByKind: { order: order.curves['test.a'] } });
    expect(fitted.signals['test.c']).toEqual({ weight: 10, weightByKind: { order: order.weights['test.c'] } });
    const compiled = compileRuleset(fitted, registry);
    const held = splitRows(rows, { split: 'customer' }).isTest;
    const test = rows.filter((_, i) => held[i]);
    const scores = reweigh(SignalMatrix.fromResults(test.map((r) => ({ subjectId: r.subjectId, kind: r.kind, signals: r.signals }))), compiled);
    expect(report.heldOut.order!.fitted.high.flagged).toBe(scores.zones.filter((z) => z === 2).length);
    // The curves rank better than the same weights drawn straight (no curve) on the held-out rows.
    const straight = structuredClone(fitted);
    for (const id of IDS) delete straight.signals[id]!.curveByKind;
    const auc = (r: Ruleset) => {
      const s = reweigh(SignalMatrix.fromResults(test.map((row) => ({ subjectId: row.subjectId, kind: row.kind, signals: row.signals }))), compileRuleset(r, registry));
      return rocAuc(Array.from(s.scoreCents), test.map((row) => row.positive));
    };
    expect(auc(fitted)).toBeGreaterThan(auc(straight) + 0.01);
    expect(report.heldOut.order!.fitted.auc).toBeCloseTo(auc(fitted), 4);
  });

  it('is deterministic with curves, byte for byte', () => {
    const again = fitRuleset(rows, current, { split: 'customer' });
    expect(JSON.stringify(again.body)).toBe(JSON.stringify(fitted));
    expect(JSON.stringify(again.report)).toBe(JSON.stringify(report));
  });

  it('draws no curve from few labels: the signals stay linear in their strength (the identity)', () => {
    const few = kindFit(fitRuleset(curved(300, 5), current, { split: 'customer', minLabels: 10 }).report, 'order');
    expect(few.curves).toEqual({});
  });

  it('refits a fitted draft: the same data draw the same curves, so the current ones are kept', () => {
    const refit = fitRuleset(rows, compileRuleset(fitted, registry), { split: 'customer' });
    const again = kindFit(refit.report, 'order');
    // Through the current curves the strengths already draw the effects: no basis earns its price, nothing new to draw.
    expect(again.curves).toEqual({});
    // The same log-odds at full strength (the points scale with the draft's zones).
    const logOdds = (fit: KindFit, id: string) => fit.weights[id]! / fit.scale.pointsPerLogit;
    for (const id of ['test.a', 'test.b', 'test.c']) expect(Math.abs(logOdds(again, id) - logOdds(order, id)), id).toBeLessThanOrEqual(0.1 * Math.abs(logOdds(order, id)));
    expect(refit.body.signals['test.a']!.curveByKind).toEqual({ order: order.curves['test.a'] });
    expect(curveDistance(refit.body.signals['test.b']!.curveByKind!.order, order.curves['test.b'])).toBe(0);
  });
});

/**
 * n order rows with stepped effects that a level and hinges cannot draw: test.a jumps half way
 * (its strengths anywhere in 0.1..0.9, worth 2.5 log-odds from 0.5 up and nothing below), test.b
 * is worth 4 only at full strength (a quarter of its hits; the rest crowd 0.1..0.5 and are worth
 * nothing, like an account minutes old against one days old), test.c is linear in its strength;
 * log-odds −2.5 + 2.5 × 1[a ≥ 0.5] + 4 × 1[b = 1] + 2 × c.
 */
function stepped(n: number, seed = 31): LabelledRow[] {
  const random = prng(seed);
  return Array.from({ length: n }, (_, i) => {
    let z = -2.5;
    const signals = IDS.map((id) => {
      const fires = random() < 0.3;
      if (!fires || !['test.a', 'test.b', 'test.c'].includes(id)) return { id, status: 'no_hit' as const, strength: 0 };
      const strength = id === 'test.a' ? 0.1 + Math.round(random() * 80) / 100 : id === 'test.b' ? (random() < 0.25 ? 1 : 0.1 + Math.round(random() * 40) / 100) : 0.2 + Math.round(random() * 80) / 100;
      z += id === 'test.a' ? (strength >= 0.5 ? 2.5 : 0) : id === 'test.b' ? (strength === 1 ? 4 : 0) : 2 * strength;
      return { id, status: 'hit' as const, strength };
    });
    return {
      subjectId: `gid://shopify/Order/s${seed}-${i}`,
      kind: 'order' as const,
      at: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
      customerId: `gid://shopify/Customer/s${i}`,
      positive: random() < 1 / (1 + Math.exp(-z)),
      value: 80,
      signals,
      liveScore: 0,
      liveZone: 'low' as Zone,
    };
  });
}

describe('fitRuleset: binned strength curves', () => {
  const rows = stepped(20_000);
  const { body: fitted, report } = fitRuleset(rows, current, { split: 'customer' });
  const order = kindFit(report, 'order');

  it('recovers a known step curve within tolerance: bins at the quantiles of the hits, flat within each', () => {
    const a = order.curves['test.a']!;
    expect(a, JSON.stringify(order.curveEvidence)).toBeDefined();
    expect(order.curveEvidence['test.a']!.bins).toBeDefined();
    // The jump within 0.03 of 0.5: where a quantile cut of the training hits falls (here their median, moved past its ties).
    for (const s of [0.1, 0.3, 0.45, 0.47]) expect(curveStrength(a, s), `test.a at ${s}`).toBeLessThanOrEqual(0.1);
    for (const s of [0.53, 0.6, 0.9, 1]) expect(curveStrength(a, s), `test.a at ${s}`).toBeGreaterThanOrEqual(0.9);
    const perLogit = order.scale.pointsPerLogit;
    expect(order.weights['test.a']! / perLogit).toBeGreaterThan(2);
    expect(order.weights['test.a']! / perLogit).toBeLessThan(3);
  });

  it('draws nothing below a saturated top where the hits below it are worth nothing, however dense', () => {
    const b = order.curves['test.b']!;
    expect(b).toBeDefined();
    // Its hits below the top lie in 0.1..0.5; from there the curve rises straight to the top (no hit says otherwise).
    for (const s of [0.1, 0.2, 0.3, 0.4, 0.5]) expect(curveStrength(b, s), `test.b at ${s}`).toBeLessThanOrEqual(0.03);
    expect(curveStrength(b, 1)).toBe(1);
    const perLogit = order.scale.pointsPerLogit;
    expect(order.weights['test.b']! / perLogit).toBeGreaterThan(3.4);
    expect(order.weights['test.b']! / perLogit).toBeLessThan(4.6);
    // The linear signal keeps its strength (the identity).
    expect(order.curves['test.c']).toBeUndefined();
  });

  it('ranks the held-out rows better than the same weights drawn straight, and is deterministic', () => {
    const held = splitRows(rows, { split: 'customer' }).isTest;
    const test = rows.filter((_, i) => held[i]);
    const straight = structuredClone(fitted);
    for (const id of IDS) delete straight.signals[id]!.curveByKind;
    const auc = (r: Ruleset) => {
      const s = reweigh(SignalMatrix.fromResults(test.map((row) => ({ subjectId: row.subjectId, kind: row.kind, signals: row.signals }))), compileRuleset(r, registry));
      return rocAuc(Array.from(s.scoreCents), test.map((row) => row.positive));
    };
    expect(auc(fitted)).toBeGreaterThan(auc(straight) + 0.01);
    expect(report.heldOut.order!.fitted.auc).toBeCloseTo(auc(fitted), 4);
    expect(JSON.stringify(fitRuleset(rows, current, { split: 'customer' }).body)).toBe(JSON.stringify(fitted));
  });

  it('refits a binned draft: the current curves already draw the effects, so they are kept', () => {
    const again = kindFit(fitRuleset(rows, compileRuleset(fitted, registry), { split: 'customer' }).report, 'order');
    expect(again.curves).toEqual({});
  });
});

describe('fitRuleset: zones that keep honest subjects out of HIGH', () => {
  // Mostly positive labels (a shop whose labelled returns are mostly abusive): a 0.9 precision
  // target alone lets many negatives into HIGH.
  const rows = synthetic(6_000, 12).map((r, i) => ({ ...r, positive: r.positive || i % 2 === 0 }));

  it('HIGH starts at the lowest score meeting both the precision target and the honest share, and the report says both', () => {
    const loose = fitRuleset(rows, current, { split: 'customer', maxHonestShare: 1 });
    const strict = fitRuleset(rows, current, { split: 'customer' });
    const l = kindFit(loose.report, 'order');
    const s = kindFit(strict.report, 'order');
    expect(s.targets).toEqual({ high: 0.9, medium: expect.any(Number), maxHonestShare: 0.005 });
    const held = strict.report.heldOut.order!.fitted;
    expect(held.high.honestShare!).toBeLessThanOrEqual(0.005);
    expect(held.high.precision!).toBeGreaterThanOrEqual(0.9);
    expect(loose.report.heldOut.order!.fitted.high.honestShare!).toBeGreaterThan(0.005);
    expect(s.zones.high).toBeGreaterThan(l.zones.high);
    expect(s.notes.join('\n')).toMatch(new RegExp(`HIGH starts at ${s.zones.high}, not at ${l.zones.high} where held-out precision first reaches 0\\.9, to hold few enough legit orders \\(share 0\\.005: at most \\d+ of the \\d+ held-out and \\d+ of the \\d+ training legit orders\\)`));
    // The cap holds on the training part too (its legit subjects scored with the fitted weights).
    expect(s.honestInHigh.training.legit).toBeLessThanOrEqual(Math.floor(0.005 * s.honestInHigh.training.of));
    expect(s.honestInHigh.heldOut).toEqual({ legit: Math.round(held.high.honestShare! * s.honestInHigh.heldOut.of), of: s.counts.test.negative });
    expect(l.honestInHigh.training.legit).toBeGreaterThan(Math.floor(0.005 * l.honestInHigh.training.of));
  });

  it("MEDIUM does not fall to the lowest score when the labels are mostly positive: its target rises to 3 times the base rate's odds", () => {
    const { report } = fitRuleset(rows, current, { split: 'customer' });
    const fit = kindFit(report, 'order');
    const held = report.heldOut.order!;
    const base = fit.counts.test.positive / (fit.counts.test.positive + fit.counts.test.negative);
    expect(base).toBeGreaterThan(0.5);
    const target = Math.round(((3 * base) / (1 - base + 3 * base)) * 10_000) / 10_000;
    expect(fit.targets.medium).toBe(Math.min(0.9, target));
    expect(held.fitted.mediumPlus.precision!).toBeGreaterThanOrEqual(fit.targets.medium);
    expect(fit.notes.join('\n')).toMatch(/positive: MEDIUM at precision 0\.5 would hold almost every order, so MEDIUM starts where precision reaches 0\.\d+ \(3 times the base rate's odds/);
    expect(fit.zones.medium).toBeGreaterThan(1);
  });

  it('refuses a share outside 0..1', () => {
    expect(() => fitRuleset(rows, current, { maxHonestShare: 1.5 })).toThrow(/maxHonestShare must be between 0 and 1/);
  });
});

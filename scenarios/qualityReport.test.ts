import { describe, expect, it } from 'vitest';
import type { Decision, SignalTrace, Zone } from '../engine/index.ts';
import { labelledOrderQuality, labelledRow, generatedShopRows, regressionBaseline, regressionOnSplit, type LabelledOrder } from './qualityReport.ts';
import defaultRuleset from '../rulesets/default.json' with { type: 'json' };
import { compileRuleset, createRegistry, type Ruleset } from '../engine/index.ts';
import { replayHistory } from '../engine/history/index.ts';
import { builtinSignals } from '../signals/index.ts';
import { ABUSIVE_PATTERNS, generateShop } from './generateShop.ts';

function prng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** Every pair counted: 1 when the positive scores higher, one half for a tie. */
function pairwiseAuc(scores: number[], positive: boolean[]): number {
  let sum = 0;
  let pairs = 0;
  scores.forEach((p, i) => {
    if (!positive[i]) return;
    scores.forEach((n, j) => {
      if (positive[j]) return;
      pairs++;
      sum += p > n ? 1 : p === n ? 0.5 : 0;
    });
  });
  return sum / pairs;
}

const signal = (id: string, hit: boolean, points = 0): SignalTrace =>
  ({ id, version: '1', source: 'signal', status: hit ? 'hit' : 'no_hit', strength: hit ? 1 : 0, weight: 0, points, evidence: {}, message: '' }) as SignalTrace;
const order = (i: number, score: number, zone: Zone, signals: SignalTrace[], fraud: boolean, at: string): LabelledOrder => ({
  decision: { subject: { kind: 'order', id: `gid://shopify/Order/${i}`, at }, score, zone, signals } as unknown as Decision,
  fraud,
  at,
});

describe('labelledOrderQuality', () => {
  it('precision and recall per zone, zone mix and top signals per class', () => {
    const orders = [
      order(1, 80, 'high', [signal('a', true, 30), signal('b', false)], true, '2015-01-01T00:00:00Z'),
      order(2, 40, 'medium', [signal('a', true, 20), signal('b', true, 5)], true, '2015-01-02T00:00:00Z'),
      order(3, 40, 'medium', [signal('a', false), signal('b', true, 5)], false, '2015-01-03T00:00:00Z'),
      order(4, 0, 'low', [signal('a', false), signal('b', false)], false, '2015-01-04T00:00:00Z'),
      order(5, 0, 'low', [signal('a', false), signal('b', true, 5)], true, '2015-01-05T00:00:00Z'),
    ];
    const q = labelledOrderQuality(orders);
    expect(q).toMatchObject({ orders: 5, frauds: 3 });
    expect(q.high).toEqual({ flagged: 1, caught: 1, precision: 1, recall: 1 / 3 });
    expect(q.mediumOrHigh).toEqual({ flagged: 3, caught: 2, precision: 2 / 3, recall: 2 / 3 });
    expect(q.mix.fraud).toEqual({ events: 3, low: 1, medium: 1, high: 1 });
    expect(q.mix.legit).toEqual({ events: 2, low: 1, medium: 1, high: 0 });
    expect(q.signals.fraud.byHits.map((s) => [s.id, s.hits])).toEqual([['a', 2], ['b', 2]]);
    expect(q.signals.fraud.byPoints.map((s) => [s.id, s.meanPoints])).toEqual([['a', 50 / 3], ['b', 10 / 3]]);
    expect(q.signals.legit.byHits.map((s) => s.id)).toEqual(['b']);
    expect(q.auc).toBeCloseTo(pairwiseAuc([80, 40, 40, 0, 0], [true, true, false, false, true]), 12);
  });
});

describe('regressionBaseline', () => {
  /** 1,000 orders over 1,000 hours: signal `tell` fires on 70% of fraud and 5% of legit; the ruleset score is noise. */
  const random = prng(9);
  const orders = Array.from({ length: 1000 }, (_, i) => {
    const fraud = random() < 0.15;
    const at = new Date(Date.UTC(2015, 0, 1) + i * 3_600_000).toISOString();
    return order(i, Math.floor(random() * 10), 'low', [signal('tell', random() < (fraud ? 0.7 : 0.05)), signal('noise', random() < 0.3)], fraud, at);
  });

  it('tests on the latest share, trains only on orders whose labels were known when the test starts', () => {
    const b = regressionBaseline(orders, { testShare: 0.3, labelDelayDays: 5 });
    expect(b.testFrom).toBe(orders[700]!.at);
    expect(b.test.orders).toBe(300);
    expect(b.trainBefore).toBe(new Date(Date.parse(orders[700]!.at) - 5 * 86_400_000).toISOString());
    expect(b.train.orders).toBe(700 - 120);
    expect(b.features).toBe(2);
    expect(b.regressionAuc).toBeGreaterThan(0.75);
    expect(Math.abs(b.rulesetAuc - 0.5)).toBeLessThan(0.12);
    expect(b.strongest[0]!.id).toBe('tell');
  });

  it('says so when the training part holds one class only', () => {
    const legitFirst = orders.map((o, i) => ({ ...o, fraud: i >= 600 && o.fraud }));
    const b = regressionBaseline(legitFirst, { testShare: 0.3, labelDelayDays: 5 });
    expect(b.note).toMatch(/all of one class/);
    expect(b.regressionAuc).toBeNaN();
  });
});

describe('labelled rows for fitRuleset', () => {
  it('generated shop: abusive targets positive, honest customers negative, an abuser’s other events left out; money per kind', () => {
    const shop = generateShop({ seed: 3, customers: 60, days: 150 });
    const decisions = [...replayHistory(shop.events, compileRuleset(defaultRuleset as Ruleset, createRegistry(builtinSignals)), { shopId: 's' })].map((r) => r.decision);
    const rows = generatedShopRows(decisions, shop.labels, shop.events);
    const labelOf = new Map(shop.labels.map((l) => [l.subjectId, l]));
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.length).toBe(shop.labels.filter((l) => !ABUSIVE_PATTERNS.has(l.pattern) || l.target).length);
    for (const row of rows) {
      const label = labelOf.get(row.subjectId)!;
      expect(row.positive).toBe(ABUSIVE_PATTERNS.has(label.pattern));
      expect(row.customerId).toBe(label.customerId);
      expect(row.value).toBeGreaterThanOrEqual(0);
    }
    const order = shop.events.find((e) => e.type === 'order' && rows.some((r) => r.subjectId === e.order.id))!;
    if (order.type === 'order') expect(rows.find((r) => r.subjectId === order.order.id)!.value).toBe(order.order.totalPrice);
    const decision = decisions.find((d) => d.subject.id === rows[0]!.subjectId)!;
    expect(rows[0]).toMatchObject({ liveScore: decision.score, liveZone: decision.zone, kind: decision.subject.kind, at: decision.subject.at });
    expect(rows[0]!.signals).toEqual(decision.signals.map((s) => ({ id: s.id, status: s.status, strength: s.strength })));
  });

  it('regressionOnSplit: the plain regression trained on one part, its AUC on the other; a binned signal becomes indicators', () => {
    const random = prng(4);
    const rows = Array.from({ length: 2000 }, (_, i) => {
      const fraud = random() < 0.2;
      // `graded` is risky only at full strength; its lower strengths say nothing.
      const graded = fraud && random() < 0.5 ? 1 : random() < 0.4 ? 0.3 + Math.floor(random() * 6) / 10 : 0;
      const signals = [signal('tell', random() < (fraud ? 0.6 : 0.1)), { ...signal('graded', graded > 0), strength: graded }];
      return labelledRow({ subject: { kind: 'order', id: `o${i}`, at: '2025-01-01T00:00:00Z' }, score: 0, zone: 'low', signals } as unknown as Decision, { positive: fraud, customerId: `c${i}`, value: 10 });
    });
    const plain = regressionOnSplit(rows.slice(0, 1400), rows.slice(1400));
    const binned = regressionOnSplit(rows.slice(0, 1400), rows.slice(1400), 1, { binned: 'graded' });
    expect(plain.features).toBe(2);
    expect(plain.auc).toBeGreaterThan(0.7);
    expect(binned.features).toBe(7);
    expect(binned.coefficients['graded≥1']).toBeGreaterThan(2);
    for (const from of ['0.9', '0.75', '0.5', '0.3', '0']) expect(binned.coefficients[`graded≥${from}`]!).toBeLessThan(binned.coefficients['graded≥1']! - 1);
    expect(binned.auc).toBeGreaterThan(plain.auc);
    // Given a fit's curve basis instead (a level and a step at 1): its columns, and its effect cut at 0.
    const based = regressionOnSplit(rows.slice(0, 1400), rows.slice(1400), 1, { bases: { graded: { level: true, knots: [], atom: 1 } } });
    expect(based.features).toBe(4);
    expect(Object.keys(based.coefficients).sort()).toEqual(['graded', 'graded#0', 'graded#1', 'tell']);
    expect(based.coefficients['graded#1']).toBeGreaterThan(2);
    expect(based.auc).toBeGreaterThan(plain.auc);
    expect(based.aucCutAtZero).toBeGreaterThan(0.5);
    expect(plain.aucCutAtZero).toBeUndefined();
    // A binned basis (a bin below the step, the step's own): its bins take the strength's place.
    const inBins = regressionOnSplit(rows.slice(0, 1400), rows.slice(1400), 1, { bases: { graded: { knots: [], bins: [0.3], atom: 1 } } });
    expect(Object.keys(inBins.coefficients).sort()).toEqual(['graded#0', 'graded#1', 'tell']);
    expect(inBins.coefficients['graded#1']! - inBins.coefficients['graded#0']!).toBeGreaterThan(2);
    expect(inBins.auc).toBeGreaterThan(plain.auc);
    expect(inBins.aucCutAtZero).toBeGreaterThan(0.5);
  });
});


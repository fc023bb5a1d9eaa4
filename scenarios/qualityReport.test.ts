import { describe, expect, it } from 'vitest';
import type { Decision, SignalTrace, Zone } from '../engine/index.ts';
import { labelledOrderQuality, regressionBaseline, type LabelledOrder } from './qualityReport.ts';

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

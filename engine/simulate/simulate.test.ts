import { describe, expect, it } from 'vitest';
import defaultRuleset from '../../rulesets/default.json' with { type: 'json' };
import { generateShop } from '../../scenarios/generateShop.ts';
import { builtinSignals } from '../../signals/index.ts';
import { compileRuleset } from '../compileRuleset.ts';
import { replayHistory } from '../history/replayHistory.ts';
import type { HistoryEvent } from '../history/ShopHistory.ts';
import { createRegistry } from '../registry.ts';
import type { Ruleset } from '../ruleset.ts';
import { calibrationTable } from '../learn/calibrationTable.ts';
import { rocAuc } from '../learn/rocAuc.ts';
import { simulate, simulateAsync, SimulationCancelled } from './simulate.ts';

const registry = createRegistry(builtinSignals);
const { events: generated } = generateShop({ seed: 11, customers: 120, start: '2025-01-01', days: 200 });
// Merchant labels on some refunds: legit on every 3rd, fraud on every 7th (chargebacks are fraud too).
const refunds = generated.filter((e): e is Extract<HistoryEvent, { type: 'refund' }> => e.type === 'refund');
const labelled: HistoryEvent[] = refunds.flatMap((e, i): HistoryEvent[] =>
  i % 3 === 0 ? [{ type: 'outcome', outcome: { subjectId: e.refund.id, label: 'legit', at: e.refund.createdAt, source: 'merchant' } }]
  : i % 7 === 0 ? [{ type: 'outcome', outcome: { subjectId: e.refund.id, label: 'fraud', at: e.refund.createdAt, source: 'merchant' } }]
  : [],
);
const events = [...generated, ...labelled];
const window = { from: '2025-03-01T00:00:00.000Z', to: '2025-07-20T00:00:00.000Z' };
const live = compileRuleset(defaultRuleset as Ruleset, registry);
const variant = (change: (r: Ruleset) => void) => {
  const r = structuredClone(defaultRuleset) as Ruleset;
  change(r);
  return compileRuleset(r, registry);
};

describe('simulate', () => {
  it('the live ruleset against itself changes nothing, and its zones are the replay of the window', () => {
    const report = simulate(events, live, live, { shopId: 's', window });
    expect(report.flips).toEqual([]);
    expect(report.zones.after).toEqual(report.zones.before);
    const zones = { low: 0, medium: 0, high: 0 };
    for (const { decision } of replayHistory(events, live, { shopId: 's' })) {
      const at = Date.parse(decision.subject.at);
      if (at >= Date.parse(window.from) && at < Date.parse(window.to)) zones[decision.zone]++;
    }
    expect(report.zones.before).toEqual(zones);
    expect(report.subjects).toBeGreaterThan(300);
    expect(report.quality.after).toEqual(report.quality.before);
  });

  it('raising the HIGH threshold only clears subjects, and the report accounts for each of them', () => {
    const report = simulate(events, live, variant((r) => (r.zones = { ...r.zones, high: 90 })), { shopId: 's', window });
    expect(report.flips.length).toBeGreaterThan(0);
    // Fewer HIGH decisions also lower later scores that read earlier verdicts (fed forward): every flip goes down.
    const rank = { low: 0, medium: 1, high: 2 };
    for (const flip of report.flips) expect(rank[flip.after.zone]).toBeLessThan(rank[flip.before.zone]);
    expect(report.newlyFlagged.subjects).toBe(0);
    // Cleared = HIGH before and not after, and the zone tables agree.
    const cleared = report.flips.filter((f) => f.before.zone === 'high');
    expect(cleared.length).toBeGreaterThan(0);
    expect(report.newlyCleared.subjects).toBe(cleared.length);
    expect(report.zones.before.high - report.zones.after.high).toBe(cleared.length);
    const refundsCleared = cleared.filter((f) => f.kind === 'refund');
    expect(report.newlyCleared.refunds.count).toBe(refundsCleared.length);
    // Fewer HIGH: recall cannot rise, and every change in true positives is a cleared fraud.
    expect(report.quality.after.truePositives).toBeLessThanOrEqual(report.quality.before.truePositives);
    expect(report.quality.before.truePositives - report.quality.after.truePositives).toBe(cleared.filter((f) => f.label === 'fraud' && !f.immature).length);
  });

  it("switching a signal off moves only subjects it had scored, and counts its hits on both sides", () => {
    const id = 'customer.prior-high-risk-decisions';
    const report = simulate(events, live, variant((r) => (r.signals[id] = { ...r.signals[id], weight: 0 })), { shopId: 's', window });
    expect(report.flips.length).toBeGreaterThan(0);
    // A flip either lost this signal's points itself, or had earlier decisions change (fed forward).
    expect(report.flips.some((f) => f.before.signals.some((s) => s.id === id && s.points > 0))).toBe(true);
    for (const flip of report.flips) expect(flip.after.score).toBeLessThanOrEqual(flip.before.score);
    const row = report.signals.find((s) => s.id === id)!;
    expect(row.before).toBeGreaterThan(0);
  });

  it('precision, recall and F1 follow from the labels, leaving out subjects too recent for chargebacks', () => {
    const report = simulate(events, live, live, { shopId: 's', window, maturityDays: 60 });
    const q = report.quality.before;
    expect(q.truePositives).toBeGreaterThan(0);
    expect(q.precision).toBeCloseTo(q.truePositives / (q.truePositives + q.falsePositives), 4);
    expect(q.recall).toBeCloseTo(q.truePositives / (q.truePositives + q.falseNegatives), 4);
    expect(q.f1).toBeCloseTo((2 * q.precision! * q.recall!) / (q.precision! + q.recall!), 4);
    expect(report.immatureFrom).toBe(new Date(Date.parse(window.to) - 60 * 86_400_000).toISOString());
    const all = simulate(events, live, live, { shopId: 's', window, maturityDays: 0 });
    expect(all.quality.before.labelled).toBeGreaterThan(q.labelled);
  });

  it('calibration, AUC and money at HIGH come from the labelled subjects, with the live scores and the version\'s', () => {
    // Without the double-dip signal the labelled subjects rank differently (AUC 0.68 -> 0.56 here).
    const id = 'customer.double-dip';
    const candidate = variant((r) => (r.signals[id] = { ...r.signals[id], weight: 0 }));
    const maturityDays = 60;
    const report = simulate(events, live, candidate, { shopId: 's', window, maturityDays });
    // The labelled subjects worked out here, apart from the report: a merchant label, or a chargeback
    // on the subject's order; in the window and old enough for chargebacks to be known.
    const orderOf = new Map<string, string>();
    const valueOf = new Map<string, number>();
    const charged = new Set<string>();
    const labelOf = new Map<string, 'fraud' | 'legit'>();
    for (const e of events) {
      if (e.type === 'order') (orderOf.set(e.order.id, e.order.id), valueOf.set(e.order.id, e.order.totalPrice));
      else if (e.type === 'return') (orderOf.set(e.return.id, e.return.orderId), valueOf.set(e.return.id, e.return.totalValue));
      else if (e.type === 'refund') (orderOf.set(e.refund.id, e.refund.orderId), valueOf.set(e.refund.id, e.refund.amount));
      else if (e.type === 'chargeback') charged.add(e.chargeback.orderId);
      else if (e.type === 'outcome') labelOf.set(e.outcome.subjectId, e.outcome.label);
    }
    const matureBefore = Date.parse(window.to) - maturityDays * 86_400_000;
    const labelled = (compiled: typeof live) => {
      const out = new Map<string, { score: number; zone: string; kind: string; fraud: boolean }>();
      for (const { decision: d } of replayHistory(events, compiled, { shopId: 's' })) {
        const at = Date.parse(d.subject.at);
        if (at < Date.parse(window.from) || at >= matureBefore) continue;
        const label = charged.has(orderOf.get(d.subject.id) ?? '') ? 'fraud' : labelOf.get(d.subject.id);
        if (label) out.set(d.subject.id, { score: d.score, zone: d.zone, kind: d.subject.kind, fraud: label === 'fraud' });
      }
      return out;
    };
    const before = labelled(live);
    const after = labelled(candidate);
    expect(before.size).toBe(report.quality.before.labelled);
    const ids = [...before.keys()];
    const fraud = ids.map((s) => before.get(s)!.fraud);
    expect(fraud.filter(Boolean).length).toBeGreaterThan(0);
    expect(fraud.filter((f) => !f).length).toBeGreaterThan(0);
    const scoresBefore = ids.map((s) => before.get(s)!.score);
    const scoresAfter = ids.map((s) => after.get(s)!.score);
    expect(scoresAfter).not.toEqual(scoresBefore);

    const { calibration, auc, money } = report;
    expect(calibration!.before).toEqual(calibrationTable(scoresBefore, fraud));
    expect(calibration!.after).toEqual(calibrationTable(scoresAfter, fraud));
    expect(calibration!.after).not.toEqual(calibration!.before);
    for (const bands of [calibration!.before, calibration!.after]) {
      expect(bands).toHaveLength(10);
      expect(bands.reduce((n, b) => n + b.rows, 0)).toBe(report.quality.before.labelled);
      expect(bands.reduce((n, b) => n + b.positives, 0)).toBe(report.quality.before.truePositives + report.quality.before.falseNegatives);
    }
    expect(auc!.before).toBeCloseTo(rocAuc(scoresBefore, fraud), 4);
    expect(auc!.after).toBeCloseTo(rocAuc(scoresAfter, fraud), 4);
    expect(auc!.after).not.toBe(auc!.before);

    // Money: per kind and label, the value at HIGH on each side.
    expect(money!.unvalued).toBe(0);
    expect(money!.rows.reduce((n, r) => n + r.subjects, 0)).toBe(report.quality.before.labelled);
    for (const row of money!.rows) {
      const mine = ids.filter((s) => before.get(s)!.kind === row.kind && before.get(s)!.fraud === (row.label === 'fraud'));
      const sum = (keep: (s: string) => boolean) => mine.filter(keep).reduce((n, s) => n + valueOf.get(s)!, 0);
      expect(row.subjects).toBe(mine.length);
      expect(row.value).toBeCloseTo(sum(() => true), 2);
      expect(row.before).toBeCloseTo(sum((s) => before.get(s)!.zone === 'high'), 2);
      expect(row.after).toBeCloseTo(sum((s) => after.get(s)!.zone === 'high'), 2);
    }
    const fraudAtHigh = money!.rows.filter((r) => r.label === 'fraud').reduce((n, r) => n + r.before, 0);
    expect(fraudAtHigh).toBeGreaterThan(0);

    // With no label at all: empty bands, no AUC, no money.
    const unlabelled = simulate(events.filter((e) => e.type !== 'outcome' && e.type !== 'chargeback'), live, candidate, { shopId: 's', window });
    expect(unlabelled.calibration!.before.every((b) => b.rows === 0 && b.rate === null)).toBe(true);
    expect(unlabelled.auc).toEqual({ before: null, after: null });
    expect(unlabelled.money).toEqual({ rows: [], unvalued: 0 });
  });

  it('the long-run form gives the same report, reports progress, and stops when asked', async () => {
    const variantRuleset = variant((r) => (r.zones = { ...r.zones, high: 80 }));
    const progress: number[] = [];
    const report = await simulateAsync(events, live, variantRuleset, { shopId: 's', window, progressEvery: 100, onProgress: (f) => void progress.push(f) });
    expect(report).toEqual(simulate(events, live, variantRuleset, { shopId: 's', window }));
    expect(progress.length).toBeGreaterThan(3);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    let calls = 0;
    await expect(simulateAsync(events, live, variantRuleset, { shopId: 's', window, progressEvery: 100, onProgress: () => ++calls < 3 })).rejects.toBeInstanceOf(SimulationCancelled);
    expect(calls).toBe(3);
  });
});

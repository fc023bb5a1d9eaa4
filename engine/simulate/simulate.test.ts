import { describe, expect, it } from 'vitest';
import defaultRuleset from '../../rulesets/default.json' with { type: 'json' };
import { generateShop } from '../../scenarios/generateShop.ts';
import { builtinSignals } from '../../signals/index.ts';
import { compileRuleset } from '../compileRuleset.ts';
import { replayHistory } from '../history/replayHistory.ts';
import type { HistoryEvent } from '../history/ShopHistory.ts';
import { createRegistry } from '../registry.ts';
import type { Ruleset } from '../ruleset.ts';
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

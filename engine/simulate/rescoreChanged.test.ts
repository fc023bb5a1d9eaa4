import { describe, expect, it } from 'vitest';
import defaultRuleset from '../../rulesets/default.json' with { type: 'json' };
import { generateShop } from '../../scenarios/generateShop.ts';
import { builtinSignals } from '../../signals/index.ts';
import { compileRuleset, type CompiledRuleset } from '../compileRuleset.ts';
import { buildBaseline } from '../history/buildBaseline.ts';
import { replayHistory, type ReplayOptions } from '../history/replayHistory.ts';
import { ShopHistory, type HistoryEvent } from '../history/ShopHistory.ts';
import { createRegistry } from '../registry.ts';
import type { Ruleset } from '../ruleset.ts';
import { changedSignals } from './changedSignals.ts';
import { rescoreChanged, RescoreUnsupported } from './rescoreChanged.ts';
import { SignalMatrix } from './signalMatrix.ts';

const registry = createRegistry(builtinSignals);
const { events: generated } = generateShop({ seed: 11, customers: 120, start: '2025-01-01', days: 200 });
const refunds = generated.filter((e): e is Extract<HistoryEvent, { type: 'refund' }> => e.type === 'refund');
const events: HistoryEvent[] = [
  ...generated,
  ...refunds.filter((_, i) => i % 5 === 0).map((e): HistoryEvent => ({ type: 'outcome', outcome: { subjectId: e.refund.id, label: 'fraud', at: e.refund.createdAt, source: 'merchant' } })),
];
const live = compileRuleset(defaultRuleset as Ruleset, registry);
const variant = (change: (r: Ruleset) => void) => {
  const r = structuredClone(defaultRuleset) as Ruleset;
  change(r);
  return compileRuleset(r, registry);
};
const fixedBaseline = buildBaseline(ShopHistory.from(events).all, { asOf: '2025-07-20T00:00:00Z' });
const WEEKLY: ReplayOptions = { shopId: 's' };
const FIXED: ReplayOptions = { shopId: 's', baselineEveryDays: 0, baseline: fixedBaseline };
const ZONE = ['low', 'medium', 'high'];

const replay = (compiled: CompiledRuleset, options: ReplayOptions) => [...replayHistory(events, compiled, options)].map((r) => r.decision);
const storedWeekly = SignalMatrix.fromDecisions(replay(live, WEEKLY));
const storedFixed = SignalMatrix.fromDecisions(replay(live, FIXED));

/** Each row's results that add points, as `id status strength` lines sorted by id: comparable across column orders. */
function rowsOf(matrix: SignalMatrix): string[][] {
  return Array.from({ length: matrix.subjects }, (_, r) => {
    const lines: string[] = [];
    for (let k = matrix.rowStart[r]; k < matrix.rowStart[r + 1]; k++) lines.push(`${matrix.signalIds[matrix.column[k]]} ${matrix.status[k]} ${matrix.strength[k]}`);
    return lines.sort();
  });
}

/** The incremental answer equals the draft's full replay: every signal result, score and zone. */
function expectExact(draft: CompiledRuleset, options: ReplayOptions, stored: SignalMatrix) {
  const result = rescoreChanged(events, stored, live, draft, { shopId: 's', baseline: options.baseline, baselineEveryDays: options.baselineEveryDays });
  const exact = replay(draft, options);
  expect(result.matrix.subjectIds).toEqual(exact.map((d) => d.subject.id));
  expect(rowsOf(result.matrix)).toEqual(rowsOf(SignalMatrix.fromDecisions(exact)));
  exact.forEach((d, row) => {
    expect(result.scores.scoreCents[row] / 100, d.subject.id).toBe(d.score);
    expect(ZONE[result.scores.zones[row]]).toBe(d.zone);
  });
  expect(result.report.exact).toBe(true);
  return { result, exact };
}

const hitsOf = (decisions: { signals: { id: string; status: string }[] }[], id: string) => decisions.filter((d) => d.signals.some((s) => s.id === id && s.status === 'hit')).length;

describe('changedSignals', () => {
  it('names signals whose params, version or presence changed, and ignores weights and zones', () => {
    const draft = variant((r) => {
      r.signals['velocity.return-rate'] = { ...r.signals['velocity.return-rate'], params: { minOrders: 2 } };
      r.signals['customer.new-account'] = { ...r.signals['customer.new-account'], weight: 1 };
      r.signals['customer.manual-flag'] = { ...r.signals['customer.manual-flag'], enabled: false };
      r.zones = { medium: 20, high: 50 };
    });
    const changes = changedSignals(live, draft);
    expect(changes.changed.map((c) => [c.id, c.reason])).toEqual([['velocity.return-rate', 'params']]);
    expect(changes.removed).toEqual(['customer.manual-flag']);
    // The same params written out as their defaults are the same params.
    expect(changedSignals(live, variant((r) => (r.signals['velocity.return-rate'] = { ...r.signals['velocity.return-rate'], params: { minOrders: 3, threshold: 0.5 } }))).changed).toEqual([]);
  });
});

describe('changedSignals: per-kind weights and zones', () => {
  it('never invalidates a stored result', () => {
    const draft = variant((r) => {
      r.signals['velocity.return-rate'] = { ...r.signals['velocity.return-rate'], weightByKind: { return: 40, refund: 2 } };
      r.signals['customer.new-account'] = { ...r.signals['customer.new-account'], weightByKind: { order: 30 } };
      r.zones = { ...r.zones, byKind: { order: { medium: 20, high: 40 }, refund: { medium: 35, high: 90 } } };
    });
    expect(changedSignals(live, draft)).toMatchObject({ changed: [], removed: [] });
  });
});

describe('rescoreChanged', () => {
  it('per-kind weights and zones, with a param change, equal the full replay: decide, reweigh and rescoreChanged agree', () => {
    const draft = variant((r) => {
      r.signals['velocity.return-rate'] = { ...r.signals['velocity.return-rate'], params: { minOrders: 2 }, weightByKind: { return: 35, refund: 8 } };
      r.signals['customer.prior-high-risk-decisions'] = { ...r.signals['customer.prior-high-risk-decisions'], weightByKind: { order: 5 } };
      r.zones = { ...r.zones, byKind: { return: { medium: 22, high: 48 }, order: { medium: 12, high: 30 } } };
    });
    const { result, exact } = expectExact(draft, WEEKLY, storedWeekly);
    expect(result.report.changed).toEqual([{ id: 'velocity.return-rate', reason: 'params' }]);
    expect(result.report.feedForward.customersWithChangedVerdicts).toBeGreaterThan(0);
    expect([...result.matrix.kinds].map((k) => ['order', 'return', 'refund'][k])).toEqual(exact.map((d) => d.subject.kind));
    // A stored matrix made without kinds (rows as the server stored them) gives the same answer: the history gives each subject's kind.
    const kindless = SignalMatrix.fromResults(replay(live, WEEKLY).map((d) => ({ subjectId: d.subject.id, signals: d.signals })));
    const again = rescoreChanged(events, kindless, live, draft, { shopId: 's' });
    expect([...again.scores.scoreCents]).toEqual([...result.scores.scoreCents]);
    expect([...again.scores.zones]).toEqual([...result.scores.zones]);
  });

  it('from a live ruleset with per-kind weights, a weight-only draft equals its replay', () => {
    const perKindLive = variant((r) => {
      r.signals['velocity.return-rate'] = { ...r.signals['velocity.return-rate'], weightByKind: { return: 40 } };
      r.zones = { ...r.zones, byKind: { return: { medium: 25, high: 50 } } };
    });
    const stored = SignalMatrix.fromDecisions(replay(perKindLive, FIXED));
    const draft = variant((r) => {
      r.signals['velocity.return-rate'] = { ...r.signals['velocity.return-rate'], weightByKind: { return: 10, refund: 30 } };
      r.zones = { ...r.zones, byKind: { refund: { medium: 20, high: 40 } } };
    });
    const result = rescoreChanged(events, stored, perKindLive, draft, { shopId: 's', baseline: fixedBaseline, baselineEveryDays: 0 });
    const exact = replay(draft, FIXED);
    exact.forEach((d, row) => {
      expect(result.scores.scoreCents[row] / 100, d.subject.id).toBe(d.score);
      expect(ZONE[result.scores.zones[row]]).toBe(d.zone);
    });
    expect(result.report.changed).toEqual([]);
  });

  it('a param change of a signal reading history and the baseline equals the full replay of the draft (weekly baselines)', () => {
    const draft = variant((r) => (r.signals['velocity.return-rate'] = { ...r.signals['velocity.return-rate'], params: { minOrders: 2 } }));
    const { result, exact } = expectExact(draft, WEEKLY, storedWeekly);
    const liveDecisions = replay(live, WEEKLY);
    expect(hitsOf(exact, 'velocity.return-rate')).toBeGreaterThan(hitsOf(liveDecisions, 'velocity.return-rate'));
    expect(result.report.changed).toEqual([{ id: 'velocity.return-rate', reason: 'params' }]);
    // Run again on every return and refund, the only kinds it scores; nothing else changed params.
    expect(result.report.recomputed['velocity.return-rate']).toBe(exact.filter((d) => d.subject.kind !== 'order').length);
    // Changed verdicts fed forward: signals reading them ran again for those customers only.
    const ff = result.report.feedForward;
    expect(ff.mode).toBe('recomputed');
    expect(ff.signals).toContain('customer.prior-high-risk-decisions');
    expect(ff.customersWithChangedVerdicts).toBeGreaterThan(0);
    expect(ff.subjectsRecomputed).toBeGreaterThan(0);
    expect(ff.subjectsRecomputed).toBeLessThan(exact.length);
  });

  it('without feed-forward, signals reading earlier verdicts keep their stored results and the report says so', () => {
    const draft = variant((r) => (r.signals['velocity.return-rate'] = { ...r.signals['velocity.return-rate'], params: { minOrders: 2 } }));
    const result = rescoreChanged(events, storedWeekly, live, draft, { shopId: 's', feedForward: false });
    expect(result.report.exact).toBe(false);
    expect(result.report.feedForward.mode).toBe('approximated');
    expect(result.report.feedForward.subjectsRecomputed).toBe(0);
    expect(Object.keys(result.report.recomputed)).toEqual(['velocity.return-rate']);
    // The changed signal itself is exact; rows differ from the replay only where verdicts fed forward.
    const exactRows = rowsOf(SignalMatrix.fromDecisions(replay(draft, WEEKLY)));
    const ours = rowsOf(result.matrix);
    const only = (rows: string[][], id: string) => rows.map((lines) => lines.filter((l) => l.startsWith(`${id} `)));
    expect(only(ours, 'velocity.return-rate')).toEqual(only(exactRows, 'velocity.return-rate'));
    expect(ours).not.toEqual(exactRows);
  });

  it("a changed signal that reads verdicts, with other weights and zones, equals the full replay (the server's fixed baseline)", () => {
    const draft = variant((r) => {
      r.signals['customer.prior-high-risk-decisions'] = { ...r.signals['customer.prior-high-risk-decisions'], params: { lookbackDays: 60, mediumWeight: 0.5 } };
      r.signals['velocity.return-rate'] = { ...r.signals['velocity.return-rate'], weight: 35 };
      r.zones = { medium: 25, high: 55 };
    });
    const { result } = expectExact(draft, FIXED, storedFixed);
    expect(result.report.changed.map((c) => c.id)).toEqual(['customer.prior-high-risk-decisions']);
    expect(result.report.feedForward.customersWithChangedVerdicts).toBeGreaterThan(0);
  });

  it('added and edited custom signals (and derived facts) run again and equal the full replay', () => {
    const draft = variant((r) => {
      r.derived = { ...r.derived, refundShare: 'refund.amount / order.totalPrice' };
      r.customSignals = [...(r.customSignals ?? []), { id: 'custom.most-refunded', appliesTo: ['refund'], when: 'derived.refundShare > 0.6', weight: 15 }];
    });
    const { result, exact } = expectExact(draft, WEEKLY, storedWeekly);
    expect(result.report.changed.map((c) => [c.id, c.reason])).toContainEqual(['custom.most-refunded', 'added']);
    expect(hitsOf(exact, 'custom.most-refunded')).toBeGreaterThan(0);
  });

  it('the live ruleset against itself runs nothing and gives back the stored scores', () => {
    const result = rescoreChanged(events, storedFixed, live, live, { shopId: 's', baseline: fixedBaseline });
    expect(result.report.changed).toEqual([]);
    expect(result.report.recomputed).toEqual({});
    expect(result.report.feedForward.customersWithChangedVerdicts).toBe(0);
    expect(rowsOf(result.matrix)).toEqual(rowsOf(storedFixed));
  });

  it('refuses what it cannot answer: other subject kinds, or subjects without stored results', () => {
    expect(() => rescoreChanged(events, storedWeekly, live, variant((r) => (r.appliesTo = ['return', 'refund'])), { shopId: 's' })).toThrow(RescoreUnsupported);
    const partial = new SignalMatrix(storedWeekly.signalIds, storedWeekly.subjectIds.slice(0, 10), storedWeekly.rowStart.slice(0, 11), storedWeekly.column, storedWeekly.status, storedWeekly.strength);
    expect(() => rescoreChanged(events, partial, live, live, { shopId: 's' })).toThrow(/no stored results/);
  });
});

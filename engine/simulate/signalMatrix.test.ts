import { describe, expect, it } from 'vitest';
import defaultRuleset from '../../rulesets/default.json' with { type: 'json' };
import { generateShop } from '../../scenarios/generateShop.ts';
import type { SignalResult } from '../../sdk/index.ts';
import { builtinSignals } from '../../signals/index.ts';
import { compileRuleset } from '../compileRuleset.ts';
import { replayHistory } from '../history/replayHistory.ts';
import { createRegistry } from '../registry.ts';
import type { Ruleset } from '../ruleset.ts';
import { reweigh, SignalMatrix } from './signalMatrix.ts';

const registry = createRegistry(builtinSignals);
const live = compileRuleset(defaultRuleset as Ruleset, registry);
const replayed = [...replayHistory(generateShop({ seed: 4, customers: 80, days: 150 }).events, live, { shopId: 's', keepContexts: true })];
const matrix = SignalMatrix.fromDecisions(replayed.map((r) => r.decision));
const ZONE = ['low', 'medium', 'high'];

describe('re-weighting stored signal results', () => {
  it('gives back every stored score and zone for the ruleset that made them', () => {
    const result = reweigh(matrix, live);
    expect(matrix.subjects).toBeGreaterThan(300);
    replayed.forEach(({ decision }, row) => {
      expect(result.scoreCents[row] / 100, decision.subject.id).toBe(decision.score);
      expect(ZONE[result.zones[row]]).toBe(decision.zone);
    });
  });

  it("equals the engine deciding with the same stored results under other weights, zones and switches", () => {
    const body = structuredClone(defaultRuleset) as Ruleset;
    body.zones = { medium: 25, high: 55 };
    body.signals['velocity.return-rate'] = { ...body.signals['velocity.return-rate'], weight: 40 };
    body.signals['customer.new-account'] = { ...body.signals['customer.new-account'], enabled: false };
    body.signals['customer.trusted-long-term'] = { ...body.signals['customer.trusted-long-term'], weight: -40 };
    const variant = compileRuleset(body, registry);
    const result = reweigh(matrix, variant);
    let changed = 0;
    replayed.forEach(({ decision, context }, row) => {
      const stored = new Map<string, SignalResult>(decision.signals.map((s) => [s.id, { status: s.status, strength: s.strength, evidence: s.evidence, message: s.message }]));
      const expected = variant.decideWithResults(context!, stored);
      expect(result.scoreCents[row] / 100, decision.subject.id).toBe(expected.score);
      expect(ZONE[result.zones[row]]).toBe(expected.zone);
      if (expected.zone !== decision.zone) changed++;
    });
    expect(changed).toBeGreaterThan(0);
    expect(result.counts.low + result.counts.medium + result.counts.high).toBe(matrix.subjects);
  });

  it('scores each row with its kind’s weights and zones, equal to the engine deciding with the stored results', () => {
    const body = structuredClone(defaultRuleset) as Ruleset;
    body.zones.byKind = { return: { medium: 20, high: 45 }, refund: { medium: 40, high: 80 } };
    body.signals['velocity.return-rate'] = { ...body.signals['velocity.return-rate'], weightByKind: { return: 45, refund: 5 } };
    body.signals['customer.new-account'] = { ...body.signals['customer.new-account'], weightByKind: { order: 35 } };
    body.signals['customer.trusted-long-term'] = { ...body.signals['customer.trusted-long-term'], weightByKind: { order: -40, return: 0 } };
    const variant = compileRuleset(body, registry);
    const result = reweigh(matrix, variant);
    const changed = { order: 0, return: 0, refund: 0 };
    replayed.forEach(({ decision, context }, row) => {
      const stored = new Map<string, SignalResult>(decision.signals.map((s) => [s.id, { status: s.status, strength: s.strength, evidence: s.evidence, message: s.message }]));
      const expected = variant.decideWithResults(context!, stored);
      expect(result.scoreCents[row] / 100, decision.subject.id).toBe(expected.score);
      expect(ZONE[result.zones[row]]).toBe(expected.zone);
      if (expected.zone !== decision.zone) changed[decision.subject.kind]++;
    });
    expect(changed.order).toBeGreaterThan(0);
    expect(changed.return).toBeGreaterThan(0);
  });

  it('rows stored without their kind score with the base weights and zones (as before kinds were kept)', () => {
    const body = structuredClone(defaultRuleset) as Ruleset;
    body.zones.byKind = { return: { medium: 5, high: 10 } };
    const unknown = SignalMatrix.fromResults(replayed.map((r) => ({ subjectId: r.decision.subject.id, signals: r.decision.signals })));
    const result = reweigh(unknown, compileRuleset(body, registry));
    replayed.forEach(({ decision }, row) => {
      expect(result.scoreCents[row] / 100).toBe(decision.score);
      expect(ZONE[result.zones[row]]).toBe(decision.zone);
    });
  });
});

describe('a ruleset without per-kind fields', () => {
  it('decides a replayed shop byte for byte as the same ruleset spelling out every kind with the same weights and zones', () => {
    const spelled = structuredClone(defaultRuleset) as Ruleset;
    for (const config of Object.values(spelled.signals)) if (config.weight !== undefined) config.weightByKind = { order: config.weight, return: config.weight, refund: config.weight };
    spelled.zones.byKind = { order: { ...spelled.zones }, return: { ...spelled.zones }, refund: { ...spelled.zones } };
    const other = [...replayHistory(generateShop({ seed: 4, customers: 80, days: 150 }).events, compileRuleset(spelled, registry), { shopId: 's' })];
    expect(other.length).toBe(replayed.length);
    const strip = (d: object) => JSON.stringify({ ...d, ruleset: undefined });
    other.forEach(({ decision }, row) => expect(strip(decision)).toBe(strip(replayed[row].decision)));
  });
});

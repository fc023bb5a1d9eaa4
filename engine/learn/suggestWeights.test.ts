import { describe, expect, it } from 'vitest';
import defaultRuleset from '../../rulesets/default.json' with { type: 'json' };
import { builtinSignals } from '../../signals/index.ts';
import { compileRuleset } from '../compileRuleset.ts';
import type { SignalTrace } from '../decision.ts';
import { createRegistry } from '../registry.ts';
import type { Ruleset } from '../ruleset.ts';
import { suggestWeights, type LabelledDecision } from './suggestWeights.ts';

const live = compileRuleset(defaultRuleset as Ruleset, createRegistry(builtinSignals));

function prng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}
const line = (id: string, fired: boolean): SignalTrace =>
  ({ id, version: '1', source: 'signal', status: fired ? 'hit' : 'no_hit', strength: fired ? 1 : 0, weight: 0, points: 0, evidence: {}, message: '' }) as SignalTrace;

/** 400 subjects, 25% fraud: return-rate fires on most fraud, high-value on a third of everything, trusted-long-term on legit. */
function labelledSet(): LabelledDecision[] {
  const random = prng(7);
  return Array.from({ length: 400 }, (_, i) => {
    const fraud = i % 4 === 0;
    return {
      label: fraud ? 'fraud' : 'legit',
      decision: {
        signals: [
          line('velocity.return-rate', random() < (fraud ? 0.9 : 0.05)),
          line('order.high-value', random() < 0.33),
          line('customer.trusted-long-term', random() < (fraud ? 0.02 : 0.4)),
        ],
      },
    };
  });
}

describe('suggestWeights', () => {
  it('raises what predicts fraud, lowers what does not, turns trust negative, with its evidence', () => {
    const data = labelledSet();
    const { suggestions, labelled, fraud } = suggestWeights(data, live);
    expect(labelled).toBe(400);
    expect(fraud).toBe(100);
    const by = new Map(suggestions.map((s) => [s.signalId, s]));
    const returnRate = by.get('velocity.return-rate')!;
    expect(returnRate.suggestedWeight).toBeGreaterThan(returnRate.currentWeight);
    expect(returnRate.lift!).toBeGreaterThan(3);
    const fired = data.filter((d) => d.decision.signals[0].status === 'hit');
    expect(returnRate.support).toBe(fired.length);
    expect(returnRate.fraudWhenFired).toBe(fired.filter((d) => d.label === 'fraud').length);
    const highValue = by.get('order.high-value');
    // Noise: its suggestion (if any) is pulled toward zero, far below the real predictor.
    expect(highValue?.lift ?? 1).toBeLessThan(1.5);
    expect(Math.abs(highValue?.suggestedWeight ?? 0)).toBeLessThan(returnRate.suggestedWeight / 3);
    const trusted = by.get('customer.trusted-long-term');
    expect(trusted === undefined || trusted.suggestedWeight < 0).toBe(true);
    for (const s of suggestions) expect(s.confidence).toBeGreaterThan(0);
  });

  it('suggests nothing without both kinds of label, and says why', () => {
    const allLegit = labelledSet().map((d) => ({ ...d, label: 'legit' as const }));
    const result = suggestWeights(allLegit, live);
    expect(result.suggestions).toEqual([]);
    expect(result.note).toMatch(/one kind/);
    expect(suggestWeights(labelledSet().slice(0, 5), live).note).toMatch(/only 5 labelled/);
  });
});

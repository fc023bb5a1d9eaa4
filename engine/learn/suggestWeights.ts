import type { CompiledRuleset } from '../compileRuleset.ts';
import type { Decision, SignalTrace } from '../decision.ts';
import { fitLogisticRegression } from './logisticRegression.ts';

/** A decided subject with what became known of it. */
export interface LabelledDecision {
  decision: Pick<Decision, 'signals'>;
  label: 'fraud' | 'legit';
}

export interface WeightSuggestion {
  signalId: string;
  currentWeight: number;
  suggestedWeight: number;
  /** Labelled subjects on which the signal fired. */
  support: number;
  /** Of those, how many were fraud. */
  fraudWhenFired: number;
  /** P(fraud | fired) / P(fraud): above 1 the signal points at fraud, below 1 away from it. */
  lift: number | null;
  /** 0..1: how much the data backs the suggestion (support against the minimum, shrunk for few labels). */
  confidence: number;
}

export interface SuggestOptions {
  /** L2 penalty on the coefficients (keeps rare signals near zero). Default 1. */
  l2?: number;
  /** A signal needs at least this many labelled subjects where it fired. Default 10. */
  minSupport?: number;
  /** Only suggest a change of at least this many points. Default 2. */
  minChange?: number;
  iterations?: number;
}

export interface Suggestions {
  labelled: number;
  fraud: number;
  suggestions: WeightSuggestion[];
  /** Why there is nothing to suggest, when so. */
  note?: string;
}

/** The feature a signal gives the regression: its strength when it hit, else 0. */
export function strengthFeature(signal: Pick<SignalTrace, 'status' | 'strength'>): number {
  return signal.status === 'hit' && signal.strength > 0 ? signal.strength : 0;
}

/**
 * Per-signal weight recommendations from labelled outcomes (merchant labels, chargebacks,
 * aging-inferred legit): an L2-regularised logistic regression of fraud on each signal's
 * strength (0 when it did not fire), fitted by gradient descent, its coefficients turned into
 * points so that the odds of fraud reaching even corresponds to the HIGH threshold, and moved
 * toward from the current weight only as far as the evidence allows (the confidence). Never
 * applied automatically: each suggestion carries its evidence (support, lift, confidence).
 */
export function suggestWeights(labelled: readonly LabelledDecision[], ruleset: CompiledRuleset, options: SuggestOptions = {}): Suggestions {
  const l2 = options.l2 ?? 1;
  const minSupport = options.minSupport ?? 10;
  const minChange = options.minChange ?? 2;
  const model = ruleset.scoringModel();
  const ids = model.signals.map((s) => s.id);
  const column = new Map(ids.map((id, i) => [id, i]));
  const n = labelled.length;
  const fraud = labelled.filter((l) => l.label === 'fraud').length;
  if (n < minSupport || fraud === 0 || fraud === n) {
    return { labelled: n, fraud, suggestions: [], note: fraud === 0 || fraud === n ? 'the labels are all of one kind: nothing to learn from yet' : `only ${n} labelled subjects (at least ${minSupport} needed)` };
  }
  // Features: the strength of each signal that fired (hits only).
  const x = new Float64Array(n * ids.length);
  const y = new Float64Array(n);
  const support = new Int32Array(ids.length);
  const fraudFired = new Int32Array(ids.length);
  labelled.forEach(({ decision, label }, row) => {
    y[row] = label === 'fraud' ? 1 : 0;
    for (const s of decision.signals) {
      const i = column.get(s.id);
      const value = strengthFeature(s);
      if (i === undefined || value === 0) continue;
      x[row * ids.length + i] = value;
      support[i]++;
      if (label === 'fraud') fraudFired[i]++;
    }
  });
  const { bias, coefficients: beta } = fitLogisticRegression(x, y, ids.length, { l2, iterations: options.iterations });
  // Points: a subject whose log-odds climb from the base rate to even scores the HIGH threshold.
  const toEven = Math.max(0.5, -bias);
  const pointsPerLogit = model.zones.high / toEven;
  const base = fraud / n;
  const suggestions: WeightSuggestion[] = [];
  model.signals.forEach((signal, i) => {
    if (support[i] < minSupport) return;
    const fitted = Math.max(-100, Math.min(100, beta[i] * pointsPerLogit));
    const confidence = Math.round(Math.min(1, support[i] / (minSupport * 5)) * Math.min(1, n / 200) * 100) / 100;
    // Weak evidence moves a weight a little: the step toward the fitted value shrinks with the confidence.
    const suggested = Math.round(signal.weight + (fitted - signal.weight) * confidence);
    if (Math.abs(suggested - signal.weight) < minChange) return;
    suggestions.push({
      signalId: signal.id,
      currentWeight: signal.weight,
      suggestedWeight: suggested,
      support: support[i],
      fraudWhenFired: fraudFired[i],
      lift: base > 0 ? Math.round((fraudFired[i] / support[i] / base) * 100) / 100 : null,
      confidence,
    });
  });
  suggestions.sort((a, b) => b.confidence - a.confidence || Math.abs(b.suggestedWeight - b.currentWeight) - Math.abs(a.suggestedWeight - a.currentWeight));
  return { labelled: n, fraud, suggestions };
}

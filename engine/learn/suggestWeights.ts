import type { CompiledRuleset } from '../compileRuleset.ts';
import type { Decision } from '../decision.ts';

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

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

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
      if (i === undefined || s.status !== 'hit' || s.strength <= 0) continue;
      x[row * ids.length + i] = s.strength;
      support[i]++;
      if (label === 'fraud') fraudFired[i]++;
    }
  });
  // Gradient descent on the mean log-loss + l2/n × |β|² (intercept not penalised).
  const beta = new Float64Array(ids.length);
  let bias = Math.log(fraud / (n - fraud));
  const rate = 0.5;
  const gradient = new Float64Array(ids.length);
  for (let iteration = 0; iteration < (options.iterations ?? 600); iteration++) {
    gradient.fill(0);
    let biasGradient = 0;
    for (let row = 0; row < n; row++) {
      let z = bias;
      const offset = row * ids.length;
      for (let i = 0; i < ids.length; i++) z += beta[i] * x[offset + i];
      const error = sigmoid(z) - y[row];
      biasGradient += error;
      for (let i = 0; i < ids.length; i++) if (x[offset + i] !== 0) gradient[i] += error * x[offset + i];
    }
    bias -= (rate * biasGradient) / n;
    for (let i = 0; i < ids.length; i++) beta[i] -= rate * (gradient[i] / n + (2 * l2 * beta[i]) / n);
  }
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

import { describe, expect, it } from 'vitest';
import { fitLogisticRegression, logisticLogit } from './logisticRegression.ts';

function prng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** 1,000 rows, 20% positive: feature 0 is on for 80% of positives and 10% of negatives, feature 1 is noise. */
function data() {
  const random = prng(11);
  const n = 1000;
  const x = new Float64Array(n * 2);
  const y = new Float64Array(n);
  for (let row = 0; row < n; row++) {
    y[row] = row % 5 === 0 ? 1 : 0;
    x[row * 2] = random() < (y[row] ? 0.8 : 0.1) ? 1 : 0;
    x[row * 2 + 1] = random() < 0.5 ? 1 : 0;
  }
  return { x, y };
}

describe('fitLogisticRegression', () => {
  it('weighs the predictive feature, leaves the noise near zero, and ranks by it', () => {
    const { x, y } = data();
    const fit = fitLogisticRegression(x, y, 2);
    expect(fit.coefficients[0]).toBeGreaterThan(2);
    expect(Math.abs(fit.coefficients[1]!)).toBeLessThan(0.5);
    const on = Float64Array.of(1, 0, 0, 0);
    expect(logisticLogit(fit, on, 0)).toBeGreaterThan(logisticLogit(fit, on, 1));
    expect(logisticLogit(fit, on, 1)).toBeCloseTo(fit.bias, 12);
  });

  it('the penalty pulls the coefficients toward zero', () => {
    const { x, y } = data();
    expect(fitLogisticRegression(x, y, 2, { l2: 500 }).coefficients[0]).toBeLessThan(fitLogisticRegression(x, y, 2).coefficients[0]! - 0.5);
  });

  it('refuses one-kind labels and a mis-shaped matrix', () => {
    expect(() => fitLogisticRegression(new Float64Array(4), new Float64Array(2), 2)).toThrow(/all of one kind/);
    expect(() => fitLogisticRegression(new Float64Array(3), Float64Array.of(0, 1), 2)).toThrow(/3 values, not 2 rows × 2 features/);
  });
});

describe('fitLogisticRegression: shrinkage toward a prior', () => {
  it('converges to the penalised optimum: its gradient is zero', () => {
    const { x, y } = data();
    const prior = Float64Array.of(1, -1);
    const fit = fitLogisticRegression(x, y, 2, { l2: 30, prior });
    const n = y.length;
    const gradient = [0, 0, 0];
    for (let row = 0; row < n; row++) {
      const error = 1 / (1 + Math.exp(-logisticLogit(fit, x, row))) - y[row]!;
      gradient[0] += (error * x[row * 2]!) / n;
      gradient[1] += (error * x[row * 2 + 1]!) / n;
      gradient[2] += error / n;
    }
    gradient[0] += (2 * 30 * (fit.coefficients[0]! - 1)) / n;
    gradient[1] += (2 * 30 * (fit.coefficients[1]! + 1)) / n;
    for (const g of gradient) expect(Math.abs(g)).toBeLessThan(1e-9);
  });

  it('with few rows the coefficients stay near the prior; with many they follow the data', () => {
    const { x, y } = data();
    // The prior says feature 0 is weak and the noise feature strong: the data says the opposite.
    const prior = Float64Array.of(0.5, 2);
    const few = 40;
    const small = fitLogisticRegression(x.slice(0, few * 2), y.slice(0, few), 2, { l2: 5, prior });
    const large = fitLogisticRegression(x, y, 2, { l2: 5, prior });
    const free = fitLogisticRegression(x, y, 2, { l2: 0.01 });
    expect(free.coefficients[0]).toBeGreaterThan(3);
    expect(Math.abs(free.coefficients[1]!)).toBeLessThan(0.3);
    expect(Math.abs(small.coefficients[0]! - 0.5)).toBeLessThan(0.5);
    expect(Math.abs(small.coefficients[1]! - 2)).toBeLessThan(0.5);
    expect(large.coefficients[0]).toBeGreaterThan(2.4);
    expect(Math.abs(large.coefficients[1]!)).toBeLessThan(0.5);
  });

  it('is deterministic', () => {
    const { x, y } = data();
    const a = fitLogisticRegression(x, y, 2, { l2: 3, prior: Float64Array.of(1, 1) });
    const b = fitLogisticRegression(x, y, 2, { l2: 3, prior: Float64Array.of(1, 1) });
    expect([a.bias, ...a.coefficients]).toEqual([b.bias, ...b.coefficients]);
  });
});

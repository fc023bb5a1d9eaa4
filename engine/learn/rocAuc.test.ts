import { describe, expect, it } from 'vitest';
import { rocAuc } from './rocAuc.ts';

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

describe('rocAuc', () => {
  it('counts ties as one half', () => {
    expect(rocAuc([1, 2, 2, 3], [false, true, false, true])).toBe(0.875);
    expect(rocAuc([5, 5, 5, 5], [true, false, true, false])).toBe(0.5);
    expect(rocAuc([1, 2, 3], [false, false, true])).toBe(1);
    expect(rocAuc([3, 2, 1], [false, false, true])).toBe(0);
    expect(rocAuc([1, 2], [true, true])).toBeNaN();
  });

  it('equals the pairwise count on heavily tied integer scores', () => {
    const random = prng(3);
    const scores = Array.from({ length: 400 }, () => Math.floor(random() * 6));
    const positive = scores.map((s) => random() < 0.1 + s * 0.05);
    expect(rocAuc(scores, positive)).toBeCloseTo(pairwiseAuc(scores, positive), 12);
  });
});

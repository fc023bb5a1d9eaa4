import { describe, expect, it } from 'vitest';
import { curveStrength } from '../strengthCurve.ts';
import { curveProblems } from '../strengthCurve.ts';
import { basisValues, basisWidth, binBasis, curveBasis, curveDistance, curveOfEffect, poolAdjacentViolators } from './fitCurves.ts';

describe('poolAdjacentViolators', () => {
  it('pools each run that goes down into its weighted mean, leaving a non-decreasing sequence', () => {
    expect(poolAdjacentViolators([1, 3, 2, 4], [1, 1, 1, 1])).toEqual([1, 2.5, 2.5, 4]);
    expect(poolAdjacentViolators([5, 1, 1, 1], [1, 1, 1, 1])).toEqual([2, 2, 2, 2]);
    expect(poolAdjacentViolators([0, 4, 1], [1, 1, 3])).toEqual([0, 1.75, 1.75]);
    expect(poolAdjacentViolators([1, 2, 3], [1, 1, 1])).toEqual([1, 2, 3]);
  });
});

describe('curveBasis', () => {
  const spread = (n: number, from: number, to: number) => Array.from({ length: n }, (_, i) => Math.round((from + ((to - from) * i) / (n - 1)) * 100) / 100);

  it('knots with enough hits on both sides, a level, and a saturated top of its own', () => {
    const hits = [...spread(200, 0.1, 0.95), ...new Array<number>(60).fill(1)];
    expect(curveBasis(hits)).toEqual({ level: true, knots: [0.25, 0.5, 0.75], atom: 1 });
    // Few hits at the top: no atom; few above 0.75: no knot there.
    expect(curveBasis([...spread(100, 0.1, 0.7), 0.9, 1])).toEqual({ level: true, knots: [0.25, 0.5] });
    // Too few hits, or one strength only (a signal that always says 1): nothing to bend.
    expect(curveBasis(spread(30, 0.1, 0.9))).toBeUndefined();
    expect(curveBasis(new Array<number>(500).fill(1))).toBeUndefined();
  });

  it('gives each column its value: the level, the hinges, the atom', () => {
    expect(basisValues({ level: true, knots: [0.25, 0.5], atom: 1 }, 0.6).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([1, 0.35, 0.1, 0]);
    expect(basisValues({ knots: [], atom: 1 }, 1)).toEqual([1]);
  });
});

describe('binBasis', () => {
  const spread = (n: number, from: number, to: number) => Array.from({ length: n }, (_, i) => Math.round((from + ((to - from) * i) / (n - 1)) * 100) / 100);

  it('cuts the hits below a saturated top at their quantiles, the top a bin of its own', () => {
    const hits = [...spread(200, 0.1, 0.9), ...new Array<number>(60).fill(1)];
    expect(binBasis(hits, 1)).toEqual({ knots: [], bins: [0.1], atom: 1 });
    // The quantiles of 0.1..0.9, each moved past its ties (the strengths are rounded to 0.01).
    expect(binBasis(hits, 2)).toEqual({ knots: [], bins: [0.1, 0.51], atom: 1 });
    expect(binBasis(hits, 4)).toEqual({ knots: [], bins: [0.1, 0.31, 0.51, 0.71], atom: 1 });
    // Where the hits are dense, the bins are narrow.
    const dense = [...spread(300, 0.1, 0.3), ...spread(100, 0.31, 0.95)].sort((a, b) => a - b);
    const bins = binBasis(dense, 4)!.bins!;
    expect(bins).toHaveLength(4);
    expect(bins[3]).toBeLessThanOrEqual(0.31);
    expect(binBasis(dense, 4)!.atom).toBeUndefined();
  });

  it('keeps ties in one bin and at least minHits hits in each, with fewer bins when there are not enough', () => {
    // 30 hits at 0.2, 50 at 0.3, 40 from 0.5 to 0.9: the median falls among the 0.3s, which stay together.
    const tied = [...new Array<number>(30).fill(0.2), ...new Array<number>(50).fill(0.3), ...spread(40, 0.5, 0.9)];
    expect(binBasis(tied, 2)).toEqual({ knots: [], bins: [0.2, 0.5] });
    expect(binBasis(tied, 4)).toEqual({ knots: [], bins: [0.2, 0.3, 0.5, 0.71] });
    expect(binBasis(spread(60, 0.1, 0.9), 8)!.bins).toHaveLength(3);
    for (const count of [1, 2, 3, 4, 6, 8]) {
      const basis = binBasis([...spread(150, 0.1, 0.95), ...new Array<number>(40).fill(1)], count)!;
      const sizes = basis.bins!.map((from, b) => spread(150, 0.1, 0.95).filter((v) => v >= from && (b + 1 === basis.bins!.length || v < basis.bins![b + 1]!)).length);
      for (const size of sizes) expect(size).toBeGreaterThanOrEqual(20);
    }
  });

  it('has nothing to bend with one bin, too few hits, or too few below the top', () => {
    expect(binBasis(spread(100, 0.1, 0.9), 1)).toBeUndefined();
    expect(binBasis(spread(30, 0.1, 0.9), 2)).toBeUndefined();
    expect(binBasis([...spread(10, 0.1, 0.9), ...new Array<number>(100).fill(1)], 2)).toBeUndefined();
    expect(binBasis(new Array<number>(500).fill(1), 4)).toBeUndefined();
  });

  it('gives a hit the indicator of its bin (below the first bound: the first; the atom last)', () => {
    const basis = { knots: [], bins: [0.1, 0.3, 0.6], atom: 1 };
    expect(basisWidth(basis)).toBe(4);
    expect(basisValues(basis, 0.05)).toEqual([1, 0, 0, 0]);
    expect(basisValues(basis, 0.3)).toEqual([0, 1, 0, 0]);
    expect(basisValues(basis, 0.99)).toEqual([0, 0, 1, 0]);
    expect(basisValues(basis, 1)).toEqual([0, 0, 0, 1]);
  });
});

describe('curveOfEffect', () => {
  const hits = Array.from({ length: 100 }, (_, i) => 0.1 + i * 0.008).concat(new Array<number>(40).fill(1));

  it('draws a step at the atom: nothing below, all of it at full strength', () => {
    const { weight, curve } = curveOfEffect({ basis: { knots: [], atom: 1 }, slope: 0, coefficients: [3], current: undefined, hits, priorSign: 1 });
    expect(weight).toBeCloseTo(3, 10);
    expect(curve).toEqual([[0, 0], [0.892, 0], [1, 1]]);
    expect(curveProblems(curve)).toEqual([]);
  });

  it('cuts a rising effect where it crosses 0 and keeps it monotone, for a trust signal too', () => {
    const { weight, curve } = curveOfEffect({ basis: { level: true, knots: [], atom: 1 }, slope: 2, coefficients: [-0.5, 1], current: undefined, hits, priorSign: 1 });
    expect(weight).toBeCloseTo(2.5, 10);
    expect(curveStrength(curve!, 0.2)).toBe(0);
    expect(curveStrength(curve!, 0.25)).toBe(0);
    expect(curveStrength(curve!, 0.5)).toBeCloseTo(0.2, 2);
    expect(curveStrength(curve!, 1)).toBe(1);
    expect(curveProblems(curve)).toEqual([]);
    const trust = curveOfEffect({ basis: { level: true, knots: [] }, slope: -1, coefficients: [-1], current: undefined, hits, priorSign: -1 });
    expect(trust.weight).toBeCloseTo(-2, 10);
    expect(trust.curve).toEqual([[0, 0.5], [1, 1]]);
  });

  it('pools a falling effect flat (every hit counts the same); an effect below 0 on the whole is a trust weight; no effect, no weight', () => {
    const falling = curveOfEffect({ basis: { level: true, knots: [] }, slope: -1, coefficients: [3], current: undefined, hits, priorSign: 1 });
    expect(falling.curve).toEqual([[0, 1], [1, 1]]);
    const lowering = curveOfEffect({ basis: { level: true, knots: [] }, slope: 0.2, coefficients: [-0.5], current: undefined, hits, priorSign: 1 });
    expect(lowering.weight).toBeLessThan(0);
    expect(curveOfEffect({ basis: { level: true, knots: [] }, slope: 0, coefficients: [0], current: undefined, hits, priorSign: 1 })).toEqual({ weight: 0, curve: undefined });
  });

  it('draws a binned effect flat within each bin: nothing below the top, then all of it', () => {
    const basis = { knots: [], bins: [0.1, 0.4, 0.7], atom: 1 };
    const { weight, curve } = curveOfEffect({ basis, slope: 0, coefficients: [0, 0.05, -0.05, 4], current: undefined, hits, priorSign: 1 });
    expect(weight).toBeCloseTo(4, 1);
    // The small rise and dip pool flat (pool adjacent violators), about 0, up to the last hit below the top.
    for (const s of [0, 0.2, 0.5, 0.85, 0.892]) expect(curveStrength(curve!, s), `at ${s}`).toBeLessThanOrEqual(0.01);
    expect(curveStrength(curve!, 1)).toBe(1);
    expect(curveProblems(curve)).toEqual([]);
  });

  it('draws a binned step between two bins, monotone, at their training hits', () => {
    const basis = { knots: [], bins: [0.1, 0.5] };
    const spread = Array.from({ length: 81 }, (_, i) => Math.round((0.1 + i * 0.01) * 100) / 100);
    const { weight, curve } = curveOfEffect({ basis, slope: 0, coefficients: [-0.2, 2.5], current: undefined, hits: spread, priorSign: 1 });
    expect(weight).toBeCloseTo(2.5, 10);
    // Below 0 up to the bin's last hit (cut at 0), all of it from the next bin's first hit.
    expect(curve).toHaveLength(4);
    for (const s of [0, 0.3, 0.49]) expect(curveStrength(curve!, s)).toBe(0);
    for (const s of [0.5, 0.7, 1]) expect(curveStrength(curve!, s)).toBe(1);
    expect(curveProblems(curve)).toEqual([]);
  });

  it('measures how far two curves are apart (undefined: the identity)', () => {
    expect(curveDistance(undefined, [[0, 0], [1, 1]])).toBe(0);
    expect(curveDistance([[0, 0], [0.5, 0], [1, 1]], undefined)).toBe(0.5);
  });
});

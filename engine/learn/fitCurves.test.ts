import { describe, expect, it } from 'vitest';
import { curveStrength } from '../strengthCurve.ts';
import { curveProblems } from '../strengthCurve.ts';
import { basisValues, curveBasis, curveDistance, curveOfEffect, poolAdjacentViolators } from './fitCurves.ts';

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

  it('measures how far two curves are apart (undefined: the identity)', () => {
    expect(curveDistance(undefined, [[0, 0], [1, 1]])).toBe(0);
    expect(curveDistance([[0, 0], [0.5, 0], [1, 1]], undefined)).toBe(0.5);
  });
});

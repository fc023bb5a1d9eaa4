import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateScore } from './score.ts';

const sum = (values: ArrayLike<number>) => Array.from(values).reduce((a, b) => a + b, 0);

describe('allocateScore', () => {
  it('keeps raw points when the sum is within 0..cap', () => {
    const result = allocateScore(Int32Array.from([2000, 1500, -500]), 10000);
    expect(result).toMatchObject({ scoreCents: 3000, rawCents: 3000, scaled: false });
    expect(Array.from(result.cents)).toEqual([2000, 1500, -500]);
  });

  it('shrinks every contribution in proportion above the cap', () => {
    const result = allocateScore(Int32Array.from([6000, 6000, 3000]), 10000);
    expect(result.scoreCents).toBe(10000);
    expect(result.rawCents).toBe(15000);
    expect(result.scaled).toBe(true);
    expect(Array.from(result.cents)).toEqual([4000, 4000, 2000]);
  });

  it('below zero, shrinks only the trust (negative) points until they cancel the rest', () => {
    const result = allocateScore(Int32Array.from([1000, -3000, -1000]), 10000);
    expect(result.scoreCents).toBe(0);
    expect(Array.from(result.cents)).toEqual([1000, -750, -250]);
  });

  it('always sums to the clamped score, with signs kept (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -10000, max: 10000 }), { maxLength: 70 }), fc.integer({ min: 100, max: 10000 }), (raw, cap) => {
        const result = allocateScore(Int32Array.from(raw), cap);
        const total = sum(raw);
        expect(result.scoreCents).toBe(Math.min(cap, Math.max(0, total)));
        expect(sum(result.cents)).toBe(result.scoreCents);
        result.cents.forEach((c, i) => {
          if (raw[i] === 0) expect(c).toBe(0);
          else expect(Math.sign(c) === Math.sign(raw[i]) || c === 0).toBe(true);
          expect(Math.abs(c)).toBeLessThanOrEqual(Math.abs(raw[i]));
        });
      }),
      { numRuns: 2000 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateScore, clampCents, hitCents, lineCents, scoreRows, STATUS_CODE, thresholdCents, toCents, weighedCents, zoneCode, zoneOfCents } from './score.ts';

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

describe('the scoring kernel', () => {
  it('zones in hundredths (thresholdCents, zoneOfCents) exactly as zoneCode does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), fc.double({ min: 0, max: 150, noNaN: true }), fc.double({ min: 0, max: 150, noNaN: true }), (cents, a, b) => {
        const zones = { medium: Math.min(a, b), high: Math.max(a, b) };
        expect(zoneOfCents(cents, thresholdCents(zones.medium), thresholdCents(zones.high))).toBe(zoneCode(cents, zones));
      }),
    );
    // Thresholds with more than two decimals: 33.333 is reached at 33.34, not 33.33.
    expect(zoneCode(3333, { medium: 33.333, high: 90 })).toBe(0);
    expect(thresholdCents(33.333)).toBe(3334);
  });

  it('scoreRows gives each row the clamped sum of its lines (lineCents) and its zone, a snoozed line in a weightless column', () => {
    const curve = [[0, 0], [0.5, 0.2], [1, 1]] as [number, number][];
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.record({ column: fc.integer({ min: 0, max: 3 }), hit: fc.boolean(), strength: fc.double({ min: 0, max: 1, noNaN: true }), snoozed: fc.boolean() }), { maxLength: 6 }), { minLength: 1, maxLength: 20 }),
        fc.boolean(),
        (rows, withSnoozes) => {
          const weights = Float64Array.from([40, -25.5, 33.3, 12, 0]);
          const insufficientCents = Int32Array.from([500, 0, 250, 0, 0]);
          const curves = [undefined, undefined, curve, undefined, undefined];
          const flat = rows.flat();
          const rowStart = new Int32Array(rows.length + 1);
          rows.reduce((at, row, r) => ((rowStart[r + 1] = at + row.length), at + row.length), 0);
          const input = {
            rowStart,
            // A snoozed line in column 4, which weighs nothing (as reweigh lays them out: SignalMatrix.scoredColumn).
            column: Uint16Array.from(flat, (e) => (withSnoozes && e.snoozed ? 4 : e.column)),
            status: Uint8Array.from(flat, (e) => (e.hit ? STATUS_CODE.hit : STATUS_CODE.insufficient_data)),
            strength: Float64Array.from(flat, (e) => e.strength),
            kinds: new Uint8Array(rows.length),
            width: 5,
            weights,
            insufficientCents,
            curves,
            capCents: 10_000,
            mediumCents: Int32Array.of(thresholdCents(31)),
            highCents: Int32Array.of(thresholdCents(66)),
          };
          const scores = new Int32Array(rows.length);
          const zones = new Uint8Array(rows.length);
          scoreRows(input, scores, zones);
          rows.forEach((row, r) => {
            const raw = row.reduce((sum, e) => sum + lineCents(e.hit ? STATUS_CODE.hit : STATUS_CODE.insufficient_data, e.strength, weights[e.column]!, curves[e.column], insufficientCents[e.column]!, withSnoozes && e.snoozed), 0);
            expect(scores[r]).toBe(clampCents(raw, 10_000));
            expect(zones[r]).toBe(zoneCode(scores[r]!, { medium: 31, high: 66 }));
          });
        },
      ),
    );
  });

  it('weighedCents is toCents(strength × weight), and hitCents without a curve', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: -100, max: 100, noNaN: true }), (strength, weight) => {
        expect(weighedCents(strength, weight)).toBe(toCents(strength * weight));
        expect(hitCents(strength, weight, undefined)).toBe(weighedCents(strength, weight));
      }),
    );
  });

  it('a snoozed line scores 0 whatever its result', () => {
    expect(lineCents(STATUS_CODE.hit, 1, 40, undefined, 0, true)).toBe(0);
    expect(lineCents(STATUS_CODE.insufficient_data, 0, 40, undefined, 500, true)).toBe(0);
    expect(lineCents(STATUS_CODE.hit, 0.5, 40, undefined, 0, false)).toBe(2000);
  });
});

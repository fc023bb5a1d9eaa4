import { describe, expect, it } from 'vitest';
import { bandCounts, calibrate, riskOf, type CalibrationBand } from './calibration.ts';

const rows = (score: number, n: number, positives: number) => Array.from({ length: n }, (_, i) => ({ score, positive: i < positives }));

describe('the calibration of a version: observed fraud rate per score band, with its count', () => {
  it('gives a band with enough known outcomes its own observed rate, in words with the count', () => {
    const calibration = calibrate([...rows(5, 400, 4), ...rows(45, 80, 8), ...rows(85, 40, 20)], { version: 3, kind: 'order' });
    expect(calibration).toMatchObject({ labelled: 520, positives: 32, baseRate: 32 / 520, heldOut: null });
    const low = riskOf(calibration, 3);
    expect(low.probability).toBe(4 / 400);
    expect(low.basis).toEqual({ from: 0, to: 10, rows: 400, positives: 4, source: 'outcomes' });
    const high = riskOf(calibration, 85);
    expect(high.probability).toBe(0.5);
    expect(high.explanation).toBe("50.0% chance of fraud: of the 40 orders scored 80–89 by ruleset v3 whose outcome is known, 20 turned out fraud (a fraud chargeback, a double dip or the merchant's label).");
    // The rate is what was observed, not smoothed: a band may read higher than the one above it.
    expect(riskOf(calibration, 49).probability).toBe(8 / 80);
  });

  it("borrows the two neighbouring bands when a band alone has too few, and says so when they have too few too", () => {
    const calibration = calibrate([...rows(62, 10, 3), ...rows(55, 15, 2), ...rows(75, 10, 5), ...rows(95, 5, 5)], { version: 2, kind: 'return' });
    const mid = riskOf(calibration, 65);
    expect(mid.basis).toEqual({ from: 50, to: 80, rows: 35, positives: 10, source: 'outcomes' });
    expect(mid.probability).toBe(10 / 35);
    expect(mid.explanation).toMatch(/^28\.6% chance of fraud: of the 35 returns scored 50–79 by ruleset v2/);
    const top = riskOf(calibration, 100);
    expect(top.probability).toBeNull();
    expect(top.basis).toBeNull();
    expect(top.explanation).toBe('Not enough outcomes yet: 5 returns scored 90–100 by ruleset v2 have a known outcome (5 scored 80–100); a rate needs 30.');
    // One outcome: "1 order … has", never "1 orders … have".
    expect(riskOf(calibrate(rows(33, 1, 0), { version: 1, kind: 'order' }), 33).explanation).toBe('Not enough outcomes yet: 1 order scored 30–39 by ruleset v1 has a known outcome (1 scored 20–49); a rate needs 30.');
    expect(calibration.baseRate).toBe(15 / 40);
    expect(calibrate(rows(50, 29, 3), { version: 1, kind: 'order' }).baseRate).toBeNull();
  });

  it("uses the fit's held-out calibration for a band until the version's own outcomes reach the minimum", () => {
    const heldOut: CalibrationBand[] = bandCounts([...rows(15, 200, 2), ...rows(72, 60, 30)]);
    const fresh = calibrate(rows(72, 5, 5), { version: 4, kind: 'order', heldOut });
    const risk = riskOf(fresh, 70);
    expect(risk.basis).toEqual({ from: 70, to: 80, rows: 60, positives: 30, source: 'held-out' });
    expect(risk.probability).toBe(0.5);
    expect(risk.explanation).toBe("50.0% chance of fraud, from the fit behind ruleset v4: of the 60 held-out orders it scored 70–79, 30 were fraud (v4's own outcomes are still too few).");
    expect(fresh.heldOut).toEqual({ rows: 260, positives: 32 });
    // Own outcomes take over once enough.
    const later = calibrate(rows(72, 40, 4), { version: 4, kind: 'order', heldOut });
    expect(riskOf(later, 70).basis).toMatchObject({ source: 'outcomes', rows: 40, positives: 4 });
    // A band neither has: no number.
    expect(riskOf(later, 45).probability).toBeNull();
  });

  it('puts a score of 100 in the last band and clamps out-of-range scores', () => {
    const bands = bandCounts([{ score: 100, positive: true }, { score: 90, positive: false }, { score: -3, positive: false }, { score: 9.99, positive: true }]);
    expect(bands[9]).toEqual({ from: 90, to: 100, rows: 2, positives: 1, rate: 0.5 });
    expect(bands[0]).toEqual({ from: 0, to: 10, rows: 2, positives: 1, rate: 0.5 });
    expect(bands.slice(1, 9).every((b) => b.rows === 0 && b.rate === null)).toBe(true);
  });
});

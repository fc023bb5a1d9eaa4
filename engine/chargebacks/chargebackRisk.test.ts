import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calibrateChargebackRisk, chargebackRiskOf, poolAdjacentViolators, type MaturedOrder } from './chargebackRisk.ts';

const orders = (score: number, n: number, charged: number): MaturedOrder[] => Array.from({ length: n }, (_, i) => ({ score, chargedBack: i < charged }));

describe('chargeback risk calibration', () => {
  it('gives each score band its shrunk chargeback rate, riskier bands never below safer ones', () => {
    const history = [...orders(5, 400, 2), ...orders(45, 80, 4), ...orders(85, 20, 6)];
    const calibration = calibrateChargebackRisk(history)!;
    expect(calibration).toMatchObject({ orders: 500, chargebacks: 12, baseRate: 0.024 });
    const low = chargebackRiskOf(calibration, 3);
    const mid = chargebackRiskOf(calibration, 47.5);
    const high = chargebackRiskOf(calibration, 85);
    const top = chargebackRiskOf(calibration, 100);
    // Shrunk toward 2.4 % with 20 orders of prior: band 0 (2 + 0.48) / 420. Empty bands sit at
    // 2.4 %, below band 40-49's 4.48 %: pooled, 40-79 share (4.48 + 3 × 0.48) / 160; 80-89's
    // (6 + 0.48) / 40 pools with the empty 90-100 band: 6.96 / 60.
    expect(low.probability).toBeCloseTo(2.48 / 420, 10);
    expect(mid.probability).toBeCloseTo(5.92 / 160, 10);
    expect(chargebackRiskOf(calibration, 75).probability).toBeCloseTo(5.92 / 160, 10);
    expect(high.probability).toBeCloseTo(6.96 / 60, 10);
    expect(top.probability).toBeCloseTo(6.96 / 60, 10);
    expect(high.band).toMatchObject({ from: 80, to: 90, orders: 20, chargebacks: 6 });
    expect(high.explanation).toBe("11.6% chance of a chargeback: of this shop's 20 matured orders scored 80–89, 6 were charged back (shop-wide 2.4% of 500).");
    expect(top.explanation).toMatch(/of this shop's 0 matured orders scored 90–100, 0 were charged back/);
  });

  it('pools a band that would read safer than the one below it', () => {
    const history = [...orders(15, 100, 10), ...orders(25, 100, 2), ...orders(5, 300, 3)];
    const calibration = calibrateChargebackRisk(history)!;
    const a = chargebackRiskOf(calibration, 15).probability;
    const b = chargebackRiskOf(calibration, 25).probability;
    expect(b).toBeGreaterThanOrEqual(a);
    expect(a).toBeCloseTo(b, 10); // pooled into one value
  });

  it('refuses to calibrate on too little history or no chargeback at all', () => {
    expect(calibrateChargebackRisk(orders(50, 49, 3))).toBeUndefined();
    expect(calibrateChargebackRisk(orders(50, 500, 0))).toBeUndefined();
  });

  it('PAVA gives the non-decreasing fit (property: monotone, weighted mean kept)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 50 })), { minLength: 1, maxLength: 12 }), (pairs) => {
        const fit = poolAdjacentViolators(pairs.map((p) => p[0]), pairs.map((p) => p[1]));
        for (let i = 1; i < fit.length; i++) expect(fit[i]!).toBeGreaterThanOrEqual(fit[i - 1]! - 1e-12);
        const mean = (xs: number[]) => xs.reduce((s, x, i) => s + x * pairs[i]![1], 0);
        expect(mean(fit)).toBeCloseTo(mean(pairs.map((p) => p[0])), 8);
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { recommend } from './OrderRiskCard.ts';

const decision = (zone: 'low' | 'medium' | 'high') => ({ id: '1', score: zone === 'high' ? 80 : zone === 'medium' ? 40 : 5, zone, decidedAt: '2026-11-01T00:00:00Z', rulesetVersion: 1 });
const band = { from: 80, to: 90, orders: 40, chargebacks: 4, probability: 0.1 };

describe('the card recommendation', () => {
  it('follows the zone and the hold', () => {
    expect(recommend({ decision: null, hold: null, chargebackRisk: null })).toMatch(/^Not scored yet/);
    expect(recommend({ decision: decision('low'), hold: null, chargebackRisk: null })).toBe('Low risk: no action needed.');
    expect(recommend({ decision: decision('medium'), hold: null, chargebackRisk: null })).toBe('Medium risk: check the signals below before shipping.');
    expect(recommend({ decision: decision('high'), hold: { actionId: '7', status: 'done' }, chargebackRisk: null })).toMatch(/^Fulfilment is on hold\. Review the signals below, then release the hold/);
    expect(recommend({ decision: decision('high'), hold: { actionId: '7', status: 'released' }, chargebackRisk: null })).toMatch(/^High risk; the hold was released by staff/);
    expect(recommend({ decision: decision('high'), hold: null, chargebackRisk: null })).toMatch(/^High risk: review before fulfilling/);
  });

  it('adds the calibrated fraud risk only when it is a number and at least twice the rate of all known outcomes', () => {
    const risk = (probability: number | null, baseRate: number | null = 0.02) => ({
      probability, kind: 'order' as const, version: 1, score: 80, band: { from: 80, to: 90 }, baseRate, minLabelled: 30, explanation: '',
      basis: probability === null ? null : { from: 80, to: 90, rows: 40, positives: Math.round(probability * 40), source: 'outcomes' as const },
    });
    expect(recommend({ decision: decision('high'), hold: null, chargebackRisk: risk(0.1) })).toMatch(/ Fraud risk 10\.0%, 5\.0× the rate of all orders with a known outcome\.$/);
    expect(recommend({ decision: decision('medium'), hold: null, chargebackRisk: risk(0.03) })).toBe('Medium risk: check the signals below before shipping.');
    // Not enough outcomes yet (no number), or no base rate to compare with: no figure in the advice.
    expect(recommend({ decision: decision('high'), hold: null, chargebackRisk: risk(null) })).toBe('High risk: review before fulfilling (verify the customer, or cancel and refund).');
    expect(recommend({ decision: decision('high'), hold: null, chargebackRisk: risk(0.5, null) })).toBe('High risk: review before fulfilling (verify the customer, or cancel and refund).');
  });
});

import { describe, expect, it } from 'vitest';
import { recommend, recommendation } from './OrderRiskCard.ts';
import { shopifyAdminUrl } from '../shopify/adminLinks.ts';

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

describe('the recommendation of any decided subject (the decision page, the queue)', () => {
  it('words the next step for the kind: an order, a return, a refund', () => {
    expect(recommendation('order', 'high', null, null)).toEqual({ step: 'Review before fulfilling', text: 'High risk: review before fulfilling (verify the customer, or cancel and refund).' });
    expect(recommendation('return', 'high', null, null).step).toBe('Inspect before refunding');
    expect(recommendation('return', 'medium', null, null).text).toMatch(/^Medium risk: check the signals below and the returned items before approving the refund/);
    expect(recommendation('refund', 'high', null, null).text).toMatch(/^High risk: the refund is already issued/);
    for (const kind of ['order', 'return', 'refund'] as const) expect(recommendation(kind, 'low', null, null)).toEqual({ step: 'No action needed', text: 'Low risk: no action needed.' });
  });

  it('asks to release a hold still in force once a revision lowered the zone', () => {
    expect(recommendation('order', 'low', { status: 'done' }, null)).toEqual({
      step: 'Release the hold',
      text: 'Low risk now, but fulfilment is still on hold from an earlier, higher score: release the hold unless you have another reason to keep it.',
    });
    expect(recommendation('order', 'medium', { status: 'released' }, null).step).toBe('Check before shipping');
  });

  it("compares the fraud risk with the rate of the subject's own kind", () => {
    const risk = { probability: 0.3, kind: 'return' as const, version: 1, score: 80, band: { from: 80, to: 90 }, baseRate: 0.05, minLabelled: 30, explanation: '', basis: { from: 80, to: 90, rows: 40, positives: 12, source: 'outcomes' as const } };
    expect(recommendation('return', 'high', null, risk).text).toMatch(/ Fraud risk 30\.0%, 6\.0× the rate of all returns with a known outcome\.$/);
  });
});

describe('links into Shopify admin', () => {
  it("takes the store from the shop's myshopify domain and the number from the GID", () => {
    expect(shopifyAdminUrl('cool-shop.myshopify.com', 'gid://shopify/Order/820982911946154508')).toBe('https://admin.shopify.com/store/cool-shop/orders/820982911946154508');
    expect(shopifyAdminUrl('cool-shop.myshopify.com', 'gid://shopify/Customer/115310627314723954')).toBe('https://admin.shopify.com/store/cool-shop/customers/115310627314723954');
    expect(shopifyAdminUrl('cool-shop.myshopify.com', 'gid://shopify/Return/1')).toBeNull(); // no page of its own: the order's
    expect(shopifyAdminUrl('cool-shop.myshopify.com', null)).toBeNull();
    expect(shopifyAdminUrl('example.com', 'gid://shopify/Order/1')).toBeNull();
  });
});

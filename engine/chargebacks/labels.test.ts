import { describe, expect, it } from 'vitest';
import { countLabels, isFraudDispute, labelAt, maturityOf, paymentClassOf, type SubjectFacts } from './labels.ts';

const DAY = 86_400_000;
const T0 = Date.parse('2025-01-01T00:00:00.000Z');
const day = (n: number) => new Date(T0 + n * DAY).toISOString();

/** An order placed on day 0, paid through Shopify Payments. */
const order = (over: Partial<SubjectFacts> = {}): SubjectFacts => ({
  kind: 'order', at: day(0), gateways: ['shopify_payments'], orderTotal: 80, disputes: [], firstPaybackAt: null, merchant: [], ...over,
});

describe('labels as known at a moment', () => {
  it('a fraud chargeback is a label only from its time, and settled only once the window has closed', () => {
    const facts = order({ disputes: [{ at: day(40), reason: 'fraudulent', type: 'chargeback' }] });
    expect(labelAt(facts, T0 + 39 * DAY)).toMatchObject({ state: 'immature' });
    expect(labelAt(facts, T0 + 40 * DAY)).toMatchObject({ state: 'immature' }); // strictly before
    expect(labelAt(facts, T0 + 41 * DAY)).toEqual({ state: 'pending', source: 'fraud-chargeback', at: day(40), maturesAt: day(120) });
    expect(labelAt(facts, T0 + 121 * DAY)).toEqual({ state: 'positive', source: 'fraud-chargeback', at: day(40), maturesAt: day(120) });
  });

  it('only fraud reasons are fraud labels; an inquiry is no chargeback', () => {
    expect(isFraudDispute({ reason: 'fraudulent', type: 'chargeback' })).toBe(true);
    expect(isFraudDispute({ reason: 'unrecognized' })).toBe(true);
    expect(isFraudDispute({ reason: 'FRAUDULENT', type: 'chargeback' })).toBe(true);
    for (const reason of ['product_not_received', 'product_unacceptable', 'credit_not_processed', 'duplicate', 'subscription_canceled', 'general', null]) {
      expect(isFraudDispute({ reason, type: 'chargeback' }), String(reason)).toBe(false);
    }
    expect(isFraudDispute({ reason: 'fraudulent', type: 'inquiry' })).toBe(false);
    // Another reason: disputed (neither fraud nor honest), never aged into legit.
    expect(labelAt(order({ disputes: [{ at: day(30), reason: 'product_not_received', type: 'chargeback' }] }), T0 + 200 * DAY)).toMatchObject({ state: 'disputed' });
    expect(labelAt(order({ disputes: [{ at: day(30), reason: 'fraudulent', type: 'inquiry' }] }), T0 + 200 * DAY)).toMatchObject({ state: 'disputed' });
    // ... unless the dispute comes after the moment asked about.
    expect(labelAt(order({ disputes: [{ at: day(150), reason: 'product_not_received', type: 'chargeback' }] }), T0 + 140 * DAY)).toMatchObject({ state: 'negative', source: 'aging', at: day(120) });
  });

  it('a double dip (refunded or returned, and charged back for any reason) is positive from when both are known', () => {
    const refund: SubjectFacts = { ...order(), kind: 'refund', at: day(20), firstPaybackAt: day(20), disputes: [{ at: day(50), reason: 'product_not_received', type: 'chargeback' }] };
    expect(labelAt(refund, T0 + 45 * DAY)).toMatchObject({ state: 'immature', maturesAt: day(140) });
    expect(labelAt(refund, T0 + 60 * DAY)).toMatchObject({ state: 'pending', source: 'double-dip', at: day(50) });
    expect(labelAt(refund, T0 + 141 * DAY)).toMatchObject({ state: 'positive', source: 'double-dip', at: day(50) });
    // Charged back first, returned after: known when the return comes.
    const ret: SubjectFacts = { ...order(), kind: 'return', at: day(60), firstPaybackAt: day(60), disputes: [{ at: day(50), reason: 'product_unacceptable', type: 'chargeback' }] };
    expect(labelAt(ret, T0 + 200 * DAY)).toMatchObject({ state: 'positive', source: 'double-dip', at: day(60) });
    // The order of a double dip is positive too.
    expect(labelAt(order({ firstPaybackAt: day(20), disputes: [{ at: day(50), reason: 'general' }] }), T0 + 200 * DAY)).toMatchObject({ state: 'positive', source: 'double-dip' });
  });

  it('matured without a dispute is legit, at the end of the window of its payment means', () => {
    expect(labelAt(order(), T0 + 119 * DAY)).toEqual({ state: 'immature', maturesAt: day(120) });
    expect(labelAt(order(), T0 + 121 * DAY)).toEqual({ state: 'negative', source: 'aging', at: day(120), maturesAt: day(120) });
    expect(labelAt(order(), T0 + 61 * DAY, { windowDays: 60 })).toMatchObject({ state: 'negative', at: day(60) });
    // Means no card network can reverse: 30 days.
    expect(paymentClassOf(['gift_card'], 50)).toBe('undisputable');
    expect(paymentClassOf(['Gift Card', 'Cash on Delivery (COD)', 'shopify_store_credit', 'manual', 'Bank Deposit', 'money-order'], 50)).toBe('undisputable');
    expect(labelAt(order({ gateways: ['gift_card'] }), T0 + 31 * DAY)).toMatchObject({ state: 'negative', source: 'aging', at: day(30) });
    expect(labelAt(order({ gateways: ['shopify_payments'], orderTotal: 0 }), T0 + 31 * DAY)).toMatchObject({ state: 'negative' });
    // A card with a gift card: the card's window.
    expect(maturityOf(order({ gateways: ['gift_card', 'shopify_payments'] }))).toBe(T0 + 120 * DAY);
    // No gateway stored: treated as a card.
    expect(maturityOf(order({ gateways: [] }))).toBe(T0 + 120 * DAY);
  });

  it('an order paid through a processor whose disputes the app cannot see is never aged into legit', () => {
    for (const gateways of [['paypal'], ['visa', 'bogus'], ['gift_card', 'paypal']]) {
      expect(paymentClassOf(gateways, 50), gateways.join()).toBe('unobservable');
      expect(labelAt(order({ gateways }), T0 + 1000 * DAY)).toEqual({ state: 'unobservable', maturesAt: null });
    }
    // ... but a merchant's label settles it.
    expect(labelAt(order({ gateways: ['paypal'], merchant: [{ label: 'legit', at: day(3) }] }), T0 + 4 * DAY)).toMatchObject({ state: 'negative', source: 'merchant' });
  });

  it("the merchant's latest label known at the moment wins over everything", () => {
    const facts = order({
      disputes: [{ at: day(10), reason: 'fraudulent', type: 'chargeback' }],
      merchant: [{ label: 'legit', at: day(20) }],
    });
    expect(labelAt(facts, T0 + 15 * DAY)).toMatchObject({ state: 'pending', source: 'fraud-chargeback' });
    expect(labelAt(facts, T0 + 21 * DAY)).toEqual({ state: 'negative', source: 'merchant', at: day(20), maturesAt: day(120) });
    expect(labelAt(order({ merchant: [{ label: 'fraud', at: day(2) }] }), T0 + 3 * DAY)).toMatchObject({ state: 'positive', source: 'merchant' });
    expect(labelAt(order({ merchant: [{ label: 'fraud', at: day(2) }] }), T0 + 1 * DAY)).toMatchObject({ state: 'immature' });
  });

  it('counts labels per kind, with what is still in its window and when it settles', () => {
    const asOf = T0 + 130 * DAY;
    const labels = [
      order(),
      order({ disputes: [{ at: day(40), reason: 'fraudulent' }] }),
      order({ at: day(100) }),
      order({ at: day(125), merchant: [{ label: 'fraud', at: day(126) }] }),
      order({ gateways: ['paypal'] }),
      { ...order(), kind: 'refund' as const, at: day(90), firstPaybackAt: day(90), disputes: [{ at: day(100), reason: 'credit_not_processed' }] },
    ].map((f) => ({ kind: f.kind, label: labelAt(f, asOf) }));
    const counts = countLabels(labels, asOf);
    expect(counts.order).toMatchObject({ decided: 5, positive: 2, negative: 1, immature: 1, unobservable: 1, pending: 0, disputed: 0 });
    expect(counts.order.bySource).toMatchObject({ merchant: { positive: 1, negative: 0 }, 'fraud-chargeback': { positive: 1, negative: 0 }, aging: { positive: 0, negative: 1 } });
    expect(counts.order.maturing).toEqual({ next: day(220), within30Days: 0 });
    expect(counts.refund).toMatchObject({ decided: 1, pending: 1, maturing: { next: day(210), within30Days: 0 } });
    expect(counts.return.decided).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { readWebhookFixture } from '../fixtures/readWebhookFixture.ts';
import { thrownBy } from '../fixtures/thrownBy.ts';
import { variant, type Body } from '../fixtures/webhookVariants.ts';
import { keyedHash } from '../../normalize/identityFacts.ts';
import { normalizeTransaction } from './normalizeTransaction.ts';
import { normalizeWebhook } from './normalizeWebhook.ts';
import { PayloadError } from './PayloadError.ts';

const KEY = 'shop-key';

/** Shopify's sample transaction with a full card, as a real card checkout would send it. */
function cardTransaction(edit: (body: Body) => void = () => {}): Body {
  return variant('order_transactions_create', (t) => {
    t.kind = 'sale';
    t.gateway = 'shopify_payments';
    t.payment_details.credit_card_bin = '424242';
    t.payment_details.avs_result_code = 'n';
    t.payment_details.cvv_result_code = 'N';
    t.payment_details.credit_card_number = '•••• •••• •••• 4242';
    t.payment_details.credit_card_name = 'Dana  Q. Müller';
    t.payment_details.credit_card_expiration_month = 7;
    t.payment_details.credit_card_expiration_year = 2029;
    edit(t);
  });
}

describe('normalizeTransaction', () => {
  it("reads Shopify's sample: ids losslessly, lowercase kind and status, no card fingerprint from brand and last four alone", () => {
    expect(normalizeTransaction(variant('order_transactions_create'), KEY)).toEqual({
      id: 'gid://shopify/OrderTransaction/120560818172775265',
      orderId: 'gid://shopify/Order/820982911946154508',
      createdAt: '2021-12-31T19:00:00-05:00',
      kind: 'authorization',
      status: 'success',
      gateway: 'visa',
      amount: 419.95,
      cardCompany: 'Visa',
    });
  });

  it('keeps the AVS and CVV codes as one uppercase letter, the error code and wallet lowercase', () => {
    const tx = normalizeTransaction(cardTransaction((t) => {
      t.status = 'FAILURE';
      t.error_code = 'INCORRECT_CVC';
      t.payment_details.credit_card_wallet = 'Apple_Pay';
    }), KEY);
    expect(tx).toMatchObject({ kind: 'sale', status: 'failure', errorCode: 'incorrect_cvc', avsResultCode: 'N', cvvResultCode: 'N', wallet: 'apple_pay', gateway: 'shopify_payments' });
    // The empty CVV code Shopify documents, and anything longer than a letter, are no code.
    expect(normalizeTransaction(cardTransaction((t) => { t.payment_details.cvv_result_code = ''; t.payment_details.avs_result_code = 'YY'; }), KEY)).not.toHaveProperty('cvvResultCode');
    expect(normalizeTransaction(cardTransaction((t) => { t.payment_details.avs_result_code = 'YY'; }), KEY)).not.toHaveProperty('avsResultCode');
  });

  it('fingerprints the card with the shop key: company + BIN + last four + expiry + holder name, normalized', () => {
    const tx = normalizeTransaction(cardTransaction(), KEY);
    expect(tx.cardHash).toBe(keyedHash(KEY, 'payment', 'visa|424242|4242|07/2029|dana q muller'));
    // Spacing, case, accents and punctuation of the name, and a 2-digit year, do not make another card.
    const same = normalizeTransaction(cardTransaction((t) => {
      t.payment_details.credit_card_name = ' DANA Q MULLER ';
      t.payment_details.credit_card_expiration_year = 29;
      t.payment_details.credit_card_company = ' VISA';
    }), KEY);
    expect(same.cardHash).toBe(tx.cardHash);
    // Another expiry, another last four, another shop: another hash.
    expect(normalizeTransaction(cardTransaction((t) => { t.payment_details.credit_card_expiration_month = 8; }), KEY).cardHash).not.toBe(tx.cardHash);
    expect(normalizeTransaction(cardTransaction((t) => { t.payment_details.credit_card_number = '•••• 4243'; }), KEY).cardHash).not.toBe(tx.cardHash);
    expect(normalizeTransaction(cardTransaction(), 'other-shop').cardHash).not.toBe(tx.cardHash);
    // With the BIN or the expiry missing, the other still makes a fingerprint; with neither, none.
    expect(normalizeTransaction(cardTransaction((t) => { t.payment_details.credit_card_bin = null; }), KEY).cardHash).toBe(keyedHash(KEY, 'payment', 'visa||4242|07/2029|dana q muller'));
    expect(normalizeTransaction(cardTransaction((t) => { t.payment_details.credit_card_bin = null; t.payment_details.credit_card_expiration_year = null; }), KEY)).not.toHaveProperty('cardHash');
  });

  it('keeps no raw BIN, card number, last four, holder name or expiry', () => {
    const json = JSON.stringify(normalizeTransaction(cardTransaction(), KEY)).toLowerCase();
    for (const raw of ['424242', '4242', '•', 'dana', 'müller', 'muller', '2029']) expect(json).not.toContain(raw);
  });

  it('refuses a body that is not a transaction, naming the field', () => {
    const cases: [(raw: string) => string, string][] = [
      [(raw) => raw.replace('"kind": "authorization"', '"kind": 7'), '/kind'],
      [(raw) => raw.replace('"amount": "419.95"', '"amount": "lots"'), '/amount'],
      [(raw) => raw.replace('"order_id": 820982911946154508', `"order_id": ${'9'.repeat(30)}`), '/order_id'],
      [(raw) => raw.replace('"credit_card_expiration_month": null', '"credit_card_expiration_month": 13'), '/payment_details/credit_card_expiration_month'],
      [(raw) => raw.replace('"avs_result_code": null', `"avs_result_code": "${'Y'.repeat(40)}"`), '/payment_details/avs_result_code'],
      [(raw) => raw.replace('gid://shopify/OrderTransaction/', 'gid://shopify/Order/'), '/admin_graphql_api_id'],
    ];
    for (const [corrupt, pointer] of cases) {
      const error = thrownBy(() => normalizeWebhook('order_transactions/create', corrupt(readWebhookFixture('order_transactions_create')), KEY));
      expect(error, pointer).toBeInstanceOf(PayloadError);
      expect(error).toMatchObject({ topic: 'order_transactions/create', pointer });
    }
  });
});

describe('orders/risk_assessment_changed', () => {
  const body = (edit: (b: Body) => void) => JSON.stringify(variant('orders_risk_assessment_changed', edit));
  const TRIGGERED = '2026-03-14T09:30:00Z';

  it("keeps Shopify's own assessment of an order, dated by the body or else the delivery", () => {
    const named = body((b) => { b.admin_graphql_api_order_id = 'gid://shopify/Order/820982911946154508'; b.order_id = '820982911946154508'; b.risk_level = 'HIGH'; });
    expect(normalizeWebhook('orders/risk_assessment_changed', named, KEY, { triggeredAt: TRIGGERED })).toMatchObject({
      kind: 'risk',
      resourceId: 'gid://shopify/Order/820982911946154508',
      risk: { id: 'gid://shopify/Order/820982911946154508#shopify', orderId: 'gid://shopify/Order/820982911946154508', level: 'high', assessedAt: TRIGGERED },
    });
    const dated = body((b) => { b.order_id = 5; b.created_at = '2026-03-14T09:00:00-05:00'; });
    expect(normalizeWebhook('ORDERS_RISK_ASSESSMENT_CHANGED', dated, KEY, { triggeredAt: TRIGGERED })).toMatchObject({ kind: 'risk', risk: { orderId: 'gid://shopify/Order/5', level: 'medium', assessedAt: '2026-03-14T09:00:00-05:00' } });
  });

  it("ignores an app's assessment (RefundSentry writes its own), one naming no order, and unknown levels", () => {
    expect(normalizeWebhook('orders/risk_assessment_changed', body((b) => { b.order_id = 5; b.provider_id = 1234; b.provider_title = 'RefundSentry'; }), KEY, { triggeredAt: TRIGGERED })).toMatchObject({ kind: 'ignored', reason: "an app's risk assessment, not Shopify's" });
    expect(normalizeWebhook('orders/risk_assessment_changed', readWebhookFixture('orders_risk_assessment_changed'), KEY, { triggeredAt: TRIGGERED })).toMatchObject({ kind: 'ignored', reason: 'risk assessment names no order' });
    expect(normalizeWebhook('orders/risk_assessment_changed', body((b) => { b.order_id = 5; b.risk_level = 'catastrophic'; }), KEY, { triggeredAt: TRIGGERED })).toMatchObject({ kind: 'ignored' });
  });

  it('refuses a body without a risk level', () => {
    const error = thrownBy(() => normalizeWebhook('orders/risk_assessment_changed', body((b) => { delete b.risk_level; }), KEY));
    expect(error).toMatchObject({ topic: 'orders/risk_assessment_changed', pointer: '/risk_level' });
  });
});

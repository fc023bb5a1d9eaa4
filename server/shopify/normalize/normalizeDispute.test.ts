import { describe, expect, it } from 'vitest';
import { thrownBy } from '../fixtures/thrownBy.ts';
import { variant } from '../fixtures/webhookVariants.ts';
import { normalizeDispute } from './normalizeDispute.ts';
import { PayloadError } from './PayloadError.ts';

describe('normalizeDispute', () => {
  it('reads the disputes/create and disputes/update samples', () => {
    const expected = {
      id: 'gid://shopify/ShopifyPaymentsDispute/285332461850802063',
      orderId: 'gid://shopify/Order/820982911946154508',
      initiatedAt: '2021-12-31T19:00:00-05:00',
      amount: 11.5,
      reason: 'fraudulent',
      status: 'under_review',
      type: 'chargeback',
    };
    expect(normalizeDispute(variant('disputes_create'))).toEqual(expected);
    expect(normalizeDispute(variant('disputes_update'))).toEqual(expected);
  });

  it('lowercases GraphQL-style values and drops unknown types', () => {
    const d = normalizeDispute(variant('disputes_update', (b) => {
      b.type = 'INQUIRY';
      b.status = 'WON';
      b.reason = 'PRODUCT_NOT_RECEIVED';
    }));
    expect(d).toMatchObject({ type: 'inquiry', status: 'won', reason: 'product_not_received' });
    expect(normalizeDispute(variant('disputes_create', (b) => (b.type = 'retrieval'))).type).toBeUndefined();
  });

  it('refuses a dispute with no order, or a malformed amount', () => {
    expect(thrownBy(() => normalizeDispute(variant('disputes_create', (b) => (b.order_id = null))))).toMatchObject({ pointer: '/order_id' });
    const error = thrownBy(() => normalizeDispute(variant('disputes_create', (b) => (b.amount = null))));
    expect(error).toBeInstanceOf(PayloadError);
    expect(error).toMatchObject({ topic: 'disputes/*', pointer: '/amount' });
  });
});

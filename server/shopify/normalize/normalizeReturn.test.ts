import { describe, expect, it } from 'vitest';
import { thrownBy } from '../fixtures/thrownBy.ts';
import { richOrder, returnWithLines, variant } from '../fixtures/webhookVariants.ts';
import { normalizeOrder } from './normalizeOrder.ts';
import { normalizeReturn, returnLinesComplete, withOrderLines } from './normalizeReturn.ts';
import { returnPayload } from './returnPayload.ts';
import { PayloadError } from './PayloadError.ts';

const AT = '2026-03-14T09:30:00Z';
const RETURN_ID = 'gid://shopify/Return/123134564567890';

describe('normalizeReturn on the samples', () => {
  it('reads returns/request: order nested, no lines listed', () => {
    const body = variant('returns_request');
    expect(normalizeReturn(body, undefined, AT)).toEqual({
      id: RETURN_ID,
      orderId: 'gid://shopify/Order/4783296544821',
      customerId: null,
      status: 'requested',
      createdAt: AT,
      closedAt: null,
      lineItems: [],
      exchangeLineItemCount: 0,
      totalValue: 0,
    });
    expect(returnLinesComplete(returnPayload(body))).toBe(false);
  });

  it('reads returns/approve with its exchange line', () => {
    expect(normalizeReturn(variant('returns_approve'), undefined, AT)).toMatchObject({ id: RETURN_ID, status: 'open', exchangeLineItemCount: 1 });
  });

  it('reads the status-only bodies that send a bare order_id', () => {
    expect(normalizeReturn(variant('returns_close'), undefined, AT)).toMatchObject({
      id: RETURN_ID,
      orderId: 'gid://shopify/Order/4783296544821',
      status: 'closed',
      closedAt: AT,
      lineItems: [],
    });
    expect(normalizeReturn(variant('returns_cancel'), undefined, AT)).toMatchObject({ status: 'canceled', closedAt: null });
    expect(normalizeReturn(variant('returns_decline'), undefined, AT)).toMatchObject({ status: 'declined' });
  });

  it('lowercases GraphQL-style uppercase statuses', () => {
    expect(normalizeReturn(variant('returns_close', (r) => (r.status = 'CLOSED')), undefined, AT).status).toBe('closed');
  });
});

describe('normalizeReturn with lines', () => {
  const { order } = normalizeOrder(richOrder(), 'k');

  it('reads lines in either shape, uppercases reasons, keeps scrubbed notes', () => {
    const ret = normalizeReturn(returnWithLines(), undefined, AT);
    expect(ret.orderId).toBe('gid://shopify/Order/820982911946154508');
    expect(ret.customerId).toBe('gid://shopify/Customer/115310627314723954');
    expect(ret.lineItems).toEqual([
      {
        lineItemId: 'gid://shopify/LineItem/487817672276298554',
        quantity: 1,
        reason: 'SIZE_TOO_SMALL',
        reasonNote: 'Too tight, write to [email]\nCall me on [phone] before 2024-05-01',
      },
      { lineItemId: 'gid://shopify/LineItem/976318377106520349', quantity: 1, reason: 'DEFECTIVE' },
    ]);
    expect(ret.totalValue).toBe(0);
    expect(returnLinesComplete(returnPayload(returnWithLines()))).toBe(true);
  });

  it('prices lines from the order: unit price paid after the line discount', () => {
    const ret = normalizeReturn(returnWithLines(), order, AT);
    expect(ret.lineItems[0]).toMatchObject({
      sku: 'SKU2006-001',
      productId: 'gid://shopify/Product/788032119674292922',
      variantId: 'gid://shopify/ProductVariant/49148385',
      unitPrice: 87.49, // 89.99 less 5.00 of discount over 2 units
    });
    expect(ret.lineItems[1]).toMatchObject({ sku: 'SKU2006-020', unitPrice: 159.99 });
    expect(ret.totalValue).toBe(247.48);
    expect(withOrderLines(normalizeReturn(returnWithLines(), undefined, AT), order)).toEqual(ret);
  });

  it('ignores an order that is not the return’s', () => {
    const other = { ...order, id: 'gid://shopify/Order/1' };
    expect(normalizeReturn(returnWithLines(), other, AT).totalValue).toBe(0);
  });
});

describe('normalizeReturn refusals', () => {
  it('needs an order reference', () => {
    const error = thrownBy(() => normalizeReturn(variant('returns_close', (r) => delete r.order_id), undefined, AT));
    expect(error).toBeInstanceOf(PayloadError);
    expect((error as PayloadError).message).toMatch(/missing required property "order" or "order_id"/);
  });

  it('needs a time when the body has none', () => {
    const error = thrownBy(() => normalizeReturn(variant('returns_close')));
    expect(error).not.toBeInstanceOf(PayloadError);
    expect((error as Error).message).toMatch(/receivedAt/);
  });

  it('refuses a line without a quantity', () => {
    const body = returnWithLines();
    delete body.return_line_items[1].quantity;
    const error = thrownBy(() => normalizeReturn(body, undefined, AT));
    expect(error).toMatchObject({ pointer: '/return_line_items/1/quantity' });
  });
});

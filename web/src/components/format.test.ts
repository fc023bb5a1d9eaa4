import { describe, expect, it } from 'vitest';
import { count, orderLabel, percent, pointsChange, signalTitle, wholeMoney, withoutGids } from './format.ts';

describe('readable numbers and words (issue 24, item 3)', () => {
  it('counts with the singular or the plural, never "(s)"', () => {
    expect(count(1, 'order')).toBe('1 order');
    expect(count(0, 'order')).toBe('0 orders');
    expect(count(1204, 'order')).toBe('1,204 orders');
    expect(count(2, 'HIGH decision was', 'HIGH decisions were')).toBe('2 HIGH decisions were');
  });

  it('puts server text in words: GIDs, and "N thing(s)" by its number', () => {
    expect(withoutGids('Refund of gid://shopify/Order/12 by gid://shopify/ShopifyPaymentsDispute/3')).toBe('Refund of order 12 by chargeback 3');
    expect(withoutGids('1 chargeback(s) in the last 365 days, $80.00 disputed in all.')).toBe('1 chargeback in the last 365 days, $80.00 disputed in all.');
    expect(withoutGids('3 chargeback(s) in the last 365 days.')).toBe('3 chargebacks in the last 365 days.');
    expect(withoutGids('1 earlier order(s) had both a refund or return and a chargeback.')).toBe('1 earlier order had both a refund or return and a chargeback.');
    expect(withoutGids('4 failed payment attempt(s) before the payment went through, 1 distinct card(s) tried.')).toBe('4 failed payment attempts before the payment went through, 1 distinct card tried.');
    expect(withoutGids('SKU A-1 returned 1 time(s) before.')).toBe('SKU A-1 returned 1 time before.');
    expect(withoutGids('1,200 item(s)')).toBe('1,200 items');
    // No number before it: the plural.
    expect(withoutGids('Shares device with customer(s) who had chargebacks')).toBe('Shares device with customers who had chargebacks');
    expect(withoutGids('Nothing to change here.')).toBe('Nothing to change here.');
  });

  it('names orders and signals, never by GID or id when a name is known', () => {
    expect(orderLabel('#1001', 'gid://shopify/Order/5')).toBe('#1001');
    expect(orderLabel(null, 'gid://shopify/Order/5')).toBe('Order 5');
    expect(signalTitle('customer.new-account', [{ id: 'customer.new-account', title: 'New account' }])).toBe('New account');
    expect(signalTitle('custom.big-refund', [])).toBe('Big refund');
  });

  it('tells a rate\'s change in percentage points, and money in the currency', () => {
    expect(pointsChange(0.12, 0.1)).toBe('+2.0 pts');
    expect(pointsChange(0.1, 0.104)).toBe('−0.4 pts');
    expect(pointsChange(0.1, 0.1)).toBe('no change');
    expect(percent(0.125)).toBe('12.5%');
    expect(percent(null)).toBe('—');
    expect(wholeMoney(35548.4, 'USD')).toBe(new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD', maximumFractionDigits: 0, minimumFractionDigits: 0 }).format(35548.4));
    expect(wholeMoney(12, null)).toBe((12).toLocaleString());
  });
});

import { describe, expect, it } from 'vitest';
import { thrownBy } from '../fixtures/thrownBy.ts';
import { variant, type Body } from '../fixtures/webhookVariants.ts';
import { normalizeOrder } from './normalizeOrder.ts';
import { normalizeRefund, refundMethodOfGateway } from './normalizeRefund.ts';
import { PayloadError } from './PayloadError.ts';

const refund = (edit?: (body: Body) => void) => normalizeRefund(variant('refunds_create', edit));
const withGateway = (gateway: string) => (r: Body) => r.transactions.forEach((tx: Body) => (tx.gateway = gateway));

describe('normalizeRefund on the refunds/create sample', () => {
  it('reads ids, amount from successful refund transactions, and lines', () => {
    expect(refund()).toEqual({
      id: 'gid://shopify/Refund/890088186047892319',
      orderId: 'gid://shopify/Order/820982911946154508',
      returnId: null,
      customerId: null,
      createdAt: '2021-12-31T19:00:00-05:00',
      amount: 85, // 75.00 + 10.00
      method: 'original_payment',
      lineItems: [
        { lineItemId: 'gid://shopify/LineItem/487817672276298554', quantity: 1, subtotal: 89.99 },
        { lineItemId: 'gid://shopify/LineItem/789012345678901234', quantity: 1, subtotal: 19.99 },
        { lineItemId: 'gid://shopify/LineItem/890123456789012345', quantity: 1, subtotal: 24.99 },
        { lineItemId: 'gid://shopify/LineItem/976318377106520349', quantity: 1, subtotal: 159.99 },
        { lineItemId: 'gid://shopify/LineItem/315789986012684393', quantity: 1, subtotal: 119.99 },
      ],
      restock: false,
      manual: true,
    });
  });

  it('takes the customer from the order when given', () => {
    const { order } = normalizeOrder(variant('orders_create'), 'k');
    expect(normalizeRefund(variant('refunds_create'), order).customerId).toBe('gid://shopify/Customer/115310627314723954');
  });
});

describe('refund method and amount', () => {
  it.each([
    ['gift_card', 'gift_card'],
    ['store_credit', 'store_credit'],
    ['shopify_store_credit', 'store_credit'],
    ['cash', 'cash'],
    ['shopify_payments', 'original_payment'],
    ['bogus', 'original_payment'],
  ] as const)('gateway %s → %s', (gateway, method) => {
    expect(refundMethodOfGateway(gateway)).toBe(method);
    expect(refund(withGateway(gateway)).method).toBe(method);
  });

  it('counts only successful refund transactions, and names the method by the largest', () => {
    const r = refund((body) => {
      body.transactions[0].status = 'failure';
      body.transactions[1].gateway = 'gift_card';
      body.transactions.push({ ...body.transactions[1], kind: 'sale', amount: '500.00' });
    });
    expect(r.amount).toBe(10);
    expect(r.method).toBe('gift_card');
  });

  it('keeps the money per method of a refund split across methods', () => {
    const r = refund((body) => {
      body.transactions[0].gateway = 'shopify_store_credit';
    });
    expect(r).toMatchObject({ amount: 85, method: 'store_credit', methodAmounts: { store_credit: 75, original_payment: 10 } });
    expect(refund(withGateway('gift_card')).methodAmounts).toBeUndefined();
  });

  it('falls back to line subtotals when the body lists no transactions', () => {
    expect(refund((body) => delete body.transactions)).toMatchObject({ amount: 414.95, method: 'original_payment' });
  });

  it('treats a return refund that moved no money as an exchange', () => {
    const r = refund((body) => {
      body.transactions = [];
      body.return = { id: 123134564567890, admin_graphql_api_id: 'gid://shopify/Return/123134564567890' };
    });
    expect(r).toMatchObject({ method: 'exchange', amount: 0, returnId: 'gid://shopify/Return/123134564567890', manual: false });
  });

  it('links a paid refund to its return and reads restocking', () => {
    const r = refund((body) => {
      body.return = { id: 123134564567890 };
      body.refund_line_items[0].restock_type = 'return';
    });
    expect(r).toMatchObject({ method: 'original_payment', amount: 85, returnId: 'gid://shopify/Return/123134564567890', manual: false, restock: true });
  });

  it('refuses a transaction amount that is not a decimal', () => {
    const error = thrownBy(() => refund((body) => (body.transactions[1].amount = '10,00')));
    expect(error).toBeInstanceOf(PayloadError);
    expect(error).toMatchObject({ topic: 'refunds/create', pointer: '/transactions/1/amount' });
  });
});

import { describe, it } from 'vitest';
import type { TransactionRecord } from '../../sdk/index.ts';
import { SignalTester, makeOrder, orderContext } from '../../sdk/testing/index.ts';
import cvvMismatch from './cvv-mismatch.ts';

const order = makeOrder({ id: 'gid://shopify/Order/1', createdAt: '2026-03-31T10:00:00Z' });
let n = 0;
const tx = (overrides: Partial<TransactionRecord> = {}): TransactionRecord => ({
  id: `gid://shopify/OrderTransaction/${++n}`,
  orderId: order.id,
  createdAt: '2026-03-31T10:00:05Z',
  kind: 'authorization',
  status: 'success',
  gateway: 'shopify_payments',
  amount: 50,
  cardCompany: 'Mastercard',
  ...overrides,
});
const withTx = (...transactions: TransactionRecord[]) => orderContext(order, { history: { transactions } });

new SignalTester({ describe, it }).run(cvvMismatch, {
  hits: [
    { name: 'N: the code did not match', ctx: withTx(tx({ cvvResultCode: 'N' })), strength: 1, message: 'CVV N: the card security code did not match (shopify_payments).' },
    { name: 'P: not processed on Shopify Payments', ctx: withTx(tx({ cvvResultCode: 'P' })), strength: 0.5, messageId: 'notChecked' },
    { name: 'no code at all on Shopify Payments', ctx: withTx(tx()), strength: 0.5, message: 'The card security code was not checked (no code) on shopify_payments, which normally checks it.' },
    { name: 'a gateway the shop names as checking', ctx: withTx(tx({ gateway: 'stripe', cvvResultCode: 'S' })), params: { checkingGateways: ['Stripe'] }, strength: 0.5 },
    { name: 'no payment went through: the failed attempt with N', ctx: withTx(tx({ status: 'failure', cvvResultCode: 'N' })), strength: 1 },
  ],
  quiet: [
    { name: 'M: the code matched', ctx: withTx(tx({ cvvResultCode: 'M' })), messageId: 'matched' },
    { name: 'a failed attempt with N, then a payment that matched', ctx: withTx(tx({ status: 'failure', cvvResultCode: 'N', createdAt: '2026-03-31T09:59:30Z' }), tx({ cvvResultCode: 'M' })) },
    { name: 'not checked, when the shop does not count that', ctx: withTx(tx({ cvvResultCode: 'P' })), params: { flagNotChecked: false } },
  ],
  insufficient: [
    { name: 'no transaction known', ctx: orderContext(order), messageId: 'none' },
    { name: 'a gift card payment: no card', ctx: withTx(tx({ gateway: 'gift_card', cardCompany: undefined })), messageId: 'none' },
    { name: 'Apple Pay: a token, no code', ctx: withTx(tx({ wallet: 'apple_pay' })), messageId: 'wallet' },
    { name: 'no code on a gateway that does not always check', ctx: withTx(tx({ gateway: 'bogus' })), messageId: 'unknown' },
  ],
  invalidParams: [
    { name: 'a strength over 1', params: { notCheckedStrength: 1.5 }, pointer: '/notCheckedStrength' },
    { name: 'an empty gateway name', params: { checkingGateways: [''] }, pointer: '/checkingGateways/0' },
  ],
});

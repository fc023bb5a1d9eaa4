import { describe, it } from 'vitest';
import type { TransactionRecord } from '../../sdk/index.ts';
import { SignalTester, makeOrder, orderContext } from '../../sdk/testing/index.ts';
import avsMismatch from './avs-mismatch.ts';

const order = makeOrder({ id: 'gid://shopify/Order/1', createdAt: '2026-03-31T10:00:00Z' });
let n = 0;
const tx = (overrides: Partial<TransactionRecord> = {}): TransactionRecord => ({
  id: `gid://shopify/OrderTransaction/${++n}`,
  orderId: order.id,
  createdAt: '2026-03-31T10:00:05Z',
  kind: 'sale',
  status: 'success',
  gateway: 'shopify_payments',
  amount: 50,
  cardCompany: 'Visa',
  ...overrides,
});
const withTx = (...transactions: TransactionRecord[]) => orderContext(order, { history: { transactions } });

new SignalTester({ describe, it }).run(avsMismatch, {
  hits: [
    { name: 'N: neither street nor postcode', ctx: withTx(tx({ avsResultCode: 'N' })), strength: 1, messageId: 'both', evidence: { avsResultCode: 'N', street: 'mismatch', postcode: 'mismatch' } },
    { name: 'A: the postcode did not match', ctx: withTx(tx({ avsResultCode: 'A' })), strength: 0.6, message: 'AVS A: the billing postcode did not match the card (street match).' },
    { name: 'Z: the street did not match', ctx: withTx(tx({ avsResultCode: 'Z' })), strength: 0.6, messageId: 'street' },
    { name: 'W: 9-digit ZIP matched, street did not', ctx: withTx(tx({ avsResultCode: 'W' })), strength: 0.6, evidence: { street: 'mismatch', postcode: 'match' } },
    { name: 'an authorization made minutes after the order belongs to it', ctx: withTx(tx({ kind: 'authorization', avsResultCode: 'N', createdAt: '2026-03-31T10:04:00Z' })), strength: 1 },
    { name: 'the worst of two successful payments', ctx: withTx(tx({ avsResultCode: 'Y' }), tx({ avsResultCode: 'A' })), evidence: { avsResultCode: 'A' } },
    { name: 'no payment went through: the attempts are judged', ctx: withTx(tx({ status: 'failure', avsResultCode: 'N' })), strength: 1 },
    { name: 'a street mismatch when only the street counts', ctx: withTx(tx({ avsResultCode: 'N' })), params: { mismatchOn: 'street' }, strength: 1 },
    { name: 'a postcode mismatch at the strength the shop chose', ctx: withTx(tx({ avsResultCode: 'A' })), params: { partialStrength: 0.3 }, strength: 0.3 },
  ],
  quiet: [
    { name: 'Y: street and postcode match', ctx: withTx(tx({ avsResultCode: 'Y' })), messageId: 'matched', evidence: { street: 'match', postcode: 'match' } },
    { name: 'a failed attempt with N, then a payment that matched', ctx: withTx(tx({ status: 'failure', avsResultCode: 'N', createdAt: '2026-03-31T09:59:00Z' }), tx({ avsResultCode: 'Y' })) },
    { name: 'A (postcode) when only the street counts', ctx: withTx(tx({ avsResultCode: 'A' })), params: { mismatchOn: 'street' } },
    { name: 'Z (street) when only the postcode counts', ctx: withTx(tx({ avsResultCode: 'Z' })), params: { mismatchOn: 'postcode' } },
    { name: 'one part only when both must fail', ctx: withTx(tx({ avsResultCode: 'A' })), params: { mismatchOn: 'both' } },
    { name: 'B: street matched, postcode not verified', ctx: withTx(tx({ avsResultCode: 'B' })), evidence: { postcode: 'unverified' } },
  ],
  insufficient: [
    { name: 'no transaction known', ctx: orderContext(order), messageId: 'none' },
    { name: 'a card payment without an AVS code', ctx: withTx(tx()), messageId: 'none' },
    { name: 'U: address information unavailable', ctx: withTx(tx({ avsResultCode: 'U' })), messageId: 'unverified' },
    { name: 'a capture is no checkout payment', ctx: withTx(tx({ kind: 'capture', avsResultCode: 'N' })) },
    { name: 'a transaction more than five minutes after the order is not part of it', ctx: withTx(tx({ avsResultCode: 'N', createdAt: '2026-03-31T10:05:01Z' })) },
    { name: "another order's transaction", ctx: withTx(tx({ orderId: 'gid://shopify/Order/2', avsResultCode: 'N', createdAt: '2026-03-30T10:00:00Z' })) },
  ],
  invalidParams: [
    { name: 'an unknown mode', params: { mismatchOn: 'city' }, pointer: '/mismatchOn' },
    { name: 'a strength over 1', params: { partialStrength: 2 }, pointer: '/partialStrength' },
  ],
});

import { describe, it } from 'vitest';
import type { TransactionRecord } from '../../sdk/index.ts';
import { SignalTester, makeOrder, orderContext } from '../../sdk/testing/index.ts';
import failedPaymentAttempts from './failed-payment-attempts.ts';

const order = makeOrder({ id: 'gid://shopify/Order/1', createdAt: '2026-03-31T10:00:00Z' });
let n = 0;
/** An attempt `seconds` after the order, with card `card`. */
const attempt = (seconds: number, status: string, card?: string, overrides: Partial<TransactionRecord> = {}): TransactionRecord => ({
  id: `gid://shopify/OrderTransaction/${++n}`,
  orderId: order.id,
  createdAt: new Date(Date.parse(order.createdAt) + seconds * 1000).toISOString(),
  kind: 'sale',
  status,
  gateway: 'shopify_payments',
  amount: 50,
  ...(card ? { cardHash: card } : {}),
  ...overrides,
});
const withTx = (...transactions: TransactionRecord[]) => orderContext(order, { history: { transactions } });

new SignalTester({ describe, it }).run(failedPaymentAttempts, {
  hits: [
    { name: 'one decline, then the same card went through', ctx: withTx(attempt(-20, 'failure', 'c1', { errorCode: 'card_declined' }), attempt(5, 'success', 'c1')), strength: 0.3, evidence: { failures: 1, cards: 1, paid: true, errorCodes: ['card_declined'] } },
    { name: 'a decline, then another card: 0.5', ctx: withTx(attempt(-20, 'failure', 'c1'), attempt(5, 'success', 'c2')), strength: 0.5, evidence: { cards: 2 } },
    { name: 'four declines: full strength', ctx: withTx(attempt(-40, 'failure', 'c1'), attempt(-30, 'error', 'c1'), attempt(-20, 'failure', 'c1'), attempt(-10, 'failure', 'c1'), attempt(5, 'success', 'c1')), strength: 1, message: '4 failed payment attempt(s) before the payment went through, 1 distinct card(s) tried.' },
    { name: 'three cards tried in a row (card testing)', ctx: withTx(attempt(-30, 'failure', 'c1'), attempt(-20, 'failure', 'c2'), attempt(5, 'success', 'c3')), strength: 1, evidence: { failures: 2, cards: 3 } },
    { name: 'declines and nothing went through', ctx: withTx(attempt(1, 'failure', 'c1'), attempt(2, 'failure', 'c2')), messageId: 'unpaid', evidence: { paid: false } },
    { name: 'two declines count fully when the shop says so', ctx: withTx(attempt(-20, 'failure'), attempt(-10, 'failure'), attempt(5, 'success')), params: { fullFailures: 2 }, strength: 1 },
  ],
  quiet: [
    { name: 'paid at the first attempt', ctx: withTx(attempt(5, 'success', 'c1')), messageId: 'clean' },
    { name: 'a decline after the payment went through is not before it', ctx: withTx(attempt(5, 'success', 'c1'), attempt(60, 'failure', 'c2')) },
    { name: 'pending, then paid', ctx: withTx(attempt(1, 'pending'), attempt(5, 'success')) },
  ],
  insufficient: [
    { name: 'no transaction known', ctx: orderContext(order), messageId: 'none' },
    { name: 'only a capture', ctx: withTx(attempt(5, 'success', 'c1', { kind: 'capture' })) },
    { name: 'declines of another order', ctx: withTx(attempt(-3600, 'failure', 'c1', { orderId: 'gid://shopify/Order/9' })) },
  ],
  invalidParams: [
    { name: 'zero failures', params: { fullFailures: 0 }, pointer: '/fullFailures' },
    { name: 'one card is not many', params: { manyCards: 1 }, pointer: '/manyCards' },
  ],
});

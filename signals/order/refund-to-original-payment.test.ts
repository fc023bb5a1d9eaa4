import { describe, it } from 'vitest';
import { SignalTester, makeOrder, makeRefund, refundContext } from '../../sdk/testing/index.ts';
import refundToOriginalPayment from './refund-to-original-payment.ts';

const order = makeOrder({ id: 'gid://shopify/Order/1', totalPrice: 400 });
const refund = (amount: number, method: 'original_payment' | 'cash' | 'store_credit' | 'exchange') => makeRefund(order, { id: `gid://shopify/Refund/${amount}${method}`, amount, method });
const baseline = { measures: { 'refund.amount': { p50: 40, p75: 80, p90: 300, p95: 400, p99: 900, n: 200 } } };

new SignalTester({ describe, it }).run(refundToOriginalPayment, {
  hits: [
    {
      name: 'a large card refund',
      ctx: refundContext(refund(200, 'original_payment'), order),
      strength: 1,
      evidence: { method: 'original_payment', amount: 200, largeAmount: 150 },
      messageId: 'cash',
    },
    {
      name: 'a small cash refund is weak',
      ctx: refundContext(refund(15, 'cash'), order),
      strength: [0.35, 0.4],
      message: '15 refunded by cash (large refunds here are 150 or more).',
    },
    {
      name: "half the shop's p90",
      ctx: refundContext(refund(150, 'original_payment'), order, { baseline }),
      strength: [0.64, 0.66],
      evidence: { largeAmount: 300 },
    },
  ],
  quiet: [
    { name: 'store credit', ctx: refundContext(refund(200, 'store_credit'), order), messageId: 'credit', evidence: { method: 'store_credit' } },
    { name: 'an exchange', ctx: refundContext(refund(80, 'exchange'), order) },
    { name: 'a zero refund', ctx: refundContext(refund(0, 'original_payment'), order) },
  ],
  invalidParams: [{ name: 'zero large amount', params: { largeAmount: 0 }, pointer: '/largeAmount' }],
});

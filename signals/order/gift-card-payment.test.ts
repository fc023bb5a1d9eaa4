import { describe, it } from 'vitest';
import { SignalTester, makeOrder, makeRefund, orderContext, refundContext, returnContext } from '../../sdk/testing/index.ts';
import giftCardPayment from './gift-card-payment.ts';

const mixed = makeOrder({ gateways: ['Gift Card', 'shopify_payments'] });
const creditOnly = makeOrder({ gateways: ['shopify_store_credit'] });

new SignalTester({ describe, it }).run(giftCardPayment, {
  hits: [
    {
      name: 'gift card and card on an order',
      ctx: orderContext(mixed),
      strength: 0.7,
      evidence: { creditGateways: ['gift_card'], mixed: true, refundMethod: null },
      message: 'Paid with gift_card alongside shopify_payments.',
    },
    { name: 'store credit only, on a return', ctx: returnContext(undefined, creditOnly), strength: 0.4, message: 'Paid with shopify_store_credit only.' },
    {
      name: 'a mixed payment refunded to the card',
      ctx: refundContext(makeRefund(mixed, { method: 'original_payment' }), mixed),
      strength: 1,
      evidence: { refundMethod: 'original_payment' },
      messageId: 'cashOut',
    },
    { name: 'a custom gateway pattern', ctx: orderContext(makeOrder({ gateways: ['Rise.ai credit', 'paypal'] })), params: { gatewayPatterns: ['rise.ai'] }, strength: 0.7 },
  ],
  quiet: [
    { name: 'card only', ctx: orderContext(makeOrder({ gateways: ['shopify_payments'] })), messageId: 'normal', evidence: { gateways: ['shopify_payments'] } },
    { name: 'a card refund of a card order', ctx: refundContext(undefined, makeOrder({ gateways: ['paypal'] })) },
  ],
  insufficient: [{ name: 'no gateway recorded', ctx: orderContext(makeOrder({ gateways: [] })), messageId: 'noGateway' }],
  invalidParams: [
    { name: 'no patterns', params: { gatewayPatterns: [] }, pointer: '/gatewayPatterns' },
    { name: 'a pattern that is not text', params: { gatewayPatterns: [1] }, pointer: '/gatewayPatterns/0' },
  ],
});

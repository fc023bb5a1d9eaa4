import { describe, it } from 'vitest';
import type { RefundMethod } from '../../sdk/index.ts';
import { SignalTester, makeOrder, makeRefund, refundContext } from '../../sdk/testing/index.ts';
import giftCardRefund from './gift-card-refund.ts';

const paidWith = (n: number, gateways: string[]) => makeOrder({ id: `gid://shopify/Order/${n}`, gateways, totalPrice: 120 });
const refunded = (gateways: string[], method: RefundMethod, n = 1) => {
  const order = paidWith(n, gateways);
  return refundContext(makeRefund(order, { id: `gid://shopify/Refund/${n}`, method }), order);
};

new SignalTester({ describe, it }).run(giftCardRefund, {
  hits: [
    {
      name: 'gift card order refunded in cash',
      ctx: refunded(['gift_card'], 'cash', 1),
      strength: 1,
      evidence: { gateways: 'gift_card', method: 'cash', amount: 120 },
      message: 'Order paid with gift_card, refunded 120 by cash.',
    },
    { name: 'gift card plus card, refunded to the card', ctx: refunded(['Gift_Card', 'shopify_payments'], 'original_payment', 2), strength: 0.5 },
    { name: 'store credit refunded in cash', ctx: refunded(['shopify_store_credit'], 'cash', 3), strength: 1 },
    { name: 'a custom gateway name', ctx: refunded(['voucher_gateway', 'paypal'], 'original_payment', 4), params: { creditGateways: ['voucher_gateway'], mixedStrength: 0.7 }, strength: 0.7 },
  ],
  quiet: [
    { name: 'card order refunded to the card', ctx: refunded(['shopify_payments'], 'original_payment', 5), messageId: 'notConverted' },
    { name: 'gift-card-only order refunded to the gift card', ctx: refunded(['gift_card'], 'original_payment', 6) },
    { name: 'gift card order refunded as store credit', ctx: refunded(['gift_card', 'shopify_payments'], 'store_credit', 7) },
  ],
  invalidParams: [
    { name: 'empty gateway list', params: { creditGateways: [] }, pointer: '/creditGateways' },
    { name: 'mixed strength zero', params: { mixedStrength: 0 }, pointer: '/mixedStrength' },
  ],
});

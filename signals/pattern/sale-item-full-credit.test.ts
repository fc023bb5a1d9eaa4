import { describe, it } from 'vitest';
import type { RefundMethod } from '../../sdk/index.ts';
import { SignalTester, makeLineItem, makeOrder, makeRefund, makeReturn, refundContext, returnContext } from '../../sdk/testing/index.ts';
import saleFullCredit from './sale-item-full-credit.ts';

// A dress on sale (200 → 120), a tee with a 10 code discount (paid 30), a belt at full price.
const order = makeOrder({
  lineItems: [
    makeLineItem({ title: 'Dress', price: 120, compareAtPrice: 200 }),
    makeLineItem({ title: 'Tee', price: 40, totalDiscount: 10 }),
    makeLineItem({ title: 'Belt', price: 50 }),
  ],
});
const [dress, tee, belt] = order.lineItems;
const returnDress = (unitPrice: number | undefined) =>
  returnContext(makeReturn(order, { lineItems: [{ lineItemId: dress.id, quantity: 1, unitPrice, reason: 'UNWANTED' }] }), order);
const refundOf = (lineItemId: string, subtotal: number, method: RefundMethod = 'store_credit') =>
  refundContext(makeRefund(order, { method, amount: subtotal, lineItems: [{ lineItemId, quantity: 1, subtotal }] }), order);

new SignalTester({ describe, it }).run(saleFullCredit, {
  hits: [
    {
      name: 'sale dress valued at its compare-at price',
      ctx: returnDress(200),
      strength: 1,
      evidence: { paid: 120, credited: 200, fullPrice: 200, overpaid: 80, atFullPrice: true },
      messageId: 'overcredited',
    },
    {
      name: 'discounted tee refunded 5 over as store credit',
      ctx: refundOf(tee.id, 35),
      strength: [0.84, 0.86],
      evidence: { paid: 30, credited: 35, overpaid: 5, atFullPrice: false, method: 'store_credit' },
    },
    {
      name: 'same overpayment to the card counts less',
      ctx: refundOf(tee.id, 35, 'original_payment'),
      strength: [0.64, 0.66],
    },
  ],
  quiet: [
    { name: 'dress credited at the sale price', ctx: returnDress(120), messageId: 'normal' },
    { name: 'a full-price belt', ctx: refundOf(belt.id, 50) },
    { name: 'rounding below minOverpayment', ctx: refundOf(tee.id, 30.5) },
  ],
  insufficient: [{ name: 'no unit price on the returned sale item', ctx: returnDress(undefined), messageId: 'noCredit' }],
  invalidParams: [{ name: 'negative tolerance', params: { minOverpayment: -1 }, pointer: '/minOverpayment' }],
});

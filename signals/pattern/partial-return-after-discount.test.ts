import { describe, it } from 'vitest';
import type { OrderRecord } from '../../sdk/index.ts';
import { SignalTester, makeLineItem, makeOrder, makeRefund, makeReturn, refundContext, returnContext } from '../../sdk/testing/index.ts';
import partialReturn from './partial-return-after-discount.ts';

// A $200 basket that earned SPEND150 ($30 off): a $150 jacket, a $30 scarf, two $10 socks.
const basket = (discount: number, codes: string[]): OrderRecord =>
  makeOrder({
    discountCodes: codes,
    lineItems: [
      makeLineItem({ title: 'Jacket', price: 150, totalDiscount: discount * 0.75 }),
      makeLineItem({ title: 'Scarf', price: 30, totalDiscount: discount * 0.15 }),
      makeLineItem({ title: 'Socks', price: 10, quantity: 2, totalDiscount: discount * 0.1 }),
    ],
  });
const discounted = basket(30, ['SPEND150']);
const returning = (order: OrderRecord, count: number) =>
  makeReturn(order, { lineItems: order.lineItems.slice(0, count).map((l) => ({ lineItemId: l.id, quantity: l.quantity })) });

new SignalTester({ describe, it }).run(partialReturn, {
  hits: [
    {
      name: 'jacket returned, cheap items kept',
      ctx: returnContext(returning(discounted, 1), discounted),
      strength: [0.65, 0.66],
      evidence: { returnedPercent: 75, keptValue: 50, discount: 30, codes: 1 },
      messageId: 'partial',
    },
    {
      name: 'refund of jacket and scarf',
      ctx: refundContext(
        makeRefund(discounted, { lineItems: discounted.lineItems.slice(0, 2).map((l) => ({ lineItemId: l.id, quantity: 1, subtotal: l.price })) }),
        discounted,
      ),
      strength: [0.91, 0.92],
      evidence: { returnedPercent: 90, keptValue: 20 },
    },
  ],
  quiet: [
    { name: 'no discount', ctx: returnContext(returning(basket(0, []), 1), basket(0, [])), messageId: 'normal' },
    { name: 'the whole order returned', ctx: returnContext(returning(discounted, 3), discounted) },
    {
      name: 'only the scarf returned',
      ctx: returnContext(makeReturn(discounted, { lineItems: [{ lineItemId: discounted.lineItems[1].id, quantity: 1 }] }), discounted),
    },
    { name: 'a higher share threshold', ctx: returnContext(returning(discounted, 1), discounted), params: { minShare: 0.8 } },
  ],
  insufficient: [
    { name: 'a refund without items', ctx: refundContext(makeRefund(discounted, { lineItems: [], amount: 100 }), discounted), messageId: 'noItems' },
  ],
  invalidParams: [{ name: 'share of 1', params: { minShare: 1 }, pointer: '/minShare' }],
});

import { describe, it } from 'vitest';
import { SignalTester, makeLineItem, makeOrder, makeRefund, makeReturn, refundContext } from '../../sdk/testing/index.ts';
import refundExceedsReturned from './refund-exceeds-returned.ts';

const shirt = makeLineItem({ id: 'gid://shopify/LineItem/1', price: 50 });
const jacket = makeLineItem({ id: 'gid://shopify/LineItem/2', price: 150 });
const order = makeOrder({ id: 'gid://shopify/Order/1', lineItems: [shirt, jacket] });
const shirtReturn = makeReturn(order, { id: 'gid://shopify/Return/1' });
const refund = (amount: number) => makeRefund(order, { id: `gid://shopify/Refund/${amount}`, amount, returnId: shirtReturn.id });
// 10% tax on a 200 subtotal, 5 shipping.
const taxed = { ...order, id: 'gid://shopify/Order/2', totalPrice: 225, totalShipping: 5 };

new SignalTester({ describe, it }).run(refundExceedsReturned, {
  hits: [
    {
      name: 'whole order refunded for one returned shirt',
      ctx: refundContext(refund(200), order, { return: shirtReturn }),
      strength: 1,
      evidence: { refundAmount: 200, returnedValue: 50, excess: 150, excessPercent: 300 },
      messageId: 'exceeds',
    },
    {
      name: 'a refund 40% over',
      ctx: refundContext(refund(70), order, { return: shirtReturn }),
      strength: [0.54, 0.56],
      message: 'Refund of 70 for items worth 50: 20 (40%) more.',
    },
    {
      name: 'over even with tax added',
      ctx: refundContext(makeRefund(taxed, { id: 'gid://shopify/Refund/t1', amount: 80 }), taxed, { return: makeReturn(taxed, { id: 'gid://shopify/Return/2' }) }),
      evidence: { returnedValue: 55, excess: 25 },
    },
  ],
  quiet: [
    { name: 'exact refund', ctx: refundContext(refund(50), order, { return: shirtReturn }), messageId: 'matches', evidence: { excess: 0 } },
    { name: 'within the 1.00 tolerance', ctx: refundContext(refund(50.99), order, { return: shirtReturn }) },
    { name: 'within 5%', ctx: refundContext(refund(52.4), order, { return: shirtReturn }) },
    {
      name: 'tax included in the refund',
      ctx: refundContext(makeRefund(taxed, { id: 'gid://shopify/Refund/t2', amount: 55 }), taxed, { return: makeReturn(taxed, { id: 'gid://shopify/Return/3' }) }),
      evidence: { returnedValue: 55 },
    },
  ],
  insufficient: [
    { name: 'no return behind the refund', ctx: refundContext(makeRefund(order, { id: 'gid://shopify/Refund/n' }), order), messageId: 'noReturn' },
    {
      name: 'return with no value',
      ctx: refundContext(refund(40), order, { return: makeReturn(order, { id: 'gid://shopify/Return/4', totalValue: 0, lineItems: [{ lineItemId: shirt.id, quantity: 1 }] }) }),
    },
  ],
  invalidParams: [{ name: 'negative tolerance', params: { toleranceAmount: -1 }, pointer: '/toleranceAmount' }],
});

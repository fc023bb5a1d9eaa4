import { describe, it } from 'vitest';
import { SignalTester, makeOrder, refundContext, returnContext } from '../../sdk/testing/index.ts';
import guestCheckout from './guest-checkout.ts';

const guestOrder = makeOrder({ id: 'gid://shopify/Order/1', customerId: null });
const accountOrder = makeOrder({ id: 'gid://shopify/Order/2' });

new SignalTester({ describe, it }).run(guestCheckout, {
  hits: [
    { name: 'return of a guest order', ctx: returnContext(undefined, guestOrder), strength: 1, evidence: { orderHasCustomer: false }, messageId: 'guest' },
    { name: 'refund of a guest order', ctx: refundContext(undefined, guestOrder), strength: 1 },
    {
      name: 'the customer record is gone (redacted)',
      ctx: refundContext(undefined, accountOrder, { customer: null }),
      evidence: { orderHasCustomer: true },
    },
  ],
  quiet: [
    { name: 'return of an account order', ctx: returnContext(undefined, accountOrder), messageId: 'account' },
    { name: 'refund of an account order', ctx: refundContext(undefined, accountOrder) },
  ],
  invalidParams: [{ name: 'takes no params', params: { weak: true }, pointer: '/weak' }],
});

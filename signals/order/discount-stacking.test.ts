import { describe, it } from 'vitest';
import { SignalTester, makeLineItem, makeOrder, orderContext, returnContext } from '../../sdk/testing/index.ts';
import discountStacking from './discount-stacking.ts';

const discounted = (discount: number, codes: string[]) =>
  makeOrder({ lineItems: [makeLineItem({ price: 100, totalDiscount: discount })], discountCodes: codes });

new SignalTester({ describe, it }).run(discountStacking, {
  hits: [
    { name: 'two codes', ctx: orderContext(discounted(10, ['WELCOME10', 'SPRING'])), strength: 0.5, evidence: { codes: 2 } },
    { name: 'a 70% discount', ctx: orderContext(discounted(70, ['VIP70'])), strength: [0.75, 0.85], evidence: { sharePercent: 70 } },
    { name: 'both, on a return of that order', ctx: returnContext(undefined, discounted(90, ['A', 'B'])), strength: 1 },
  ],
  quiet: [
    { name: 'no discount', ctx: orderContext(discounted(0, [])), messageId: 'normal' },
    { name: 'one ordinary code', ctx: orderContext(discounted(15, ['WELCOME15'])) },
    { name: 'two codes allowed by params', ctx: orderContext(discounted(10, ['A', 'B'])), params: { maxCodes: 2 } },
  ],
  invalidParams: [{ params: { maxCodes: 0 }, pointer: '/maxCodes' }],
});

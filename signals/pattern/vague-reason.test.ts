import { describe, it } from 'vitest';
import type { ReturnLineItem } from '../../sdk/index.ts';
import { SignalTester, makeLineItem, makeOrder, makeReturn, returnContext } from '../../sdk/testing/index.ts';
import vagueReason from './vague-reason.ts';

const order = makeOrder({ lineItems: [makeLineItem({ price: 150 }), makeLineItem({ price: 80, quantity: 2, totalDiscount: 20 })] });
const [coat, boots] = order.lineItems;
const ctxFor = (...items: Omit<ReturnLineItem, 'quantity'>[]) =>
  returnContext(makeReturn(order, { lineItems: items.map((i) => ({ quantity: 1, ...i })) }), order);
const baseline = { measures: { 'return.value': { p50: 40, p75: 60, p90: 120, p95: 200, p99: 400, n: 300 } } };

new SignalTester({ describe, it }).run(vagueReason, {
  hits: [
    {
      name: 'a 150 coat with reason OTHER and no note',
      ctx: ctxFor({ lineItemId: coat.id, unitPrice: 150, reason: 'OTHER' }),
      strength: [0.54, 0.56],
      evidence: { vagueItems: 1, vagueValue: 150, threshold: 100 },
      messageId: 'vague',
    },
    {
      name: 'no reason at all, priced from the order, against the shop p75',
      ctx: returnContext(
        makeReturn(order, { lineItems: [{ lineItemId: coat.id, quantity: 1 }, { lineItemId: boots.id, quantity: 2, reason: 'UNKNOWN', reasonNote: '  ' }] }),
        order,
        { baseline },
      ),
      strength: 1,
      evidence: { vagueItems: 3, vagueValue: 290, threshold: 60 },
    },
  ],
  quiet: [
    { name: 'a real reason', ctx: ctxFor({ lineItemId: coat.id, unitPrice: 150, reason: 'DEFECTIVE' }), messageId: 'normal' },
    { name: 'OTHER with a note', ctx: ctxFor({ lineItemId: coat.id, unitPrice: 150, reason: 'OTHER', reasonNote: 'Gift, not needed' }) },
    { name: 'a cheap unexplained item', ctx: ctxFor({ lineItemId: boots.id, unitPrice: 70, reason: 'UNKNOWN' }) },
  ],
  invalidParams: [{ name: 'negative value', params: { minValue: -5 }, pointer: '/minValue' }],
});

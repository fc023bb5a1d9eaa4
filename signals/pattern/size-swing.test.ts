import { describe, it } from 'vitest';
import type { LineItem, OrderRecord } from '../../sdk/index.ts';
import { SignalTester, makeLineItem, makeOrder, makeReturn, returnContext } from '../../sdk/testing/index.ts';
import sizeSwing from './size-swing.ts';

const item = (product: number, size: string, productType = 'Jeans') =>
  makeLineItem({
    productId: `gid://shopify/Product/${product}`,
    variantId: `gid://shopify/ProductVariant/${product}-${size}`,
    variantTitle: `${size} / Blue`,
    productType,
  });
const claim = (line: LineItem, reason: string) => ({ lineItemId: line.id, quantity: 1, reason });
const sizeReturn = (order: OrderRecord, claims: ReturnType<typeof claim>[], createdAt = '2026-01-20T10:00:00Z') =>
  makeReturn(order, { createdAt, lineItems: claims });

// Earlier: jeans (product 1) in 32 returned as too small.
const past32 = makeOrder({ lineItems: [item(1, '32')] });
const pastReturn = sizeReturn(past32, [claim(past32.lineItems[0], 'SIZE_TOO_SMALL')], '2026-01-05T00:00:00Z');
const history = { orders: [past32], returns: [pastReturn] };
const ctxNow = (lines: LineItem[], reasons: string[], extra = history) => {
  const order = makeOrder({ lineItems: lines });
  const ret = sizeReturn(order, lines.map((l, i) => claim(l, reasons[i])));
  return returnContext(ret, order, { history: { orders: [...extra.orders, order], returns: extra.returns } });
};
const twoM = item(2, 'M', 'Dresses');

new SignalTester({ describe, it }).run(sizeSwing, {
  hits: [
    {
      name: 'now 30 is too large, earlier 32 was too small',
      ctx: ctxNow([item(1, '30')], ['SIZE_TOO_LARGE']),
      strength: 0.8,
      evidence: { contradictions: 1, level: 'product', sameReturn: false },
      messageId: 'acrossReturns',
    },
    {
      name: 'the same size both too small and too large in one return',
      ctx: ctxNow([twoM, { ...twoM, id: 'gid://shopify/LineItem/dup' }], ['SIZE_TOO_SMALL', 'SIZE_TOO_LARGE']),
      strength: 0.8,
      evidence: { level: 'product', sameReturn: true },
      messageId: 'inReturn',
    },
    {
      name: 'another product of the same type: 32 too large',
      ctx: ctxNow([item(3, '32')], ['SIZE_TOO_LARGE']),
      strength: 0.5,
      evidence: { level: 'product type' },
    },
    {
      name: 'two clashes, a guest with the contradiction inside this return',
      ctx: (() => {
        const order = makeOrder({ lineItems: [item(4, 'L'), item(4, 'S')] });
        const [l, s] = order.lineItems;
        return returnContext(sizeReturn(order, [claim(l, 'SIZE_TOO_SMALL'), claim(s, 'SIZE_TOO_LARGE'), claim(l, 'SIZE_TOO_LARGE')]), order, {
          customer: null,
        });
      })(),
      strength: 1,
      evidence: { contradictions: 2, sameReturn: true },
    },
  ],
  quiet: [
    { name: 'consistent: 34 too large after 32 too small', ctx: ctxNow([item(1, '34')], ['SIZE_TOO_LARGE']), messageId: 'normal' },
    { name: 'a different product type', ctx: ctxNow([item(5, '30', 'Shoes')], ['SIZE_TOO_LARGE']) },
    { name: 'no size reason', ctx: ctxNow([item(1, '30')], ['COLOR']) },
    { name: 'another too-small claim agrees', ctx: ctxNow([item(1, '30')], ['SIZE_TOO_SMALL']) },
  ],
  insufficient: [
    {
      name: 'guest with one size claim',
      ctx: (() => {
        const order = makeOrder({ lineItems: [item(1, '30')] });
        return returnContext(sizeReturn(order, [claim(order.lineItems[0], 'SIZE_TOO_LARGE')]), order, { customer: null });
      })(),
      messageId: 'guest',
    },
  ],
  invalidParams: [{ name: 'type strength above 1', params: { typeStrength: 2 }, pointer: '/typeStrength' }],
});

import { describe, it } from 'vitest';
import type { LineItem, OrderRecord } from '../../sdk/index.ts';
import { SignalTester, makeLineItem, makeOrder, makeReturn, returnContext } from '../../sdk/testing/index.ts';
import bracketing from './bracketing-follow-through.ts';

const variant = (product: number, size: string) =>
  makeLineItem({
    id: `gid://shopify/LineItem/${product}${size}`,
    productId: `gid://shopify/Product/${product}`,
    variantId: `gid://shopify/ProductVariant/${product}${size}`,
    variantTitle: size,
    title: `Product ${product}`,
  });
const dresses = [variant(1, 'S'), variant(1, 'M'), variant(1, 'L')];
const belt = variant(2, 'One size');
const order = makeOrder({ lineItems: [...dresses, belt] });
const returnOf = (o: OrderRecord, lines: LineItem[], createdAt = '2026-01-20T10:00:00Z') =>
  makeReturn(o, {
    createdAt,
    lineItems: lines.map((l) => ({ lineItemId: l.id, productId: l.productId, variantId: l.variantId, quantity: 1, unitPrice: l.price })),
  });
const shirts = makeOrder({ lineItems: [variant(3, 'M'), variant(3, 'L')] });

new SignalTester({ describe, it }).run(bracketing, {
  hits: [
    {
      name: 'three sizes ordered, S and L returned',
      ctx: returnContext(returnOf(order, [dresses[0], dresses[2]]), order),
      strength: [0.69, 0.71],
      evidence: { orderedVariants: 3, returnedVariants: 2, kept: 'M' },
      messageId: 'bracketed',
    },
    {
      name: 'two sizes ordered, one returned',
      ctx: returnContext(returnOf(shirts, [shirts.lineItems[1]]), shirts),
      strength: 0.4,
      evidence: { orderedVariants: 2, returnedVariants: 1, kept: 'M' },
    },
    {
      name: 'an earlier return of the same order sent back S, this one L',
      ctx: returnContext(returnOf(order, [dresses[2]]), order, {
        history: { orders: [order], returns: [returnOf(order, [dresses[0]], '2026-01-15T10:00:00Z')] },
      }),
      evidence: { returnedVariants: 2 },
    },
  ],
  quiet: [
    { name: 'every size returned', ctx: returnContext(returnOf(order, dresses), order), messageId: 'normal' },
    { name: 'one of three sizes returned', ctx: returnContext(returnOf(order, [dresses[1]]), order) },
    { name: 'a product ordered in one variant', ctx: returnContext(returnOf(order, [belt]), order) },
  ],
  invalidParams: [{ name: 'zero variants for full strength', params: { variantsForFull: 0 }, pointer: '/variantsForFull' }],
});

import { describe, it } from 'vitest';
import { SignalTester, makeLineItem, makeOrder, orderContext } from '../../sdk/testing/index.ts';
import bracketing from './bracketing.ts';

const item = (product: number, variant: number, extra = {}) =>
  makeLineItem({
    productId: `gid://shopify/Product/${product}`,
    variantId: `gid://shopify/ProductVariant/${product * 100 + variant}`,
    ...extra,
  });
const order = (...lineItems: ReturnType<typeof item>[]) => orderContext(makeOrder({ lineItems }));

new SignalTester({ describe, it }).run(bracketing, {
  hits: [
    {
      name: 'one shirt in sizes S and M',
      ctx: order(item(1, 1), item(1, 2), item(2, 1)),
      strength: 0.4,
      evidence: { products: 1, maxVariants: 2 },
      messageId: 'bracketed',
    },
    {
      name: 'four sizes of one product and two colours of another',
      ctx: order(item(1, 1), item(1, 2), item(1, 3), item(1, 4), item(2, 1), item(2, 2)),
      strength: 1,
      message: '2 product(s) ordered in several variants, up to 4 variants of one product.',
    },
    {
      name: 'variants told apart by title when the variant id is missing',
      ctx: order(item(1, 1, { variantId: undefined, variantTitle: 'S' }), item(1, 1, { variantId: undefined, variantTitle: 'L' }), item(1, 3)),
      strength: [0.69, 0.71],
      evidence: { maxVariants: 3 },
    },
  ],
  quiet: [
    { name: 'two units of the same variant', ctx: order(item(1, 1, { quantity: 2 }), item(1, 1)), messageId: 'normal' },
    { name: 'different products', ctx: order(item(1, 1), item(2, 1), item(3, 1)) },
    { name: 'two variants below a raised minimum', ctx: order(item(1, 1), item(1, 2)), params: { minVariants: 3 } },
    { name: 'gift cards are not bracketing', ctx: order(item(1, 1, { giftCard: true }), item(1, 2, { giftCard: true }), item(2, 1)) },
  ],
  insufficient: [
    {
      name: 'custom items without product ids',
      ctx: order(item(1, 1, { productId: undefined }), item(1, 2, { productId: undefined })),
      messageId: 'noProducts',
    },
  ],
  invalidParams: [
    { name: 'minVariants of 1', params: { minVariants: 1 }, pointer: '/minVariants' },
    { name: 'unknown param', params: { variants: 2 }, pointer: '/variants' },
  ],
});

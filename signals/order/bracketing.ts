import { defineSignal } from '../../sdk/index.ts';
import type { LineItem } from '../../sdk/index.ts';

interface Params {
  minVariants: number;
}

/** Distinct variants (by variant id, else variant title) ordered of each product. */
function variantsByProduct(items: readonly LineItem[]): Map<string, Set<string>> {
  const byProduct = new Map<string, Set<string>>();
  for (const item of items) {
    const variant = item.variantId ?? item.variantTitle;
    if (item.giftCard || item.productId === undefined || variant === undefined) continue;
    const variants = byProduct.get(item.productId) ?? new Set<string>();
    variants.add(variant);
    byProduct.set(item.productId, variants);
  }
  return byProduct;
}

/** The same product ordered in several sizes or colours: the buyer plans to return the rest. */
export default defineSignal<Params>({
  meta: {
    id: 'order.bracketing',
    version: '1.0.0',
    title: 'Size or colour bracketing',
    description:
      'The order contains the same product in several sizes or colours. Buyers who "bracket" usually keep one and return the rest, so these orders lead to returns far more often.',
    category: 'order',
    appliesTo: ['order'],
    defaultWeight: 10,
    params: {
      type: 'object',
      properties: {
        minVariants: {
          type: 'integer',
          minimum: 2,
          maximum: 20,
          default: 2,
          description: 'Variants of one product in the same order that count as bracketing.',
        },
      },
    },
    needs: ['subject'],
    messages: {
      bracketed: '{{products}} product(s) ordered in several variants, up to {{maxVariants}} variants of one product.',
      normal: 'No product ordered in {{minVariants}} or more variants.',
      noProducts: 'The order has no line items with product and variant ids to compare.',
    },
  },
  evaluate(ctx, params) {
    const byProduct = variantsByProduct(ctx.subject.order.lineItems);
    if (byProduct.size === 0) return { status: 'insufficient_data', messageId: 'noProducts' };
    const counts = [...byProduct.values()].map((variants) => variants.size);
    const bracketed = counts.filter((count) => count >= params.minVariants);
    const maxVariants = Math.max(...counts);
    const evidence = { products: bracketed.length, maxVariants, minVariants: params.minVariants };
    if (bracketed.length === 0) return { status: 'no_hit', messageId: 'normal', evidence };
    // Minimum variants on one product: 0.4; two more variants or each extra bracketed product adds up to 1.
    const strength = Math.min(
      1,
      0.4 + (0.6 * (maxVariants - params.minVariants)) / 2 + 0.3 * (bracketed.length - 1),
    );
    return { status: 'hit', strength, messageId: 'bracketed', evidence };
  },
});

import { defineSignal } from '../../sdk/index.ts';

interface Params {
  maxCodes: number;
  maxDiscountShare: number;
}

/** Several discount codes, or a discount that takes most of the order's value. */
export default defineSignal<Params>({
  meta: {
    id: 'order.discount-stacking',
    version: '1.0.0',
    title: 'Discount stacking',
    description: 'The order combines several discount codes or its discounts remove an unusually large share of its value.',
    category: 'order',
    appliesTo: ['order', 'return', 'refund'],
    defaultWeight: 8,
    params: {
      type: 'object',
      properties: {
        maxCodes: { type: 'integer', minimum: 1, default: 1, description: 'Codes allowed before it counts as stacking.' },
        maxDiscountShare: {
          type: 'number',
          minimum: 0,
          maximum: 1,
          default: 0.4,
          description: 'Share of the pre-discount value that counts as a deep discount.',
        },
      },
    },
    needs: ['subject'],
    messages: {
      stacked: '{{codes}} discount codes took {{sharePercent}}% off the order.',
      normal: '{{codes}} discount codes, {{sharePercent}}% off.',
    },
  },
  evaluate(ctx, params) {
    const order = ctx.subject.order;
    const codes = order.discountCodes.length;
    const gross = order.subtotalPrice + order.totalDiscounts;
    const share = gross > 0 ? order.totalDiscounts / gross : 0;
    const evidence = { codes, sharePercent: Math.round(share * 100), discount: order.totalDiscounts };
    const tooManyCodes = codes > params.maxCodes;
    const tooDeep = share > params.maxDiscountShare;
    if (!tooManyCodes && !tooDeep) return { status: 'no_hit', messageId: 'normal', evidence };
    const strength = Math.min(1, (tooManyCodes ? 0.5 : 0) + (tooDeep ? 0.5 + (share - params.maxDiscountShare) : 0));
    return { status: 'hit', strength, messageId: 'stacked', evidence };
  },
});

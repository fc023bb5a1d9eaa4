import { defineSignal } from '../../sdk/index.ts';
import { orderedUnits, ramp, round2, subjectRefund, subjectReturn } from '../support.ts';

interface Params {
  minShare: number;
}

/**
 * A discounted order partly returned: most of its value goes back while the discount, earned
 * on the whole basket, stays with the items kept.
 */
export default defineSignal<Params>({
  meta: {
    id: 'pattern.partial-return-after-discount',
    version: '1.0.0',
    title: 'Partial return after a basket discount',
    description:
      'The order used a discount (often "spend X, save Y") and the customer returns most of its value but keeps some items. The kept items then carry a discount the remaining basket would not have earned.',
    category: 'pattern',
    appliesTo: ['return', 'refund'],
    defaultWeight: 8,
    params: {
      type: 'object',
      properties: {
        minShare: {
          type: 'number',
          minimum: 0.05,
          maximum: 0.99,
          default: 0.6,
          description: "Share of the order's pre-discount value returned that counts as most of it.",
        },
      },
    },
    needs: ['subject'],
    messages: {
      partial: '{{returnedPercent}}% of a discounted order returned ({{discount}} off); items worth {{keptValue}} kept.',
      normal: 'Not a large partial return of a discounted order.',
      noItems: 'The refund names no items, so the returned share is unknown.',
    },
  },
  evaluate(ctx, params) {
    const order = ctx.subject.order;
    if (order.totalDiscounts <= 0 && order.discountCodes.length === 0) return { status: 'no_hit', messageId: 'normal' };
    const items = subjectReturn(ctx)?.lineItems ?? subjectRefund(ctx)?.lineItems ?? [];
    if (items.length === 0) return { status: 'insufficient_data', messageId: 'noItems' };
    const gross = order.lineItems.reduce((sum, l) => sum + l.price * l.quantity, 0);
    let returnedValue = 0;
    let returnedUnits = 0;
    for (const item of items) {
      const line = order.lineItems.find((l) => l.id === item.lineItemId);
      if (!line) continue;
      const units = Math.min(item.quantity, line.quantity);
      returnedUnits += units;
      returnedValue += units * line.price;
    }
    const share = gross > 0 ? returnedValue / gross : 0;
    if (returnedUnits >= orderedUnits(order) || share < params.minShare) return { status: 'no_hit', messageId: 'normal' };
    const evidence = {
      returnedPercent: Math.round(share * 100),
      keptValue: round2(gross - returnedValue),
      discount: round2(order.totalDiscounts),
      codes: order.discountCodes.length,
    };
    return { status: 'hit', strength: ramp(share, params.minShare, 0.95, 0.4), messageId: 'partial', evidence };
  },
});

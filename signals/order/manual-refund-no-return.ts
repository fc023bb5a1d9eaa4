import { defineSignal } from '../../sdk/index.ts';
import { ramp, round2 } from '../support.ts';

interface Params {
  minShare: number;
}

/**
 * Staff refunded goods that were shipped without any return on record. Refunds before shipping,
 * on cancelled orders, for digital goods only, or small goodwill amounts stay quiet.
 */
export default defineSignal<Params>({
  meta: {
    id: 'order.manual-refund-no-return',
    version: '1.0.0',
    title: 'Refund without a return',
    description:
      'Shipped physical goods were refunded without any return on record: the refund was issued by staff outside the return flow, so nothing is coming back.',
    category: 'order',
    appliesTo: ['refund'],
    defaultWeight: 12,
    params: {
      type: 'object',
      properties: {
        minShare: {
          type: 'number',
          minimum: 0,
          maximum: 1,
          default: 0.2,
          description: "Share of the order's total below which a refund without a return is treated as a goodwill gesture.",
        },
      },
    },
    needs: ['subject', 'history.fulfillments'],
    messages: {
      noReturn: '{{amount}} ({{sharePercent}}% of the order) refunded on shipped goods with no return on record.',
      withReturn: 'The refund follows a return.',
      notShipped: 'Nothing physical was shipped: no return expected.',
      small: '{{amount}} ({{sharePercent}}% of the order) refunded without a return: a small goodwill amount.',
    },
  },
  evaluate(ctx, params) {
    if (ctx.subject.kind !== 'refund') return { status: 'no_hit' };
    const { refund, order } = ctx.subject;
    if (refund.manual !== true && (refund.returnId || ctx.subject.return)) return { status: 'no_hit', messageId: 'withReturn' };
    const physical = order.lineItems.some((item) => item.requiresShipping !== false && item.giftCard !== true);
    const shipped = ctx.history.fulfillments.some((f) => f.orderId === order.id);
    if (!physical || !shipped || order.cancelledAt) return { status: 'no_hit', messageId: 'notShipped' };
    const share = order.totalPrice > 0 ? refund.amount / order.totalPrice : 1;
    const evidence = { amount: round2(refund.amount), sharePercent: Math.round(share * 100), manual: refund.manual === true };
    if (share < params.minShare) return { status: 'no_hit', messageId: 'small', evidence };
    return { status: 'hit', strength: ramp(share, params.minShare, 1, 0.4), messageId: 'noReturn', evidence };
  },
});

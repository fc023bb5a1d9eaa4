import { defineSignal } from '../../sdk/index.ts';
import { ramp, round2 } from '../support.ts';

interface Params {
  threshold: number;
  minOrders: number;
  minOrderValue: number;
}

/**
 * Share of everything the customer ever paid that came back to them as refunds. Cancelled
 * orders (and their refunds) are left out: a cancellation refund is not a return. For a return
 * subject the return's value counts as a pending refund.
 */
export default defineSignal<Params>({
  meta: {
    id: 'customer.lifetime-refund-ratio',
    version: '1.0.0',
    title: 'High lifetime refund ratio',
    description:
      'Over the life of the account, the customer got back a large share of the money they spent (refunds divided by order value), so little of what they buy is kept.',
    category: 'customer',
    appliesTo: ['return', 'refund'],
    defaultWeight: 18,
    params: {
      type: 'object',
      properties: {
        threshold: { type: 'number', minimum: 0, maximum: 1, default: 0.5, description: 'Refunded share of lifetime order value that counts as high.' },
        minOrders: { type: 'integer', minimum: 1, maximum: 100, default: 2, description: 'Orders needed before judging.' },
        minOrderValue: { type: 'number', minimum: 0, maximum: 100000, default: 100, description: 'Lifetime order value needed before judging, in shop currency.' },
      },
    },
    needs: ['subject', 'history.orders', 'history.refunds'],
    messages: {
      high: 'Refunds of {{refundValue}} on {{orderValue}} spent over {{orders}} orders ({{ratioPercent}}%), above {{thresholdPercent}}%.',
      normal: 'Refunds of {{refundValue}} on {{orderValue}} spent ({{ratioPercent}}%).',
      tooFew: 'Only {{orders}} orders worth {{orderValue}}; {{minOrders}} orders and {{minOrderValue}} needed.',
    },
  },
  evaluate(ctx, params) {
    const kept = ctx.history.orders.filter((o) => !o.cancelledAt);
    const keptIds = new Set(kept.map((o) => o.id));
    const orders = kept.length;
    const orderValue = round2(kept.reduce((sum, o) => sum + o.totalPrice, 0));
    if (orders < params.minOrders || orderValue < params.minOrderValue || orderValue <= 0) {
      const evidence = { orders, orderValue, minOrders: params.minOrders, minOrderValue: params.minOrderValue };
      return { status: 'insufficient_data', messageId: 'tooFew', evidence };
    }
    const subject = ctx.subject;
    const pendingAmount = subject.kind === 'refund' ? subject.refund.amount : subject.kind === 'return' ? subject.return.totalValue : 0;
    const pending = keptIds.has(subject.order.id) ? pendingAmount : 0;
    const past = ctx.history.refunds.filter((r) => keptIds.has(r.orderId)).reduce((sum, r) => sum + r.amount, 0);
    const refundValue = round2(past + pending);
    const ratio = refundValue / orderValue;
    const evidence = {
      orders,
      orderValue,
      refundValue,
      ratioPercent: Math.round(ratio * 100),
      thresholdPercent: Math.round(params.threshold * 100),
    };
    if (ratio <= params.threshold) return { status: 'no_hit', messageId: 'normal', evidence };
    return { status: 'hit', strength: ramp(ratio, params.threshold, 1), messageId: 'high', evidence };
  },
});

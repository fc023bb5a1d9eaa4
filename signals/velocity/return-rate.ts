import { BASELINE_MEASURES, baselinePercentile, defineSignal } from '../../sdk/index.ts';

interface Params {
  minOrders: number;
  threshold: number;
}

/**
 * Share of the customer's past orders that led to a return, compared with a threshold that
 * defaults to the shop's p90 customer return rate when a baseline exists.
 */
export default defineSignal<Params>({
  meta: {
    id: 'velocity.return-rate',
    version: '1.0.0',
    title: 'High return rate',
    description:
      'The customer returned items from a much larger share of their orders than most customers of this shop.',
    category: 'velocity',
    appliesTo: ['return', 'refund'],
    defaultWeight: 20,
    params: {
      type: 'object',
      properties: {
        minOrders: { type: 'integer', minimum: 1, default: 3, description: 'Orders needed before judging.' },
        threshold: {
          type: 'number',
          minimum: 0,
          maximum: 1,
          default: 0.5,
          description: "Return rate that counts as high when the shop has no baseline (else the shop's p90).",
        },
      },
    },
    needs: ['history.orders', 'history.returns', 'baseline'],
    messages: {
      high: 'Returned from {{returnedOrders}} of {{orders}} orders ({{ratePercent}}%), above the {{thresholdPercent}}% threshold.',
      normal: 'Returned from {{returnedOrders}} of {{orders}} orders.',
      tooFew: 'Only {{orders}} prior orders; {{minOrders}} needed to judge a return rate.',
    },
  },
  evaluate(ctx, params) {
    const orders = ctx.history.orders.length;
    if (orders < params.minOrders) {
      return { status: 'insufficient_data', messageId: 'tooFew', evidence: { orders, minOrders: params.minOrders } };
    }
    const returnedOrderIds = new Set(ctx.history.returns.map((r) => r.orderId));
    if (ctx.subject.kind === 'return') returnedOrderIds.add(ctx.subject.order.id);
    const returnedOrders = Math.min(returnedOrderIds.size, orders);
    const rate = returnedOrders / orders;
    const threshold = baselinePercentile(ctx, BASELINE_MEASURES.customerReturnRate, 'p90', params.threshold);
    const evidence = {
      orders,
      returnedOrders,
      ratePercent: Math.round(rate * 100),
      thresholdPercent: Math.round(threshold * 100),
    };
    if (rate <= threshold) return { status: 'no_hit', messageId: 'normal', evidence };
    // Strength grows from 0 at the threshold to 1 when every order was returned.
    const strength = threshold >= 1 ? 1 : Math.min(1, Math.max(0.05, (rate - threshold) / (1 - threshold)));
    return { status: 'hit', strength, messageId: 'high', evidence };
  },
});

import { BASELINE_MEASURES, baselinePercentile, defineSignal } from '../../sdk/index.ts';
import { ramp } from '../support.ts';

interface Params {
  minOrders: number;
  threshold: number;
}

/**
 * At order time: the share of the customer's earlier orders that led to a return, against the
 * shop's p90 customer return rate. The order-time counterpart of velocity.return-rate.
 */
export default defineSignal<Params>({
  meta: {
    id: 'customer.prior-return-rate',
    version: '1.0.0',
    title: 'Frequent returner ordering',
    description:
      'The customer placing this order returned items from a much larger share of their earlier orders than most customers of this shop, so this order is likely to come back too.',
    category: 'customer',
    appliesTo: ['order'],
    defaultWeight: 10,
    params: {
      type: 'object',
      properties: {
        minOrders: { type: 'integer', minimum: 1, maximum: 100, default: 3, description: 'Earlier orders needed before judging.' },
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
      high: 'Returned from {{returnedOrders}} of {{orders}} earlier orders ({{ratePercent}}%), above the {{thresholdPercent}}% threshold.',
      normal: 'Returned from {{returnedOrders}} of {{orders}} earlier orders.',
      tooFew: 'Only {{orders}} earlier orders; {{minOrders}} needed to judge a return rate.',
    },
  },
  evaluate(ctx, params) {
    const orderIds = new Set(ctx.history.orders.map((o) => o.id));
    const orders = orderIds.size;
    if (orders < params.minOrders) {
      return { status: 'insufficient_data', messageId: 'tooFew', evidence: { orders, minOrders: params.minOrders } };
    }
    const returnedOrders = new Set(ctx.history.returns.map((r) => r.orderId).filter((id) => orderIds.has(id))).size;
    const rate = returnedOrders / orders;
    const threshold = baselinePercentile(ctx, BASELINE_MEASURES.customerReturnRate, 'p90', params.threshold);
    const evidence = { orders, returnedOrders, ratePercent: Math.round(rate * 100), thresholdPercent: Math.round(threshold * 100) };
    if (rate <= threshold) return { status: 'no_hit', messageId: 'normal', evidence };
    return { status: 'hit', strength: ramp(rate, threshold, 1), messageId: 'high', evidence };
  },
});

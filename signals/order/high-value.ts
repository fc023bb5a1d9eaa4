import { BASELINE_MEASURES, baselinePercentile, defineSignal } from '../../sdk/index.ts';
import { ramp, round2 } from '../support.ts';

interface Params {
  fallbackValue: number;
  fullRatio: number;
}

/** An order worth far more than this shop's orders usually are. */
export default defineSignal<Params>({
  meta: {
    id: 'order.high-value',
    version: '1.0.0',
    title: 'Unusually high order value',
    description:
      "The order is worth more than 95% of this shop's orders. Large orders are where fraud and return abuse cost the most; alone this is only context.",
    category: 'order',
    appliesTo: ['order', 'return', 'refund'],
    defaultWeight: 6,
    params: {
      type: 'object',
      properties: {
        fallbackValue: {
          type: 'number',
          minimum: 0,
          maximum: 1000000,
          default: 400,
          description: "Order value that counts as high when the shop has no baseline (else the shop's p95 order value).",
        },
        fullRatio: {
          type: 'number',
          minimum: 1.1,
          maximum: 100,
          default: 4,
          description: 'Order value as a multiple of the threshold at which the signal is at full strength.',
        },
      },
    },
    needs: ['subject', 'baseline'],
    messages: {
      high: 'Order worth {{value}}, {{ratio}} times the {{threshold}} threshold.',
      normal: 'Order worth {{value}} (threshold {{threshold}}).',
    },
  },
  evaluate(ctx, params) {
    const value = ctx.subject.order.totalPrice;
    const threshold = baselinePercentile(ctx, BASELINE_MEASURES.orderValue, 'p95', params.fallbackValue);
    const ratio = threshold > 0 ? value / threshold : params.fullRatio;
    const evidence = { value: round2(value), threshold: round2(threshold), ratio: round2(ratio) };
    if (value <= threshold) return { status: 'no_hit', messageId: 'normal', evidence };
    // 0.3 just past the threshold, full at fullRatio times it.
    return { status: 'hit', strength: ramp(ratio, 1, params.fullRatio, 0.3), messageId: 'high', evidence };
  },
});

import { BASELINE_MEASURES, baselinePercentile, defineSignal } from '../../sdk/index.ts';
import { ramp, round2 } from '../support.ts';

interface Params {
  fallbackValue: number;
  fullRatio: number;
}

/** Express or overnight shipping on a larger-than-usual order. */
export default defineSignal<Params>({
  meta: {
    id: 'order.express-high-value',
    version: '1.0.0',
    title: 'Express shipping on a large order',
    description:
      "The order is worth more than 75% of this shop's orders and ships express or overnight. Fraudsters pay for speed to receive goods before the card owner notices.",
    category: 'order',
    appliesTo: ['order'],
    defaultWeight: 8,
    params: {
      type: 'object',
      properties: {
        fallbackValue: {
          type: 'number',
          minimum: 0,
          maximum: 1000000,
          default: 150,
          description: "Order value that counts as high when the shop has no baseline (else the shop's p75 order value).",
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
      express: '{{speed}} shipping on an order worth {{value}} (threshold {{threshold}}).',
      normal: 'Order worth {{value}} (threshold {{threshold}}) with {{speed}} shipping.',
      unknownSpeed: 'Order worth {{value}}, but the shipping speed is unknown.',
    },
  },
  evaluate(ctx, params) {
    const order = ctx.subject.order;
    const value = order.totalPrice;
    const threshold = baselinePercentile(ctx, BASELINE_MEASURES.orderValue, 'p75', params.fallbackValue);
    const speeds = order.shippingLines.map((line) => line.speed ?? 'unknown');
    const known = speeds.find((s) => s !== 'unknown') ?? (speeds.length > 0 ? 'unknown' : 'none');
    const speed = speeds.includes('overnight') ? 'overnight' : speeds.includes('express') ? 'express' : known;
    const evidence = { value: round2(value), threshold: round2(threshold), speed };
    if (value <= threshold) return { status: 'no_hit', messageId: 'normal', evidence };
    if (speed === 'unknown') return { status: 'insufficient_data', messageId: 'unknownSpeed', evidence };
    if (speed !== 'express' && speed !== 'overnight') return { status: 'no_hit', messageId: 'normal', evidence };
    // 0.4 just past the threshold, full at fullRatio times it; overnight adds 0.1.
    const ratio = threshold > 0 ? value / threshold : params.fullRatio;
    const strength = Math.min(1, ramp(ratio, 1, params.fullRatio, 0.4) + (speed === 'overnight' ? 0.1 : 0));
    return { status: 'hit', strength, messageId: 'express', evidence };
  },
});

import { BASELINE_MEASURES, baselinePercentile, defineSignal } from '../../sdk/index.ts';
import { ramp, round2 } from '../support.ts';

interface Params {
  fallbackValue: number;
  fullRatio: number;
}

/** A first order (guest or no prior orders) that is unusually large or paid for fast shipping. */
export default defineSignal<Params>({
  meta: {
    id: 'order.risky-first-order',
    version: '1.0.0',
    title: 'Risky first order',
    description:
      "A customer with no earlier orders places an order worth more than 90% of this shop's orders, or pays for express/overnight shipping. Fraudsters using stolen cards buy big and fast on a first order.",
    category: 'order',
    appliesTo: ['order'],
    defaultWeight: 12,
    params: {
      type: 'object',
      properties: {
        fallbackValue: {
          type: 'number',
          minimum: 0,
          maximum: 1000000,
          default: 250,
          description: "Order value that counts as high when the shop has no baseline (else the shop's p90 order value).",
        },
        fullRatio: {
          type: 'number',
          minimum: 1.1,
          maximum: 100,
          default: 3,
          description: 'Order value as a multiple of the threshold at which the value part is at full strength.',
        },
      },
    },
    needs: ['subject', 'customer', 'history.orders', 'baseline'],
    messages: {
      risky: 'First order worth {{value}} (threshold {{threshold}}), express shipping: {{express}}.',
      normal: 'First order worth {{value}} with standard shipping.',
      returning: 'The customer has {{priorOrders}} earlier order(s).',
    },
  },
  evaluate(ctx, params) {
    const order = ctx.subject.order;
    const priorOrders = ctx.customer === null ? 0 : ctx.history.orders.length;
    if (priorOrders > 0) return { status: 'no_hit', messageId: 'returning', evidence: { priorOrders } };
    const value = order.totalPrice;
    const threshold = baselinePercentile(ctx, BASELINE_MEASURES.orderValue, 'p90', params.fallbackValue);
    const express = order.shippingLines.some((line) => line.speed === 'express' || line.speed === 'overnight');
    const high = value > threshold;
    const evidence = { value: round2(value), threshold: round2(threshold), express, guest: ctx.customer === null };
    if (!high && !express) return { status: 'no_hit', messageId: 'normal', evidence };
    // Value contributes up to 0.6 (0.3 just past the threshold), express shipping 0.4.
    const ratio = threshold > 0 ? value / threshold : params.fullRatio;
    const strength = Math.min(1, (high ? 0.6 * ramp(ratio, 1, params.fullRatio, 0.5) : 0) + (express ? 0.4 : 0));
    return { status: 'hit', strength, messageId: 'risky', evidence };
  },
});

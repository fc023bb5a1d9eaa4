import { BASELINE_MEASURES, baselinePercentile, defineSignal } from '../../sdk/index.ts';
import { ramp, withinDays } from '../support.ts';

interface Params {
  min24h: number;
  min7d: number;
}

/** A burst of orders from one customer in the last day or week. */
export default defineSignal<Params>({
  meta: {
    id: 'order.velocity-anomaly',
    version: '1.0.0',
    title: 'Burst of orders',
    description:
      'The customer placed many orders in the last 24 hours or 7 days (this one included). Bursts of orders are typical of card testing, resale buying and accounts being abused. In shops where frequent ordering is normal, the thresholds rise to match the shop.',
    category: 'order',
    appliesTo: ['order'],
    defaultWeight: 12,
    params: {
      type: 'object',
      properties: {
        min24h: {
          type: 'integer',
          minimum: 2,
          maximum: 100,
          default: 3,
          description: "Orders in 24 hours (this one included) that count as a burst; raised to the shop's p95 30-day order count scaled to a day.",
        },
        min7d: {
          type: 'integer',
          minimum: 2,
          maximum: 500,
          default: 5,
          description: "Orders in 7 days (this one included) that count as a burst; raised to the shop's p95 30-day order count scaled to a week.",
        },
      },
    },
    needs: ['customer', 'history.orders', 'baseline'],
    messages: {
      burst: '{{orders24h}} orders in 24 hours (threshold {{threshold24h}}) and {{orders7d}} in 7 days (threshold {{threshold7d}}).',
      normal: '{{orders24h}} order(s) in 24 hours and {{orders7d}} in 7 days.',
      guest: 'Guest checkout: no order history to count.',
    },
  },
  evaluate(ctx, params) {
    if (ctx.customer === null) return { status: 'insufficient_data', messageId: 'guest' };
    const count = (days: number) => 1 + ctx.history.orders.filter((o) => withinDays(ctx, o.createdAt, days)).length;
    const orders24h = count(1);
    const orders7d = count(7);
    // The shop's p95 of orders per customer in 30 days (0 without a baseline), scaled to the window, plus this order.
    const p95 = baselinePercentile(ctx, BASELINE_MEASURES.customerOrders30d, 'p95', 0);
    const threshold24h = Math.max(params.min24h, Math.ceil(p95 / 30) + 1);
    const threshold7d = Math.max(params.min7d, Math.ceil((p95 * 7) / 30) + 1);
    const evidence = { orders24h, orders7d, threshold24h, threshold7d };
    if (orders24h < threshold24h && orders7d < threshold7d) return { status: 'no_hit', messageId: 'normal', evidence };
    // Each window reaches full strength at twice its threshold; the stronger window counts.
    const strength = Math.max(
      orders24h >= threshold24h ? ramp(orders24h, threshold24h, 2 * threshold24h, 0.4) : 0,
      orders7d >= threshold7d ? ramp(orders7d, threshold7d, 2 * threshold7d, 0.4) : 0,
    );
    return { status: 'hit', strength, messageId: 'burst', evidence };
  },
});

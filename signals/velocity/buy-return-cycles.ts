import { defineSignal } from '../../sdk/index.ts';
import type { OrderRecord, ReturnRecord, SignalContext } from '../../sdk/index.ts';
import { DAY_MS, deliveredAt, ms, ramp, subjectReturn, withinDays } from '../support.ts';

interface Params {
  lookbackDays: number;
  cycleDays: number;
  minCycles: number;
}

/** The customer's past returns plus the one being judged (or behind the refund), once each. */
function allReturns(ctx: SignalContext): readonly ReturnRecord[] {
  const own = subjectReturn(ctx);
  const past = ctx.history.returns;
  return own && !past.some((r) => r.id === own.id) ? [...past, own] : past;
}

/** The customer's orders placed in the look-back, the subject's own included once. */
function recentOrders(ctx: SignalContext, days: number): OrderRecord[] {
  const own = ctx.subject.order;
  const orders = ctx.history.orders.some((o) => o.id === own.id) ? ctx.history.orders : [...ctx.history.orders, own];
  return orders.filter((o) => withinDays(ctx, o.createdAt, days));
}

/** Orders bought and sent back within days of arriving, again and again. */
export default defineSignal<Params>({
  meta: {
    id: 'velocity.buy-return-cycles',
    version: '1.0.0',
    title: 'Buy-and-return cycles',
    description:
      'Several of the customer\'s recent orders were returned within days of arriving. A steady cycle of buying and promptly returning suggests using the shop as a free trial or rental service.',
    category: 'velocity',
    appliesTo: ['return', 'refund'],
    defaultWeight: 18,
    params: {
      type: 'object',
      properties: {
        lookbackDays: { type: 'integer', minimum: 7, maximum: 1095, default: 180, description: 'Orders placed in these days are looked at.' },
        cycleDays: {
          type: 'integer',
          minimum: 1,
          maximum: 60,
          default: 7,
          description: 'Days after delivery (or fulfilment, or the order) within which a return closes a cycle.',
        },
        minCycles: { type: 'integer', minimum: 1, maximum: 50, default: 3, description: 'Cycles needed to call it a pattern.' },
      },
    },
    needs: ['subject', 'history.orders', 'history.fulfillments', 'history.returns'],
    messages: {
      cycling: '{{cycles}} of {{orders}} orders in the last {{lookbackDays}} days were returned within {{cycleDays}} days of arriving.',
      normal: '{{cycles}} of {{orders}} orders in the last {{lookbackDays}} days returned within {{cycleDays}} days.',
      tooFew: 'Only {{orders}} orders in the last {{lookbackDays}} days; {{minCycles}} needed to see a cycle.',
    },
  },
  evaluate(ctx, params) {
    const { lookbackDays, cycleDays, minCycles } = params;
    const orders = recentOrders(ctx, lookbackDays);
    if (orders.length < minCycles) {
      return { status: 'insufficient_data', messageId: 'tooFew', evidence: { orders: orders.length, lookbackDays, minCycles } };
    }
    const firstReturn = new Map<string, number>();
    for (const r of allReturns(ctx)) {
      const at = ms(r.createdAt);
      if (at < (firstReturn.get(r.orderId) ?? Infinity)) firstReturn.set(r.orderId, at);
    }
    let cycles = 0;
    for (const order of orders) {
      const returnedAt = firstReturn.get(order.id);
      if (returnedAt === undefined) continue;
      // A return before the delivery even counts: it closes the cycle faster still.
      const arrived = ms(deliveredAt(order, ctx.history.fulfillments).at);
      if (returnedAt - arrived <= cycleDays * DAY_MS) cycles++;
    }
    const evidence = { cycles, orders: orders.length, cycleDays, lookbackDays };
    if (cycles < minCycles) return { status: 'no_hit', messageId: 'normal', evidence };
    // 0.3 at the minimum, full strength at twice it.
    return { status: 'hit', strength: ramp(cycles, minCycles, 2 * minCycles), messageId: 'cycling', evidence };
  },
});

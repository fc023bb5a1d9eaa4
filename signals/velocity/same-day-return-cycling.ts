import { defineSignal } from '../../sdk/index.ts';
import type { OrderRecord, SignalContext } from '../../sdk/index.ts';
import { DAY_MS, HOUR_MS, deliveredAt, ms, ramp, round2, subjectReturn } from '../support.ts';

interface Params {
  sameDayHours: number;
  minCycles: number;
  lookbackDays: number;
}

/** Delivery (or else fulfilment) time of each of the customer's orders, where one is known. */
function deliveryTimes(ctx: SignalContext): Map<string, number> {
  const orders: OrderRecord[] = [...ctx.history.orders, ctx.subject.order];
  const times = new Map<string, number>();
  for (const order of orders) {
    const delivered = deliveredAt(order, ctx.history.fulfillments);
    if (delivered.source !== 'order') times.set(order.id, ms(delivered.at));
  }
  return times;
}

/**
 * Returns requested within hours of a delivery: of the order just delivered ("quick"), or of an
 * older order on the day a new one arrives ("swap"). Repeated, it is wear-and-return cycling.
 */
export default defineSignal<Params>({
  meta: {
    id: 'velocity.same-day-return-cycling',
    version: '1.0.0',
    title: 'Same-day return cycling',
    description:
      'The customer keeps requesting returns on the same day a parcel arrives: either sending back what was just delivered, or sending back older items whenever a new order lands. Repeated, it looks like using the shop as a free rental.',
    category: 'velocity',
    appliesTo: ['return'],
    defaultWeight: 15,
    params: {
      type: 'object',
      properties: {
        sameDayHours: {
          type: 'integer',
          minimum: 1,
          maximum: 48,
          default: 12,
          description: 'Hours after a delivery (or fulfilment) within which a return request counts as same-day.',
        },
        minCycles: {
          type: 'integer',
          minimum: 1,
          maximum: 20,
          default: 2,
          description: 'Same-day returns in the look-back (this one included) needed to call it cycling.',
        },
        lookbackDays: { type: 'integer', minimum: 7, maximum: 1095, default: 180, description: 'How far back to count cycles.' },
      },
    },
    needs: ['subject', 'history.orders', 'history.fulfillments', 'history.returns'],
    messages: {
      cycling:
        '{{cycles}} returns in the last {{lookbackDays}} days were requested within {{sameDayHours}} h of a delivery ({{quick}} of the delivered order, {{swap}} of an older one), this return among that pattern.',
      normal: '{{cycles}} same-day returns in the last {{lookbackDays}} days; not a repeated pattern involving this return.',
      noDelivery: 'No fulfilment or delivery time is known for the order.',
    },
  },
  evaluate(ctx, params) {
    const ret = subjectReturn(ctx)!; // appliesTo: return
    const deliveries = deliveryTimes(ctx);
    const ownDelivery = deliveries.get(ret.orderId);
    if (ownDelivery === undefined) return { status: 'insufficient_data', messageId: 'noDelivery', evidence: { orderId: ret.orderId } };

    const window = params.sameDayHours * HOUR_MS;
    const near = (at: number, delivered: number) => at >= delivered && at - delivered <= window;
    const afterOtherDelivery = (orderId: string, at: number) =>
      [...deliveries].some(([id, delivered]) => id !== orderId && near(at, delivered));

    const since = ms(ctx.now) - params.lookbackDays * DAY_MS;
    const returns = [...ctx.history.returns, ret].filter((r) => ms(r.createdAt) >= since);
    let quick = 0;
    let swap = 0;
    for (const r of returns) {
      const at = ms(r.createdAt);
      const own = deliveries.get(r.orderId);
      if (own !== undefined && near(at, own)) quick++;
      else if (afterOtherDelivery(r.orderId, at)) swap++;
    }
    const at = ms(ret.createdAt);
    const involved =
      near(at, ownDelivery) ||
      afterOtherDelivery(ret.orderId, at) ||
      returns.some((r) => r.orderId !== ret.orderId && near(ms(r.createdAt), ownDelivery));
    const cycles = quick + swap;
    const evidence = {
      cycles,
      quick,
      swap,
      hoursAfterDelivery: round2((at - ownDelivery) / HOUR_MS),
      sameDayHours: params.sameDayHours,
      lookbackDays: params.lookbackDays,
    };
    if (!involved || cycles < params.minCycles) return { status: 'no_hit', messageId: 'normal', evidence };
    return { status: 'hit', strength: ramp(cycles, params.minCycles, params.minCycles + 3), messageId: 'cycling', evidence };
  },
});

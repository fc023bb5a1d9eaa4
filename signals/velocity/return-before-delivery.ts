import { defineSignal } from '../../sdk/index.ts';
import type { SignalOutcome } from '../../sdk/index.ts';
import { daysBetween, hoursBetween, ms, round2, subjectReturn, unit } from '../support.ts';

interface Params {
  transitDays: number;
}

/**
 * A return requested before the parcel arrived: delivered only after the request, or shipped so
 * recently without a delivery scan that it is presumably still on its way.
 */
export default defineSignal<Params>({
  meta: {
    id: 'velocity.return-before-delivery',
    version: '1.0.0',
    title: 'Return before delivery',
    description:
      'The return was requested before the shipment reached the customer. Returning goods that have not arrived is typical of "item never arrived" claims and of returns filed without any intent to look at the goods.',
    category: 'velocity',
    appliesTo: ['return'],
    defaultWeight: 15,
    params: {
      type: 'object',
      properties: {
        transitDays: {
          type: 'number',
          minimum: 0.5,
          maximum: 30,
          default: 5,
          description: 'Days a shipment without a delivery scan is presumed still on its way.',
        },
      },
    },
    needs: ['subject', 'history.fulfillments'],
    messages: {
      beforeDelivery: 'Return requested {{hoursEarly}} h before the shipment was delivered.',
      inTransit: 'Return requested {{daysSinceShipped}} days after shipping, with no delivery recorded yet.',
      delivered: 'Return requested after the shipment arrived (or was presumably delivered).',
      unfulfilled: 'Nothing was shipped for the order yet: no delivery to compare with.',
    },
  },
  evaluate(ctx, params): SignalOutcome {
    const ret = subjectReturn(ctx)!; // appliesTo: return
    const returnedAt = ms(ret.createdAt);
    const ofOrder = ctx.history.fulfillments.filter((f) => f.orderId === ret.orderId && ms(f.createdAt) <= returnedAt);
    if (ofOrder.length === 0) return { status: 'insufficient_data', messageId: 'unfulfilled', evidence: { orderId: ret.orderId } };
    // The shipments that carried the returned lines (all of the order's when none is matched).
    const returnedLines = new Set(ret.lineItems.map((item) => item.lineItemId));
    const carrying = ofOrder.filter((f) => f.lineItems.some((li) => returnedLines.has(li.lineItemId)));
    const shipments = carrying.length > 0 ? carrying : ofOrder;
    const fulfillments = shipments.length;

    if (shipments.some((f) => f.deliveredAt && ms(f.deliveredAt) <= returnedAt)) {
      return { status: 'no_hit', messageId: 'delivered', evidence: { fulfillments } };
    }
    const laterDeliveries = shipments.flatMap((f) => (f.deliveredAt ? [f.deliveredAt] : []));
    if (laterDeliveries.length > 0) {
      const firstDelivery = laterDeliveries.reduce((a, b) => (ms(a) <= ms(b) ? a : b));
      const hoursEarly = round2(hoursBetween(ret.createdAt, firstDelivery));
      return { status: 'hit', strength: 1, messageId: 'beforeDelivery', evidence: { hoursEarly, fulfillments } };
    }
    const lastShipped = shipments.reduce((a, b) => (ms(a.createdAt) >= ms(b.createdAt) ? a : b)).createdAt;
    const daysSinceShipped = round2(daysBetween(lastShipped, ret.createdAt));
    const evidence = { daysSinceShipped, transitDays: params.transitDays, fulfillments };
    if (daysSinceShipped >= params.transitDays) return { status: 'no_hit', messageId: 'delivered', evidence };
    // Presumed in transit: weaker than a recorded later delivery; 0.8 right after shipping, 0.4 at the transit limit.
    return { status: 'hit', strength: 0.4 + 0.4 * unit(1 - daysSinceShipped / params.transitDays), messageId: 'inTransit', evidence };
  },
});

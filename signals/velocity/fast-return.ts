import { defineSignal } from '../../sdk/index.ts';
import { deliveredAt, hoursBetween, ramp, round2, subjectReturn } from '../support.ts';

interface Params {
  maxHours: number;
}

/** A return requested within hours of the parcel's arrival (or its shipping, when delivery is unknown). */
export default defineSignal<Params>({
  meta: {
    id: 'velocity.fast-return',
    version: '1.0.0',
    title: 'Returned on arrival',
    description:
      'The return was requested within hours of the parcel arriving, before the items could have been tried properly. It suits a buyer who meant to return all along, or a claim made without looking at the goods.',
    category: 'velocity',
    appliesTo: ['return'],
    defaultWeight: 8,
    params: {
      type: 'object',
      properties: {
        maxHours: {
          type: 'number',
          minimum: 1,
          maximum: 720,
          default: 24,
          description: 'Hours after delivery (or fulfilment, when delivery is unknown) within which a return counts as fast.',
        },
      },
    },
    needs: ['subject', 'history.fulfillments'],
    messages: {
      fast: 'Return requested {{hours}} h after {{source}}, under {{maxHours}} h.',
      normal: 'Return requested {{hours}} h after {{source}}.',
      noDelivery: 'No fulfilment or delivery time is known for the order.',
    },
  },
  evaluate(ctx, params) {
    const ret = subjectReturn(ctx)!; // appliesTo: return
    const delivered = deliveredAt(ctx.subject.order, ctx.history.fulfillments);
    if (delivered.source === 'order') return { status: 'insufficient_data', messageId: 'noDelivery', evidence: { orderId: ret.orderId } };
    const hours = hoursBetween(delivered.at, ret.createdAt);
    const evidence = { hours: round2(hours), maxHours: params.maxHours, source: delivered.source };
    // A return before delivery is velocity.return-before-delivery's concern, not this one's.
    if (hours < 0 || hours >= params.maxHours) return { status: 'no_hit', messageId: 'normal', evidence };
    // 0.3 just under the limit, full strength for a return at the moment of delivery.
    return { status: 'hit', strength: ramp(params.maxHours - hours, 0, params.maxHours), messageId: 'fast', evidence };
  },
});

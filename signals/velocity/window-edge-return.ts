import { defineSignal } from '../../sdk/index.ts';
import { daysBetween, deliveredAt, ramp, round2, subjectReturn } from '../support.ts';

interface Params {
  windowDays: number;
  edgeDays: number;
}

/** A return requested in the last days of the return window, or after it closed. */
export default defineSignal<Params>({
  meta: {
    id: 'velocity.window-edge-return',
    version: '1.0.0',
    title: 'Return at the end of the window',
    description:
      'The return was requested in the last days of the return window, or after it closed. Keeping items until the deadline is a tell of wardrobing: wearing or using goods, then returning them.',
    category: 'velocity',
    appliesTo: ['return'],
    defaultWeight: 8,
    params: {
      type: 'object',
      properties: {
        windowDays: { type: 'integer', minimum: 1, maximum: 365, default: 30, description: "The shop's return window, in days from delivery." },
        edgeDays: { type: 'integer', minimum: 1, maximum: 60, default: 3, description: 'The last days of the window that count as its edge.' },
      },
    },
    needs: ['subject', 'history.fulfillments'],
    messages: {
      edge: 'Return requested {{days}} days after {{source}}, in the last {{edgeDays}} days of the {{windowDays}}-day window.',
      late: 'Return requested {{days}} days after {{source}}, after the {{windowDays}}-day window closed.',
      normal: 'Return requested {{days}} days after {{source}}.',
      noDelivery: 'No fulfilment or delivery time is known for the order.',
    },
  },
  evaluate(ctx, params) {
    const ret = subjectReturn(ctx)!; // appliesTo: return
    const delivered = deliveredAt(ctx.subject.order, ctx.history.fulfillments);
    if (delivered.source === 'order') return { status: 'insufficient_data', messageId: 'noDelivery', evidence: { orderId: ret.orderId } };
    const days = daysBetween(delivered.at, ret.createdAt);
    const { windowDays, edgeDays } = params;
    const edgeFrom = Math.max(0, windowDays - edgeDays);
    const evidence = { days: round2(days), windowDays, edgeDays, source: delivered.source };
    if (days > windowDays) return { status: 'hit', strength: 1, messageId: 'late', evidence };
    if (days < edgeFrom) return { status: 'no_hit', messageId: 'normal', evidence };
    // 0.5 as the edge begins, full strength on the last day.
    return { status: 'hit', strength: ramp(days, edgeFrom, windowDays, 0.5), messageId: 'edge', evidence };
  },
});

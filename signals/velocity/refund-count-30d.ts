import { defineSignal } from '../../sdk/index.ts';
import { ramp, subjectRefund, withinDays } from '../support.ts';

interface Params {
  threshold: number;
}

/** How many refunds the customer received in the last 30 days, this one included. */
export default defineSignal<Params>({
  meta: {
    id: 'velocity.refund-count-30d',
    version: '1.0.0',
    title: 'Many refunds in 30 days',
    description:
      'The customer received more refunds in the last 30 days, this one included, than is usual. A run of refunds in a short time is a common pattern of serial refund abuse.',
    category: 'velocity',
    appliesTo: ['refund'],
    defaultWeight: 12,
    params: {
      type: 'object',
      properties: {
        threshold: {
          type: 'integer',
          minimum: 1,
          maximum: 100,
          default: 2,
          description: 'Refunds in 30 days (this one included) above which it counts as many.',
        },
      },
    },
    needs: ['subject', 'customer', 'history.refunds'],
    messages: {
      many: '{{refunds}} refunds in the last 30 days, above the threshold of {{threshold}}.',
      normal: '{{refunds}} refunds in the last 30 days.',
      guest: 'Guest checkout: no refund history to count.',
    },
  },
  evaluate(ctx, params) {
    if (ctx.customer === null) return { status: 'insufficient_data', messageId: 'guest' };
    const refund = subjectRefund(ctx)!; // appliesTo: refund
    const refunds = ctx.history.refunds.filter((r) => r.id !== refund.id && withinDays(ctx, r.createdAt, 30)).length + 1;
    const evidence = { refunds, threshold: params.threshold };
    if (refunds <= params.threshold) return { status: 'no_hit', messageId: 'normal', evidence };
    // 0.3 at the threshold, full strength at twice it.
    return { status: 'hit', strength: ramp(refunds, params.threshold, 2 * params.threshold), messageId: 'many', evidence };
  },
});

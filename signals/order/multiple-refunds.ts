import { defineSignal } from '../../sdk/index.ts';
import { ramp, round2 } from '../support.ts';

interface Params {
  minRefunds: number;
}

/** The order has been refunded piece by piece: several refunds, this one included. */
export default defineSignal<Params>({
  meta: {
    id: 'order.multiple-refunds',
    version: '1.0.0',
    title: 'Piecemeal refunds',
    description:
      'This order has already been refunded several times. Repeated small refunds on one order are a way to extract money while staying under review thresholds.',
    category: 'order',
    appliesTo: ['refund'],
    defaultWeight: 8,
    params: {
      type: 'object',
      properties: {
        minRefunds: { type: 'integer', minimum: 2, maximum: 50, default: 3, description: 'Refunds on one order (this one included) that count as many.' },
      },
    },
    needs: ['subject', 'history.refunds'],
    messages: {
      many: '{{refunds}} refunds on this order, {{refunded}} in all.',
      few: '{{refunds}} refund(s) on this order.',
    },
  },
  evaluate(ctx, params) {
    if (ctx.subject.kind !== 'refund') return { status: 'no_hit' };
    const { refund, order } = ctx.subject;
    const earlier = ctx.history.refunds.filter((r) => r.orderId === order.id && r.id !== refund.id);
    const refunds = earlier.length + 1;
    const evidence = { refunds, refunded: round2(earlier.reduce((sum, r) => sum + r.amount, refund.amount)) };
    if (refunds < params.minRefunds) return { status: 'no_hit', messageId: 'few', evidence };
    return { status: 'hit', strength: ramp(refunds, params.minRefunds, params.minRefunds + 3, 0.4), messageId: 'many', evidence };
  },
});

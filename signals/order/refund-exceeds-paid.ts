import { defineSignal } from '../../sdk/index.ts';
import { ramp, round2 } from '../support.ts';

interface Params {
  toleranceAmount: number;
}

/** All refunds on the order, this one included, add up to more than the customer paid. */
export default defineSignal<Params>({
  meta: {
    id: 'order.refund-exceeds-paid',
    version: '1.0.0',
    title: 'Refunds exceed what was paid',
    description:
      'With this refund, the money refunded on the order adds up to more than the order cost: the customer would get back more than they paid.',
    category: 'order',
    appliesTo: ['refund'],
    defaultWeight: 25,
    params: {
      type: 'object',
      properties: {
        toleranceAmount: { type: 'number', minimum: 0, maximum: 10000, default: 1, description: 'Excess allowed for rounding, in shop currency.' },
      },
    },
    needs: ['subject', 'history.refunds'],
    messages: {
      exceeds: '{{refunds}} refund(s) total {{refunded}} on an order that cost {{paid}}: {{excess}} too much.',
      within: '{{refunded}} refunded of {{paid}} paid.',
    },
  },
  evaluate(ctx, params) {
    if (ctx.subject.kind !== 'refund') return { status: 'no_hit' };
    const { refund, order } = ctx.subject;
    const earlier = ctx.history.refunds.filter((r) => r.orderId === order.id && r.id !== refund.id);
    const refunded = earlier.reduce((sum, r) => sum + r.amount, refund.amount);
    const excess = refunded - order.totalPrice;
    const evidence = { refunds: earlier.length + 1, refunded: round2(refunded), paid: round2(order.totalPrice), excess: round2(excess) };
    if (excess <= params.toleranceAmount) return { status: 'no_hit', messageId: 'within', evidence };
    // From 0.5 just past the tolerance to full strength at 50% over the order's price.
    const full = Math.max(order.totalPrice * 0.5, params.toleranceAmount * 2, 1);
    return { status: 'hit', strength: ramp(excess, params.toleranceAmount, full, 0.5), messageId: 'exceeds', evidence };
  },
});

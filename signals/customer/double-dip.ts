import { defineSignal } from '../../sdk/index.ts';
import { round2 } from '../support.ts';

interface Params {
  pastStrength: number;
}

/**
 * A chargeback on the very order being returned or refunded: the customer would get the
 * goods' value back twice. Past orders that had both a return/refund and a chargeback count too.
 * Inquiries (no money moved yet) are left out.
 */
export default defineSignal<Params>({
  meta: {
    id: 'customer.double-dip',
    version: '1.0.0',
    title: 'Refund and chargeback on one order',
    description:
      'The customer disputed the payment for this order with their bank and is also asking for a return or refund, so they would be paid back twice; earlier orders with both a refund and a chargeback count as well.',
    category: 'customer',
    appliesTo: ['return', 'refund'],
    defaultWeight: 35,
    params: {
      type: 'object',
      properties: {
        pastStrength: {
          type: 'number',
          minimum: 0.05,
          maximum: 1,
          default: 0.6,
          description: 'Strength of one past double-dip when this order has none (two or more are full strength).',
        },
      },
    },
    needs: ['subject', 'customer', 'history.returns', 'history.refunds', 'history.chargebacks'],
    messages: {
      thisOrder: 'This order already has {{sameOrderChargebacks}} chargeback(s) for {{chargebackAmount}}; a return or refund would pay the customer twice.',
      past: '{{pastDoubleDips}} earlier order(s) had both a refund or return and a chargeback.',
      none: 'No order with both a refund and a chargeback.',
      guest: 'Guest checkout: earlier orders cannot be checked.',
    },
  },
  evaluate(ctx, params) {
    const orderId = ctx.subject.order.id;
    const chargebacks = ctx.history.chargebacks.filter((c) => c.type !== 'inquiry');
    const sameOrder = chargebacks.filter((c) => c.orderId === orderId);
    const refunded = new Set([...ctx.history.returns, ...ctx.history.refunds].map((r) => r.orderId));
    const pastDoubleDips = new Set(chargebacks.filter((c) => c.orderId !== orderId && refunded.has(c.orderId)).map((c) => c.orderId)).size;
    const evidence = {
      sameOrderChargebacks: sameOrder.length,
      chargebackAmount: round2(sameOrder.reduce((sum, c) => sum + c.amount, 0)),
      pastDoubleDips,
    };
    if (sameOrder.length > 0) return { status: 'hit', strength: 1, messageId: 'thisOrder', evidence };
    if (ctx.customer === null) return { status: 'insufficient_data', messageId: 'guest', evidence };
    if (pastDoubleDips === 0) return { status: 'no_hit', messageId: 'none', evidence };
    const strength = pastDoubleDips >= 2 ? 1 : params.pastStrength;
    return { status: 'hit', strength, messageId: 'past', evidence };
  },
});

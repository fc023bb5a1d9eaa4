import { defineSignal } from '../../sdk/index.ts';

/** A return or refund on an order placed without a customer account. */
export default defineSignal<Record<string, never>>({
  meta: {
    id: 'customer.guest-checkout',
    version: '1.0.0',
    title: 'Guest checkout',
    description:
      'The order was placed as a guest, without a customer account, so this return or refund cannot be linked to the buyer’s other orders and returns. Weak on its own.',
    category: 'customer',
    appliesTo: ['return', 'refund'],
    defaultWeight: 5,
    params: { type: 'object', properties: {} },
    needs: ['subject', 'customer'],
    messages: {
      guest: 'Guest checkout: this return or refund cannot be linked to other orders.',
      account: 'The order belongs to a customer account.',
    },
  },
  evaluate(ctx) {
    const orderCustomer = ctx.subject.order.customerId ?? null;
    if (orderCustomer !== null && ctx.customer !== null) return { status: 'no_hit', messageId: 'account' };
    return { status: 'hit', strength: 1, messageId: 'guest', evidence: { orderHasCustomer: orderCustomer !== null } };
  },
});

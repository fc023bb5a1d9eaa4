import { defineSignal } from '../../sdk/index.ts';

/** A negative-weight trust signal: the merchant marked this customer as trusted by hand. */
export default defineSignal<Record<string, never>>({
  meta: {
    id: 'customer.manual-trust',
    version: '1.0.0',
    title: 'Trusted by the merchant',
    description: 'Your team manually marked this customer as trusted in RefundSentry. Lowers the score (negative weight).',
    category: 'customer',
    appliesTo: ['order', 'return', 'refund'],
    defaultWeight: -30,
    params: { type: 'object', properties: {} },
    needs: ['customer'],
    messages: {
      trusted: 'The customer was marked trusted by the merchant.',
      notTrusted: 'The customer is not marked trusted.',
      guest: 'Guest checkout: no customer to trust.',
    },
  },
  evaluate(ctx) {
    if (ctx.customer === null) return { status: 'insufficient_data', messageId: 'guest' };
    if (ctx.customer.manualOverride !== 'trusted') return { status: 'no_hit', messageId: 'notTrusted' };
    return { status: 'hit', strength: 1, messageId: 'trusted', evidence: { manualOverride: 'trusted' } };
  },
});

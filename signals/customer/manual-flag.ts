import { defineSignal } from '../../sdk/index.ts';

/** The merchant marked this customer as suspicious by hand. */
export default defineSignal<Record<string, never>>({
  meta: {
    id: 'customer.manual-flag',
    version: '1.0.0',
    title: 'Flagged by the merchant',
    description: 'Your team manually flagged this customer as suspicious in RefundSentry.',
    category: 'customer',
    appliesTo: ['order', 'return', 'refund'],
    defaultWeight: 30,
    params: { type: 'object', properties: {} },
    needs: ['customer'],
    messages: {
      flagged: 'The customer was flagged by the merchant.',
      notFlagged: 'The customer is not flagged.',
      guest: 'Guest checkout: no customer to flag.',
    },
  },
  evaluate(ctx) {
    if (ctx.customer === null) return { status: 'insufficient_data', messageId: 'guest' };
    if (ctx.customer.manualOverride !== 'flagged') return { status: 'no_hit', messageId: 'notFlagged' };
    return { status: 'hit', strength: 1, messageId: 'flagged', evidence: { manualOverride: 'flagged' } };
  },
});

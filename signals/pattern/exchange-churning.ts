import { defineSignal } from '../../sdk/index.ts';
import { ramp, returnsIncludingSubject, withinDays } from '../support.ts';

interface Params {
  lookbackDays: number;
  minExchanges: number;
}

/** Many returns that asked for an exchange in a short time, this one included. */
export default defineSignal<Params>({
  meta: {
    id: 'pattern.exchange-churning',
    version: '1.0.0',
    title: 'Exchange churning',
    description:
      'The customer keeps swapping items through exchanges: many returns with an exchange in the look-back window, this one included. Each exchange ships goods out again before the old ones are inspected, so serial exchanges cost the shop and can hide wear-and-swap abuse.',
    category: 'pattern',
    appliesTo: ['return'],
    defaultWeight: 10,
    params: {
      type: 'object',
      properties: {
        lookbackDays: { type: 'integer', minimum: 1, maximum: 3650, default: 180, description: 'How far back to look.' },
        minExchanges: {
          type: 'integer',
          minimum: 2,
          maximum: 100,
          default: 3,
          description: 'Returns with an exchange (this one included) that count as churning.',
        },
      },
    },
    needs: ['subject', 'customer', 'history.returns'],
    messages: {
      churning: '{{exchanges}} returns with exchanges ({{exchangedItems}} items) in the last {{lookbackDays}} days.',
      normal: '{{exchanges}} returns with exchanges in the last {{lookbackDays}} days.',
      guest: 'Guest checkout: no customer history to count exchanges in.',
    },
  },
  evaluate(ctx, params) {
    if (ctx.customer === null) return { status: 'insufficient_data', messageId: 'guest' };
    const recent = returnsIncludingSubject(ctx).filter(
      (r) => r.exchangeLineItemCount > 0 && withinDays(ctx, r.createdAt, params.lookbackDays),
    );
    const exchangedItems = recent.reduce((sum, r) => sum + r.exchangeLineItemCount, 0);
    const evidence = { exchanges: recent.length, exchangedItems, lookbackDays: params.lookbackDays };
    if (recent.length < params.minExchanges) return { status: 'no_hit', messageId: 'normal', evidence };
    const strength = ramp(recent.length, params.minExchanges, params.minExchanges + 3, 0.4);
    return { status: 'hit', strength, messageId: 'churning', evidence };
  },
});

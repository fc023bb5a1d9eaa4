import { defineSignal } from '../../sdk/index.ts';

interface Params {
  minLegit: number;
  fullAt: number;
}

/** A negative-weight trust signal: earlier cases confirmed legitimate and none confirmed fraud. */
export default defineSignal<Params>({
  meta: {
    id: 'customer.confirmed-legit',
    version: '1.0.0',
    title: 'Confirmed legitimate before',
    description:
      'Earlier orders, returns or refunds of this customer were confirmed legitimate and none was ever confirmed as fraud. Lowers the score (negative weight).',
    category: 'customer',
    appliesTo: ['order', 'return', 'refund'],
    defaultWeight: -15,
    params: {
      type: 'object',
      properties: {
        minLegit: { type: 'integer', minimum: 1, maximum: 100, default: 1, description: 'Legitimate outcomes needed to fire.' },
        fullAt: { type: 'integer', minimum: 1, maximum: 100, default: 3, description: 'Legitimate outcomes that give full strength.' },
      },
    },
    needs: ['customer', 'history.outcomes'],
    messages: {
      legit: '{{legitCount}} earlier case(s) confirmed legitimate, none fraud.',
      fraudOnRecord: '{{fraudCount}} earlier case(s) confirmed as fraud.',
      notEnough: '{{legitCount}} earlier case(s) confirmed legitimate; {{minLegit}} needed.',
      guest: 'Guest checkout: no customer history to look at.',
    },
  },
  evaluate(ctx, params) {
    if (ctx.customer === null) return { status: 'insufficient_data', messageId: 'guest' };
    const legitCount = ctx.history.outcomes.filter((o) => o.label === 'legit').length;
    const fraudCount = ctx.history.outcomes.filter((o) => o.label === 'fraud').length;
    const evidence = { legitCount, fraudCount, minLegit: params.minLegit };
    if (fraudCount > 0) return { status: 'no_hit', messageId: 'fraudOnRecord', evidence };
    if (legitCount < params.minLegit) return { status: 'no_hit', messageId: 'notEnough', evidence };
    return { status: 'hit', strength: Math.min(1, legitCount / Math.max(params.fullAt, params.minLegit)), messageId: 'legit', evidence };
  },
});

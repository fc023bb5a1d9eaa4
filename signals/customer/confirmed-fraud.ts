import { defineSignal } from '../../sdk/index.ts';
import { ms, withinDays } from '../support.ts';

interface Params {
  lookbackDays: number;
}

/** Earlier orders, returns or refunds of this customer that were confirmed as fraud. */
export default defineSignal<Params>({
  meta: {
    id: 'customer.confirmed-fraud',
    version: '1.0.0',
    title: 'Confirmed fraud before',
    description:
      "Earlier orders, returns or refunds of this customer were confirmed as fraud or abuse (by your team or by later evidence such as a lost chargeback).",
    category: 'customer',
    appliesTo: ['order', 'return', 'refund'],
    defaultWeight: 35,
    params: {
      type: 'object',
      properties: {
        lookbackDays: { type: 'integer', minimum: 1, maximum: 3650, default: 730, description: 'How far back to look for confirmed outcomes.' },
      },
    },
    needs: ['customer', 'history.outcomes'],
    messages: {
      fraud: '{{fraudCount}} earlier case(s) confirmed as fraud, the last on {{lastAt}}.',
      none: 'No confirmed fraud in the last {{lookbackDays}} days.',
      guest: 'Guest checkout: no customer history to look at.',
    },
  },
  evaluate(ctx, params) {
    if (ctx.customer === null) return { status: 'insufficient_data', messageId: 'guest' };
    // Within the lookback before the subject, or learned since (a revision: labels known by `knownAt`).
    const fraud = ctx.history.outcomes.filter((o) => o.label === 'fraud' && (withinDays(ctx, o.at, params.lookbackDays) || ms(o.at) >= ms(ctx.now)));
    if (fraud.length === 0) return { status: 'no_hit', messageId: 'none', evidence: { fraudCount: 0, lookbackDays: params.lookbackDays } };
    const last = fraud.reduce((a, b) => (ms(b.at) > ms(a.at) ? b : a));
    const evidence = { fraudCount: fraud.length, lastAt: last.at.slice(0, 10), lastSubjectId: last.subjectId };
    // One confirmed case is already strong; two or more is the full weight.
    return { status: 'hit', strength: fraud.length >= 2 ? 1 : 0.8, messageId: 'fraud', evidence };
  },
});

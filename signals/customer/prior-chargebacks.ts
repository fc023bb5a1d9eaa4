import { defineSignal } from '../../sdk/index.ts';

interface Params {
  lookbackDays: number;
}

const DAY_MS = 86_400_000;

/** Chargebacks the customer filed before, on any order, within the look-back window. */
export default defineSignal<Params>({
  meta: {
    id: 'customer.prior-chargebacks',
    version: '1.0.0',
    title: 'Prior chargebacks',
    description: 'The customer has disputed earlier payments with their bank (chargebacks) in the look-back window.',
    category: 'customer',
    appliesTo: ['order', 'return', 'refund'],
    defaultWeight: 30,
    params: {
      type: 'object',
      properties: {
        lookbackDays: { type: 'integer', minimum: 1, maximum: 3650, default: 365, description: 'How far back to look.' },
      },
    },
    needs: ['customer', 'history.chargebacks'],
    messages: {
      found: '{{count}} chargeback(s) in the last {{lookbackDays}} days, {{amount}} disputed in all.',
      none: 'No chargebacks in the last {{lookbackDays}} days.',
      guest: 'Guest checkout: no customer history to look at.',
    },
  },
  evaluate(ctx, params) {
    if (ctx.customer === null) return { status: 'insufficient_data', messageId: 'guest' };
    const since = Date.parse(ctx.now) - params.lookbackDays * DAY_MS;
    const recent = ctx.history.chargebacks.filter((c) => Date.parse(c.initiatedAt) >= since);
    const amount = Math.round(recent.reduce((sum, c) => sum + c.amount, 0) * 100) / 100;
    const evidence = { count: recent.length, amount, lookbackDays: params.lookbackDays };
    if (recent.length === 0) return { status: 'no_hit', messageId: 'none', evidence };
    // One chargeback is already a strong signal; two or more is the full weight.
    return { status: 'hit', strength: recent.length >= 2 ? 1 : 0.7, messageId: 'found', evidence };
  },
});

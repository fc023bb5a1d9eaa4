import { defineSignal } from '../../sdk/index.ts';
import { subjectReturn, withinDays } from '../support.ts';

interface Params {
  lookbackDays: number;
  mediumWeight: number;
  fullAt: number;
}

/**
 * Earlier RefundSentry decisions on this customer that landed in the high zone (medium counts
 * partly). Decisions about this same order or return are left out, so one incident is not
 * counted twice as it moves from order to return to refund.
 */
export default defineSignal<Params>({
  meta: {
    id: 'customer.prior-high-risk-decisions',
    version: '1.0.0',
    title: 'Earlier high-risk decisions',
    description:
      "RefundSentry scored this customer's other recent orders, returns or refunds as high risk (medium risk counts half).",
    category: 'customer',
    appliesTo: ['order', 'return', 'refund'],
    defaultWeight: 15,
    params: {
      type: 'object',
      properties: {
        lookbackDays: { type: 'integer', minimum: 1, maximum: 3650, default: 365, description: 'How far back to look.' },
        mediumWeight: { type: 'number', minimum: 0, maximum: 1, default: 0.5, description: 'How much a medium-zone decision counts next to a high one.' },
        fullAt: { type: 'number', minimum: 0.5, maximum: 50, default: 3, description: 'Weighted count that gives full strength.' },
      },
    },
    needs: ['subject', 'customer', 'history.decisions'],
    messages: {
      found: '{{high}} high-risk and {{medium}} medium-risk decision(s) in the last {{lookbackDays}} days.',
      none: 'No high- or medium-risk decisions in the last {{lookbackDays}} days.',
      guest: 'Guest checkout: no earlier decisions to look at.',
    },
  },
  evaluate(ctx, params) {
    if (ctx.customer === null) return { status: 'insufficient_data', messageId: 'guest' };
    const same = new Set([ctx.subject.id, ctx.subject.order.id, subjectReturn(ctx)?.id]);
    const recent = ctx.history.decisions.filter((d) => !same.has(d.subjectId) && withinDays(ctx, d.at, params.lookbackDays));
    const high = recent.filter((d) => d.zone.toLowerCase() === 'high').length;
    const medium = recent.filter((d) => d.zone.toLowerCase() === 'medium').length;
    const weighted = high + medium * params.mediumWeight;
    const evidence = { high, medium, weighted, lookbackDays: params.lookbackDays };
    if (weighted <= 0) return { status: 'no_hit', messageId: 'none', evidence };
    return { status: 'hit', strength: Math.min(1, weighted / params.fullAt), messageId: 'found', evidence };
  },
});

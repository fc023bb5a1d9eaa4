import { BASELINE_MEASURES, baselinePercentile, defineSignal } from '../../sdk/index.ts';
import { ramp, round2 } from '../support.ts';

interface Params {
  largeAmount: number;
}

const CASH_LIKE = new Set(['original_payment', 'cash']);

/** Money going back as cash rather than store credit or an exchange; weak, stronger when large. */
export default defineSignal<Params>({
  meta: {
    id: 'order.refund-to-original-payment',
    version: '1.0.0',
    title: 'Cash refund',
    description:
      'The refund goes back to the original payment method or in cash rather than as store credit or an exchange, so the money leaves the shop. Weak on its own; stronger for large amounts.',
    category: 'order',
    appliesTo: ['refund'],
    defaultWeight: 5,
    params: {
      type: 'object',
      properties: {
        largeAmount: {
          type: 'number',
          minimum: 1,
          maximum: 1000000,
          default: 150,
          description: "Refund amount that gives full strength when the shop has no baseline (else the shop's p90 refund amount).",
        },
      },
    },
    needs: ['subject', 'baseline'],
    messages: {
      cash: '{{amount}} refunded by {{method}} (large refunds here are {{largeAmount}} or more).',
      credit: 'Refunded by {{method}}: the money stays with the shop.',
    },
  },
  evaluate(ctx, params) {
    if (ctx.subject.kind !== 'refund') return { status: 'no_hit' };
    const { amount, method } = ctx.subject.refund;
    const largeAmount = baselinePercentile(ctx, BASELINE_MEASURES.refundAmount, 'p90', params.largeAmount);
    const evidence = { method, amount: round2(amount), largeAmount: round2(largeAmount) };
    if (!CASH_LIKE.has(method) || amount <= 0) return { status: 'no_hit', messageId: 'credit', evidence };
    return { status: 'hit', strength: ramp(amount, 0, largeAmount), messageId: 'cash', evidence };
  },
});

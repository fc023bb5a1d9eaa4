import { BASELINE_MEASURES, baselinePercentile, defineSignal } from '../../sdk/index.ts';
import { ramp, round2, subjectRefund, withinDays } from '../support.ts';

interface Params {
  threshold: number;
  minRefunds: number;
}

/** Refund money received in the last 30 days, this refund included, against the shop's p95. */
export default defineSignal<Params>({
  meta: {
    id: 'velocity.refund-value-30d',
    version: '1.0.0',
    title: 'High refund value in 30 days',
    description:
      'The customer received more refund money in the last 30 days, this refund included, than nearly all customers of this shop. Money flowing back quickly is how refund abuse turns into loss.',
    category: 'velocity',
    appliesTo: ['refund'],
    defaultWeight: 15,
    params: {
      type: 'object',
      properties: {
        threshold: {
          type: 'number',
          minimum: 1,
          maximum: 1_000_000,
          default: 300,
          description: "Refund money in 30 days above which it counts as high, when the shop has no baseline (else the shop's p95).",
        },
        minRefunds: {
          type: 'integer',
          minimum: 1,
          maximum: 50,
          default: 2,
          description: 'Refunds in 30 days (this one included) needed; one large refund alone is a refund-size matter, not velocity.',
        },
      },
    },
    needs: ['subject', 'customer', 'history.refunds', 'baseline'],
    messages: {
      high: '{{value}} refunded over {{refunds}} refunds in the last 30 days, {{ratio}}× the threshold of {{threshold}}.',
      normal: '{{value}} refunded over {{refunds}} refunds in the last 30 days.',
      guest: 'Guest checkout: no refund history to add up.',
    },
  },
  evaluate(ctx, params) {
    if (ctx.customer === null) return { status: 'insufficient_data', messageId: 'guest' };
    const refund = subjectRefund(ctx)!; // appliesTo: refund
    const earlier = ctx.history.refunds.filter((r) => r.id !== refund.id && withinDays(ctx, r.createdAt, 30));
    const refunds = earlier.length + 1;
    const value = round2(earlier.reduce((sum, r) => sum + r.amount, refund.amount));
    // Floored at one currency unit so a shop whose p95 is 0 does not divide by zero.
    const threshold = Math.max(1, baselinePercentile(ctx, BASELINE_MEASURES.customerRefundValue30d, 'p95', params.threshold));
    const ratio = round2(value / threshold);
    const evidence = { value, refunds, threshold, ratio };
    if (value <= threshold || refunds < params.minRefunds) return { status: 'no_hit', messageId: 'normal', evidence };
    // 0.3 just above the threshold, full strength at three times it.
    return { status: 'hit', strength: ramp(value / threshold, 1, 3), messageId: 'high', evidence };
  },
});

import { defineSignal } from '../../sdk/index.ts';

interface Params {
  minDecisions: number;
  recentCount: number;
  minRise: number;
  minSlope: number;
}

/**
 * Retired in 2.0.0: it answers `no_hit` and adds nothing. It read the same earlier verdicts as
 * `customer.prior-high-risk-decisions` and stacked with it (one HIGH decision made the scores
 * "rise", and that rise was paid on every later decision); it also compared order scores with
 * return scores, which live on different scales. The trend now lives, bounded, in
 * `customer.prior-high-risk-decisions` 2.x, among decisions of the subject's own kind. The id stays
 * registered, with its params, so rulesets and traces that name it still compile and read; the
 * editor warns that it is deprecated.
 */
export default defineSignal<Params>({
  meta: {
    id: 'customer.risk-trajectory',
    version: '2.0.0',
    title: 'Rising risk scores (retired)',
    description:
      "Retired: adds nothing. It read the same earlier verdicts as customer.prior-high-risk-decisions and stacked with it (one HIGH decision made the scores rise, and the rise was paid again on every later decision), and it compared order scores with return scores. The trend is now part of customer.prior-high-risk-decisions, bounded, among decisions of the subject's own kind.",
    category: 'customer',
    appliesTo: ['order', 'return', 'refund'],
    defaultWeight: 0,
    deprecated: true,
    replacedBy: ['customer.prior-high-risk-decisions'],
    params: {
      type: 'object',
      properties: {
        minDecisions: { type: 'integer', minimum: 2, maximum: 100, default: 3, description: 'Unused (kept so rulesets that set it still compile).' },
        recentCount: { type: 'integer', minimum: 1, maximum: 20, default: 2, description: 'Unused (kept so rulesets that set it still compile).' },
        minRise: { type: 'number', minimum: 1, maximum: 100, default: 15, description: 'Unused (kept so rulesets that set it still compile).' },
        minSlope: { type: 'number', minimum: 0.5, maximum: 100, default: 8, description: 'Unused (kept so rulesets that set it still compile).' },
      },
    },
    needs: [],
    messages: {
      retired: 'Retired: the trend of earlier verdicts is part of customer.prior-high-risk-decisions.',
    },
  },
  evaluate() {
    return { status: 'no_hit', messageId: 'retired' };
  },
});

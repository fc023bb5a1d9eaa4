import { defineSignal } from '../../sdk/index.ts';

interface Params {
  tagPrefix: string;
  mediumStrength: number;
}

/**
 * Retired in 2.0.0: it answers `no_hit` and adds nothing. RefundSentry sets its risk tag from the
 * zone of its latest decision, so this signal counted that decision a second time beside
 * `customer.prior-high-risk-decisions`, and kept a customer HIGH once they were HIGH (the tag
 * re-earned itself). `customer.prior-high-risk-decisions` 2.x reads the verdicts once. The id stays
 * registered, with its params, so rulesets and traces that name it still compile and read; the
 * editor warns that it is deprecated.
 */
export default defineSignal<Params>({
  meta: {
    id: 'customer.prior-risk-tags',
    version: '2.0.0',
    title: 'Tagged risky before (retired)',
    description:
      'Retired: adds nothing. The RefundSentry risk tag is the zone of its latest decision about the customer, so it counted that verdict a second time beside customer.prior-high-risk-decisions and kept a HIGH customer HIGH (the tag re-earned itself). Use customer.prior-high-risk-decisions, which reads the earlier verdicts once.',
    category: 'customer',
    appliesTo: ['order', 'return', 'refund'],
    defaultWeight: 0,
    deprecated: true,
    replacedBy: ['customer.prior-high-risk-decisions'],
    params: {
      type: 'object',
      properties: {
        tagPrefix: { type: 'string', minLength: 1, maxLength: 40, default: 'refundsentry:', description: 'Unused (kept so rulesets that set it still compile).' },
        mediumStrength: { type: 'number', minimum: 0.05, maximum: 1, default: 0.5, description: 'Unused (kept so rulesets that set it still compile).' },
      },
    },
    needs: [],
    messages: {
      retired: 'Retired: the risk tag repeats the latest verdict, which customer.prior-high-risk-decisions reads once.',
    },
  },
  evaluate() {
    return { status: 'no_hit', messageId: 'retired' };
  },
});

import { defineSignal } from '../../sdk/index.ts';

interface Params {
  tagPrefix: string;
  mediumStrength: number;
}

/** RefundSentry tags its customers after risky decisions; a tag left by an earlier decision. */
export default defineSignal<Params>({
  meta: {
    id: 'customer.prior-risk-tags',
    version: '1.0.0',
    title: 'Tagged risky before',
    description:
      'The customer carries a risk tag RefundSentry added after an earlier high- or medium-risk decision (e.g. "refundsentry:high-risk").',
    category: 'customer',
    appliesTo: ['order', 'return', 'refund'],
    defaultWeight: 15,
    params: {
      type: 'object',
      properties: {
        tagPrefix: { type: 'string', minLength: 1, maxLength: 40, default: 'refundsentry:', description: 'Prefix of the tags RefundSentry writes.' },
        mediumStrength: { type: 'number', minimum: 0.05, maximum: 1, default: 0.5, description: 'Strength of a medium-risk tag (a high-risk tag is 1).' },
      },
    },
    needs: ['customer'],
    messages: {
      tagged: 'The customer is tagged "{{tag}}" from an earlier decision.',
      none: 'No RefundSentry risk tag on the customer.',
      guest: 'Guest checkout: no customer tags to look at.',
    },
  },
  evaluate(ctx, params) {
    if (ctx.customer === null) return { status: 'insufficient_data', messageId: 'guest' };
    const tags = new Set(ctx.customer.tags.map((t) => t.trim().toLowerCase()));
    const prefix = params.tagPrefix.toLowerCase();
    for (const [level, strength] of [['high-risk', 1], ['medium-risk', params.mediumStrength]] as const) {
      const tag = `${prefix}${level}`;
      if (tags.has(tag)) return { status: 'hit', strength, messageId: 'tagged', evidence: { tag } };
    }
    return { status: 'no_hit', messageId: 'none' };
  },
});

import { CHECKOUT_WINDOW_MS, defineSignal, type Evidence, type SignalOutcome } from '../../sdk/index.ts';

interface Params {
  mediumStrength: number;
}

/**
 * Shopify's own fraud analysis of the order (its risk assessment, not an app's) rated it high or
 * medium. An input from a model that sees what a shop cannot (the card network, other shops'
 * orders); its facts' sentiments are kept as evidence. Taken only when it was made at the
 * checkout (within `CHECKOUT_WINDOW_MS` of the order, or backfilled): a later reassessment is not
 * what was known when the order was judged.
 */
export default defineSignal<Params>({
  meta: {
    id: 'order.shopify-risk-level',
    version: '1.0.0',
    title: "Shopify's own risk assessment",
    description:
      "Shopify's fraud analysis of the order rated it high or medium risk. Shopify sees what a single shop cannot (card network results, other shops' orders); its assessment is taken as one input among the others. None or pending give no answer, and so does an assessment made after the checkout.",
    category: 'order',
    appliesTo: ['order'],
    defaultWeight: 25,
    params: {
      type: 'object',
      properties: {
        mediumStrength: { type: 'number', minimum: 0, maximum: 1, default: 0.5, description: 'Strength of a medium assessment (high: 1).' },
      },
    },
    needs: ['subject'],
    messages: {
      high: 'Shopify rated the order high risk{{facts}}.',
      medium: 'Shopify rated the order medium risk{{facts}}.',
      low: 'Shopify rated the order low risk.',
      noAssessment: 'Shopify gave no risk level for the order ({{level}}).',
      late: 'Shopify assessed the order after its checkout: not known when it was judged.',
      none: "No Shopify risk assessment stored for the order.",
    },
  },
  evaluate(ctx, params): SignalOutcome {
    const order = ctx.subject.order;
    const risk = order.shopifyRisk;
    if (!risk) return { status: 'insufficient_data', messageId: 'none' };
    if (Date.parse(risk.assessedAt) > Date.parse(order.createdAt) + CHECKOUT_WINDOW_MS) return { status: 'insufficient_data', messageId: 'late', evidence: { level: risk.level, assessedAt: risk.assessedAt } };
    const evidence: Evidence = risk.facts
      ? { level: risk.level, negativeFacts: risk.facts.negative, neutralFacts: risk.facts.neutral, positiveFacts: risk.facts.positive }
      : { level: risk.level };
    const facts = risk.facts ? ` (${risk.facts.negative} negative, ${risk.facts.positive} positive fact(s))` : '';
    if (risk.level === 'high') return { status: 'hit', strength: 1, messageId: 'high', evidence, data: { facts } };
    if (risk.level === 'medium') return { status: 'hit', strength: params.mediumStrength, messageId: 'medium', evidence, data: { facts } };
    if (risk.level === 'low') return { status: 'no_hit', messageId: 'low', evidence };
    return { status: 'insufficient_data', messageId: 'noAssessment', evidence, data: { level: risk.level } };
  },
});

import { defineSignal } from '../../sdk/index.ts';
import { ms, ramp, round2 } from '../support.ts';

interface Params {
  minDecisions: number;
  recentCount: number;
  minRise: number;
  minSlope: number;
}

const mean = (values: readonly number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;

/** Least-squares slope of the scores against their position (points per decision). */
function slope(scores: readonly number[]): number {
  const xMean = (scores.length - 1) / 2;
  const yMean = mean(scores);
  let num = 0;
  let den = 0;
  scores.forEach((y, x) => {
    num += (x - xMean) * (y - yMean);
    den += (x - xMean) ** 2;
  });
  return den === 0 ? 0 : num / den;
}

/** The customer's past risk scores are climbing: recent decisions score well above earlier ones. */
export default defineSignal<Params>({
  meta: {
    id: 'customer.risk-trajectory',
    version: '1.0.0',
    title: 'Rising risk scores',
    description:
      "RefundSentry's scores for this customer's recent orders, returns and refunds are clearly higher than for their earlier ones: their behaviour is getting riskier.",
    category: 'customer',
    appliesTo: ['order', 'return', 'refund'],
    defaultWeight: 10,
    params: {
      type: 'object',
      properties: {
        minDecisions: { type: 'integer', minimum: 2, maximum: 100, default: 3, description: 'Past decisions needed before judging a trend.' },
        recentCount: { type: 'integer', minimum: 1, maximum: 20, default: 2, description: 'How many of the latest decisions form the recent group.' },
        minRise: { type: 'number', minimum: 1, maximum: 100, default: 15, description: 'Score points the recent mean must exceed the earlier mean by.' },
        minSlope: { type: 'number', minimum: 0.5, maximum: 100, default: 8, description: 'Least-squares rise in score points per decision that counts as rising.' },
      },
    },
    needs: ['customer', 'history.decisions'],
    messages: {
      rising: 'Recent scores average {{recentMean}} against {{earlierMean}} before ({{decisions}} decisions, +{{slope}} per decision).',
      steady: 'Scores are {{direction}}: recent {{recentMean}}, earlier {{earlierMean}}.',
      tooFew: 'Only {{decisions}} past decisions; {{needed}} needed to see a trend.',
    },
  },
  evaluate(ctx, params) {
    const decisions = ctx.history.decisions.length;
    const needed = Math.max(params.minDecisions, params.recentCount + 1);
    if (ctx.customer === null || decisions < needed) {
      return { status: 'insufficient_data', messageId: 'tooFew', evidence: { decisions, needed } };
    }
    const scores = [...ctx.history.decisions].sort((a, b) => ms(a.at) - ms(b.at)).map((d) => d.score);
    const recentMean = mean(scores.slice(-params.recentCount));
    const earlierMean = mean(scores.slice(0, -params.recentCount));
    const rise = recentMean - earlierMean;
    const trend = slope(scores);
    const rising = rise >= params.minRise || trend >= params.minSlope;
    const direction = rising ? 'rising' : rise <= -params.minRise ? 'falling' : 'flat';
    const evidence = {
      decisions,
      recentMean: round2(recentMean),
      earlierMean: round2(earlierMean),
      slope: round2(trend),
      direction,
    };
    if (!rising) return { status: 'no_hit', messageId: 'steady', evidence };
    const strength = Math.max(ramp(rise, params.minRise, 3 * params.minRise), ramp(trend, params.minSlope, 3 * params.minSlope));
    return { status: 'hit', strength, messageId: 'rising', evidence };
  },
});

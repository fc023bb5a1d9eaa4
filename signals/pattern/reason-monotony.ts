import { defineSignal } from '../../sdk/index.ts';
import { ramp, returnsIncludingSubject } from '../support.ts';

interface Params {
  minReturns: number;
  minShare: number;
  ignoreReasons: string[];
}

/** The same return reason on (nearly) every one of the customer's returns. */
export default defineSignal<Params>({
  meta: {
    id: 'pattern.reason-monotony',
    version: '1.0.0',
    title: 'Same return reason every time',
    description:
      'Across many returns the customer gives (nearly) always the same reason, e.g. always "size too small". Real reasons vary; one reason picked every time suggests it is chosen because it gets the return accepted.',
    category: 'pattern',
    appliesTo: ['return'],
    defaultWeight: 8,
    params: {
      type: 'object',
      properties: {
        minReturns: {
          type: 'integer',
          minimum: 2,
          maximum: 100,
          default: 4,
          description: 'Returns with a reason (this one included) needed before judging.',
        },
        minShare: {
          type: 'number',
          minimum: 0.5,
          maximum: 1,
          default: 0.8,
          description: 'Share of those returns that must carry the same reason.',
        },
        ignoreReasons: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          maxItems: 20,
          default: ['UNKNOWN'],
          description: 'Reasons treated as no reason (UNKNOWN is what Shopify records when none was asked).',
        },
      },
    },
    needs: ['subject', 'customer', 'history.returns'],
    messages: {
      monotone: '{{sameReason}} of {{returns}} returns ({{sharePercent}}%) give the reason {{reason}}.',
      normal: 'Reasons vary: the most common, {{reason}}, is on {{sameReason}} of {{returns}} returns.',
      tooFew: 'Only {{returns}} returns with a reason; {{minReturns}} needed to judge.',
      guest: 'Guest checkout: no customer history of return reasons.',
    },
  },
  evaluate(ctx, params) {
    if (ctx.customer === null) return { status: 'insufficient_data', messageId: 'guest' };
    const tally = new Map<string, number>();
    let returns = 0;
    for (const r of returnsIncludingSubject(ctx)) {
      const reasons = new Set(r.lineItems.flatMap((i) => (i.reason && !params.ignoreReasons.includes(i.reason) ? [i.reason] : [])));
      if (reasons.size === 0) continue;
      returns++;
      for (const reason of reasons) tally.set(reason, (tally.get(reason) ?? 0) + 1);
    }
    if (returns < params.minReturns) {
      return { status: 'insufficient_data', messageId: 'tooFew', evidence: { returns, minReturns: params.minReturns } };
    }
    const [reason, sameReason] = [...tally].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    const share = sameReason / returns;
    const evidence = { reason, sameReason, returns, sharePercent: Math.round(share * 100) };
    if (share < params.minShare) return { status: 'no_hit', messageId: 'normal', evidence };
    const strength = ramp(sameReason, params.minReturns, 2 * params.minReturns, 0.4);
    return { status: 'hit', strength, messageId: 'monotone', evidence };
  },
});

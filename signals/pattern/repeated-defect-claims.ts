import { defineSignal } from '../../sdk/index.ts';
import type { ReturnRecord } from '../../sdk/index.ts';
import { ramp, returnsIncludingSubject, withinDays } from '../support.ts';

interface Params {
  reasons: string[];
  minClaims: number;
  lookbackDays: number;
}

const RETURN_REASONS = ['COLOR', 'DEFECTIVE', 'NOT_AS_DESCRIBED', 'OTHER', 'SIZE_TOO_LARGE', 'SIZE_TOO_SMALL', 'STYLE', 'UNKNOWN', 'UNWANTED', 'WRONG_ITEM'];

const claims = (ret: ReturnRecord, reasons: readonly string[]) => ret.lineItems.some((i) => i.reason !== undefined && reasons.includes(i.reason));

/** The customer keeps saying items arrived defective, not as described, or wrong. */
export default defineSignal<Params>({
  meta: {
    id: 'pattern.repeated-defect-claims',
    version: '1.0.0',
    title: 'Repeated defect claims',
    description:
      'This return claims the item is defective, not as described or the wrong item, and the customer has made such claims again and again. These reasons usually get free return shipping and less inspection, so they are the ones abusers pick.',
    category: 'pattern',
    appliesTo: ['return'],
    defaultWeight: 18,
    params: {
      type: 'object',
      properties: {
        reasons: {
          type: 'array',
          items: { type: 'string', enum: RETURN_REASONS },
          minItems: 1,
          uniqueItems: true,
          default: ['DEFECTIVE', 'NOT_AS_DESCRIBED', 'WRONG_ITEM'],
          description: "Shopify return reasons that count as a claim against the shop's product.",
        },
        minClaims: {
          type: 'integer',
          minimum: 2,
          maximum: 100,
          default: 3,
          description: 'Returns with such a claim (this one included) that count as repeated.',
        },
        lookbackDays: { type: 'integer', minimum: 1, maximum: 3650, default: 365, description: 'How far back to look.' },
      },
    },
    needs: ['subject', 'customer', 'history.returns'],
    messages: {
      repeated: '{{claims}} returns claiming a defective, wrong or misdescribed item in {{lookbackDays}} days, this one included.',
      normal: '{{claims}} defect claim(s) in {{lookbackDays}} days.',
      noClaim: 'This return makes no defect claim.',
      guest: 'Guest checkout: no customer history of claims.',
    },
  },
  evaluate(ctx, params) {
    const subject = ctx.subject;
    if (subject.kind !== 'return') return { status: 'no_hit' };
    if (!claims(subject.return, params.reasons)) return { status: 'no_hit', messageId: 'noClaim' };
    if (ctx.customer === null) return { status: 'insufficient_data', messageId: 'guest' };
    const count = returnsIncludingSubject(ctx).filter(
      (r) => withinDays(ctx, r.createdAt, params.lookbackDays) && claims(r, params.reasons),
    ).length;
    const evidence = { claims: count, lookbackDays: params.lookbackDays };
    if (count < params.minClaims) return { status: 'no_hit', messageId: 'normal', evidence };
    return { status: 'hit', strength: ramp(count, params.minClaims, params.minClaims + 3, 0.4), messageId: 'repeated', evidence };
  },
});

import { BASELINE_MEASURES, baselinePercentile, defineSignal } from '../../sdk/index.ts';
import { orderedUnits, ramp, returnedUnits, subjectReturn } from '../support.ts';

interface Params {
  maxUnits: number;
  maxLineItems: number;
  largeOrderUnits: number;
  maxShare: number;
}

/** Many units or lines in one return, or most of a large order sent back at once. */
export default defineSignal<Params>({
  meta: {
    id: 'velocity.bulk-return',
    version: '1.0.0',
    title: 'Bulk return',
    description:
      "One return holds far more units or lines than this shop's returns usually do, or sends back most of a large order. Bulk returns are costly to process and typical of resellers and of buying to choose at home.",
    category: 'velocity',
    appliesTo: ['return'],
    defaultWeight: 10,
    params: {
      type: 'object',
      properties: {
        maxUnits: {
          type: 'integer',
          minimum: 1,
          maximum: 1000,
          default: 5,
          description: "Units in one return above which it is bulk when the shop has no baseline (else the shop's p95).",
        },
        maxLineItems: { type: 'integer', minimum: 1, maximum: 100, default: 4, description: 'Line items in one return above which it is bulk.' },
        largeOrderUnits: {
          type: 'integer',
          minimum: 2,
          maximum: 1000,
          default: 6,
          description: 'Units from which an order counts as large for the share test.',
        },
        maxShare: {
          type: 'number',
          minimum: 0.1,
          maximum: 1,
          default: 0.8,
          description: "Share of a large order's units that, returned at once, counts as bulk.",
        },
      },
    },
    needs: ['subject', 'baseline'],
    messages: {
      bulk: '{{units}} units on {{lineItems}} lines returned, {{sharePercent}}% of a {{orderUnits}}-unit order (bulk above {{unitThreshold}} units or {{maxLineItems}} lines).',
      normal: '{{units}} units on {{lineItems}} lines returned.',
    },
  },
  evaluate(ctx, params) {
    const ret = subjectReturn(ctx)!; // appliesTo: return
    const units = returnedUnits(ret);
    const lineItems = new Set(ret.lineItems.map((item) => item.lineItemId)).size;
    const orderUnits = orderedUnits(ctx.subject.order);
    const share = orderUnits > 0 ? Math.min(1, units / orderUnits) : 0;
    const unitThreshold = baselinePercentile(ctx, BASELINE_MEASURES.returnUnits, 'p95', params.maxUnits);
    const evidence = {
      units,
      lineItems,
      orderUnits,
      sharePercent: Math.round(share * 100),
      unitThreshold,
      maxLineItems: params.maxLineItems,
    };
    // Each test gives 0.3 just past its threshold and 1 at three times it (or the whole order).
    const strengths = [
      units > unitThreshold ? ramp(units, unitThreshold, 3 * unitThreshold) : 0,
      lineItems > params.maxLineItems ? ramp(lineItems, params.maxLineItems, 3 * params.maxLineItems) : 0,
      orderUnits >= params.largeOrderUnits && share >= params.maxShare ? ramp(share, params.maxShare, 1) : 0,
    ];
    const strength = Math.max(...strengths);
    if (strength === 0) return { status: 'no_hit', messageId: 'normal', evidence };
    return { status: 'hit', strength, messageId: 'bulk', evidence };
  },
});

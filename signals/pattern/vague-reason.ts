import { BASELINE_MEASURES, baselinePercentile, defineSignal } from '../../sdk/index.ts';
import { ramp, round2 } from '../support.ts';

interface Params {
  minValue: number;
}

const VAGUE = new Set(['OTHER', 'UNKNOWN']);

/** A valuable return with no real reason: OTHER, UNKNOWN or none, and no note. */
export default defineSignal<Params>({
  meta: {
    id: 'pattern.vague-reason',
    version: '1.0.0',
    title: 'Valuable return without a reason',
    description:
      'Items worth more than most returns at this shop come back with no usable reason ("other", "unknown" or none) and no note. A weak sign on its own: genuine customers usually say what was wrong.',
    category: 'pattern',
    appliesTo: ['return'],
    defaultWeight: 5,
    params: {
      type: 'object',
      properties: {
        minValue: {
          type: 'number',
          minimum: 0,
          default: 100,
          description: "Value of unexplained items that counts when the shop has no baseline (else the shop's p75 return value).",
        },
      },
    },
    needs: ['subject', 'baseline'],
    messages: {
      vague: '{{vagueItems}} item(s) worth {{vagueValue}} returned without a reason or note (threshold {{threshold}}).',
      normal: 'Returned items carry a reason, or are worth little.',
    },
  },
  evaluate(ctx, params) {
    const subject = ctx.subject;
    if (subject.kind !== 'return') return { status: 'no_hit' };
    let vagueItems = 0;
    let vagueValue = 0;
    for (const item of subject.return.lineItems) {
      if ((item.reason && !VAGUE.has(item.reason)) || item.reasonNote?.trim()) continue;
      const line = subject.order.lineItems.find((l) => l.id === item.lineItemId);
      vagueItems += item.quantity;
      vagueValue += item.quantity * (item.unitPrice ?? (line ? line.price - line.totalDiscount / line.quantity : 0));
    }
    const threshold = baselinePercentile(ctx, BASELINE_MEASURES.returnValue, 'p75', params.minValue);
    if (vagueItems === 0 || vagueValue < threshold) return { status: 'no_hit', messageId: 'normal' };
    const evidence = { vagueItems, vagueValue: round2(vagueValue), threshold: round2(threshold) };
    return { status: 'hit', strength: ramp(vagueValue, threshold, 3 * threshold, 0.4), messageId: 'vague', evidence };
  },
});

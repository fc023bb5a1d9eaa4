import { BASELINE_MEASURES, baselinePercentile, defineSignal } from '../../sdk/index.ts';
import type { OrderRecord } from '../../sdk/index.ts';
import { ramp, round2, subjectReturn, withinDays } from '../support.ts';

interface Params {
  fallbackPrice: number;
  minReturns: number;
  lookbackDays: number;
}

/** The highest unit price (list price on the order, else the returned unit price) among the items. */
function priciest(items: readonly { lineItemId: string; unitPrice?: number }[], order: OrderRecord | undefined): number {
  let max = 0;
  for (const item of items) {
    const price = order?.lineItems.find((l) => l.id === item.lineItemId)?.price ?? item.unitPrice ?? 0;
    if (price > max) max = price;
  }
  return max;
}

/** Repeated returns of items priced above the shop's usual range (its p90 unit price). */
export default defineSignal<Params>({
  meta: {
    id: 'pattern.repeat-high-value-returns',
    version: '1.0.0',
    title: 'Repeated high-value returns',
    description:
      "The customer keeps returning the shop's most expensive items (priced above what 90% of items sell for): expensive goods are where wear-and-return and switch fraud pay off most.",
    category: 'pattern',
    appliesTo: ['return', 'refund'],
    defaultWeight: 15,
    params: {
      type: 'object',
      properties: {
        fallbackPrice: {
          type: 'number',
          minimum: 0,
          default: 200,
          description: "Unit price that counts as high when the shop has no baseline (else the shop's p90 line-item price).",
        },
        minReturns: {
          type: 'integer',
          minimum: 2,
          maximum: 50,
          default: 3,
          description: 'High-value returns (this one included) that count as repeated.',
        },
        lookbackDays: { type: 'integer', minimum: 1, maximum: 3650, default: 365, description: 'How far back to look.' },
      },
    },
    needs: ['subject', 'customer', 'history.orders', 'history.returns', 'baseline'],
    messages: {
      repeated: '{{count}} returns of items priced {{threshold}} or more in {{lookbackDays}} days (this one: {{price}}).',
      normal: '{{count}} high-value returns in {{lookbackDays}} days.',
      notHighValue: 'No item here is priced at {{threshold}} or more.',
      guest: 'Guest checkout: no customer history to count high-value returns in.',
    },
  },
  evaluate(ctx, params) {
    const threshold = baselinePercentile(ctx, BASELINE_MEASURES.lineItemPrice, 'p90', params.fallbackPrice);
    const current = subjectReturn(ctx);
    const items = current?.lineItems ?? (ctx.subject.kind === 'refund' ? ctx.subject.refund.lineItems : []);
    const price = priciest(items, ctx.subject.order);
    if (price < threshold) return { status: 'no_hit', messageId: 'notHighValue', evidence: { price, threshold } };
    if (ctx.customer === null) return { status: 'insufficient_data', messageId: 'guest' };
    const past = ctx.history.returns.filter(
      (r) =>
        r.id !== current?.id &&
        withinDays(ctx, r.createdAt, params.lookbackDays) &&
        priciest(r.lineItems, ctx.history.orders.find((o) => o.id === r.orderId)) >= threshold,
    );
    const count = past.length + 1;
    const evidence = { count, price, threshold: round2(threshold), lookbackDays: params.lookbackDays };
    if (count < params.minReturns) return { status: 'no_hit', messageId: 'normal', evidence };
    const strength = ramp(count, params.minReturns, params.minReturns + 3, 0.4);
    return { status: 'hit', strength, messageId: 'repeated', evidence };
  },
});

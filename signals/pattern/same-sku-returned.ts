import { defineSignal } from '../../sdk/index.ts';
import type { OrderRecord, ReturnRecord } from '../../sdk/index.ts';
import { ramp } from '../support.ts';

interface Params {
  repeatsForFull: number;
}

/** The SKUs in a return: from the return line, else from the order line it points to. */
function skusOf(ret: ReturnRecord, order: OrderRecord | undefined): Set<string> {
  const skus = new Set<string>();
  for (const item of ret.lineItems) {
    const sku = item.sku ?? order?.lineItems.find((l) => l.id === item.lineItemId)?.sku;
    if (sku) skus.add(sku);
  }
  return skus;
}

/** The customer returns a SKU they have already returned before. */
export default defineSignal<Params>({
  meta: {
    id: 'pattern.same-sku-returned',
    version: '1.0.0',
    title: 'Same item returned again',
    description:
      'This return holds an item (SKU) the customer has already returned before. Buying and returning the same item again and again points to wear-and-return or to a claim that is reused.',
    category: 'pattern',
    appliesTo: ['return'],
    defaultWeight: 12,
    params: {
      type: 'object',
      properties: {
        repeatsForFull: {
          type: 'integer',
          minimum: 1,
          maximum: 20,
          default: 3,
          description: 'Earlier returns of the same SKUs that give full strength.',
        },
      },
    },
    needs: ['subject', 'customer', 'history.orders', 'history.returns'],
    messages: {
      repeated: 'SKU {{skus}} returned {{repeats}} time(s) before.',
      normal: 'None of these SKUs was returned before.',
      noSku: 'The returned items have no SKU to compare.',
      guest: 'Guest checkout: no customer history to compare with.',
    },
  },
  evaluate(ctx, params) {
    const subject = ctx.subject;
    if (subject.kind !== 'return') return { status: 'no_hit' };
    const current = skusOf(subject.return, subject.order);
    if (current.size === 0) return { status: 'insufficient_data', messageId: 'noSku' };
    if (ctx.customer === null) return { status: 'insufficient_data', messageId: 'guest' };
    const repeatsBySku = new Map<string, number>();
    for (const r of ctx.history.returns) {
      const order = ctx.history.orders.find((o) => o.id === r.orderId);
      for (const sku of skusOf(r, order)) if (current.has(sku)) repeatsBySku.set(sku, (repeatsBySku.get(sku) ?? 0) + 1);
    }
    if (repeatsBySku.size === 0) return { status: 'no_hit', messageId: 'normal' };
    const repeats = [...repeatsBySku.values()].reduce((a, b) => a + b, 0);
    const evidence = { skus: [...repeatsBySku.keys()].sort().slice(0, 5).join(', '), repeats };
    return { status: 'hit', strength: ramp(repeats, 1, params.repeatsForFull, 0.5), messageId: 'repeated', evidence };
  },
});

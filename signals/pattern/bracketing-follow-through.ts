import { defineSignal } from '../../sdk/index.ts';
import type { LineItem } from '../../sdk/index.ts';
import { ramp } from '../support.ts';

interface Params {
  variantsForFull: number;
}

const productKey = (line: LineItem): string | undefined => line.productId ?? line.title;
const variantKey = (line: LineItem): string => line.variantId ?? line.variantTitle ?? line.sku ?? line.id;

/**
 * Size bracketing followed through: the order held one product in several variants, and with
 * this return every variant but one has gone back (returns of the same order count together).
 */
export default defineSignal<Params>({
  meta: {
    id: 'pattern.bracketing-follow-through',
    version: '1.0.0',
    title: 'Bracketing follow-through',
    description:
      'The order held the same product in several sizes or colours and the customer returned all of them but one: classic "bracketing", buying several to try on and keeping one. Costly to process; stronger the more variants come back.',
    category: 'pattern',
    appliesTo: ['return'],
    defaultWeight: 10,
    params: {
      type: 'object',
      properties: {
        variantsForFull: {
          type: 'integer',
          minimum: 1,
          maximum: 20,
          default: 3,
          description: 'Returned variants of one product that give full strength.',
        },
      },
    },
    needs: ['subject', 'history.returns'],
    messages: {
      bracketed:
        'Ordered {{orderedVariants}} variants of one product and returned {{returnedVariants}}, keeping only "{{kept}}".',
      normal: 'No bracketed product returned down to one variant.',
    },
  },
  evaluate(ctx, params) {
    const subject = ctx.subject;
    if (subject.kind !== 'return') return { status: 'no_hit' };
    const order = subject.order;
    const lineOf = (id: string) => order.lineItems.find((l) => l.id === id);
    const touched = new Set(subject.return.lineItems.map((i) => lineOf(i.lineItemId)).flatMap((l) => (l ? [productKey(l)] : [])));
    const orderReturns = [...ctx.history.returns.filter((r) => r.orderId === order.id), subject.return];
    const returnedLineIds = new Set(orderReturns.flatMap((r) => r.lineItems.map((i) => i.lineItemId)));
    let best: { orderedVariants: number; returnedVariants: number; kept: string } | null = null;
    for (const product of touched) {
      if (product === undefined) continue;
      const lines = order.lineItems.filter((l) => productKey(l) === product);
      const variants = new Set(lines.map(variantKey));
      const returned = new Set(lines.filter((l) => returnedLineIds.has(l.id)).map(variantKey));
      if (variants.size < 2 || returned.size !== variants.size - 1) continue;
      const keptLine = lines.find((l) => !returned.has(variantKey(l)))!;
      if (!best || returned.size > best.returnedVariants) {
        best = { orderedVariants: variants.size, returnedVariants: returned.size, kept: keptLine.variantTitle ?? variantKey(keptLine) };
      }
    }
    if (!best) return { status: 'no_hit', messageId: 'normal' };
    return { status: 'hit', strength: ramp(best.returnedVariants, 1, params.variantsForFull, 0.4), messageId: 'bracketed', evidence: best };
  },
});

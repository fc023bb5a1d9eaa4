import { defineSignal } from '../../sdk/index.ts';
import type { OrderRecord, ReturnRecord } from '../../sdk/index.ts';

interface Params {
  typeStrength: number;
}

interface Size {
  scale: 'letter' | 'number';
  value: number;
}

interface Claim {
  small: boolean;
  returnId: string;
  inSubject: boolean;
  productId?: string;
  variantId?: string;
  productType?: string;
  size?: Size;
}

const LETTER_SIZES: Record<string, number> = {
  XXS: 0, '2XS': 0, XS: 1, S: 2, SMALL: 2, M: 3, MEDIUM: 3, L: 4, LARGE: 4, XL: 5, XXL: 6, '2XL': 6, XXXL: 7, '3XL': 7,
};

/** The size in a variant title such as "M / Blue" or "32 / Black", if one can be read. */
function parseSize(variantTitle: string | undefined): Size | undefined {
  for (const part of (variantTitle ?? '').split('/').map((p) => p.trim().toUpperCase())) {
    if (part in LETTER_SIZES) return { scale: 'letter', value: LETTER_SIZES[part] };
    if (/^\d+(\.\d+)?$/.test(part)) return { scale: 'number', value: Number(part) };
  }
  return undefined;
}

function sizeClaims(ret: ReturnRecord, order: OrderRecord | undefined, inSubject: boolean): Claim[] {
  return ret.lineItems.flatMap((item) => {
    if (item.reason !== 'SIZE_TOO_SMALL' && item.reason !== 'SIZE_TOO_LARGE') return [];
    const line = order?.lineItems.find((l) => l.id === item.lineItemId);
    return [{
      small: item.reason === 'SIZE_TOO_SMALL',
      returnId: ret.id,
      inSubject,
      productId: item.productId ?? line?.productId,
      variantId: item.variantId ?? line?.variantId,
      productType: line?.productType?.trim().toLowerCase() || undefined,
      size: parseSize(line?.variantTitle),
    }];
  });
}

/**
 * Whether "too small" on one item and "too large" on another cannot both be true: the same
 * variant, or a size called too small that is not smaller than one called too large.
 */
function contradiction(small: Claim, large: Claim): 'product' | 'type' | null {
  if (small.variantId !== undefined && small.variantId === large.variantId) return 'product';
  const clash = small.size && large.size && small.size.scale === large.size.scale && small.size.value >= large.size.value;
  if (!clash) return null;
  if (small.productId !== undefined && small.productId === large.productId) return 'product';
  if (small.productType !== undefined && small.productType === large.productType) return 'type';
  return null;
}

/** Size reasons that contradict each other for the same product or product type. */
export default defineSignal<Params>({
  meta: {
    id: 'pattern.size-swing',
    version: '1.0.0',
    title: 'Contradicting size reasons',
    description:
      'The customer says "too small" and "too large" about the same size of the same product (or a smaller size too small and a larger one too large reversed), in this return or across returns. Reasons that cannot both be true suggest they are made up.',
    category: 'pattern',
    appliesTo: ['return'],
    defaultWeight: 15,
    params: {
      type: 'object',
      properties: {
        typeStrength: {
          type: 'number',
          minimum: 0.05,
          maximum: 1,
          default: 0.5,
          description: 'Strength when the clash is only within a product type (different products size differently).',
        },
      },
    },
    needs: ['subject', 'customer', 'history.orders', 'history.returns'],
    messages: {
      inReturn: 'This return calls the same {{level}} both too small and too large ({{contradictions}} clash(es)).',
      acrossReturns: '{{contradictions}} size claim(s) here contradict earlier returns of the same {{level}}.',
      normal: 'No contradicting size reasons.',
      guest: 'Guest checkout: no earlier returns to compare the size reasons with.',
    },
  },
  evaluate(ctx, params) {
    const subject = ctx.subject;
    if (subject.kind !== 'return') return { status: 'no_hit' };
    const current = sizeClaims(subject.return, subject.order, true);
    if (current.length === 0) return { status: 'no_hit', messageId: 'normal' };
    const past = ctx.history.returns.flatMap((r) =>
      sizeClaims(r, ctx.history.orders.find((o) => o.id === r.orderId), false),
    );
    const all = [...past, ...current];
    const found: { level: 'product' | 'type'; sameReturn: boolean }[] = [];
    for (const small of all.filter((c) => c.small)) {
      for (const large of all.filter((c) => !c.small)) {
        const level = (small.inSubject || large.inSubject) && contradiction(small, large);
        if (level) found.push({ level, sameReturn: small.returnId === large.returnId });
      }
    }
    if (found.length === 0) {
      return ctx.customer === null ? { status: 'insufficient_data', messageId: 'guest' } : { status: 'no_hit', messageId: 'normal' };
    }
    const product = found.some((f) => f.level === 'product');
    const sameReturn = found.some((f) => f.sameReturn);
    const base = product ? 0.8 : params.typeStrength;
    const evidence = { contradictions: found.length, level: product ? 'product' : 'product type', sameReturn };
    const strength = Math.min(1, base + (found.length > 1 ? 0.2 : 0));
    return { status: 'hit', strength, messageId: sameReturn ? 'inReturn' : 'acrossReturns', evidence };
  },
});

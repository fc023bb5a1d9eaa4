import type { OrderRecord, ReturnRecord } from '../../sdk/index.ts';
import { defineSignal } from '../../sdk/index.ts';
import { ramp, round2 } from '../support.ts';

interface Params {
  tolerancePercent: number;
  toleranceAmount: number;
}

/** Value of the returned items, with the order's tax rate added (refunds include tax). */
function returnedValue(ret: ReturnRecord, order: OrderRecord): number {
  const items = ret.totalValue > 0 ? ret.totalValue : ret.lineItems.reduce((sum, i) => sum + (i.unitPrice ?? 0) * i.quantity, 0);
  const tax = order.totalPrice - order.subtotalPrice - (order.totalShipping ?? 0);
  const taxRate = order.subtotalPrice > 0 && tax > 0 ? tax / order.subtotalPrice : 0;
  return items * (1 + taxRate);
}

/** More money refunded than the returned items are worth. */
export default defineSignal<Params>({
  meta: {
    id: 'order.refund-exceeds-returned',
    version: '1.0.0',
    title: 'Refund larger than the return',
    description:
      'The refund is larger than the value of the items actually returned (tax included), beyond a small tolerance: the customer is paid for more than they sent back.',
    category: 'order',
    appliesTo: ['refund'],
    defaultWeight: 20,
    params: {
      type: 'object',
      properties: {
        tolerancePercent: { type: 'number', minimum: 0, maximum: 1, default: 0.05, description: 'Excess allowed as a share of the returned value (shipping, rounding).' },
        toleranceAmount: { type: 'number', minimum: 0, maximum: 10000, default: 1, description: 'Excess always allowed, in shop currency.' },
      },
    },
    needs: ['subject'],
    messages: {
      exceeds: 'Refund of {{refundAmount}} for items worth {{returnedValue}}: {{excess}} ({{excessPercent}}%) more.',
      matches: 'Refund of {{refundAmount}} for items worth {{returnedValue}}.',
      noReturn: 'No return (or no return value) to compare the refund with.',
    },
  },
  evaluate(ctx, params) {
    if (ctx.subject.kind !== 'refund') return { status: 'no_hit' };
    const { refund, order } = ctx.subject;
    const ret = ctx.subject.return;
    const value = ret ? returnedValue(ret, order) : 0;
    if (!ret || value <= 0) return { status: 'insufficient_data', messageId: 'noReturn' };
    const excess = refund.amount - value;
    const evidence = {
      refundAmount: round2(refund.amount),
      returnedValue: round2(value),
      excess: round2(excess),
      excessPercent: Math.round((excess / value) * 100),
    };
    if (excess <= Math.max(params.tolerancePercent * value, params.toleranceAmount)) {
      return { status: 'no_hit', messageId: 'matches', evidence };
    }
    // From 0.3 at the tolerance up to full strength when the refund is twice the returned value.
    return { status: 'hit', strength: ramp(excess / value, params.tolerancePercent, 1), messageId: 'exceeds', evidence };
  },
});

import { defineSignal } from '../../sdk/index.ts';
import type { LineItem } from '../../sdk/index.ts';
import { ramp, round2 } from '../support.ts';

interface Params {
  minOverpayment: number;
}

const onSale = (line: LineItem) => (line.compareAtPrice ?? 0) > line.price || line.totalDiscount > 0;
const paidUnit = (line: LineItem) => line.price - line.totalDiscount / line.quantity;
const fullUnit = (line: LineItem) => Math.max(line.compareAtPrice ?? 0, line.price);

/** Sale items credited back at more than was paid for them (up to the full, pre-sale price). */
export default defineSignal<Params>({
  meta: {
    id: 'pattern.sale-item-full-credit',
    version: '1.0.0',
    title: 'Sale items credited above price paid',
    description:
      'Items bought on sale or with a discount are being refunded or credited at more than the customer paid, often at the full pre-sale price or as store credit. The difference is money the shop loses on top of the return.',
    category: 'pattern',
    appliesTo: ['return', 'refund'],
    defaultWeight: 15,
    params: {
      type: 'object',
      properties: {
        minOverpayment: {
          type: 'number',
          minimum: 0,
          maximum: 100000,
          default: 1,
          description: 'Credit above the price paid (shop currency) that is not just rounding.',
        },
      },
    },
    needs: ['subject'],
    messages: {
      overcredited:
        'Sale items paid {{paid}} are credited {{credited}} (full price {{fullPrice}}): {{overpaid}} more than paid, by {{method}}.',
      normal: 'Sale items are credited at no more than was paid.',
      noCredit: 'The credit per returned sale item is not known.',
    },
  },
  evaluate(ctx, params) {
    const subject = ctx.subject;
    if (subject.kind === 'order') return { status: 'no_hit' };
    const credits =
      subject.kind === 'refund'
        ? subject.refund.lineItems.map((i) => ({ lineItemId: i.lineItemId, quantity: i.quantity, credited: i.subtotal as number | undefined }))
        : subject.return.lineItems.map((i) => ({ ...i, credited: i.unitPrice === undefined ? undefined : i.unitPrice * i.quantity }));
    let saleItems = 0;
    let creditedItems = 0;
    let paid = 0;
    let credited = 0;
    let fullPrice = 0;
    for (const item of credits) {
      const line = subject.order.lineItems.find((l) => l.id === item.lineItemId);
      if (!line || !onSale(line)) continue;
      saleItems++;
      if (item.credited === undefined) continue;
      creditedItems++;
      paid += paidUnit(line) * item.quantity;
      credited += item.credited;
      fullPrice += fullUnit(line) * item.quantity;
    }
    if (saleItems === 0) return { status: 'no_hit', messageId: 'normal' };
    if (creditedItems === 0) return { status: 'insufficient_data', messageId: 'noCredit' };
    const overpaid = credited - paid;
    if (overpaid <= params.minOverpayment) return { status: 'no_hit', messageId: 'normal' };
    const method = subject.kind === 'refund' ? subject.refund.method : 'return value';
    const storeCredit = method === 'store_credit' || method === 'gift_card';
    const evidence = {
      paid: round2(paid),
      credited: round2(credited),
      fullPrice: round2(fullPrice),
      overpaid: round2(overpaid),
      atFullPrice: credited >= fullPrice - 0.005,
      method,
    };
    const strength = Math.min(1, ramp(paid > 0 ? overpaid / paid : 1, 0, 0.4, 0.4) + (storeCredit ? 0.2 : 0));
    return { status: 'hit', strength, messageId: 'overcredited', evidence };
  },
});

import { defineSignal } from '../../sdk/index.ts';
import { round2 } from '../support.ts';

interface Params {
  creditGateways: string[];
  mixedStrength: number;
}

/**
 * An order paid with a gift card or store credit refunded as cash: credit turned into money.
 * A cash refund always converts; a refund to the original payment converts only when another
 * payment method was used beside the credit (a credit-only order is refunded to the credit).
 */
export default defineSignal<Params>({
  meta: {
    id: 'order.gift-card-refund',
    version: '1.0.0',
    title: 'Gift card turned into cash',
    description:
      'The order was paid with a gift card or store credit, and the refund goes out as cash or to a card: a way to turn gift cards (often bought with stolen cards) into money.',
    category: 'order',
    appliesTo: ['refund'],
    defaultWeight: 15,
    params: {
      type: 'object',
      properties: {
        creditGateways: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          minItems: 1,
          maxItems: 20,
          default: ['gift_card', 'store_credit', 'shopify_store_credit'],
          description: 'Payment gateway names that mean gift card or store credit.',
        },
        mixedStrength: {
          type: 'number',
          minimum: 0.05,
          maximum: 1,
          default: 0.5,
          description: 'Strength for a refund to the original payment of an order paid partly with credit.',
        },
      },
    },
    needs: ['subject'],
    messages: {
      converted: 'Order paid with {{gateways}}, refunded {{amount}} by {{method}}.',
      notConverted: 'No gift card or store credit turned into cash.',
    },
  },
  evaluate(ctx, params) {
    if (ctx.subject.kind !== 'refund') return { status: 'no_hit' };
    const { refund, order } = ctx.subject;
    const credit = new Set(params.creditGateways.map((g) => g.toLowerCase()));
    const gateways = order.gateways.map((g) => g.toLowerCase());
    const paidWithCredit = gateways.some((g) => credit.has(g));
    const paidOtherwise = gateways.some((g) => !credit.has(g));
    const strength = refund.method === 'cash' ? 1 : refund.method === 'original_payment' && paidOtherwise ? params.mixedStrength : 0;
    if (!paidWithCredit || strength === 0 || refund.amount <= 0) return { status: 'no_hit', messageId: 'notConverted' };
    const evidence = { gateways: gateways.join(', '), method: refund.method, amount: round2(refund.amount) };
    return { status: 'hit', strength, messageId: 'converted', evidence };
  },
});

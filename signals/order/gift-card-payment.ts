import { defineSignal } from '../../sdk/index.ts';

interface Params {
  gatewayPatterns: string[];
}

/** Lower case, spaces and hyphens as underscores: "Gift Card" and "gift-card" become "gift_card". */
function normalize(gateway: string): string {
  return gateway.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** Paid (partly) with a gift card or store credit: a refund to the card turns credit into cash. */
export default defineSignal<Params>({
  meta: {
    id: 'order.gift-card-payment',
    version: '1.0.0',
    title: 'Paid with gift card or store credit',
    description:
      'The order was paid, at least partly, with a gift card or store credit. When such an order is refunded to the original card, credit (often bought cheaply or obtained fraudulently) turns into cash; mixed payments and card refunds weigh most.',
    category: 'order',
    appliesTo: ['order', 'return', 'refund'],
    defaultWeight: 6,
    params: {
      type: 'object',
      properties: {
        gatewayPatterns: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          minItems: 1,
          maxItems: 20,
          default: ['gift_card', 'store_credit'],
          description: 'Payment gateway names (or parts of names, case-insensitive) that mean gift card or store credit.',
        },
      },
    },
    needs: ['subject'],
    messages: {
      credit: 'Paid with {{creditGateways}}{{alongside}}.',
      cashOut: 'Paid with {{creditGateways}} and {{otherGateways}}, refunded by {{refundMethod}}: credit converted to cash.',
      normal: 'No gift card or store credit payment.',
      noGateway: 'The order has no recorded payment gateway.',
    },
  },
  evaluate(ctx, params) {
    const gateways = ctx.subject.order.gateways.map(normalize);
    if (gateways.length === 0) return { status: 'insufficient_data', messageId: 'noGateway' };
    const patterns = params.gatewayPatterns.map(normalize);
    const isCredit = (gateway: string) => patterns.some((pattern) => gateway.includes(pattern));
    const creditGateways = gateways.filter(isCredit);
    const otherGateways = gateways.filter((gateway) => !isCredit(gateway));
    if (creditGateways.length === 0) return { status: 'no_hit', messageId: 'normal', evidence: { gateways } };
    const mixed = otherGateways.length > 0;
    const refundMethod = ctx.subject.kind === 'refund' ? ctx.subject.refund.method : null;
    const evidence = { creditGateways, otherGateways, mixed, refundMethod };
    const text = { creditGateways: creditGateways.join(', '), otherGateways: otherGateways.join(', '), refundMethod };
    if (mixed && (refundMethod === 'original_payment' || refundMethod === 'cash')) {
      return { status: 'hit', strength: 1, messageId: 'cashOut', evidence, data: text };
    }
    // Mixed payment: a later refund may flow to the card (0.7); credit only: 0.4.
    const alongside = mixed ? ` alongside ${text.otherGateways}` : ' only';
    return { status: 'hit', strength: mixed ? 0.7 : 0.4, messageId: 'credit', evidence, data: { ...text, alongside } };
  },
});

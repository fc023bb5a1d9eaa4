import { checkoutTransactions, defineSignal, type SignalOutcome, PAYMENT_KINDS, type TransactionRecord } from '../../sdk/index.ts';

interface Params {
  flagNotChecked: boolean;
  notCheckedStrength: number;
  checkingGateways: string[];
}

/** CVV result codes that say the code was not checked: not processed (P), should have been present (S), issuer not taking part (U), no answer (X). */
const NOT_CHECKED = new Set(['P', 'S', 'U', 'X']);

/** A card payment of the checkout: an authorization or sale with card facts. */
function isCardPayment(t: TransactionRecord): boolean {
  return PAYMENT_KINDS.includes(t.kind) && (t.cvvResultCode !== undefined || t.cardCompany !== undefined || t.cardHash !== undefined);
}

/**
 * The card security code (CVV/CVC) did not match (result code N), or was not checked on a
 * gateway that checks it on every card payment. A wrong code is what someone holding only a
 * card's number and expiry (a leaked list, a skimmer) types; a skipped check hides it. Wallet
 * payments (Apple Pay, Google Pay, Shop Pay) carry a token instead of a code: no answer.
 */
export default defineSignal<Params>({
  meta: {
    id: 'order.cvv-mismatch',
    version: '1.0.0',
    title: 'Card security code (CVV) mismatch',
    description:
      "The card security code (CVV/CVC) of the order's card payment did not match (result code N), or was not checked (P, S, U, X, or no code) on a gateway that normally checks it. A wrong code is what someone holding only a card's number and expiry types; honest buyers rarely mistype it and then succeed. Wallet payments carry no code: no answer.",
    category: 'order',
    appliesTo: ['order'],
    defaultWeight: 25,
    params: {
      type: 'object',
      properties: {
        flagNotChecked: { type: 'boolean', default: true, description: 'Also fire (weaker) when the code was not checked on a gateway that normally checks it.' },
        notCheckedStrength: { type: 'number', minimum: 0, maximum: 1, default: 0.5, description: 'Strength of a code not checked (a mismatch: 1).' },
        checkingGateways: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          maxItems: 50,
          default: ['shopify_payments'],
          description: 'Gateways (names, case-insensitive) that check the code of every online card payment, so a missing check is unusual.',
        },
      },
    },
    needs: ['subject', 'history.transactions'],
    messages: {
      mismatch: 'CVV {{cvvResultCode}}: the card security code did not match ({{gateway}}).',
      notChecked: 'The card security code was not checked ({{cvvResultCode}}) on {{gateway}}, which normally checks it.',
      matched: 'CVV {{cvvResultCode}}: the card security code matched.',
      wallet: 'Paid with a digital wallet ({{wallet}}): no card security code.',
      unknown: 'No CVV result on the order\'s card payment ({{gateway}} does not always check it).',
      none: 'No card payment on the order.',
    },
  },
  evaluate(ctx, params): SignalOutcome {
    const payments = checkoutTransactions(ctx).filter(isCardPayment);
    if (payments.length === 0) return { status: 'insufficient_data', messageId: 'none' };
    const paid = payments.filter((t) => t.status === 'success');
    const judged = paid.length > 0 ? paid : payments;
    const mismatch = judged.find((t) => t.cvvResultCode === 'N');
    if (mismatch) return { status: 'hit', strength: 1, messageId: 'mismatch', evidence: { cvvResultCode: 'N', gateway: mismatch.gateway ?? null } };
    const matched = judged.find((t) => t.cvvResultCode === 'M');
    if (matched) return { status: 'no_hit', messageId: 'matched', evidence: { cvvResultCode: 'M', gateway: matched.gateway ?? null } };
    const card = judged.find((t) => t.wallet === undefined);
    if (!card) return { status: 'insufficient_data', messageId: 'wallet', data: { wallet: judged[0]!.wallet ?? null } };
    const gateway = card.gateway ?? null;
    const checks = gateway !== null && params.checkingGateways.some((g) => g.trim().toLowerCase() === gateway);
    const code = card.cvvResultCode ?? null;
    const evidence = { cvvResultCode: code, gateway };
    if (!checks || (code !== null && !NOT_CHECKED.has(code))) return { status: 'insufficient_data', messageId: 'unknown', evidence, data: { gateway: gateway ?? 'the gateway' } };
    if (!params.flagNotChecked) return { status: 'no_hit', messageId: 'notChecked', evidence, data: { cvvResultCode: code ?? 'no code', gateway } };
    return { status: 'hit', strength: params.notCheckedStrength, messageId: 'notChecked', evidence, data: { cvvResultCode: code ?? 'no code', gateway } };
  },
});

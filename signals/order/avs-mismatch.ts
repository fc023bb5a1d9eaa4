import { checkoutTransactions, defineSignal, type SignalOutcome, PAYMENT_KINDS, type TransactionRecord } from '../../sdk/index.ts';

type Part = 'match' | 'mismatch' | 'unverified';
type Mode = 'street-or-postcode' | 'postcode' | 'street' | 'both';

interface Params {
  mismatchOn: Mode;
  partialStrength: number;
}

/**
 * What an AVS result code says of the street address and the postcode (the card networks'
 * common table, as payment gateways pass it on). Codes that say nothing was verified (C, E, G,
 * I, R, S, U) and unknown codes are absent: no answer.
 */
const AVS: Record<string, { street: Part; postcode: Part }> = {
  Y: { street: 'match', postcode: 'match' }, // street and 5-digit ZIP
  X: { street: 'match', postcode: 'match' }, // street and 9-digit ZIP
  D: { street: 'match', postcode: 'match' }, // international
  F: { street: 'match', postcode: 'match' }, // UK
  M: { street: 'match', postcode: 'match' }, // international
  A: { street: 'match', postcode: 'mismatch' },
  B: { street: 'match', postcode: 'unverified' }, // international, postcode not verified
  Z: { street: 'mismatch', postcode: 'match' }, // 5-digit ZIP matches
  W: { street: 'mismatch', postcode: 'match' }, // 9-digit ZIP matches
  P: { street: 'unverified', postcode: 'match' }, // international, street not verified
  N: { street: 'mismatch', postcode: 'mismatch' },
};

/** The order's checkout payments with an AVS code: the successful ones when any succeeded, else every attempt. */
function judged(transactions: readonly TransactionRecord[]): TransactionRecord[] {
  const payments = transactions.filter((t) => PAYMENT_KINDS.includes(t.kind) && t.avsResultCode !== undefined);
  const paid = payments.filter((t) => t.status === 'success');
  return paid.length > 0 ? paid : payments;
}

/**
 * The card issuer's address check (AVS) failed for the billing street, postcode or both. A
 * mismatch is a classic sign of a stolen card used with the fraudster's own address; a postcode
 * mismatch alone is also common with honest typos and recent moves, so one part counts at
 * `partialStrength`.
 */
export default defineSignal<Params>({
  meta: {
    id: 'order.avs-mismatch',
    version: '1.0.0',
    title: 'Address verification (AVS) mismatch',
    description:
      "The card issuer's address verification (AVS) of the order's payment did not match the billing street address, the postcode, or both (AVS result codes A, Z, W, N). A stolen card is typically used with another address than its owner's; a single mismatching part is also common with honest typos and recent moves, so it counts less. Codes that say nothing was verified (international cards, issuers that do not take part) give no answer.",
    category: 'order',
    appliesTo: ['order'],
    defaultWeight: 20,
    params: {
      type: 'object',
      properties: {
        mismatchOn: {
          type: 'string',
          enum: ['street-or-postcode', 'postcode', 'street', 'both'],
          default: 'street-or-postcode',
          description: 'Which mismatch fires: either part (default), the postcode, the street, or only both at once.',
        },
        partialStrength: { type: 'number', minimum: 0, maximum: 1, default: 0.6, description: 'Strength when only one of street and postcode mismatches (both: 1).' },
      },
    },
    needs: ['subject', 'history.transactions'],
    messages: {
      both: 'AVS {{avsResultCode}}: neither the billing street nor the postcode matched the card.',
      street: 'AVS {{avsResultCode}}: the billing street did not match the card (postcode {{postcode}}).',
      postcode: 'AVS {{avsResultCode}}: the billing postcode did not match the card (street {{street}}).',
      matched: 'AVS {{avsResultCode}}: street {{street}}, postcode {{postcode}}.',
      unverified: 'AVS {{avsResultCode}}: the address was not verified.',
      none: 'No AVS result on the order\'s card payment.',
    },
  },
  evaluate(ctx, params): SignalOutcome {
    const candidates = judged(checkoutTransactions(ctx));
    if (candidates.length === 0) return { status: 'insufficient_data', messageId: 'none' };
    // The worst verified result among them.
    let worst: { code: string; street: Part; postcode: Part; bad: number } | undefined;
    for (const t of candidates) {
      const parts = AVS[t.avsResultCode!];
      if (!parts) continue;
      const bad = Number(parts.street === 'mismatch') + Number(parts.postcode === 'mismatch');
      if (!worst || bad > worst.bad) worst = { code: t.avsResultCode!, ...parts, bad };
    }
    if (!worst) return { status: 'insufficient_data', messageId: 'unverified', data: { avsResultCode: candidates.map((t) => t.avsResultCode).join(', ') } };
    const evidence = { avsResultCode: worst.code, street: worst.street, postcode: worst.postcode };
    const streetBad = worst.street === 'mismatch';
    const postcodeBad = worst.postcode === 'mismatch';
    const fires = params.mismatchOn === 'both' ? streetBad && postcodeBad
      : params.mismatchOn === 'street' ? streetBad
        : params.mismatchOn === 'postcode' ? postcodeBad
          : streetBad || postcodeBad;
    if (!fires) return { status: 'no_hit', messageId: 'matched', evidence };
    if (streetBad && postcodeBad) return { status: 'hit', strength: 1, messageId: 'both', evidence };
    return { status: 'hit', strength: params.partialStrength, messageId: streetBad ? 'street' : 'postcode', evidence };
  },
});

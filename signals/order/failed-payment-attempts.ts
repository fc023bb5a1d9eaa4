import { checkoutTransactions, defineSignal, type SignalOutcome, PAYMENT_KINDS } from '../../sdk/index.ts';
import { ramp, unit } from '../support.ts';

interface Params {
  fullFailures: number;
  manyCards: number;
}

const FAILED = new Set(['failure', 'error']);

/**
 * Declined or failed payment attempts at the order's checkout before the payment that went
 * through (all of them when none did), and how many cards were tried. Several declines, or
 * several cards tried one after the other, is how stolen cards are tested; one decline and a
 * second card is common enough among honest buyers (a card over its limit) to count little.
 */
export default defineSignal<Params>({
  meta: {
    id: 'order.failed-payment-attempts',
    version: '1.0.0',
    title: 'Failed payment attempts before success',
    description:
      "Declined or failed card payment attempts at the order's checkout before the payment that went through, and the number of distinct cards tried. Several declines, or several cards tried in a row, is how stolen cards are tested; a single decline followed by another card is common among honest buyers (a card over its limit) and counts little.",
    category: 'order',
    appliesTo: ['order'],
    defaultWeight: 20,
    params: {
      type: 'object',
      properties: {
        fullFailures: { type: 'integer', minimum: 1, maximum: 100, default: 4, description: 'Failed attempts at full strength (one: 0.3, rising linearly).' },
        manyCards: { type: 'integer', minimum: 2, maximum: 20, default: 3, description: 'Distinct cards tried at full strength (two: 0.5).' },
      },
    },
    needs: ['subject', 'history.transactions'],
    messages: {
      failed: '{{failures}} failed payment attempt(s) before the payment went through, {{cards}} distinct card(s) tried.',
      unpaid: '{{failures}} failed payment attempt(s) and none went through, {{cards}} distinct card(s) tried.',
      clean: 'The payment went through without a failed attempt.',
      none: 'No payment attempt recorded for the order.',
    },
  },
  evaluate(ctx, params): SignalOutcome {
    const attempts = checkoutTransactions(ctx).filter((t) => PAYMENT_KINDS.includes(t.kind));
    if (attempts.length === 0) return { status: 'insufficient_data', messageId: 'none' };
    // In time order: the attempts before the first that went through.
    const firstPaid = attempts.findIndex((t) => t.status === 'success');
    const before = firstPaid < 0 ? attempts : attempts.slice(0, firstPaid);
    const failures = before.filter((t) => FAILED.has(t.status));
    const tried = firstPaid < 0 ? before : [...before, attempts[firstPaid]!];
    const cards = new Set(tried.flatMap((t) => (t.cardHash ? [t.cardHash] : []))).size;
    const errorCodes = [...new Set(failures.flatMap((t) => (t.errorCode ? [t.errorCode] : [])))].sort();
    const evidence = { failures: failures.length, cards, paid: firstPaid >= 0, errorCodes };
    if (failures.length === 0) return { status: 'no_hit', messageId: 'clean', evidence };
    const byFailures = ramp(failures.length, 1, params.fullFailures);
    const byCards = cards >= params.manyCards ? 1 : cards >= 2 ? unit(0.5 + (0.5 * (cards - 2)) / Math.max(1, params.manyCards - 2)) : 0;
    const strength = Math.max(byFailures, byCards);
    return { status: 'hit', strength: Math.round(strength * 100) / 100, messageId: firstPaid >= 0 ? 'failed' : 'unpaid', evidence };
  },
});

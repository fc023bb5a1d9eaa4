import { defineSignal, identityOf, type IdentifierKind, type SignalOutcome } from '../../sdk/index.ts';
import { round2 } from '../support.ts';

interface Params {
  maxMinutes: number;
  kinds: IdentifierKind[];
  maxSharedWith: number;
}

const MINUTE_MS = 60_000;

/**
 * Multi-accounting: an account opened moments before this order, on a card, device, email or phone
 * that other accounts used before. Each fact alone has honest explanations (a new customer; a
 * household's shared tablet); together they are the shape of one person opening account after
 * account, to test cards or to take a first-order promotion again. Strength: 0.5 with one other
 * account (a partner's new account on the family device happens), 1 from two. Records the checkout
 * made for guests (account state `disabled`) are not opened accounts and do not count.
 */
export default defineSignal<Params>({
  meta: {
    id: 'order.new-account-shared-identity',
    version: '1.0.0',
    title: 'New account on a shared card or device',
    description:
      'An account opened only minutes before the order, on a card, device, email or phone that other customer accounts used before: one person opening account after account (card testing, repeated first-order promotions). With one other account it is half strength (a household creating a second account happens); from two, full. A customer record the checkout made for a guest is not an opened account.',
    category: 'order',
    appliesTo: ['order'],
    defaultWeight: 40,
    params: {
      type: 'object',
      properties: {
        maxMinutes: { type: 'integer', minimum: 1, maximum: 10_080, default: 60, description: 'An account at most this many minutes old at the order counts as just opened.' },
        kinds: {
          type: 'array',
          items: { enum: ['payment', 'device', 'email', 'phone', 'address', 'ip'] },
          uniqueItems: true,
          minItems: 1,
          default: ['payment', 'device', 'email', 'phone'],
          description: 'Identifier kinds whose sharing counts (addresses and IPs are shared by whole buildings and offices).',
        },
        maxSharedWith: {
          type: 'integer',
          minimum: 1,
          maximum: 50,
          default: 10,
          description: 'An identifier used by more others than this (a common browser, a shared network) is common and does not count.',
        },
      },
    },
    needs: ['customer', 'derived'],
    messages: {
      multi: 'Account opened {{accountMinutes}} minutes before, on a {{kinds}} that {{accounts}} other account(s) used before.',
      established: 'The account is older than {{maxMinutes}} minutes.',
      checkoutRecord: 'No account was opened: the checkout made this customer record.',
      unshared: 'A new account, but none of its {{kinds}} was used by other accounts before.',
      guest: 'Guest checkout: no account.',
      noFacts: 'The account creation time or the identity facts are unknown.',
    },
  },
  evaluate(ctx, params): SignalOutcome {
    const customer = ctx.customer;
    if (customer === null) return { status: 'no_hit', messageId: 'guest' };
    const created = customer.createdAt === undefined ? NaN : Date.parse(customer.createdAt);
    const identity = identityOf(ctx);
    if (Number.isNaN(created) || !identity) return { status: 'insufficient_data', messageId: 'noFacts' };
    if (customer.accountState === 'disabled') return { status: 'no_hit', messageId: 'checkoutRecord' };
    const ageMs = Math.max(0, Date.parse(ctx.now) - created);
    const evidence = { accountMinutes: round2(ageMs / MINUTE_MS), maxMinutes: params.maxMinutes };
    if (ageMs > params.maxMinutes * MINUTE_MS) return { status: 'no_hit', messageId: 'established', evidence };
    const shared = identity.identifiers.filter(
      (id) => params.kinds.includes(id.kind) && id.accounts !== null && id.accounts > 0 && id.sharedWith <= params.maxSharedWith,
    );
    if (shared.length === 0) return { status: 'no_hit', messageId: 'unshared', evidence, data: { kinds: params.kinds.join(', ') } };
    const accounts = Math.max(...shared.map((id) => id.accounts!));
    const kinds = shared.map((id) => id.kind);
    return {
      status: 'hit',
      strength: accounts >= 2 ? 1 : 0.5,
      messageId: 'multi',
      evidence: { ...evidence, kinds, accounts },
      data: { accountMinutes: round2(ageMs / MINUTE_MS), kinds: kinds.join(' and '), accounts },
    };
  },
});

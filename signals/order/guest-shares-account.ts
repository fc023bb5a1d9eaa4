import { defineSignal, identityOf, type IdentifierKind } from '../../sdk/index.ts';

interface Params {
  kinds: IdentifierKind[];
  maxSharedWith: number;
}

const KINDS: IdentifierKind[] = ['payment', 'device', 'email', 'phone', 'address', 'ip'];
/** How telling each kind is when a guest shares it with an account: a card most, an email least (its owner may just not have logged in). */
const STRENGTH: Record<IdentifierKind, number> = { payment: 0.8, device: 0.5, phone: 0.5, email: 0.4, address: 0.3, ip: 0.3 };

/**
 * A guest checkout carrying an identifier (card, device, phone, email) of an existing customer
 * account, used before this order: someone avoiding their account (a flagged or blocked one) or
 * using another person's card. Often it is only the account's owner not logged in, hence a weak
 * default; the ring and list signals judge the account itself. Addresses and IPs (households,
 * offices) are not judged by default; identifiers used by many are never.
 */
export default defineSignal<Params>({
  meta: {
    id: 'order.guest-shares-account',
    version: '1.0.0',
    title: 'Guest checkout with an account’s identifier',
    description:
      'A guest checkout carries the card, device, phone or email (keyed hashes) of an existing customer account, used on an earlier order: someone avoiding their account, or paying with another person’s card. Often only the owner not logged in, so it is weak on its own; households and offices (address, IP) are not judged by default.',
    category: 'order',
    appliesTo: ['order'],
    defaultWeight: 6,
    params: {
      type: 'object',
      properties: {
        kinds: { type: 'array', items: { enum: KINDS }, uniqueItems: true, default: ['payment', 'device', 'phone', 'email'], description: 'The identifier kinds judged.' },
        maxSharedWith: { type: 'integer', minimum: 1, maximum: 50, default: 10, description: 'An identifier used by more others than this (an office network, a popular browser) is common and is not judged.' },
      },
    },
    needs: ['derived'],
    messages: {
      shares: 'A guest checkout with the {{kinds}} of an existing account.',
      none: 'A guest checkout sharing no identifier with an account.',
      account: 'Not a guest checkout.',
      noFacts: 'The context carries no identity facts.',
    },
  },
  evaluate(ctx, params) {
    if (ctx.subject.order.customerId) return { status: 'no_hit', messageId: 'account' };
    const identity = identityOf(ctx);
    if (!identity) return { status: 'insufficient_data', messageId: 'noFacts' };
    const judged = new Set(params.kinds);
    const linked = identity.identifiers.filter((id) => judged.has(id.kind) && id.accounts !== null && id.accounts > 0 && id.sharedWith <= params.maxSharedWith).map((id) => id.kind);
    const evidence = { kinds: linked.join(', ') || 'nothing', linkedKinds: linked, accountKinds: identity.guestSharesAccount };
    if (linked.length === 0) return { status: 'no_hit', messageId: 'none', evidence };
    // The most telling kind, and a little more for each further one.
    const best = Math.max(...linked.map((kind) => STRENGTH[kind]));
    return { status: 'hit', strength: Math.min(1, Math.round((best + 0.1 * (linked.length - 1)) * 100) / 100), messageId: 'shares', evidence };
  },
});

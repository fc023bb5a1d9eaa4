import { defineSignal } from '../../sdk/index.ts';
import type { Evidence, IdentifierKind, SignalOutcome } from '../../sdk/index.ts';
import { identityHashes, listMatches } from '../support.ts';

/**
 * Trust per matched kind: email, payment and device pin down one buyer (1); a phone nearly so
 * (0.8); an address is shared by a household or a forwarder (0.5); an IP by many people (0.3).
 * Each further matched kind adds 0.1.
 */
const KIND_STRENGTH: Record<IdentifierKind, number> = { email: 1, payment: 1, device: 1, phone: 0.8, address: 0.5, ip: 0.3 };

/** A negative-weight trust signal: the buyer's identifiers are on the merchant's allowlist. */
export default defineSignal<Record<string, never>>({
  meta: {
    id: 'order.allowlist-match',
    version: '1.1.0',
    title: 'Allowlisted buyer',
    description:
      'The email, card, device, phone, address or IP address behind this order is on your allowlist of trusted buyers. Lowers the score (negative weight); email, card and device matches count fully, shared identifiers less. A non-overridable blocklist entry matching the same buyer cancels the trust.',
    category: 'order',
    appliesTo: ['order', 'return', 'refund'],
    defaultWeight: -25,
    params: { type: 'object', properties: {} },
    needs: ['subject', 'customer', 'lists'],
    messages: {
      trusted: 'On the allowlist: {{kinds}}.',
      notListed: 'None of the {{checked}} identifier(s) is on the allowlist.',
      lockedBlock: 'On the allowlist ({{kinds}}), but a non-overridable blocklist entry ({{lockedKinds}}) wins.',
      noIdentity: 'No hashed identifiers are known for this buyer.',
    },
  },
  evaluate(ctx): SignalOutcome {
    const hashes = identityHashes(ctx);
    if (hashes.size === 0) return { status: 'insufficient_data', messageId: 'noIdentity' };
    const { allowed: kinds, locked } = listMatches(ctx, hashes);
    if (kinds.length === 0) return { status: 'no_hit', messageId: 'notListed', evidence: { kinds: [], checked: hashes.size } };
    if (locked.length > 0) {
      const evidence: Evidence = { kinds, checked: hashes.size, lockedBy: locked };
      return { status: 'no_hit', messageId: 'lockedBlock', evidence, data: { kinds: kinds.join(', '), lockedKinds: locked.join(', ') } };
    }
    const strength = Math.min(1, Math.max(...kinds.map((kind) => KIND_STRENGTH[kind])) + 0.1 * (kinds.length - 1));
    const evidence = { kinds, checked: hashes.size };
    return { status: 'hit', strength, messageId: 'trusted', evidence, data: { kinds: kinds.join(', ') } };
  },
});

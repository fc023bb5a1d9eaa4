import { defineSignal } from '../../sdk/index.ts';
import type { Evidence, IdentifierKind, SignalOutcome } from '../../sdk/index.ts';
import { identityHashes, listMatches } from '../support.ts';

/**
 * Strength per matched kind: email, payment and device pin down one buyer (1); a phone nearly
 * so (0.8); an address is shared by a household or a forwarder (0.6); an IP by many people (0.5).
 * Each further matched kind adds 0.1.
 */
const KIND_STRENGTH: Record<IdentifierKind, number> = { email: 1, payment: 1, device: 1, phone: 0.8, address: 0.6, ip: 0.5 };

/** The buyer's email, payment, device, phone, address or IP is on the merchant's blocklist. */
export default defineSignal<Record<string, never>>({
  meta: {
    id: 'order.blocklist-match',
    version: '1.1.0',
    title: 'Blocklisted buyer',
    description:
      'The email, card, device, phone, address or IP address behind this order is on your blocklist. Email, card and device matches count fully; phone, address and IP matches count less because others can share them. An allowlist match overrides the block, unless the block entry is non-overridable.',
    category: 'order',
    appliesTo: ['order', 'return', 'refund'],
    defaultWeight: 35,
    params: { type: 'object', properties: {} },
    needs: ['subject', 'customer', 'lists'],
    messages: {
      blocked: 'On the blocklist: {{kinds}}.',
      lockedOverAllow: 'On the blocklist: {{kinds}} (non-overridable: the allowlist match does not lift it).',
      overridden: 'On the blocklist ({{kinds}}), but the allowlist overrides it ({{allowedKinds}}).',
      clear: 'None of the {{checked}} identifier(s) is on the blocklist.',
      noIdentity: 'No hashed identifiers are known for this buyer.',
    },
  },
  evaluate(ctx): SignalOutcome {
    const hashes = identityHashes(ctx);
    if (hashes.size === 0) return { status: 'insufficient_data', messageId: 'noIdentity' };
    const { blocked, locked, allowed } = listMatches(ctx, hashes);
    if (blocked.length === 0) return { status: 'no_hit', messageId: 'clear', evidence: { kinds: [], checked: hashes.size } };
    // An allow entry beats a block, unless one of the matched blocks is non-overridable.
    if (allowed.length > 0 && locked.length === 0) {
      const evidence = { kinds: blocked, checked: hashes.size, overriddenBy: allowed };
      return { status: 'no_hit', messageId: 'overridden', evidence, data: { kinds: blocked.join(', '), allowedKinds: allowed.join(', ') } };
    }
    // Over an allow match, only the locked blocks count.
    const kinds = allowed.length > 0 ? locked : blocked;
    const strength = Math.min(1, Math.max(...kinds.map((kind) => KIND_STRENGTH[kind])) + 0.1 * (kinds.length - 1));
    const evidence: Evidence = { kinds, checked: hashes.size, nonOverridable: locked };
    if (allowed.length > 0) evidence.allowlisted = allowed;
    return { status: 'hit', strength, messageId: allowed.length > 0 ? 'lockedOverAllow' : 'blocked', evidence, data: { kinds: kinds.join(', ') } };
  },
});

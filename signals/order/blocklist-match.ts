import { defineSignal } from '../../sdk/index.ts';
import type { IdentifierKind } from '../../sdk/index.ts';
import { identityHashes } from '../support.ts';

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
    version: '1.0.0',
    title: 'Blocklisted buyer',
    description:
      'The email, card, device, phone, address or IP address behind this order is on your blocklist. Email, card and device matches count fully; phone, address and IP matches count less because others can share them.',
    category: 'order',
    appliesTo: ['order', 'return', 'refund'],
    defaultWeight: 35,
    params: { type: 'object', properties: {} },
    needs: ['subject', 'customer', 'lists'],
    messages: {
      blocked: 'On the blocklist: {{kinds}}.',
      clear: 'None of the {{checked}} identifier(s) is on the blocklist.',
      noIdentity: 'No hashed identifiers are known for this buyer.',
    },
  },
  evaluate(ctx) {
    const hashes = identityHashes(ctx);
    if (hashes.size === 0) return { status: 'insufficient_data', messageId: 'noIdentity' };
    const kinds = [...hashes]
      .filter(([kind, set]) => (ctx.lists.blocked[kind] ?? []).some((hash) => set.has(hash)))
      .map(([kind]) => kind);
    if (kinds.length === 0) return { status: 'no_hit', messageId: 'clear', evidence: { kinds: [], checked: hashes.size } };
    const strength = Math.min(1, Math.max(...kinds.map((kind) => KIND_STRENGTH[kind])) + 0.1 * (kinds.length - 1));
    const evidence = { kinds, checked: hashes.size };
    return { status: 'hit', strength, messageId: 'blocked', evidence, data: { kinds: kinds.join(', ') } };
  },
});

import { defineSignal, identityOf, type IdentifierKind } from '../../sdk/index.ts';
import { round2 } from '../support.ts';

interface Params {
  paymentStrength: number;
  emailStrength: number;
  deviceStrength: number;
  phoneStrength: number;
  addressStrength: number;
  ipStrength: number;
  householdAccounts: number;
  maxSharedWith: number;
}

/** Kinds a household or an office shares honestly: a few accounts on one of them are not a sign. */
const HOUSEHOLD_KINDS: ReadonlySet<IdentifierKind> = new Set(['address', 'ip', 'device', 'phone']);

/**
 * The order's card, email, device, phone, address or IP (keyed hashes) was used before by other
 * customer accounts. A card or an email belongs to one person, so one other account on it counts;
 * a device, IP, address or phone is shared by households and offices, so it counts only past
 * `householdAccounts` other accounts. An identifier used by more than `maxSharedWith` others (an
 * office network, a popular browser, a warehouse: RING_LIST_LIMIT+ is a hub) is common and counts
 * for nothing. Point-in-time: only orders before this one (`ctx.derived.identity`).
 */
export default defineSignal<Params>({
  meta: {
    id: 'order.shared-identifier',
    version: '1.0.0',
    title: 'Identifier used by other accounts',
    description:
      "The order's card, email, device, phone, address or IP (keyed hashes) was used on earlier orders of other customer accounts. A card or email shared with another account is strong; a device, IP, address or phone counts only when more accounts than a household share it; identifiers used by many (an office network, a warehouse, a common browser) count for nothing. The device hash is the browser's user agent and language, so a device is weaker than a card by default.",
    category: 'order',
    appliesTo: ['order'],
    defaultWeight: 25,
    params: {
      type: 'object',
      properties: {
        paymentStrength: { type: 'number', minimum: 0, maximum: 1, default: 1, description: 'Strength of a card shared with other accounts (at full count).' },
        emailStrength: { type: 'number', minimum: 0, maximum: 1, default: 0.8, description: 'Strength of an email shared with other accounts (at full count).' },
        deviceStrength: { type: 'number', minimum: 0, maximum: 1, default: 0.6, description: 'Strength of a device (user agent + language) shared with more accounts than a household (at full count).' },
        phoneStrength: { type: 'number', minimum: 0, maximum: 1, default: 0.5, description: 'Strength of a phone shared with more accounts than a household (at full count).' },
        addressStrength: { type: 'number', minimum: 0, maximum: 1, default: 0.35, description: 'Strength of an address shared with more accounts than a household (at full count).' },
        ipStrength: { type: 'number', minimum: 0, maximum: 1, default: 0.3, description: 'Strength of an IP shared with more accounts than a household or office (at full count).' },
        householdAccounts: {
          type: 'integer',
          minimum: 0,
          maximum: 10,
          default: 1,
          description: 'A device, IP, address or phone shared with at most this many other accounts is a household (or an office) and does not count.',
        },
        maxSharedWith: {
          type: 'integer',
          minimum: 1,
          maximum: 50,
          default: 10,
          description: 'An identifier used by more others than this (an office network, a warehouse, a common browser) is common and does not count.',
        },
      },
    },
    needs: ['derived'],
    messages: {
      shared: 'Used before by other accounts: {{shared}}.',
      none: 'No identifier of this order was used before by other accounts{{aside}}.',
      noIdentifiers: 'The order carries no identifier hashes: sharing cannot be checked.',
      noFacts: 'The context carries no identity facts.',
    },
  },
  evaluate(ctx, params) {
    const identity = identityOf(ctx);
    if (!identity) return { status: 'insufficient_data', messageId: 'noFacts' };
    if (identity.identifiers.length === 0) return { status: 'insufficient_data', messageId: 'noIdentifiers' };
    const base: Record<IdentifierKind, number> = {
      payment: params.paymentStrength,
      email: params.emailStrength,
      device: params.deviceStrength,
      phone: params.phoneStrength,
      address: params.addressStrength,
      ip: params.ipStrength,
    };
    const shared: { kind: IdentifierKind; accounts: number; strength: number }[] = [];
    const common: IdentifierKind[] = [];
    const household: IdentifierKind[] = [];
    for (const id of identity.identifiers) {
      if (id.accounts === null || id.sharedWith > params.maxSharedWith) {
        common.push(id.kind);
        continue;
      }
      if (id.accounts === 0) continue;
      // The first count that is a sign: one other account for a card or email, past a household for the rest.
      const first = HOUSEHOLD_KINDS.has(id.kind) ? params.householdAccounts + 1 : 1;
      if (id.accounts < first) {
        household.push(id.kind);
        continue;
      }
      // 0.6 of the kind's strength at the first count, 0.8 at the next, full from the one after.
      const strength = base[id.kind] * Math.min(1, 0.6 + 0.2 * (id.accounts - first));
      if (strength > 0) shared.push({ kind: id.kind, accounts: id.accounts, strength });
    }
    const evidence = {
      shared: shared.map((s) => `${s.kind} (${s.accounts} account${s.accounts === 1 ? '' : 's'})`).join(', ') || 'none',
      kinds: shared.map((s) => s.kind),
      maxAccounts: shared.reduce((max, s) => Math.max(max, s.accounts), 0),
      householdIgnored: household,
      commonIgnored: common,
      aside: household.length + common.length > 0 ? ` (set aside: ${[...household.map((k) => `${k} of a household`), ...common.map((k) => `common ${k}`)].join(', ')})` : '',
    };
    if (shared.length === 0) return { status: 'no_hit', messageId: 'none', evidence };
    // Each kind is separate evidence: combined as independent chances (1 − Π(1 − s)).
    const strength = 1 - shared.reduce((left, s) => left * (1 - s.strength), 1);
    return { status: 'hit', strength: round2(Math.min(1, strength)), messageId: 'shared', evidence };
  },
});

import { defineSignal, ringOf, type RingNeighbour } from '../../sdk/index.ts';

interface Params {
  maxSharedWith: number;
  minKinds: number;
  minAccounts: number;
}

/**
 * The customer shares identifiers (keyed hashes of address, device, payment, email, phone, IP)
 * with other customers who, before this event, had chargebacks or confirmed fraud, or with
 * several other accounts at once: the mark of a fraud ring. Point-in-time: only orders placed
 * before the event link anyone (`ctx.derived.ring`, built by the context builder).
 */
export default defineSignal<Params>({
  meta: {
    id: 'customer.fraud-ring',
    version: '1.0.0',
    title: 'Linked to a fraud ring',
    description:
      'This customer shares an address, device, payment method, email, phone or IP (keyed hashes) with other customers who had chargebacks or confirmed fraud before, or with several other accounts at once. Identifiers shared by many customers (a warehouse, a shared office network) do not link anyone.',
    category: 'customer',
    appliesTo: ['order', 'return', 'refund'],
    defaultWeight: 25,
    params: {
      type: 'object',
      properties: {
        maxSharedWith: {
          type: 'integer',
          minimum: 1,
          maximum: 50,
          default: 10,
          description: 'An identifier used by more other customers than this is a hub (a warehouse, a shared network) and links no one.',
        },
        minKinds: { type: 'integer', minimum: 1, maximum: 6, default: 2, description: 'How many kinds of identifier (address, device, payment, …) two accounts must share to count as strongly linked.' },
        minAccounts: { type: 'integer', minimum: 1, maximum: 50, default: 2, description: 'How many strongly linked other accounts make a cluster even without bad history.' },
      },
    },
    needs: ['derived'],
    messages: {
      flagged: 'Shares {{kinds}} with {{flagged}} customer(s) who had chargebacks or confirmed fraud before (of {{linked}} linked).',
      cluster: 'Shares {{kinds}} with {{strong}} other accounts (at least {{minKinds}} kinds of identifier each).',
      none: 'Linked to {{linked}} other customer(s), none with chargebacks or confirmed fraud and fewer than {{minAccounts}} strongly linked.',
      noIdentifiers: 'No identifier hashes on this order or the customer’s earlier ones: links cannot be checked.',
      noFacts: 'The context carries no ring neighbourhood.',
    },
  },
  evaluate(ctx, params) {
    const ring = ringOf(ctx);
    if (!ring) return { status: 'insufficient_data', messageId: 'noFacts' };
    if (ring.identifiers.length === 0) return { status: 'insufficient_data', messageId: 'noIdentifiers' };
    const hubs = ring.identifiers.filter((i) => i.sharedWith > params.maxSharedWith).length;
    const linked = ring.linked
      .map((n): RingNeighbour => ({ ...n, via: n.via.filter((v) => v.sharedWith <= params.maxSharedWith) }))
      .filter((n) => n.via.length > 0);
    const kindsOf = (n: RingNeighbour) => new Set(n.via.map((v) => v.kind)).size;
    const flagged = linked.filter((n) => n.chargebacks > 0 || n.fraudLabels > 0);
    const strong = linked.filter((n) => kindsOf(n) >= params.minKinds);
    const linkedOrders = linked.reduce((sum, n) => sum + n.orders, 0);
    const evidence = {
      linked: linked.length,
      flagged: flagged.length,
      strong: strong.length,
      kinds: [...new Set(linked.flatMap((n) => n.via.map((v) => v.kind)))].sort().join(', ') || 'nothing',
      hubsIgnored: hubs,
      linkedOrders,
      linkedReturnedOrders: linked.reduce((sum, n) => sum + n.returnedOrders, 0),
      linkedChargebacks: linked.reduce((sum, n) => sum + n.chargebacks, 0),
      linkedFraudLabels: linked.reduce((sum, n) => sum + n.fraudLabels, 0),
      linkedIds: (flagged.length > 0 ? flagged : linked).slice(0, 5).map((n) => n.id),
      minKinds: params.minKinds,
      minAccounts: params.minAccounts,
    };
    if (flagged.length > 0) {
      // One bad neighbour sharing a single identifier (a flatmate?) is moderate; sharing several
      // kinds is strong; every further bad neighbour adds.
      const best = Math.max(...flagged.map((n) => (kindsOf(n) >= params.minKinds ? 0.8 : 0.5)));
      return { status: 'hit', strength: Math.min(1, best + 0.1 * (flagged.length - 1)), messageId: 'flagged', evidence };
    }
    if (strong.length >= params.minAccounts) {
      return { status: 'hit', strength: Math.min(0.8, 0.5 + 0.1 * (strong.length - params.minAccounts)), messageId: 'cluster', evidence };
    }
    return { status: 'no_hit', messageId: 'none', evidence };
  },
});

import { RING_LIST_LIMIT, type IdentifierKind, type OrderRecord, type RingNeighbour, type RingNeighbourhood } from '../../sdk/index.ts';
import type { IdentifierSharing } from './identityAt.ts';
import type { Ledger } from './ShopHistory.ts';

/** Defined with the identity facts that read it (identityAt imports nothing of ringAt: no cycle). */
export type { IdentifierSharing };

/** Who used each identifier and when, and each user's records: what ShopHistory and HistoryStream both keep. */
export interface RingSource {
  readonly identifiers: ReadonlyMap<string, readonly { key: string; at: number }[]>;
  ledgerByKey(key: string): Pick<Ledger, 'orders' | 'returns' | 'chargebacks' | 'outcomes'>;
}

/**
 * The ring neighbourhood of a customer at time `at` (ms): the others who used one of `orders`'
 * identifiers (the subject's order and the customer's earlier ones) strictly before `at`, and
 * what was known about each of them then (orders, orders with a return, chargebacks, fraud
 * labels). Identifiers used by more than `RING_LIST_LIMIT` others are hubs: counted up to
 * `RING_LIST_LIMIT + 1` ("more than the limit"), never listed, so the result is the same whether
 * the history holds every user of a hub (a whole shop) or only its earliest ones (live scoring).
 * Events after `at` never change the result. `sharing`, when given, receives each identifier's
 * count (`kind:hash` → sharing), so the identity facts reuse it instead of counting again.
 */
export function ringAt(history: RingSource, selfKey: string, orders: readonly OrderRecord[], at: number, sharing?: Map<string, IdentifierSharing>): RingNeighbourhood {
  const seen = new Set<string>();
  const identifiers: RingNeighbourhood['identifiers'] = [];
  const linked = new Map<string, RingNeighbour['via']>();
  for (const order of orders) {
    for (const [kind, hash] of Object.entries(order.identity ?? {}) as [IdentifierKind, string | undefined][]) {
      if (!hash || seen.has(`${kind}:${hash}`)) continue;
      seen.add(`${kind}:${hash}`);
      // Counting stops at the first user past the limit: a hub's count is capped there and its users
      // are never listed, so the rest of its (possibly thousands of) uses cannot change the result.
      const others = new Set<string>();
      for (const use of history.identifiers.get(`${kind}:${hash}`) ?? []) {
        if (use.at < at && use.key !== selfKey) others.add(use.key);
        if (others.size > RING_LIST_LIMIT) break;
      }
      identifiers.push({ kind, sharedWith: Math.min(others.size, RING_LIST_LIMIT + 1) });
      if (sharing) sharing.set(`${kind}:${hash}`, sharingOf(others));
      if (others.size === 0 || others.size > RING_LIST_LIMIT) continue;
      for (const other of others) {
        const via = linked.get(other);
        if (via) via.push({ kind, sharedWith: others.size });
        else linked.set(other, [{ kind, sharedWith: others.size }]);
      }
    }
  }
  const before = (time: string) => Date.parse(time) < at;
  const neighbours = [...linked].map(([key, via]): RingNeighbour => {
    const ledger = history.ledgerByKey(key);
    return {
      id: key.slice(key.indexOf(':') + 1),
      via,
      orders: ledger.orders.filter((o) => before(o.createdAt)).length,
      returnedOrders: new Set(ledger.returns.filter((r) => before(r.createdAt)).map((r) => r.orderId)).size,
      chargebacks: ledger.chargebacks.filter((c) => before(c.initiatedAt)).length,
      fraudLabels: ledger.outcomes.filter((o) => o.label === 'fraud' && before(o.at)).length,
    };
  });
  neighbours.sort((a, b) => b.via.length - a.via.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  identifiers.sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.sharedWith - b.sharedWith));
  return { identifiers, linked: neighbours };
}

/** The sharing of an identifier from its other users (keys `customer:` / `guest:`); a hub's split is unknown. */
function sharingOf(others: ReadonlySet<string>): IdentifierSharing {
  if (others.size > RING_LIST_LIMIT) return { sharedWith: RING_LIST_LIMIT + 1, accounts: null, guests: null };
  let accounts = 0;
  for (const key of others) if (key.startsWith('customer:')) accounts++;
  return { sharedWith: others.size, accounts, guests: others.size - accounts };
}

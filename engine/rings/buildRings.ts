import { UndirectedGraph } from 'graphology';
import { connectedComponents } from 'graphology-components';
import type { IdentifierKind } from '../../sdk/index.ts';
import { ShopHistory, type HistoryEvent } from '../history/ShopHistory.ts';

export interface RingOptions {
  /**
   * An identifier used by more customers than `maxSharedWith + 1` is a hub (a warehouse, a shared
   * office network, a payment token a marketplace reuses) and links no one: as the signal's
   * `maxSharedWith` (default 10).
   */
  maxSharedWith?: number;
  /** Smallest component reported as a ring (default 2). */
  minMembers?: number;
}

export interface RingMember {
  /** `customer:<id>` or `guest:<order id>`. */
  key: string;
  customerId: string | null;
  orders: number;
  returnedOrders: number;
  chargebacks: number;
  fraudLabels: number;
  firstOrderAt: string;
  lastOrderAt: string;
}

export interface RingLink {
  source: string;
  target: string;
  /** Identifier kinds the two share (sorted), and how many identifiers in all. */
  kinds: IdentifierKind[];
  identifiers: number;
}

/** The ring score's parts, each stored so the score can be explained. Points add up to `score`. */
export interface RingComponents {
  members: number;
  links: number;
  /** Links sharing at least two kinds of identifier. */
  strongLinks: number;
  linksByKind: Partial<Record<IdentifierKind, number>>;
  orders: number;
  returnedOrders: number;
  /** Orders with a return / orders, for the ring and for the whole shop. */
  returnRate: number;
  shopReturnRate: number;
  chargebacks: number;
  chargebackMembers: number;
  fraudLabels: number;
  fraudMembers: number;
  points: { size: number; links: number; returns: number; chargebacks: number; fraud: number };
}

export interface Ring {
  /** Stable across rebuilds while the ring keeps its first member: that member's key. */
  key: string;
  score: number;
  components: RingComponents;
  members: RingMember[];
  links: RingLink[];
  /** Every (non-hub) identifier the members used, with how many members used it: new orders are matched on these. */
  identifiers: { kind: IdentifierKind; hash: string; members: number }[];
  firstOrderAt: string;
  lastOrderAt: string;
}

export interface RingBuild {
  rings: Ring[];
  stats: { customers: number; identifiers: number; hubIdentifiers: number; linkedCustomers: number; rings: number; shopReturnRate: number; maxSharedWith: number };
}

/** Score parts' maxima: a ring's size, how tightly its members are linked, and their outcomes. */
export const RING_POINTS = Object.freeze({ size: 25, links: 15, returns: 15, chargebacks: 25, fraud: 20 });

/**
 * Fraud rings of a shop from its whole history: customers (and guest orders) are nodes, an edge
 * joins two that used the same keyed identifier (address, device, payment, email, phone, IP) on
 * their orders, except through hubs (identifiers used by more than `maxSharedWith + 1`); rings
 * are the connected components (graphology-components). Each ring is scored 0-100 from its size,
 * how many of its links share several kinds of identifier, its return rate against the shop's,
 * and its members' chargebacks and confirmed fraud.
 */
export function buildRings(events: Iterable<HistoryEvent>, options: RingOptions = {}): RingBuild {
  const maxSharedWith = options.maxSharedWith ?? 10;
  const minMembers = options.minMembers ?? 2;
  const history = ShopHistory.from(events);
  const graph = new UndirectedGraph<Record<string, never>, { kinds: Set<IdentifierKind>; identifiers: number }>();
  let hubIdentifiers = 0;
  const usersOf = new Map<string, Set<string>>();
  for (const [identifier, uses] of history.identifiers) {
    const users = new Set(uses.map((u) => u.key));
    usersOf.set(identifier, users);
    if (users.size < 2) continue;
    if (users.size - 1 > maxSharedWith) {
      hubIdentifiers++;
      continue;
    }
    const kind = identifier.slice(0, identifier.indexOf(':')) as IdentifierKind;
    const list = [...users].sort();
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        graph.mergeNode(list[i]!);
        graph.mergeNode(list[j]!);
        graph.updateEdge(list[i]!, list[j]!, (attr) => ({ kinds: new Set([...(attr.kinds ?? []), kind]), identifiers: (attr.identifiers ?? 0) + 1 }));
      }
    }
  }
  const allOrders = history.all.orders.length;
  const allReturned = new Set(history.all.returns.map((r) => r.orderId)).size;
  const shopReturnRate = allOrders > 0 ? allReturned / allOrders : 0;
  const memberOf = (key: string): RingMember => {
    const ledger = history.ledgerByKey(key);
    const times = ledger.orders.map((o) => o.createdAt).sort();
    return {
      key,
      customerId: key.startsWith('customer:') ? key.slice('customer:'.length) : null,
      orders: ledger.orders.length,
      returnedOrders: new Set(ledger.returns.map((r) => r.orderId)).size,
      chargebacks: ledger.chargebacks.length,
      fraudLabels: ledger.outcomes.filter((o) => o.label === 'fraud').length,
      firstOrderAt: times[0] ?? '',
      lastOrderAt: times.at(-1) ?? '',
    };
  };
  const rings: Ring[] = [];
  let linkedCustomers = 0;
  for (const component of connectedComponents(graph)) {
    linkedCustomers += component.length;
    if (component.length < minMembers) continue;
    const members = component.map(memberOf).sort((a, b) => (a.firstOrderAt < b.firstOrderAt ? -1 : a.firstOrderAt > b.firstOrderAt ? 1 : a.key < b.key ? -1 : 1));
    const inRing = new Set(component);
    const links: RingLink[] = [];
    graph.forEachEdge((_edge, attr, source, target) => {
      if (inRing.has(source)) links.push({ source, target, kinds: [...attr.kinds].sort(), identifiers: attr.identifiers });
    });
    links.sort((a, b) => (a.source + a.target < b.source + b.target ? -1 : 1));
    const identifiers: Ring['identifiers'] = [];
    for (const [identifier, users] of usersOf) {
      if (users.size - 1 > maxSharedWith) continue;
      const count = [...users].filter((u) => inRing.has(u)).length;
      if (count === 0) continue;
      const at = identifier.indexOf(':');
      identifiers.push({ kind: identifier.slice(0, at) as IdentifierKind, hash: identifier.slice(at + 1), members: count });
    }
    const components = scoreRing(members, links, shopReturnRate);
    const score = Math.round(Object.values(components.points).reduce((a, b) => a + b, 0) * 10) / 10;
    rings.push({
      key: members[0]!.key,
      score,
      components,
      members,
      links,
      identifiers,
      firstOrderAt: members[0]!.firstOrderAt,
      lastOrderAt: members.map((m) => m.lastOrderAt).sort().at(-1)!,
    });
  }
  rings.sort((a, b) => b.score - a.score || b.members.length - a.members.length || (a.key < b.key ? -1 : 1));
  return {
    rings,
    stats: { customers: new Set([...usersOf.values()].flatMap((u) => [...u])).size, identifiers: usersOf.size, hubIdentifiers, linkedCustomers, rings: rings.length, shopReturnRate: round(shopReturnRate), maxSharedWith },
  };
}

function scoreRing(members: RingMember[], links: RingLink[], shopReturnRate: number): RingComponents {
  const n = members.length;
  const sum = (f: (m: RingMember) => number) => members.reduce((s, m) => s + f(m), 0);
  const orders = sum((m) => m.orders);
  const returnedOrders = sum((m) => m.returnedOrders);
  const returnRate = orders > 0 ? returnedOrders / orders : 0;
  const chargebackMembers = members.filter((m) => m.chargebacks > 0).length;
  const fraudMembers = members.filter((m) => m.fraudLabels > 0).length;
  const strongLinks = links.filter((l) => l.kinds.length >= 2).length;
  const linksByKind: RingComponents['linksByKind'] = {};
  for (const link of links) for (const kind of link.kinds) linksByKind[kind] = (linksByKind[kind] ?? 0) + 1;
  // Returns only count with a few orders to judge by and a shop rate to compare with.
  const ratio = orders >= 3 && shopReturnRate > 0 ? returnRate / shopReturnRate : 1;
  const points = {
    size: RING_POINTS.size * Math.min(1, (n - 1) / 4),
    links: RING_POINTS.links * (links.length > 0 ? strongLinks / links.length : 0),
    returns: RING_POINTS.returns * clamp((ratio - 1) / 2),
    chargebacks: RING_POINTS.chargebacks * clamp((2 * chargebackMembers) / n),
    fraud: RING_POINTS.fraud * clamp((2 * fraudMembers) / n),
  };
  return {
    members: n,
    links: links.length,
    strongLinks,
    linksByKind,
    orders,
    returnedOrders,
    returnRate: round(returnRate),
    shopReturnRate: round(shopReturnRate),
    chargebacks: sum((m) => m.chargebacks),
    chargebackMembers,
    fraudLabels: sum((m) => m.fraudLabels),
    fraudMembers,
    points: { size: round(points.size, 1), links: round(points.links, 1), returns: round(points.returns, 1), chargebacks: round(points.chargebacks, 1), fraud: round(points.fraud, 1) },
  };
}

const clamp = (x: number) => Math.max(0, Math.min(1, x));
const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

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

/**
 * What a rebuild found against the rings stored before it (the previous build plus what the live
 * path, `linkRings`, added since): the consistency check of the live path. Counts, and up to
 * `COMPARISON_SAMPLE` keys of each kind to look at. Set by the store when it replaces the rings.
 */
export interface RingComparison {
  /** Rings none of whose members was in a stored ring. */
  ringsNew: number;
  /** Rings some of whose members were stored in a ring of other members (grown, merged, split or shrunk). */
  ringsChanged: number;
  /** Stored rings none of whose members is in a ring now. */
  ringsGone: number;
  /** Members in no stored ring before; members of a stored ring in no ring now. */
  membersNew: number;
  membersGone: number;
  /** Rings with the same members whose score moved by more than 0.1 (later returns, chargebacks, labels, the shop's return rate). */
  rescored: number;
  sample: { ringsNew: string[]; ringsChanged: string[]; ringsGone: string[]; membersNew: string[]; membersGone: string[] };
}

export interface RingBuild {
  rings: Ring[];
  stats: {
    customers: number;
    identifiers: number;
    hubIdentifiers: number;
    linkedCustomers: number;
    rings: number;
    shopReturnRate: number;
    maxSharedWith: number;
    /** Against the rings stored before the build (set when it is stored: `RingStore.replace`). */
    vsStored?: RingComparison;
  };
}

/** Score parts' maxima: a ring's size, how tightly its members are linked, and their outcomes. */
export const RING_POINTS = Object.freeze({ size: 25, links: 15, returns: 15, chargebacks: 25, fraud: 20 });

export const DEFAULT_MAX_SHARED_WITH = 10;
export const DEFAULT_MIN_MEMBERS = 2;

/** Users of an identifier (`kind:hash`) beyond which it is a hub that links no one. */
export function isHub(users: number, maxSharedWith = DEFAULT_MAX_SHARED_WITH): boolean {
  return users - 1 > maxSharedWith;
}

/** Whether a connected component of the identity graph is a ring. */
export function isRing(component: readonly string[], minMembers = DEFAULT_MIN_MEMBERS): boolean {
  return component.length >= minMembers;
}

/** The identity graph: users joined by the non-hub identifiers they share, and who used what. */
export interface RingGraph {
  graph: UndirectedGraph<Record<string, never>, { kinds: Set<IdentifierKind>; identifiers: number }>;
  /** Each identifier's users (a hub's as given: enough of them to tell it is one). */
  usersOf: Map<string, Set<string>>;
  /** Each user's identifiers. */
  identifiersOf: Map<string, string[]>;
  hubIdentifiers: number;
  maxSharedWith: number;
}

/**
 * The identity graph from who used each identifier (`kind:hash` → user keys): an edge joins two
 * users of the same identifier, except through hubs (`isHub`), carrying the kinds they share and
 * how many identifiers. For a whole shop (`buildRings`) or a neighbourhood (`linkRings`: a hub's
 * users need not all be given, only more than `maxSharedWith + 1`).
 */
export function ringGraph(identifiers: Iterable<readonly [string, Iterable<string>]>, maxSharedWith = DEFAULT_MAX_SHARED_WITH): RingGraph {
  const graph: RingGraph['graph'] = new UndirectedGraph();
  const usersOf = new Map<string, Set<string>>();
  const identifiersOf = new Map<string, string[]>();
  let hubIdentifiers = 0;
  for (const [identifier, given] of identifiers) {
    const users = usersOf.get(identifier) ?? new Set<string>();
    for (const user of given) users.add(user);
    usersOf.set(identifier, users);
  }
  for (const [identifier, users] of usersOf) {
    for (const user of users) {
      const list = identifiersOf.get(user);
      if (list) list.push(identifier);
      else identifiersOf.set(user, [identifier]);
    }
    if (users.size < 2) continue;
    if (isHub(users.size, maxSharedWith)) {
      hubIdentifiers++;
      continue;
    }
    const kind = kindOf(identifier);
    const list = [...users].sort();
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        graph.mergeNode(list[i]!);
        graph.mergeNode(list[j]!);
        graph.updateEdge(list[i]!, list[j]!, (attr) => ({ kinds: new Set([...(attr.kinds ?? []), kind]), identifiers: (attr.identifiers ?? 0) + 1 }));
      }
    }
  }
  return { graph, usersOf, identifiersOf, hubIdentifiers, maxSharedWith };
}

/** A member's figures from its ledger in a history (`customer:<id>` or `guest:<order id>`). */
export function ringMemberOf(history: ShopHistory, key: string): RingMember {
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
}

/** The shop's return rate as a ring compares with it: orders with a return / orders, in a whole-shop history. */
export function shopReturnRateOf(history: ShopHistory): number {
  const orders = history.all.orders.length;
  return orders > 0 ? new Set(history.all.returns.map((r) => r.orderId)).size / orders : 0;
}

/**
 * The rings of a graph: its connected components that are rings (`isRing`), each made a `Ring`
 * by `ringOf`, highest score first. `linkedCustomers`: users with at least one link.
 */
export function ringsOf(
  built: RingGraph,
  memberOf: (key: string) => RingMember,
  shopReturnRate: number,
  minMembers = DEFAULT_MIN_MEMBERS,
): { rings: Ring[]; linkedCustomers: number } {
  const rings: Ring[] = [];
  let linkedCustomers = 0;
  for (const component of connectedComponents(built.graph)) {
    linkedCustomers += component.length;
    if (isRing(component, minMembers)) rings.push(ringOf(component, built, memberOf, shopReturnRate));
  }
  rings.sort((a, b) => b.score - a.score || b.members.length - a.members.length || (a.key < b.key ? -1 : 1));
  return { rings, linkedCustomers };
}

/**
 * One component as a ring: its members (earliest first order first; the first one's key is the
 * ring's), its links, every non-hub identifier its members used, and its score (`scoreRing`).
 */
export function ringOf(component: readonly string[], built: RingGraph, memberOf: (key: string) => RingMember, shopReturnRate: number): Ring {
  const members = component.map(memberOf).sort((a, b) => (a.firstOrderAt < b.firstOrderAt ? -1 : a.firstOrderAt > b.firstOrderAt ? 1 : a.key < b.key ? -1 : 1));
  const inRing = new Set(component);
  const links: RingLink[] = [];
  for (const key of component) {
    built.graph.forEachEdge(key, (_edge, attr, source, target) => {
      // Each edge once: from its source (the smaller key, as the graph was built).
      if (source === key) links.push({ source, target, kinds: [...attr.kinds].sort(), identifiers: attr.identifiers });
    });
  }
  links.sort((a, b) => (a.source + a.target < b.source + b.target ? -1 : 1));
  const used = new Set<string>();
  for (const key of component) for (const identifier of built.identifiersOf.get(key) ?? []) used.add(identifier);
  const identifiers: Ring['identifiers'] = [];
  for (const identifier of [...used].sort()) {
    const users = built.usersOf.get(identifier)!;
    if (isHub(users.size, built.maxSharedWith)) continue;
    const count = [...users].filter((u) => inRing.has(u)).length;
    const at = identifier.indexOf(':');
    identifiers.push({ kind: identifier.slice(0, at) as IdentifierKind, hash: identifier.slice(at + 1), members: count });
  }
  const components = scoreRing(members, links, shopReturnRate);
  const score = Math.round(Object.values(components.points).reduce((a, b) => a + b, 0) * 10) / 10;
  return {
    key: members[0]!.key,
    score,
    components,
    members,
    links,
    identifiers,
    firstOrderAt: members[0]!.firstOrderAt,
    lastOrderAt: members.map((m) => m.lastOrderAt).sort().at(-1)!,
  };
}

/**
 * Fraud rings of a shop from its whole history: customers (and guest orders) are nodes, an edge
 * joins two that used the same keyed identifier (address, device, payment, email, phone, IP) on
 * their orders, except through hubs (identifiers used by more than `maxSharedWith + 1`); rings
 * are the connected components (graphology-components). Each ring is scored 0-100 from its size,
 * how many of its links share several kinds of identifier, its return rate against the shop's,
 * and its members' chargebacks and confirmed fraud. The live path (`linkRings`) decides and
 * scores with the same functions (`ringGraph`, `ringsOf`, `ringOf`, `scoreRing`).
 */
export function buildRings(events: Iterable<HistoryEvent>, options: RingOptions = {}): RingBuild {
  const maxSharedWith = options.maxSharedWith ?? DEFAULT_MAX_SHARED_WITH;
  const history = ShopHistory.from(events);
  const built = ringGraph([...history.identifiers].map(([identifier, uses]) => [identifier, uses.map((u) => u.key)] as const), maxSharedWith);
  const shopReturnRate = shopReturnRateOf(history);
  const { rings, linkedCustomers } = ringsOf(built, (key) => ringMemberOf(history, key), shopReturnRate, options.minMembers);
  return {
    rings,
    stats: { customers: built.identifiersOf.size, identifiers: built.usersOf.size, hubIdentifiers: built.hubIdentifiers, linkedCustomers, rings: rings.length, shopReturnRate: round(shopReturnRate), maxSharedWith },
  };
}

/** What the live path knows of a neighbourhood of the identity graph (`RingStore` reads it). */
export interface RingNeighbourhood {
  /** The records of the neighbourhood's users: their orders, the returns and chargebacks of those orders, and outcomes of those subjects. */
  events: Iterable<HistoryEvent>;
  /** Who used each identifier of those users (`kind:hash` → user keys); a hub's, enough users to tell it is one. */
  identifiers: Iterable<readonly [string, Iterable<string>]>;
  /** The shop's return rate the rings are scored against (the latest build's). */
  shopReturnRate: number;
}

/**
 * The rings of a neighbourhood of the identity graph, closed under links (every user of a non-hub
 * identifier of its users is one of its users): what the live path stores when new orders link
 * customers. Decided and scored by the same functions as `buildRings`, so on the same users and
 * identifiers it gives the same rings (tested).
 */
export function linkRings(neighbourhood: RingNeighbourhood, options: RingOptions = {}): Ring[] {
  const history = ShopHistory.from(neighbourhood.events);
  const built = ringGraph(neighbourhood.identifiers, options.maxSharedWith ?? DEFAULT_MAX_SHARED_WITH);
  return ringsOf(built, (key) => ringMemberOf(history, key), neighbourhood.shopReturnRate, options.minMembers).rings;
}

/** A ring's score parts from its members, links and the shop's return rate. */
export function scoreRing(members: RingMember[], links: RingLink[], shopReturnRate: number): RingComponents {
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

const kindOf = (identifier: string) => identifier.slice(0, identifier.indexOf(':')) as IdentifierKind;
const clamp = (x: number) => Math.max(0, Math.min(1, x));
const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

import type { RingBuild, RingComponents } from '../engine/rings/buildRings.ts';
import type { IdentifierKind, Instant, Zone } from './common.ts';

export type { RingComponents };

/** A fraud ring: customers (and guest orders) linked by shared identifier hashes, its score and the score's parts. */
export interface RingSummary {
  id: string;
  /** The first member's key: `customer:<customer GID>` or `guest:<order GID>`. */
  key: string;
  /** A guest first member's order name ("#1001"); null for a customer or an order not stored. */
  keyOrderName: string | null;
  score: number;
  members: number;
  components: RingComponents;
  firstOrderAt: Instant | null;
  lastOrderAt: Instant | null;
  builtAt: Instant;
}

/** The rings job: never run, queued, running, done (with what it found) or failed. */
export interface RingBuildStatus {
  status: 'never' | 'queued' | 'running' | 'done' | 'failed';
  requestedAt?: Instant;
  startedAt?: Instant | null;
  finishedAt?: Instant | null;
  stats?: RingBuild['stats'] | null;
  error?: string | null;
}

/** `GET /api/rings?limit=&minScore=`. */
export interface RingList {
  rings: RingSummary[];
  total: number;
  build: RingBuildStatus;
  scoring: { maxPoints: RingComponents['points'] };
}

/** `POST /api/rings/rebuild` (202). */
export interface RingRebuild {
  build: RingBuildStatus;
}

/** A new order that matched a ring's identifiers. */
export interface RingAlert {
  id: string;
  ringId: string | null;
  ringKey: string;
  orderId: string;
  /** The order's name ("#1001"), null when it is not stored. */
  orderName: string | null;
  customerId: string | null;
  member: boolean;
  matched: IdentifierKind[];
  ringScore: number;
  ringMembers: number;
  orderAt: Instant;
  createdAt: Instant;
}

/** `GET /api/rings/alerts?limit=`. */
export interface RingAlerts {
  alerts: RingAlert[];
}

export interface RingMember {
  key: string;
  customerId: string | null;
  guestOrderId: string | null;
  /** A guest member's order name ("#1001"), null for a customer or an order not stored. */
  guestOrderName: string | null;
  orders: number;
  returnedOrders: number;
  chargebacks: number;
  fraudLabels: number;
  firstOrderAt: Instant | null;
  lastOrderAt: Instant | null;
  zone: Zone | null;
  lastScore: number | null;
}

/** `GET /api/rings/{id}`: the ring with its members, links (one per pair, with the kinds they share) and alerts. */
export interface RingDetail extends RingSummary {
  memberList: RingMember[];
  links: { source: string; target: string; kinds: IdentifierKind[]; identifiers: number }[];
  linksByKind: Partial<Record<IdentifierKind, number>>;
  alerts: RingAlert[];
}

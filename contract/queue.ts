import type { Instant, Kind, Zone } from './common.ts';
import type { Recommendation } from './decisions.ts';

/**
 * Why a subject is in the review queue: a MEDIUM or HIGH decision nobody has labelled yet
 * (`unlabelled`), an order whose fulfilment RefundSentry holds (`held`: the hold placed and not
 * released), an order that matched a fraud ring lately and is not labelled yet (`ring`).
 */
export type QueueReason = 'unlabelled' | 'held' | 'ring';

/** One subject that needs a decision now (`GET /api/queue`), one row per subject. */
export interface QueueItem {
  /** The decision to open (`/api/decisions/{id}`); also the tie-breaker of the sort. */
  decisionId: string;
  kind: Kind;
  subjectId: string;
  orderId: string | null;
  /** The order's name as the shop shows it (`#1001`), null when the order is not stored. */
  orderName: string | null;
  customerId: string | null;
  /**
   * The money at risk, in `currency`: the order's total for an order, the returned items' value
   * for a return, the amount paid back for a refund (0 when the record is not stored).
   */
  value: number;
  /** The shop's currency (ISO 4217, from the order), null when the order is not stored. */
  currency: string | null;
  zone: Zone;
  /** The score, rounded to a whole number (the exact one is in the decision's trace). */
  score: number;
  /** The top fired signal's message (most points), null when no signal fired. */
  headline: string | null;
  /**
   * The recommended next step (`step`, short) and its sentence (`text`): the decision page's and the
   * order card's, from the kind, zone, the hold and the calibrated risk; a LOW order that is here for
   * a ring alert is told to check the ring.
   */
  recommendation: Recommendation;
  /** Why it is in the queue (one or more). */
  reasons: QueueReason[];
  /** How many times the decision was revised (0: never). */
  revision: number;
  decidedAt: Instant;
}

/**
 * Rows per filter value. Each family follows the other filters and the search but not its own:
 * `zone.high` counts the rows that `zone=high` would show with the current kind, reason and `q`.
 * A row with two reasons counts under both.
 */
export interface QueueCounts {
  zone: Record<Zone, number>;
  kind: Record<Kind, number>;
  reason: Record<QueueReason, number>;
}

/**
 * `GET /api/queue?zone=&kind=&reason=&q=&ringDays=&limit=&after=`: what needs a decision now,
 * the most money at risk first (then the newest decision id). `q` finds an order by its name (exact
 * or prefix, with or without `#`), a customer or an order by GID, or a buyer by email (hashed
 * with the shop's key, never stored). `next` is the `after` of the page that follows (null on the
 * last): a keyset on (value, decision id), so rows that arrive between two pages never make the
 * next page skip or repeat one.
 */
export interface QueuePage {
  items: QueueItem[];
  next: string | null;
  /** Rows under every filter and the search. */
  total: number;
  counts: QueueCounts;
  /** How many days a ring alert keeps its order in the queue (the `ringDays` used). */
  ringDays: number;
}

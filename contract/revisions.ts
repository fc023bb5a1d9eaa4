import type { Instant, Kind, Zone } from './common.ts';
import type { RevisionTrigger } from './decisions.ts';

/** `GET /api/revisions?limit=&before=`: the shop's decisions revised lately, newest revision first. */
export interface RevisionList {
  revisions: RevisedDecision[];
  /** The `before` of the next page (a decision id), or null on the last. */
  next: string | null;
}

/** A decision as its latest revision left it, with the zone and score it had before. */
export interface RevisedDecision {
  decisionId: string;
  kind: Kind;
  subjectId: string;
  customerId: string | null;
  revision: number;
  score: number;
  zone: Zone;
  previous: { score: number; zone: Zone };
  trigger: RevisionTrigger | null;
  revisedAt: Instant;
}

/** `GET` and `PUT /api/revisions/settings`: how long a refund's decision can still be revised (0..90 days; orders and returns follow their own state). */
export interface RevisionSettings {
  refundDays: number;
}

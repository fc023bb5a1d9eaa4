import type { IdentifierKind, Instant } from './common.ts';

export type ListName = 'blocked' | 'allowed';

/** An entry of the block or allow list (`GET /api/lists`): the keyed hash only, never the raw identifier. */
export interface ListEntry {
  list: ListName;
  kind: IdentifierKind;
  /** The keyed hash: the raw identifier is never stored. */
  hash: string;
  note: string | null;
  nonOverridable: boolean;
  createdBy: string | null;
  createdAt: Instant;
}

/** `GET /api/lists?list=`. */
export interface ListEntries {
  entries: ListEntry[];
}

/** `POST /api/lists` (201). */
export interface ListEntryAdded {
  entry: ListEntry;
}

/** A signal snoozed for a customer: it scores 0 for them until it expires. */
export interface Snooze {
  id: string;
  customerId: string;
  signalId: string;
  startsAt: Instant;
  expiresAt: Instant;
  createdBy: string;
  reason: string | null;
  active: boolean;
}

/** `GET /api/snoozes?customerId=&active=`. */
export interface SnoozeList {
  snoozes: Snooze[];
}

/** `POST /api/snoozes` (`{customerId, signalId, days | until, reason?}`, 201). */
export interface SnoozeRequest {
  customerId: string;
  signalId: string;
  days?: number;
  until?: Instant;
  reason?: string;
}
export interface SnoozeAdded {
  snooze: Snooze;
}

/** The outcomes of held-out HIGH decisions against those acted on. */
export interface HoldoutGroup {
  group: 'holdout' | 'acted';
  decisions: number;
  withChargeback: number;
  withRefund: number;
  refundedValue: number;
  labelledFraud: number;
  chargebackRate: number | null;
  refundRate: number | null;
  fraudLabelRate: number | null;
}

export interface HoldoutReport {
  from: Instant | null;
  to: Instant | null;
  groups: HoldoutGroup[];
  /** HIGH decisions neither held out nor acted on (backfilled history, or no store connected): left out of both groups. */
  notActedOn: number;
}

/** `GET /api/holdout?from=&to=`: the share of HIGH decisions whose actions are skipped, and the report. */
export interface HoldoutData {
  percent: number;
  report: HoldoutReport;
}

/** `DELETE /api/lists/{list}/{kind}/{hash}`, `DELETE /api/snoozes/{id}`. */
export interface Removed {
  removed: true;
}

/** `PUT /api/holdout` (`{percent}`, 0-20): the share now in force. */
export interface HoldoutSet {
  percent: number;
}

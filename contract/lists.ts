import type { IdentifierKind, Instant } from './common.ts';

export type ListName = 'blocked' | 'allowed';

/** `POST /api/lists` (201: `ListEntryAdded`): an entry as the merchant gives it, exactly one of a raw value, a postal address or a keyed hash. */
export interface ListEntryInput {
  list: ListName;
  kind: IdentifierKind;
  /** A raw email, phone or IP address: hashed with the shop's key at once, never stored. */
  value?: string;
  /** A raw postal address: hashed at once like the addresses of orders, never stored. */
  address?: { address1: string; address2?: string; city?: string; zip?: string; provinceCode?: string; countryCode: string };
  /** A keyed hash already known (e.g. from a decision's evidence or a customer's identity). */
  hash?: string;
  note?: string;
  nonOverridable?: boolean;
}

/** `POST /api/lists/from-decision` (201: `ListEntries`): the identifiers of a decided order to list (`kinds`: only those; default all it has). */
export interface FromDecisionInput {
  decisionId: string;
  list: ListName;
  kinds?: IdentifierKind[];
  note?: string;
  nonOverridable?: boolean;
}

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

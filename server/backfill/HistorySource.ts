import type { HistoryEvent } from '../../engine/history/index.ts';

/** The stages that fetch records, in the order they run (each needs the ones before it). */
export const FETCH_STAGES = ['orders', 'fulfillments', 'returns', 'refunds', 'chargebacks'] as const;
export type FetchStage = (typeof FETCH_STAGES)[number];

/** Every stage of a backfill, in order: the five fetches, then aging inference, the baseline, and scoring the history. */
export const BACKFILL_STAGES = [...FETCH_STAGES, 'aging', 'baseline', 'scoring'] as const;
export type BackfillStage = (typeof BACKFILL_STAGES)[number];

export interface HistoryWindow {
  from: string;
  to: string;
}

export interface HistoryPage {
  /** The stage's records in this page (orders come with their customers' snapshots). */
  events: HistoryEvent[];
  /** Where the next page starts, or null when the stage has no more. */
  next: string | null;
  /** How many records the stage has in all (buyers' snapshots not counted), when the source knows. */
  total?: number;
  /** The source is waiting on Shopify (a bulk operation still running): ask again after this long. */
  waitMs?: number;
}

/**
 * Where a backfill reads a shop's past from. Pages are addressed by an opaque cursor that the
 * backfill stores in its checkpoint after each committed page, so a source must return the same
 * page for the same cursor (a resumed backfill asks again for the page it had not committed).
 */
export interface HistorySource {
  readonly description: string;
  readPage(stage: FetchStage, cursor: string | null, window: HistoryWindow, pageSize: number): Promise<HistoryPage>;
}

/** A source that cannot be read right now because the shop's token is gone: the backfill pauses until re-auth. */
export class SourceAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceAuthError';
  }
}

/** A source failure that retrying will not fix (a bad file, a refused query): the stage fails at once with this message. */
export class PermanentSourceError extends Error {
  /** Where a retry of the failed stage should start (e.g. a new bulk operation), when not at the saved checkpoint. */
  readonly retryCursor?: string | null;
  constructor(message: string, retryCursor?: string | null) {
    super(message);
    this.name = 'PermanentSourceError';
    if (retryCursor !== undefined) this.retryCursor = retryCursor;
  }
}

/** Which record types each fetch stage brings in. */
export const STAGE_TYPES: Record<FetchStage, readonly HistoryEvent['type'][]> = {
  // An order's payment transactions and Shopify's assessment come with it (issue 20).
  orders: ['customer', 'order', 'transaction', 'risk'],
  fulfillments: ['fulfillment'],
  returns: ['return'],
  refunds: ['refund'],
  chargebacks: ['chargeback'],
};

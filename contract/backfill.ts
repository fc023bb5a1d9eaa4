import type { Instant } from './common.ts';

/** One stage of the backfill (orders, fulfilments, returns, …) as it stands. */
export interface StageProgress {
  stage: string;
  status: 'pending' | 'running' | 'done' | 'failed' | 'paused';
  pages: number;
  processed: number;
  total: number | null;
  error: string | null;
  attempts: number;
  startedAt: Instant | null;
  finishedAt: Instant | null;
  /** Seconds left for a running stage whose total is known, from its rate so far. */
  etaSeconds: number | null;
}

/** `GET /api/backfill` (polled), `POST /api/backfill/retry`. */
export interface BackfillProgress {
  status: 'not-started' | 'running' | 'done' | 'failed' | 'paused';
  /** Where the history comes from (Shopify bulk operations, or a file in demo mode). */
  source: { kind: 'bulk' } | { kind: 'bulk-files'; dir: string } | { kind: 'file'; path: string } | null;
  window: { from: Instant; to: Instant } | null;
  /** What the current pass fetches: the whole window, or after an extension only the gap. */
  pass: { from: Instant; to: Instant } | null;
  stages: StageProgress[];
  /** Seconds left for the stage under way (null when unknown). */
  etaSeconds: number | null;
  /** What the merchant can do: retry a failed stage, reconnect a paused backfill. */
  next: 'retry' | 'reconnect' | null;
}

/** `POST /api/backfill/extend`: the window to cover, in days back from now. */
export interface ExtendRequest {
  days: number;
}

/** `POST /api/backfill/extend` (`{days}`): 202 with the new pass, or 200 when the window already covers it. */
export type BackfillExtended = { extended: true; progress: BackfillProgress } | { extended: false; reason: string; progress: BackfillProgress };

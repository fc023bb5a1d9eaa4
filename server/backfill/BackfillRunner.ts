import type { Logger } from 'pino';
import { LabelService } from '../services/LabelService.ts';
import type { ScoringService } from '../services/ScoringService.ts';
import type { BackfillRow, BackfillSource, StageRow, Stores } from '../store/index.ts';
import type { BulkSourceOptions } from './BulkOperationHistorySource.ts';
import { FileHistorySource } from './FileHistorySource.ts';
import { FETCH_STAGES, PermanentSourceError, SourceAuthError, type BackfillStage, type FetchStage, type HistorySource } from './HistorySource.ts';

export interface BackfillOptions {
  /** Records per fetched page. */
  pageSize?: number;
  /** Subjects per scoring page. */
  scorePageSize?: number;
  /** Attempts of a failing page before its stage is marked failed. */
  maxAttempts?: number;
  /** Opens the source a backfill row names (composeApp passes `historySourceOpener`; tests may pass their own). */
  openSource?: (source: BackfillSource, shopId: string) => HistorySource;
  /** Polling and batching of the bulk-operation source (tests poll fast). */
  bulk?: BulkSourceOptions;
}

/** `more`: go on; `done` / `stopped`: no more steps now; `{ waitMs }`: the source waits on Shopify, step again later. */
export type StepOutcome = 'more' | 'done' | 'stopped' | { waitMs: number };

/**
 * Runs a shop's backfill one checkpointed step at a time: a page of a fetch stage (records
 * upserted and the checkpoint advanced in one transaction), the aging inference, the baseline,
 * or a page of scoring in time order. Steps of one shop are serialized by a row lock, and each
 * re-reads its checkpoint inside the lock, so a crashed, retried or duplicated job neither skips
 * nor repeats a page: every write is an idempotent upsert and the cursor moves only with it.
 */
export class BackfillRunner {
  private readonly stores: Stores;
  private readonly scoring: ScoringService;
  private readonly labels: LabelService;
  private readonly log: Logger;
  private readonly pageSize: number;
  private readonly scorePageSize: number;
  readonly maxAttempts: number;
  private readonly openSource: (source: BackfillSource, shopId: string) => HistorySource;

  constructor(stores: Stores, scoring: ScoringService, log: Logger, options: BackfillOptions = {}) {
    this.stores = stores;
    this.scoring = scoring;
    this.labels = new LabelService(stores);
    this.log = log;
    this.pageSize = options.pageSize ?? 1000;
    this.scorePageSize = options.scorePageSize ?? 250;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.openSource = options.openSource ?? defaultSource;
  }

  /** Runs one step; a step that throws left nothing of its page behind (its transaction rolled back). */
  async step(shopId: string): Promise<StepOutcome> {
    let current: StageRow | undefined;
    try {
      return await this.stores.db.transaction(async (trx) => {
        const backfill = await this.stores.backfills.lock(trx, shopId);
        if (!backfill || backfill.status !== 'running') return 'stopped';
        current = await this.stores.backfills.nextStage(trx, shopId);
        if (!current) {
          await this.stores.backfills.finish(trx, shopId);
          this.log.info({ shopId }, 'backfill done');
          return 'done';
        }
        if (current.status !== 'pending' && current.status !== 'running') return 'stopped';
        const waitMs = await this.runStage(trx, backfill, current);
        return waitMs === undefined ? 'more' : { waitMs };
      });
    } catch (error) {
      if (!current) throw error;
      const message = (error as Error).message;
      if (error instanceof SourceAuthError) {
        await this.stores.backfills.recordError(shopId, current.stage, message, 'paused');
        this.log.warn({ shopId, stage: current.stage, err: error }, 'backfill paused: the shop must reconnect');
        return 'stopped';
      }
      const giveUp = error instanceof PermanentSourceError || current.attempts + 1 >= this.maxAttempts;
      const retryCursor = giveUp && error instanceof PermanentSourceError ? error.retryCursor : undefined;
      const attempts = await this.stores.backfills.recordError(shopId, current.stage, message, giveUp ? 'failed' : 'running', retryCursor);
      if (giveUp) {
        this.log.error({ shopId, stage: current.stage, attempts, err: error }, 'backfill stage failed');
        return 'stopped';
      }
      throw error; // transient: the job retries with backoff and resumes from the checkpoint
    }
  }

  /** Runs one step of the stage; returns how long to wait when the source is waiting on Shopify. */
  private async runStage(trx: Stores['db'], backfill: BackfillRow, stage: StageRow): Promise<number | undefined> {
    const shopId = backfill.shop_id;
    // The current pass: the whole window, or after an extension only the gap before it.
    const window = { from: backfill.pass_from ?? backfill.window_from, to: backfill.pass_to ?? backfill.window_to };
    const name = stage.stage as BackfillStage;
    if ((FETCH_STAGES as readonly string[]).includes(name)) {
      const source = this.openSource(backfill.source, shopId);
      const page = await source.readPage(name as FetchStage, stage.cursor, { from: window.from.toISOString(), to: window.to.toISOString() }, this.pageSize);
      await this.stores.events.upsertAll(shopId, page.events, trx);
      const waiting = page.waitMs !== undefined && page.next !== null;
      // Progress counts the stage's records; buyers' snapshots come along with their orders.
      const records = page.events.filter((e) => e.type !== 'customer').length;
      await this.stores.backfills.savePage(trx, shopId, name, { cursor: page.next, processed: records, total: page.total, done: page.next === null, waiting });
      return waiting ? page.waitMs : undefined;
    }
    if (name === 'aging') {
      // The pass's orders, returns and refunds whose dispute window has closed without a dispute: legit (LabelService.age).
      const labelled = await this.labels.age(shopId, { trx, windowDays: backfill.aging_days, window });
      await this.stores.backfills.savePage(trx, shopId, name, { cursor: null, processed: labelled, total: labelled, done: true });
      return;
    }
    if (name === 'baseline') {
      const baseline = await this.scoring.baselineFor(shopId, true);
      await this.stores.backfills.savePage(trx, shopId, name, { cursor: null, processed: Object.keys(baseline.measures).length, total: Object.keys(baseline.measures).length, done: true });
      return;
    }
    // Scoring: the window's orders, returns and refunds in time order, a page per step. Each page
    // sees the decisions of the pages before it, as live scoring would have at the time.
    const after = stage.cursor ? (JSON.parse(stage.cursor) as { at: string; id: string }) : null;
    const total = stage.total ?? (await this.stores.backfills.countSubjects(shopId, window));
    const subjects = await this.stores.backfills.subjectsPage(shopId, window, after, this.scorePageSize);
    // One in-memory history for the whole pass (reloaded if another process scored a page in between).
    const session = { id: `${shopId}|${window.from.toISOString()}|${window.to.toISOString()}`, step: stage.pages };
    const outcomes = await this.scoring.scoreBatch(
      subjects.map((s) => ({ shopId, kind: s.kind, subjectId: s.resource_id })),
      { historical: true, session },
    );
    const failed = outcomes.filter((o) => o instanceof Error);
    if (failed.length > 0) this.log.warn({ shopId, failed: failed.length, first: (failed[0] as Error).message }, 'backfill: subjects not scored (their order is outside the history)');
    const last = subjects.at(-1);
    await this.stores.backfills.savePage(trx, shopId, name, {
      cursor: last ? JSON.stringify({ at: last.at, id: last.id }) : stage.cursor,
      processed: subjects.length,
      total,
      done: subjects.length < this.scorePageSize,
    });
    if (subjects.length < this.scorePageSize) this.scoring.endSession(shopId);
  }
}

function defaultSource(source: BackfillSource): HistorySource {
  if (source.kind === 'file') return new FileHistorySource(source.path);
  throw new PermanentSourceError('this runner was built without Shopify access (no openSource for bulk operations)');
}

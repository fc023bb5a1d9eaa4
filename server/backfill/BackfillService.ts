import type { BackfillSource, StageRow, Stores } from '../store/index.ts';
import type { BackfillRunner } from './BackfillRunner.ts';
import type { BackfillProgress, StageProgress } from '../../contract/backfill.ts';

export type { BackfillProgress, StageProgress };

const DAY = 86_400_000;

/** Shopify shows an app only the last 60 days of orders unless it has `read_all_orders` (extended order access). */
export const DEFAULT_ORDER_DAYS = 60;
export const EXTENDED_ORDER_DAYS = 365;

export function hasExtendedOrderAccess(scopes: string | null | undefined): boolean {
  return (scopes ?? '').split(',').map((s) => s.trim()).includes('read_all_orders');
}

// What GET /api/backfill answers (a backfill's and its stages' progress) is the API contract's.

/** Starts, resumes and reports backfills; the steps run on the backfill queue (`runJob`). */
export class BackfillService {
  private readonly stores: Stores;
  private readonly runner: BackfillRunner;
  private readonly enqueue: (shopId: string, delaySeconds?: number) => Promise<void>;
  private readonly now: () => number;

  /** Called once a backfill is done (e.g. to rebuild the shop's fraud rings); a failure is the caller's to report. */
  onFinished: (shopId: string) => Promise<void> = async () => {};

  constructor(stores: Stores, runner: BackfillRunner, enqueue: (shopId: string, delaySeconds?: number) => Promise<void>, now: () => number = Date.now) {
    this.stores = stores;
    this.runner = runner;
    this.enqueue = enqueue;
    this.now = now;
  }

  /** Starts a backfill of the last `days` days from `source` (a shop that has one keeps it). Returns whether it was created. */
  async start(shopId: string, source: BackfillSource, options: { days?: number; agingDays?: number; to?: string } = {}): Promise<boolean> {
    const to = options.to ? Date.parse(options.to) : this.now();
    const window = { from: new Date(to - (options.days ?? 60) * DAY).toISOString(), to: new Date(to).toISOString() };
    const created = await this.stores.backfills.create(shopId, source, window, options.agingDays ?? 120);
    if (created) await this.enqueue(shopId);
    return created;
  }

  /** Retries failed stages or resumes a paused backfill (after re-auth), from their checkpoints. */
  async resume(shopId: string): Promise<boolean> {
    const resumed = await this.stores.backfills.resume(shopId);
    if (resumed) await this.enqueue(shopId);
    return resumed;
  }

  /**
   * Extends a finished backfill back to `days` before its end, fetching and scoring only the gap.
   * 'covered' when the window already reaches that far; 'busy' while a pass is under way.
   */
  async extend(shopId: string, days: number): Promise<'extended' | 'covered' | 'busy' | 'none'> {
    const backfill = await this.stores.backfills.get(shopId);
    if (!backfill) return 'none';
    const from = new Date(backfill.window_to.getTime() - days * DAY);
    const outcome = await this.stores.backfills.extend(shopId, from);
    if (outcome === 'extended') await this.enqueue(shopId);
    return outcome;
  }

  /** Wakes a backfill waiting on a bulk operation (Shopify's bulk_operations/finish webhook). */
  async wake(shopId: string): Promise<boolean> {
    const backfill = await this.stores.backfills.get(shopId);
    if (backfill?.status !== 'running') return false;
    await this.enqueue(shopId);
    return true;
  }

  /** After a restart: a job for every backfill still under way (a duplicate job is harmless). */
  async resumeAll(): Promise<number> {
    const shops = await this.stores.backfills.running();
    for (const shopId of shops) await this.enqueue(shopId);
    return shops.length;
  }

  /** Runs steps for up to `budgetMs`, then hands over to a new job (so one shop never holds a worker). */
  async runJob(shopId: string, budgetMs = 2_000): Promise<void> {
    const started = this.now();
    for (;;) {
      const outcome = await this.runner.step(shopId);
      if (typeof outcome === 'object') {
        // Waiting on a Shopify bulk operation: a short wait within this job's budget is slept here;
        // a longer one is a delayed job (the operation's finish webhook wakes it sooner).
        if (this.now() - started + outcome.waitMs <= budgetMs) {
          await new Promise((resolve) => setTimeout(resolve, outcome.waitMs));
          continue;
        }
        await this.enqueue(shopId, Math.ceil(outcome.waitMs / 1000));
        return;
      }
      if (outcome === 'done') await this.onFinished(shopId);
      if (outcome !== 'more') return;
      if (this.now() - started > budgetMs) {
        await this.enqueue(shopId);
        return;
      }
    }
  }

  async progress(shopId: string): Promise<BackfillProgress> {
    const backfill = await this.stores.backfills.get(shopId);
    if (!backfill) return { status: 'not-started', source: null, window: null, pass: null, stages: [], etaSeconds: null, next: null };
    const stages = (await this.stores.backfills.stages(shopId)).map((s) => this.stageProgress(s));
    const running = stages.find((s) => s.status === 'running');
    return {
      status: backfill.status,
      source: backfill.source,
      window: { from: backfill.window_from.toISOString(), to: backfill.window_to.toISOString() },
      pass: { from: (backfill.pass_from ?? backfill.window_from).toISOString(), to: (backfill.pass_to ?? backfill.window_to).toISOString() },
      stages,
      etaSeconds: running?.etaSeconds ?? null,
      next: backfill.status === 'failed' ? 'retry' : backfill.status === 'paused' ? 'reconnect' : null,
    };
  }

  private stageProgress(s: StageRow): StageProgress {
    const elapsed = s.started_at ? (this.now() - s.started_at.getTime()) / 1000 : 0;
    const rate = elapsed > 0 ? s.processed / elapsed : 0;
    const eta = s.status === 'running' && s.total !== null && rate > 0 ? Math.max(0, Math.round((s.total - s.processed) / rate)) : null;
    return {
      stage: s.stage,
      status: s.status,
      pages: s.pages,
      processed: s.processed,
      total: s.total,
      error: s.error,
      attempts: s.attempts,
      startedAt: s.started_at?.toISOString() ?? null,
      finishedAt: s.finished_at?.toISOString() ?? null,
      etaSeconds: eta,
    };
  }
}

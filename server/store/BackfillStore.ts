import type { Knex } from 'knex';
import { BACKFILL_STAGES, type BackfillStage } from '../backfill/HistorySource.ts';

/**
 * Where a backfill reads from: the shop's Shopify bulk operations, a folder of bulk result files
 * in Shopify's shapes, or a normalized history file (the demo generator, `import-uci`).
 */
export type BackfillSource = { kind: 'bulk' } | { kind: 'bulk-files'; dir: string } | { kind: 'file'; path: string };
export type StageStatus = 'pending' | 'running' | 'done' | 'failed' | 'paused';

export interface BackfillRow {
  shop_id: string;
  source: BackfillSource;
  window_from: Date;
  window_to: Date;
  aging_days: number;
  /** The window of the current pass (null: the whole window); an extension fetches only its gap. */
  pass_from: Date | null;
  pass_to: Date | null;
  status: 'running' | 'done' | 'failed' | 'paused';
  created_at: Date;
  finished_at: Date | null;
}

export interface StageRow {
  shop_id: string;
  stage: BackfillStage;
  position: number;
  status: StageStatus;
  cursor: string | null;
  pages: number;
  processed: number;
  total: number | null;
  error: string | null;
  attempts: number;
  started_at: Date | null;
  finished_at: Date | null;
  updated_at: Date;
}

/** Backfills and their per-stage checkpoints (the aging stage's labels: LabelStore). */
export class BackfillStore {
  private readonly db: Knex;
  constructor(db: Knex) {
    this.db = db;
  }

  /** Creates the backfill and its stage rows; a shop that has one keeps it (returns false). */
  async create(shopId: string, source: BackfillSource, window: { from: string; to: string }, agingDays: number): Promise<boolean> {
    return this.db.transaction(async (trx) => {
      const inserted = await trx('backfills')
        .insert({ shop_id: shopId, source: JSON.stringify(source), window_from: window.from, window_to: window.to, aging_days: agingDays })
        .onConflict('shop_id')
        .ignore()
        .returning('shop_id');
      if (inserted.length === 0) return false;
      await trx('backfill_stages').insert(BACKFILL_STAGES.map((stage, position) => ({ shop_id: shopId, stage, position })));
      return true;
    });
  }

  get(shopId: string, trx: Knex = this.db): Promise<BackfillRow | undefined> {
    return trx<BackfillRow>('backfills').where({ shop_id: shopId }).first();
  }

  stages(shopId: string): Promise<StageRow[]> {
    return this.db<StageRow>('backfill_stages').where({ shop_id: shopId }).orderBy('position');
  }

  /** Shops whose backfill is under way (to resume after a restart). */
  async running(): Promise<string[]> {
    return this.db('backfills').where({ status: 'running' }).pluck('shop_id');
  }

  /** Locks the shop's backfill row for the step's transaction: one step of a shop at a time. */
  lock(trx: Knex, shopId: string): Promise<BackfillRow | undefined> {
    return trx<BackfillRow>('backfills').where({ shop_id: shopId }).forUpdate().first();
  }

  /** The first stage not done yet (pending or running), or undefined when all are done. */
  nextStage(trx: Knex, shopId: string): Promise<StageRow | undefined> {
    return trx<StageRow>('backfill_stages').where({ shop_id: shopId }).whereNot({ status: 'done' }).orderBy('position').first();
  }

  /** Records a committed page: the cursor to continue from, what it held, and whether the stage is done. */
  async savePage(trx: Knex, shopId: string, stage: BackfillStage, page: { cursor: string | null; processed: number; total?: number | null; done: boolean; waiting?: boolean }): Promise<void> {
    await trx('backfill_stages')
      .where({ shop_id: shopId, stage })
      .update({
        cursor: page.cursor,
        pages: trx.raw(page.waiting ? 'pages' : 'pages + 1'),
        processed: trx.raw('processed + ?', [page.processed]),
        ...(page.total !== undefined ? { total: page.total } : {}),
        status: page.done ? 'done' : 'running',
        attempts: 0,
        error: null,
        started_at: trx.raw('coalesce(started_at, now())'),
        finished_at: page.done ? trx.fn.now() : null,
        updated_at: trx.fn.now(),
      });
  }

  /** A failed attempt: counted, with its error; `status` failed (given up) or paused (needs re-auth) stops the backfill. */
  async recordError(shopId: string, stage: BackfillStage, error: string, status: 'running' | 'failed' | 'paused', retryCursor?: string | null): Promise<number> {
    return this.db.transaction(async (trx) => {
      const [row] = await trx('backfill_stages')
        .where({ shop_id: shopId, stage })
        .update({ status, error: error.slice(0, 2000), attempts: trx.raw('attempts + 1'), updated_at: trx.fn.now(), ...(retryCursor !== undefined ? { cursor: retryCursor } : {}) })
        .returning('attempts');
      if (status !== 'running') await trx('backfills').where({ shop_id: shopId }).update({ status });
      return Number(row?.attempts ?? 0);
    });
  }

  /** Failed or paused stages back to pending, and the backfill running again (retry, or after re-auth). */
  async resume(shopId: string): Promise<boolean> {
    return this.db.transaction(async (trx) => {
      await trx('backfill_stages').where({ shop_id: shopId }).whereIn('status', ['failed', 'paused']).update({ status: 'pending', attempts: 0, updated_at: trx.fn.now() });
      const updated = await trx('backfills').where({ shop_id: shopId }).whereIn('status', ['failed', 'paused', 'running']).update({ status: 'running' });
      return updated > 0;
    });
  }

  /**
   * Moves a finished backfill's start back to `from` and opens a pass over the gap only
   * (`from`..the old start): every stage pending again with a fresh checkpoint.
   * 'covered' when the window already reaches back that far; 'busy' until the current pass is done.
   */
  async extend(shopId: string, from: Date): Promise<'extended' | 'covered' | 'busy' | 'none'> {
    return this.db.transaction(async (trx) => {
      const backfill = await this.lock(trx, shopId);
      if (!backfill) return 'none';
      if (from.getTime() >= backfill.window_from.getTime()) return 'covered';
      // A pass under way, paused or failed finishes (or is retried) first.
      if (backfill.status !== 'done') return 'busy';
      await trx('backfills').where({ shop_id: shopId }).update({ window_from: from, pass_from: from, pass_to: backfill.window_from, status: 'running', finished_at: null });
      await trx('backfill_stages').where({ shop_id: shopId }).update({
        status: 'pending', cursor: null, pages: 0, processed: 0, total: null, error: null, attempts: 0,
        started_at: null, finished_at: null, updated_at: trx.fn.now(),
      });
      return 'extended';
    });
  }

  async finish(trx: Knex, shopId: string): Promise<void> {
    await trx('backfills').where({ shop_id: shopId }).update({ status: 'done', finished_at: trx.fn.now() });
  }

  /** Orders, returns and refunds of the window in time order, after the `(time, id)` cursor. */
  async subjectsPage(shopId: string, window: { from: Date; to: Date }, after: { at: string; id: string } | null, limit: number): Promise<{ kind: 'order' | 'return' | 'refund'; resource_id: string; at: string; id: string }[]> {
    const q = this.db('events')
      .where({ shop_id: shopId })
      .whereIn('kind', ['order', 'return', 'refund'])
      .andWhere('occurred_at', '>=', window.from)
      .andWhere('occurred_at', '<', window.to);
    if (after) q.andWhereRaw('(occurred_at, id) > (?::timestamptz, ?::bigint)', [after.at, after.id]);
    const rows = await q.orderBy([{ column: 'occurred_at' }, { column: 'id' }]).limit(limit).select('kind', 'resource_id', 'occurred_at', 'id');
    return rows.map((r) => ({ kind: r.kind, resource_id: r.resource_id, at: new Date(r.occurred_at).toISOString(), id: String(r.id) }));
  }

  /** How many subjects the scoring stage has in all. */
  async countSubjects(shopId: string, window: { from: Date; to: Date }): Promise<number> {
    const row = await this.db('events').where({ shop_id: shopId }).whereIn('kind', ['order', 'return', 'refund']).andWhere('occurred_at', '>=', window.from).andWhere('occurred_at', '<', window.to).count('* as n').first();
    return Number(row?.n ?? 0);
  }
}

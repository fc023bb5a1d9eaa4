import type { Knex } from 'knex';

export interface FitRow {
  id: string;
  shop_id: string;
  status: 'running' | 'cancelling' | 'done' | 'failed' | 'cancelled';
  progress: number;
  /** The fit's options as asked (split, test share, precision targets, period). */
  options: Record<string, unknown>;
  /** Labels are read as known at this moment. */
  as_of: Date;
  /** The version fitted from (the published one when asked). */
  against_version: number;
  /** Label counts per subject kind when the fit was asked for. */
  labels: Record<string, unknown>;
  /** The draft version it made, once done. */
  draft_version: number | null;
  report: Record<string, unknown> | null;
  /** Why it was refused (too few labels), with the counts per kind. */
  refusal: Record<string, unknown> | null;
  error: string | null;
  created_by: string | null;
  duration_ms: number;
  created_at: Date;
}

/** Fitting jobs: a fit asked for, its progress, and its report and draft once done. */
export class FitStore {
  private readonly db: Knex;
  constructor(db: Knex) {
    this.db = db;
  }

  async create(row: Pick<FitRow, 'shop_id' | 'options' | 'as_of' | 'against_version' | 'labels' | 'created_by'>): Promise<FitRow> {
    const [saved] = await this.db<FitRow>('fits')
      .insert({ ...row, options: JSON.stringify(row.options), labels: JSON.stringify(row.labels), status: 'running', progress: 0 } as never)
      .returning('*');
    return saved;
  }

  /** Records progress; returns the status, so a run learns that it was asked to stop. */
  async progress(id: string, progress: number): Promise<FitRow['status'] | undefined> {
    const [row] = await this.db('fits').where({ id }).update({ progress: this.db.raw('greatest(progress, ?)', [progress]) }).returning('status');
    return row?.status;
  }

  async finish(id: string, draftVersion: number, report: unknown, durationMs: number, trx: Knex = this.db): Promise<void> {
    await trx('fits').where({ id }).update({ status: 'done', progress: 1, draft_version: draftVersion, report: JSON.stringify(report), duration_ms: durationMs, error: null });
  }

  async end(id: string, status: 'failed' | 'cancelled', error: string | null, durationMs: number, refusal: unknown = null): Promise<void> {
    await this.db('fits').where({ id }).update({ status, error, duration_ms: durationMs, refusal: refusal === null ? null : JSON.stringify(refusal) });
  }

  /** Asks a running fit to stop (it stops at its next progress point). */
  async cancel(shopId: string, id: string): Promise<boolean> {
    return (await this.db('fits').where({ shop_id: shopId, id, status: 'running' }).update({ status: 'cancelling' })) > 0;
  }

  get(shopId: string, id: string): Promise<FitRow | undefined> {
    return this.db<FitRow>('fits').where({ shop_id: shopId, id }).first();
  }

  /** The shop's fits, newest first, without their reports. */
  list(shopId: string, limit = 50): Promise<Omit<FitRow, 'report'>[]> {
    return this.db('fits').where({ shop_id: shopId }).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit)
      .select('id', 'shop_id', 'status', 'progress', 'options', 'as_of', 'against_version', 'labels', 'draft_version', 'refusal', 'error', 'created_by', 'duration_ms', 'created_at');
  }
}

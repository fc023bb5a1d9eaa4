import type { Knex } from 'knex';
import type { SimulationReport } from '../../engine/index.ts';

export interface SimulationRow {
  id: string;
  shop_id: string;
  version: number;
  against_version: number;
  window_from: Date;
  window_to: Date;
  created_by: string | null;
  /** Null until the run is done. */
  report: SimulationReport | null;
  duration_ms: number;
  status: 'running' | 'cancelling' | 'done' | 'failed' | 'cancelled';
  progress: number;
  error: string | null;
  created_at: Date;
}

/** Simulator reports, kept so a report can be reopened (and exported). */
export class SimulationStore {
  private readonly db: Knex;
  constructor(db: Knex) {
    this.db = db;
  }

  /** A simulation about to run (its job is enqueued by the caller). */
  async create(row: Pick<SimulationRow, 'shop_id' | 'version' | 'against_version' | 'window_from' | 'window_to' | 'created_by'>): Promise<SimulationRow> {
    const [saved] = await this.db<SimulationRow>('simulations').insert({ ...row, status: 'running', progress: 0, duration_ms: 0, report: null }).returning('*');
    return saved;
  }

  /** Records progress; returns the status, so a run learns that it was asked to stop. */
  async progress(id: string, progress: number): Promise<SimulationRow['status'] | undefined> {
    const [row] = await this.db('simulations').where({ id }).update({ progress: this.db.raw('greatest(progress, ?)', [progress]) }).returning('status');
    return row?.status;
  }

  async finish(id: string, report: SimulationReport, durationMs: number): Promise<void> {
    await this.db('simulations').where({ id }).update({ status: 'done', progress: 1, report: JSON.stringify(report), duration_ms: durationMs, error: null });
  }

  async end(id: string, status: 'failed' | 'cancelled', error: string | null, durationMs: number): Promise<void> {
    await this.db('simulations').where({ id }).update({ status, error, duration_ms: durationMs });
  }

  /** Asks a running simulation to stop (it stops at its next progress report). */
  async cancel(shopId: string, id: string): Promise<boolean> {
    const updated = await this.db('simulations').where({ shop_id: shopId, id, status: 'running' }).update({ status: 'cancelling' });
    return updated > 0;
  }

  get(shopId: string, id: string): Promise<SimulationRow | undefined> {
    return this.db<SimulationRow>('simulations').where({ shop_id: shopId, id }).first();
  }

  /** The shop's reports, newest first, without their (large) bodies. */
  list(shopId: string, limit = 50): Promise<Omit<SimulationRow, 'report'>[]> {
    return this.db('simulations').where({ shop_id: shopId }).orderBy('created_at', 'desc').limit(limit)
      .select('id', 'shop_id', 'version', 'against_version', 'window_from', 'window_to', 'created_by', 'duration_ms', 'status', 'progress', 'error', 'created_at');
  }

  /** customers/redact: reports that name the customer are deleted (they list flips by customer). */
  async forgetCustomer(shopId: string, customerId: string, trx: Knex = this.db): Promise<number> {
    return trx('simulations').where({ shop_id: shopId }).andWhereRaw(`jsonb_path_exists(report, '$.flips[*] \\? (@.customerId == $id)', jsonb_build_object('id', ?::text))`, [customerId]).delete();
  }
}

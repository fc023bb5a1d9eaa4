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
  report: SimulationReport;
  duration_ms: number;
  created_at: Date;
}

/** Simulator reports, kept so a report can be reopened (and exported). */
export class SimulationStore {
  private readonly db: Knex;
  constructor(db: Knex) {
    this.db = db;
  }

  async save(row: Omit<SimulationRow, 'id' | 'created_at'>): Promise<SimulationRow> {
    const [saved] = await this.db<SimulationRow>('simulations').insert({ ...row, report: JSON.stringify(row.report) as never }).returning('*');
    return saved;
  }

  get(shopId: string, id: string): Promise<SimulationRow | undefined> {
    return this.db<SimulationRow>('simulations').where({ shop_id: shopId, id }).first();
  }

  /** The shop's reports, newest first, without their (large) bodies. */
  list(shopId: string, limit = 50): Promise<Omit<SimulationRow, 'report'>[]> {
    return this.db('simulations').where({ shop_id: shopId }).orderBy('created_at', 'desc').limit(limit)
      .select('id', 'shop_id', 'version', 'against_version', 'window_from', 'window_to', 'created_by', 'duration_ms', 'created_at');
  }

  /** customers/redact: reports that name the customer are deleted (they list flips by customer). */
  async forgetCustomer(shopId: string, customerId: string, trx: Knex = this.db): Promise<number> {
    return trx('simulations').where({ shop_id: shopId }).andWhereRaw(`jsonb_path_exists(report, '$.flips[*] \\? (@.customerId == $id)', jsonb_build_object('id', ?::text))`, [customerId]).delete();
  }
}

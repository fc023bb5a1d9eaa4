import type { Knex } from 'knex';
import type { Snooze } from '../../engine/score.ts';

export interface SnoozeRow {
  id: string;
  shop_id: string;
  customer_id: string;
  signal_id: string;
  starts_at: Date;
  expires_at: Date;
  created_by: string;
  reason: string | null;
  created_at: Date;
}

export interface SnoozeInput {
  customerId: string;
  signalId: string;
  expiresAt: string;
  createdBy: string;
  reason?: string;
  /** When the snooze takes effect; now by default. */
  startsAt?: string;
}

/** A stored snooze as the scoring kernel reads it (engine/score.ts `Snooze`). */
export function snoozeOf(row: SnoozeRow): Snooze {
  return {
    customerId: row.customer_id,
    signalId: row.signal_id,
    startsAt: new Date(row.starts_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
    by: row.created_by,
    ...(row.reason ? { reason: row.reason } : {}),
  };
}

/** Per-customer snoozes of a signal, each in force from `starts_at` until `expires_at`. */
export class SnoozeStore {
  private readonly db: Knex;
  constructor(db: Knex) {
    this.db = db;
  }

  async add(shopId: string, input: SnoozeInput, trx: Knex = this.db): Promise<SnoozeRow> {
    const [row] = await trx('snoozes')
      .insert({
        shop_id: shopId,
        customer_id: input.customerId,
        signal_id: input.signalId,
        expires_at: input.expiresAt,
        created_by: input.createdBy,
        reason: input.reason ?? null,
        ...(input.startsAt ? { starts_at: input.startsAt } : {}),
      })
      .returning('*');
    return { ...row, id: String(row.id) } as SnoozeRow;
  }

  /** The shop's snoozes (of one customer), newest first; with `activeAt`, only those in force then. */
  async list(shopId: string, options: { customerId?: string; activeAt?: string } = {}): Promise<SnoozeRow[]> {
    const query = this.db<SnoozeRow>('snoozes').where({ shop_id: shopId }).orderBy('created_at', 'desc').orderBy('id', 'desc');
    if (options.customerId) query.andWhere({ customer_id: options.customerId });
    if (options.activeAt) query.andWhere('starts_at', '<=', options.activeAt).andWhere('expires_at', '>', options.activeAt);
    const rows = await query.select('*');
    return rows.map((row) => ({ ...row, id: String(row.id) }));
  }

  /**
   * Every snooze of these customers that ends after `since`: the caller picks, per subject, those
   * in force at the subject's time (point-in-time; expired ones never apply).
   */
  async forCustomers(shopId: string, customerIds: readonly string[], since: string): Promise<SnoozeRow[]> {
    if (customerIds.length === 0) return [];
    return this.db<SnoozeRow>('snoozes').where({ shop_id: shopId }).whereIn('customer_id', customerIds).andWhere('expires_at', '>', since).select('*');
  }

  /**
   * Every snooze of the shop, as the scoring kernel reads them (`snoozesAt` picks, per subject,
   * those in force at its time): what the simulator and the preview score a history with.
   */
  async forShop(shopId: string): Promise<Snooze[]> {
    const rows = await this.db<SnoozeRow>('snoozes').where({ shop_id: shopId }).orderBy('id').select('*');
    return rows.map(snoozeOf);
  }

  /** Ends a snooze; false when there was none in this shop. */
  async remove(shopId: string, id: string, trx: Knex = this.db): Promise<boolean> {
    return (await trx('snoozes').where({ shop_id: shopId, id }).delete()) > 0;
  }

  deleteForCustomer(trx: Knex, shopId: string, customerId: string): Promise<number> {
    return trx('snoozes').where({ shop_id: shopId, customer_id: customerId }).delete();
  }
}

import type { Knex } from 'knex';
import type { Zone } from '../../engine/index.ts';
import type { CustomerSnapshot } from '../../sdk/index.ts';

export interface CustomerRow {
  shop_id: string;
  id: string;
  identity: Record<string, string>;
  tags: string[];
  manual_override: 'trusted' | 'flagged' | null;
  created_at_shopify: Date | null;
  current_zone: Zone | null;
  last_score: string | null;
  decisions_count: number;
  aggregates: Record<string, unknown>;
  updated_at: Date;
}

/**
 * The condition of a snapshot upsert's update: only a changed snapshot rewrites the row (an
 * unchanged one keeps its row version, and its updated_at says when it last changed). Shared with
 * the order webhooks' group commit (`DeliveryStore.recordOrders`).
 */
export const SNAPSHOT_CHANGED = '(customers.identity, customers.tags) is distinct from (excluded.identity, excluded.tags)';

/** Customer profiles: ids, keyed hashes and aggregates only (no PII exists to store). */
export class CustomerStore {
  private readonly db: Knex;
  constructor(db: Knex) {
    this.db = db;
  }

  get(shopId: string, id: string, trx: Knex = this.db): Promise<CustomerRow | undefined> {
    return trx<CustomerRow>('customers').where({ shop_id: shopId, id }).first();
  }

  async upsertSnapshot(shopId: string, customer: CustomerSnapshot, trx: Knex = this.db): Promise<void> {
    await trx('customers')
      .insert({
        shop_id: shopId,
        id: customer.id,
        identity: JSON.stringify(customer.identity),
        tags: JSON.stringify(customer.tags),
        created_at_shopify: customer.createdAt ?? null,
      })
      .onConflict(['shop_id', 'id'])
      .merge({ identity: JSON.stringify(customer.identity), tags: JSON.stringify(customer.tags), updated_at: trx.fn.now() })
      .where(trx.raw(SNAPSHOT_CHANGED));
  }

  /** The merchant's override, as signals read it (`customer.manualOverride`). */
  async setOverride(shopId: string, id: string, override: 'trusted' | 'flagged' | null): Promise<boolean> {
    return (await this.db('customers').where({ shop_id: shopId, id }).update({ manual_override: override, updated_at: this.db.fn.now() })) > 0;
  }


  async delete(shopId: string, id: string, trx: Knex = this.db): Promise<number> {
    return trx('customers').where({ shop_id: shopId, id }).delete();
  }
}

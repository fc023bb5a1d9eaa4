import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

export interface ShopRow {
  id: string;
  access_token: string | null;
  scopes: string | null;
  hash_key: string;
  status: 'active' | 'uninstalled' | 'reconnect';
  settings: Record<string, unknown>;
  installed_at: Date;
  uninstalled_at: Date | null;
}

/** Shops: one row per installed store, holding its offline token and its own hash key. */
export class ShopStore {
  private readonly db: Knex;
  constructor(db: Knex) {
    this.db = db;
  }

  get(shopId: string): Promise<ShopRow | undefined> {
    return this.db<ShopRow>('shops').where({ id: shopId }).first();
  }

  /** Creates the shop on first install (with a fresh hash key) or re-activates it with a new token. */
  async install(shopId: string, accessToken: string | null, scopes: string | null): Promise<ShopRow> {
    const [row] = await this.db<ShopRow>('shops')
      .insert({ id: shopId, access_token: accessToken, scopes, hash_key: randomBytes(32).toString('hex'), status: 'active' })
      .onConflict('id')
      .merge({ access_token: accessToken, scopes, status: 'active', uninstalled_at: null })
      .returning('*');
    return row;
  }

  async markUninstalled(shopId: string): Promise<void> {
    await this.db('shops').where({ id: shopId }).update({ status: 'uninstalled', access_token: null, uninstalled_at: this.db.fn.now() });
  }

  async markReconnect(shopId: string): Promise<void> {
    await this.db('shops').where({ id: shopId }).update({ status: 'reconnect' });
  }

  /** shop/redact: every row of the shop goes (foreign keys cascade), deliveries included. */
  async deleteEverything(shopId: string): Promise<void> {
    await this.db.transaction(async (trx) => {
      await trx('webhook_deliveries').where({ shop_id: shopId }).delete();
      await trx('shops').where({ id: shopId }).delete();
    });
  }
}

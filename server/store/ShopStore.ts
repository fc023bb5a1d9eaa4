import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { SHOP_DATA_TTL_MS, TtlCache } from './TtlCache.ts';

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

/** Per-shop caches kept elsewhere in the store layer, forgotten when the shop's rows are deleted. */
export interface ShopScopedCache {
  forget(shopId: string): void;
}

/** Shops: one row per installed store, holding its offline token and its own hash key. */
export class ShopStore {
  private readonly db: Knex;
  private readonly cache = new TtlCache<ShopRow | undefined>(SHOP_DATA_TTL_MS);
  private readonly dependents: readonly ShopScopedCache[];
  constructor(db: Knex, dependents: readonly ShopScopedCache[] = []) {
    this.db = db;
    this.dependents = dependents;
  }

  get(shopId: string): Promise<ShopRow | undefined> {
    return this.db<ShopRow>('shops').where({ id: shopId }).first();
  }

  /**
   * The shop row for the hot paths (every webhook, every score job): reused for a couple of
   * seconds, forgotten at once when this process changes it. Use `get` where it must be fresh.
   */
  getCached(shopId: string): Promise<ShopRow | undefined> {
    return this.cache.get(shopId, () => this.get(shopId));
  }

  forget(shopId: string): void {
    this.cache.forget(shopId);
  }

  /** Creates the shop on first install (with a fresh hash key) or re-activates it with a new token. */
  async install(shopId: string, accessToken: string | null, scopes: string | null): Promise<ShopRow> {
    const [row] = await this.db<ShopRow>('shops')
      .insert({ id: shopId, access_token: accessToken, scopes, hash_key: randomBytes(32).toString('hex'), status: 'active' })
      .onConflict('id')
      .merge({ access_token: accessToken, scopes, status: 'active', uninstalled_at: null })
      .returning('*');
    this.forget(shopId);
    return row;
  }

  /** Stops the shop (its token dropped); in `trx` when given (forget it again after the commit). */
  async markUninstalled(shopId: string, trx: Knex = this.db): Promise<void> {
    await trx('shops').where({ id: shopId }).update({ status: 'uninstalled', access_token: null, uninstalled_at: this.db.fn.now() });
    this.forget(shopId);
  }

  async markReconnect(shopId: string): Promise<void> {
    await this.db('shops').where({ id: shopId }).update({ status: 'reconnect' });
    this.forget(shopId);
  }

  /** Ids of the shops not uninstalled (for periodic per-shop jobs). */
  activeIds(): Promise<string[]> {
    return this.db('shops').whereNot({ status: 'uninstalled' }).orderBy('id').pluck('id');
  }

  /** Merges `patch` into the shop's settings (top-level keys); returns the settings after. */
  async updateSettings(shopId: string, patch: Record<string, unknown>, trx: Knex = this.db): Promise<Record<string, unknown>> {
    const [row] = await trx<ShopRow>('shops')
      .where({ id: shopId })
      .update({ settings: this.db.raw('settings || cast(? as jsonb)', [JSON.stringify(patch)]) as unknown as Record<string, unknown> })
      .returning('settings');
    this.forget(shopId);
    return (row?.settings ?? {}) as Record<string, unknown>;
  }

  /** shop/redact: every row of the shop goes (foreign keys cascade), deliveries included. */
  async deleteEverything(shopId: string): Promise<void> {
    await this.db.transaction(async (trx) => {
      await trx('webhook_deliveries').where({ shop_id: shopId }).delete();
      await trx('shops').where({ id: shopId }).delete();
    });
    this.forget(shopId);
    for (const cache of this.dependents) cache.forget(shopId);
  }
}

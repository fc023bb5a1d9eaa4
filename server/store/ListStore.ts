import type { Knex } from 'knex';
import type { HashedLists, IdentifierKind } from '../../sdk/index.ts';
import { SHOP_DATA_TTL_MS, TtlCache } from './TtlCache.ts';

/** The merchant's block and allow lists, of keyed hashes only. */
export class ListStore {
  private readonly db: Knex;
  private readonly cache = new TtlCache<HashedLists>(SHOP_DATA_TTL_MS);
  constructor(db: Knex) {
    this.db = db;
  }

  /** The lists for scoring: reused for a couple of seconds, forgotten at once when this process adds to them. */
  forShopCached(shopId: string): Promise<HashedLists> {
    return this.cache.get(shopId, () => this.forShop(shopId));
  }

  forget(shopId: string): void {
    this.cache.forget(shopId);
  }

  async forShop(shopId: string): Promise<HashedLists> {
    const rows: { list: 'blocked' | 'allowed'; kind: IdentifierKind; hash: string }[] = await this.db('lists').where({ shop_id: shopId }).select('list', 'kind', 'hash');
    const lists: HashedLists = { blocked: {}, allowed: {} };
    for (const row of rows) (lists[row.list][row.kind] ??= []).push(row.hash);
    return lists;
  }

  async add(shopId: string, list: 'blocked' | 'allowed', kind: IdentifierKind, hash: string, note?: string): Promise<void> {
    await this.db('lists').insert({ shop_id: shopId, list, kind, hash, note: note ?? null }).onConflict(['shop_id', 'list', 'kind', 'hash']).ignore();
    this.forget(shopId);
  }
}

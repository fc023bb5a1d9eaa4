import type { Knex } from 'knex';
import type { HashedLists, IdentifierKind } from '../../sdk/index.ts';
import { SHOP_DATA_TTL_MS, TtlCache } from './TtlCache.ts';

export type ListName = 'blocked' | 'allowed';

/** One list entry as the admin sees it: the keyed hash, never the raw identifier. */
export interface ListEntryRow {
  list: ListName;
  kind: IdentifierKind;
  hash: string;
  note: string | null;
  non_overridable: boolean;
  created_by: string | null;
  created_at: Date;
}

/** The merchant's block and allow lists, of keyed hashes only. */
export class ListStore {
  private readonly db: Knex;
  private readonly cache = new TtlCache<HashedLists>(SHOP_DATA_TTL_MS);
  constructor(db: Knex) {
    this.db = db;
  }

  /** The lists for scoring: reused for a couple of seconds, forgotten at once when this process changes them. */
  forShopCached(shopId: string): Promise<HashedLists> {
    return this.cache.get(shopId, () => this.forShop(shopId));
  }

  forget(shopId: string): void {
    this.cache.forget(shopId);
  }

  async forShop(shopId: string): Promise<HashedLists> {
    const rows: { list: ListName; kind: IdentifierKind; hash: string; non_overridable: boolean }[] = await this.db('lists')
      .where({ shop_id: shopId })
      .select('list', 'kind', 'hash', 'non_overridable');
    const lists: HashedLists = { blocked: {}, allowed: {}, locked: {} };
    for (const row of rows) {
      (lists[row.list][row.kind] ??= []).push(row.hash);
      if (row.list === 'blocked' && row.non_overridable) (lists.locked![row.kind] ??= []).push(row.hash);
    }
    return lists;
  }

  entries(shopId: string, list?: ListName): Promise<ListEntryRow[]> {
    return this.db('lists')
      .where({ shop_id: shopId, ...(list ? { list } : {}) })
      .orderBy('created_at', 'desc')
      .orderBy('hash')
      .select('list', 'kind', 'hash', 'note', 'non_overridable', 'created_by', 'created_at');
  }

  /** Adds an entry; adding it again updates its note and non-overridable flag. */
  async add(shopId: string, list: ListName, kind: IdentifierKind, hash: string, note?: string, options: { nonOverridable?: boolean; createdBy?: string; trx?: Knex } = {}): Promise<ListEntryRow> {
    const nonOverridable = list === 'blocked' && options.nonOverridable === true;
    const [row] = await (options.trx ?? this.db)('lists')
      .insert({ shop_id: shopId, list, kind, hash, note: note ?? null, non_overridable: nonOverridable, created_by: options.createdBy ?? null })
      .onConflict(['shop_id', 'list', 'kind', 'hash'])
      .merge({ note: note ?? null, non_overridable: nonOverridable })
      .returning(['list', 'kind', 'hash', 'note', 'non_overridable', 'created_by', 'created_at']);
    this.forget(shopId);
    return row as ListEntryRow;
  }

  /** Removes an entry; false when there was none. */
  async remove(shopId: string, list: ListName, kind: IdentifierKind, hash: string, trx: Knex = this.db): Promise<boolean> {
    const deleted = await trx('lists').where({ shop_id: shopId, list, kind, hash }).delete();
    this.forget(shopId);
    return deleted > 0;
  }
}

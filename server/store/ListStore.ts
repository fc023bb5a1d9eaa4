import type { Knex } from 'knex';
import type { HashedLists, IdentifierKind } from '../../sdk/index.ts';

/** The merchant's block and allow lists, of keyed hashes only. */
export class ListStore {
  private readonly db: Knex;
  constructor(db: Knex) {
    this.db = db;
  }

  async forShop(shopId: string): Promise<HashedLists> {
    const rows: { list: 'blocked' | 'allowed'; kind: IdentifierKind; hash: string }[] = await this.db('lists').where({ shop_id: shopId }).select('list', 'kind', 'hash');
    const lists: HashedLists = { blocked: {}, allowed: {} };
    for (const row of rows) (lists[row.list][row.kind] ??= []).push(row.hash);
    return lists;
  }

  async add(shopId: string, list: 'blocked' | 'allowed', kind: IdentifierKind, hash: string, note?: string): Promise<void> {
    await this.db('lists').insert({ shop_id: shopId, list, kind, hash, note: note ?? null }).onConflict(['shop_id', 'list', 'kind', 'hash']).ignore();
  }
}

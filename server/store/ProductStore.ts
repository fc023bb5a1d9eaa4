import type { Knex } from 'knex';

/** What the Admin API says of a product that no order webhook carries. */
export interface ProductFacts {
  productId: string;
  productType: string | null;
  /** Variant GID → its compare-at price (shop currency), for the variants that have one. */
  compareAt: Record<string, number>;
}

/** Product facts, fetched once per product (server/services/ProductCatalog.ts). */
export class ProductStore {
  private readonly db: Knex;
  constructor(db: Knex) {
    this.db = db;
  }

  /** The stored facts of these products (one array parameter, whatever their number). */
  async factsFor(shopId: string, productIds: readonly string[]): Promise<Map<string, ProductFacts>> {
    if (productIds.length === 0) return new Map();
    const rows = (await this.db('product_facts')
      .where({ shop_id: shopId })
      .whereRaw('product_id = any(?::text[])', [productIds as string[]])
      .select('product_id', 'product_type', 'compare_at')) as { product_id: string; product_type: string | null; compare_at: Record<string, number> }[];
    return new Map(rows.map((r) => [r.product_id, { productId: r.product_id, productType: r.product_type, compareAt: r.compare_at }]));
  }

  /** Stores fetched facts (a product fetched again replaces its row). */
  async upsert(shopId: string, facts: readonly ProductFacts[]): Promise<void> {
    if (facts.length === 0) return;
    await this.db('product_facts')
      .insert(facts.map((f) => ({ shop_id: shopId, product_id: f.productId, product_type: f.productType, compare_at: JSON.stringify(f.compareAt), fetched_at: this.db.fn.now() })))
      .onConflict(['shop_id', 'product_id'])
      .merge(['product_type', 'compare_at', 'fetched_at']);
  }
}

import type { Knex } from 'knex';
import type { HistoryEvent } from '../../engine/history/index.ts';
import type { LineItem, OrderRecord } from '../../sdk/index.ts';

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

/** The product ids of the orders' line items. */
export function productIdsOf(orders: readonly OrderRecord[]): string[] {
  const ids = new Set<string>();
  for (const order of orders) for (const line of order.lineItems) if (line.productId) ids.add(line.productId);
  return [...ids];
}

/**
 * The orders with their line items' product type and compare-at price from the stored facts
 * (the compare-at price only where it is above what the item sold for: on sale). Records are
 * copied, never changed in place.
 */
export function withProductFacts(orders: readonly OrderRecord[], facts: ReadonlyMap<string, ProductFacts>): OrderRecord[] {
  if (facts.size === 0) return [...orders];
  return orders.map((order) => {
    if (!order.lineItems.some((line) => line.productId && facts.has(line.productId))) return order;
    return { ...order, lineItems: order.lineItems.map((line) => lineWithFacts(line, line.productId ? facts.get(line.productId) : undefined)) };
  });
}

function lineWithFacts(line: LineItem, facts: ProductFacts | undefined): LineItem {
  if (!facts) return line;
  const out: LineItem = { ...line };
  if (facts.productType && line.productType === undefined) out.productType = facts.productType;
  const compareAt = line.variantId ? facts.compareAt[line.variantId] : undefined;
  if (compareAt !== undefined && line.compareAtPrice === undefined && compareAt > line.price) out.compareAtPrice = compareAt;
  return out;
}

/** The events with their orders' line items completed from the stored facts (the other events as they are). */
export function eventsWithProductFacts(events: readonly HistoryEvent[], facts: ReadonlyMap<string, ProductFacts>): HistoryEvent[] {
  if (facts.size === 0) return [...events];
  return events.map((event) => (event.type === 'order' ? { type: 'order', order: withProductFacts([event.order], facts)[0]! } : event));
}

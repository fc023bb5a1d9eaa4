import type { Logger } from 'pino';
import type { OrderRecord } from '../../sdk/index.ts';
import type { Config } from '../config.ts';
import { AdminGraphqlClient } from '../shopify/AdminGraphqlClient.ts';
import { PRODUCT_FACTS } from '../shopify/operations.ts';
import { productIdsOf, type ProductFacts, type Stores } from '../store/index.ts';

/** Ids per `nodes(ids:)` request (Shopify answers up to 250). */
const BATCH = 100;
/** Most products fetched for one call of `ensure` (a first order of a huge cart waits for no more). */
const MAX_PER_CALL = 300;
/** After a failed fetch, a shop's products are not asked for again for this long. */
const FAILURE_BACKOFF_MS = 5 * 60_000;
/** Product types Shopify allows are at most 255 characters. */
const MAX_TYPE_LENGTH = 255;

interface ProductNode {
  id?: unknown;
  productType?: unknown;
  variants?: { nodes?: { id?: unknown; compareAtPrice?: unknown }[] };
}

/**
 * What the order webhooks do not carry about a product: its type (`LineItem.productType`, read
 * by the signals on risky categories) and its variants' compare-at prices (`compareAtPrice`, for
 * items sold on sale). Fetched from the Admin API once per product (`ProductFacts` operation),
 * kept in `product_facts`, and put on the orders' line items wherever contexts are built from the
 * store. The compare-at price is the variant's current one: for live orders that is the price
 * of the day; for a backfill's older orders, today's (a documented limit).
 */
export class ProductCatalog {
  private readonly stores: Stores;
  private readonly config: Config;
  private readonly log: Logger | undefined;
  private readonly sleep: ((ms: number) => Promise<void>) | undefined;
  private readonly enqueue: ((shopId: string, productIds: string[]) => Promise<void>) | undefined;
  private readonly now: () => number;
  /** Shops whose last fetch failed, until when they are not asked again. */
  private readonly backoffUntil = new Map<string, number>();

  constructor(
    stores: Stores,
    config: Config,
    options: { log?: Logger; sleep?: (ms: number) => Promise<void>; enqueue?: (shopId: string, productIds: string[]) => Promise<void>; now?: () => number } = {},
  ) {
    this.stores = stores;
    this.config = config;
    this.log = options.log;
    this.sleep = options.sleep;
    this.enqueue = options.enqueue;
    this.now = options.now ?? Date.now;
  }

  /**
   * Live scoring's way: asks a products job to fetch the facts of the orders' products not stored
   * yet, and returns at once (an Admin API call never holds a live decision up; the orders after
   * it see the facts). Nothing is asked for a shop that cannot be asked, or whose last fetch failed
   * within the backoff.
   */
  async request(shopId: string, orders: readonly OrderRecord[]): Promise<void> {
    if (!this.enqueue) return this.ensure(shopId, orders);
    const missing = await this.missing(shopId, orders);
    if (missing.length > 0) await this.enqueue(shopId, missing);
  }

  /**
   * Fetches and stores the facts of the orders' products that are not stored yet, when the shop
   * is connected to Shopify (a demo shop, or one awaiting reconnection, has none to fetch). A
   * failure is logged and leaves the facts missing (and the shop is not asked again for
   * `FAILURE_BACKOFF_MS`): scoring goes on without them.
   */
  async ensure(shopId: string, orders: readonly OrderRecord[]): Promise<void> {
    await this.ensureIds(shopId, await this.missing(shopId, orders));
  }

  /** The orders' products whose facts are not stored yet, when the shop can be asked now ([] otherwise). */
  private async missing(shopId: string, orders: readonly OrderRecord[]): Promise<string[]> {
    if ((this.backoffUntil.get(shopId) ?? 0) > this.now()) return [];
    const wanted = productIdsOf(orders);
    if (wanted.length === 0) return [];
    const known = await this.stores.products.factsFor(shopId, wanted);
    const missing = wanted.filter((id) => !known.has(id)).slice(0, MAX_PER_CALL);
    if (missing.length === 0) return [];
    const shop = await this.stores.shops.getCached(shopId);
    return shop?.access_token && shop.status === 'active' ? missing : [];
  }

  /** Fetches and stores the facts of these products (the products job's work). */
  async ensureIds(shopId: string, productIds: readonly string[]): Promise<void> {
    const known = await this.stores.products.factsFor(shopId, productIds);
    const missing = productIds.filter((id) => !known.has(id)).slice(0, MAX_PER_CALL);
    if (missing.length === 0) return;
    const shop = await this.stores.shops.getCached(shopId);
    if (!shop?.access_token || shop.status !== 'active') return;
    const client = new AdminGraphqlClient({
      shop: shopId,
      accessToken: shop.access_token,
      apiVersion: this.config.shopify.apiVersion,
      origin: this.config.shopify.adminOrigin,
      maxAttempts: 2,
      timeoutMs: 5_000,
      ...(this.sleep ? { sleep: this.sleep } : {}),
    });
    try {
      for (let i = 0; i < missing.length; i += BATCH) {
        const ids = missing.slice(i, i + BATCH);
        const { data } = await client.request<{ nodes: (ProductNode | null)[] }>(PRODUCT_FACTS, { ids });
        const facts = (data.nodes ?? []).flatMap((node) => (node ? [productFactsOf(node)].filter((f): f is ProductFacts => f !== null) : []));
        // A product Shopify no longer has is stored without facts, so it is not asked for again and again.
        const found = new Set(facts.map((f) => f.productId));
        for (const id of ids) if (!found.has(id)) facts.push({ productId: id, productType: null, compareAt: {} });
        await this.stores.products.upsert(shopId, facts);
      }
    } catch (error) {
      this.backoffUntil.set(shopId, this.now() + FAILURE_BACKOFF_MS);
      this.log?.warn({ shopId, err: error, products: missing.length }, 'product facts not fetched; the signals that need them answer insufficient_data meanwhile');
    }
  }
}

/** A `ProductFacts` answer node as stored facts (null when it is not a product): values bounded before they reach SQL. */
export function productFactsOf(node: ProductNode): ProductFacts | null {
  if (typeof node.id !== 'string' || !/^gid:\/\/shopify\/Product\/\d{1,20}$/.test(node.id)) return null;
  const type = typeof node.productType === 'string' ? node.productType.trim().slice(0, MAX_TYPE_LENGTH) : '';
  const compareAt: Record<string, number> = {};
  for (const variant of node.variants?.nodes ?? []) {
    const price = Number(variant.compareAtPrice);
    if (typeof variant.id === 'string' && /^gid:\/\/shopify\/ProductVariant\/\d{1,20}$/.test(variant.id) && Number.isFinite(price) && price > 0 && price < 1e13) {
      compareAt[variant.id] = Math.round(price * 100) / 100;
    }
  }
  return { productId: node.id, productType: type || null, compareAt };
}

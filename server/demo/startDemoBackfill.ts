import { join } from 'node:path';
import { ensureDemoHistory, ensureDemoProducts, readProductFacts } from '../../scenarios/demoShop.ts';
import type { BackfillService } from '../backfill/BackfillService.ts';
import type { Stores } from '../store/index.ts';

/**
 * The demo shop's history: a labelled shop from the scenario generator (the last six months, so
 * the dashboard has recent data), as the app stores it from the Shopify webhook bodies the
 * generator writes (normalized with the demo shop's hashing key: no raw identifier on disk),
 * written once to the data folder as history JSONL and backfilled through the file source like
 * any shop's. Demo mode cannot fetch products from Shopify, so the catalogue's `ProductFacts`
 * answers are written beside it and stored in `product_facts` (as fetched ones would be) before
 * the backfill scores: `scenarios/demoShop.ts`. Idempotent across restarts.
 *
 * The server's demo module: the only production module of the server that reaches `scenarios/`
 * (the generator), and `main.ts` loads it with `import()` in demo mode only (`DEMO_HISTORY=generated`),
 * so a production start never loads the generator (`npm run check:deps` holds both).
 */
export async function startDemoBackfill(stores: Stores, backfill: BackfillService, shop: string, dataDir: string, customers: number): Promise<boolean> {
  const path = join(dataDir, 'demo-history.jsonl');
  const products = join(dataDir, 'demo-products.json');
  const shopKey = (await stores.shops.get(shop))?.hash_key;
  if (!shopKey) throw new Error(`the demo shop ${shop} is not installed`);
  const start = new Date(Date.now() - 180 * 86_400_000).toISOString().slice(0, 10);
  await ensureDemoHistory(path, { seed: 2026, customers, start, days: 178, shopKey, shopDomain: shop });
  await ensureDemoProducts(products);
  await stores.products.upsert(shop, await readProductFacts(products));
  return backfill.start(shop, { kind: 'file', path }, { days: 365 });
}

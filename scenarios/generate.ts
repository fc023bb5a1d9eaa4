import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateShop } from './generateShop.ts';

/**
 * `npm run demo:generate -- [--seed N] [--customers N] [--out DIR]`: writes a generated shop:
 * - `history.jsonl`: its history as the app's contexts see it (the normalized records, orders
 *   with their paying card and product facts), what the CLI's `replay` reads;
 * - `labels.jsonl`: one label per scored event;
 * - `deliveries.jsonl`: the Shopify webhook bodies it was made from, in time order
 *   (`{ topic, at, body }`: send them signed to the app, or normalize them). They hold the
 *   made-up buyers' raw emails, phones, addresses, IPs and cards, as Shopify's would;
 * - `products.json`: the Admin API's answers to the app's `ProductFacts` query for its catalogue.
 */
const { values } = parseArgs({
  options: { seed: { type: 'string', default: '7' }, customers: { type: 'string', default: '600' }, out: { type: 'string', default: '.data/demo' } },
});
const seed = Number(values.seed);
const customers = Number(values.customers);
if (!Number.isInteger(seed) || !Number.isInteger(customers) || customers < 10) {
  console.error('demo:generate: --seed must be an integer and --customers an integer of at least 10');
  process.exit(2);
}
const shop = generateShop({ seed, customers });
await mkdir(values.out, { recursive: true });
const jsonl = (rows: unknown[]) => rows.map((row) => JSON.stringify(row)).join('\n') + '\n';
await writeFile(join(values.out, 'history.jsonl'), jsonl(shop.events));
await writeFile(join(values.out, 'labels.jsonl'), jsonl(shop.labels));
await writeFile(join(values.out, 'deliveries.jsonl'), jsonl(shop.deliveries));
await writeFile(join(values.out, 'products.json'), JSON.stringify(shop.products, null, 1) + '\n');
console.log(`wrote ${shop.events.length} events, ${shop.labels.length} labels, ${shop.deliveries.length} webhook bodies and the catalogue's product answers (seed ${seed}, ${customers} customers) to ${values.out}/`);
console.log(`replay them: npx refundsentry replay --ruleset rulesets/default.json --history ${values.out}/history.jsonl`);

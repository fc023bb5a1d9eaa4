import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateShop } from './generateShop.ts';

/**
 * `npm run demo:generate -- [--seed N] [--customers N] [--out DIR]`: writes a generated shop's
 * history (history.jsonl, the normalized events the CLI replays) and its labels (labels.jsonl).
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
console.log(`wrote ${shop.events.length} events and ${shop.labels.length} labels (seed ${seed}, ${customers} customers) to ${values.out}/`);
console.log(`replay them: npx refundsentry replay --ruleset rulesets/default.json --history ${values.out}/history.jsonl`);

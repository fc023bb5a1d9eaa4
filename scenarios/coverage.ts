import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { builtinSignals } from '../signals/index.ts';
import { generateShop } from './generateShop.ts';
import { firstCustomers, formatCoverage, productsOf, sampleWebhookHistory, signalCoverage, throughBulkQueries } from './signalCoverage.ts';
import { readUciHistory } from './uciHistory.ts';

/**
 * `npm run coverage:signals`: per built-in signal, the record fields it reads and whether
 * Shopify's real payloads fill them (scenarios/signalCoverage.ts); exits 1 when a signal reads a
 * field no real payload fills.
 */
const { values } = parseArgs({
  options: {
    uci: { type: 'string', default: new URL('../../shared/data/uci_online_retail.csv.gz', import.meta.url).pathname },
    customers: { type: 'string', default: '150' },
    'uci-customers': { type: 'string', default: '400' },
  },
});
const generated = generateShop({ seed: 20, customers: Number(values.customers) }).events;
const real = [sampleWebhookHistory(), await throughBulkQueries(generated, productsOf(generated))];
// The real UCI shop, its first customers (the whole year takes minutes through every signal).
if (existsSync(values.uci)) real.push(firstCustomers((await readUciHistory(values.uci)).events, Number(values['uci-customers'])));
const rows = signalCoverage(builtinSignals, real, [generated]);
console.log(formatCoverage(rows));
const blind = rows.filter((r) => r.blind.length > 0);
console.log(`\n${rows.length} signals; ${blind.length} read fields that no real Shopify payload fills${blind.length ? `: ${blind.map((r) => r.id).join(', ')}` : ''}`);
process.exit(blind.length > 0 ? 1 : 0);

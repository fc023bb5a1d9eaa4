import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { builtinSignals } from '../signals/index.ts';
import { generateShop } from './generateShop.ts';
import type { HistoryEvent } from '../engine/history/index.ts';
import { firstCustomers, formatCoverage, sampleWebhookHistory, signalCoverage, throughBulkQueries } from './signalCoverage.ts';
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
const shop = generateShop({ seed: 20, customers: Number(values.customers) });
const generated = shop.events;
// The Admin API's ProductFacts answers of the generated catalogue, as Product objects.
const products = shop.products.flatMap((answer) => answer.data.nodes).map((node) => ({ ...node, variants: node.variants.nodes }));
// Shopify's assessment of one order, with its facts (a GraphQL-only part of it): what the bulk query fetches.
const firstOrder = shop.stored.find((e) => e.type === 'order');
const assessed: HistoryEvent[] = firstOrder?.type === 'order'
  ? [{ type: 'risk', risk: { id: `${firstOrder.order.id}#shopify`, orderId: firstOrder.order.id, level: 'medium', assessedAt: firstOrder.order.createdAt, facts: { negative: 1, neutral: 0, positive: 2 } } } as HistoryEvent]
  : [];
const real = [sampleWebhookHistory(), await throughBulkQueries([...shop.stored, ...assessed], products)];
// The real UCI shop, its first customers (the whole year takes minutes through every signal).
if (existsSync(values.uci)) real.push(firstCustomers((await readUciHistory(values.uci)).events, Number(values['uci-customers'])));
const rows = signalCoverage(builtinSignals, real, [generated]);
console.log(formatCoverage(rows));
const blind = rows.filter((r) => r.blind.length > 0);
console.log(`\n${rows.length} signals; ${blind.length} read fields that no real Shopify payload fills${blind.length ? `: ${blind.map((r) => r.id).join(', ')}` : ''}`);
process.exit(blind.length > 0 ? 1 : 0);

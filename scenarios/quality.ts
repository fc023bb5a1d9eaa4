import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { compileRuleset, createRegistry, type Ruleset } from '../engine/index.ts';
import { builtinSignals } from '../signals/index.ts';
import { generateShop } from './generateShop.ts';
import { formatMix, percent, qualityOfReplay, zoneMix } from './qualityReport.ts';
import { replayHistory } from '../engine/history/index.ts';
import { readUciHistory } from './uciHistory.ts';
import { buildRings } from '../engine/rings/index.ts';

/**
 * `npm run quality`: scores a generated, labelled shop history with the default ruleset,
 * point-in-time, and prints per-pattern recall and precision of the HIGH zone and the zone mix
 * of honest customers; then replays the real UCI Online Retail history and prints its zone mix.
 */
const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '7' },
    customers: { type: 'string', default: '600' },
    ruleset: { type: 'string', default: new URL('../rulesets/default.json', import.meta.url).pathname },
    uci: { type: 'string', default: new URL('../../shared/data/uci_online_retail.csv.gz', import.meta.url).pathname },
  },
});
const ruleset = JSON.parse(await readFile(values.ruleset, 'utf8')) as Ruleset;
const compiled = compileRuleset(ruleset, createRegistry(builtinSignals));
console.log(`ruleset ${compiled.id} v${compiled.version}, ${builtinSignals.length} signals\n`);

const seed = Number(values.seed);
const shop = generateShop({ seed, customers: Number(values.customers) });
const started = performance.now();
const report = qualityOfReplay(shop.events, shop.labels, compiled, 'generated.myshopify.com');
console.log(`generated shop (seed ${seed}, ${values.customers} customers): ${report.decisions} decisions in ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log('  pattern                 targets   HIGH recall   MEDIUM+ recall');
for (const p of report.patterns) {
  console.log(`  ${p.pattern.padEnd(22)} ${String(p.targets).padStart(8)}   ${percent(p.recallHigh).padStart(11)}   ${percent(p.recallMediumOrHigh).padStart(14)}`);
}
console.log(`  HIGH precision (abusive customers among HIGH decisions): ${percent(report.precisionHigh)} of ${report.highDecisions}`);
console.log(`  honest customers:          ${formatMix(report.honest)}`);
console.log(`  honest heavy returners:    ${formatMix(report.honestHeavyReturners)}`);
const ringStarted = performance.now();
const rings = buildRings(shop.events);
const labelled = new Set(shop.labels.filter((l) => l.pattern === 'fraud-ring').map((l) => `customer:${l.customerId}`));
const clustered = new Set(rings.rings.flatMap((r) => r.members.map((m) => m.key)));
const ordering = new Set(shop.events.flatMap((e) => (e.type === 'order' && e.order.customerId && labelled.has(`customer:${e.order.customerId}`) ? [`customer:${e.order.customerId}`] : [])));
const caught = [...clustered].filter((k) => labelled.has(k)).length;
console.log(
  `  fraud rings (engine/rings, ${((performance.now() - ringStarted) / 1000).toFixed(2)} s): ${rings.rings.length} found, scores ${rings.rings.map((r) => r.score).join(', ')}; ` +
    `${caught} of ${ordering.size} ring members who ordered clustered, ${clustered.size - caught} other customers clustered; ${rings.stats.hubIdentifiers} hub identifiers skipped`,
);

if (!existsSync(values.uci)) {
  console.log(`\nUCI Online Retail not found at ${values.uci}; pass --uci <path to uci_online_retail.csv.gz>`);
} else {
  const uci = await readUciHistory(values.uci);
  const decisions = [...replayHistory(uci.events, compiled, { shopId: 'uci-online-retail' })].map((r) => r.decision);
  const s = uci.stats;
  console.log(`\nUCI Online Retail (real, 2010-12..2011-12): ${s.orders} orders, ${s.returns} returns, ${s.customers} customers; ${s.unlinkedCancellations} cancellations with no earlier purchase and ${s.guestCancellations} guest cancellations left out`);
  for (const kind of ['order', 'return', 'refund'] as const) {
    console.log(`  ${(kind + 's').padEnd(8)} ${formatMix(zoneMix(decisions.filter((d) => d.subject.kind === kind).map((d) => d.zone)))}`);
  }
  console.log(`  all      ${formatMix(zoneMix(decisions.map((d) => d.zone)))}`);
  const high = decisions.filter((d) => d.zone === 'high');
  const hits = new Map<string, number>();
  for (const d of high) for (const s of d.signals) if (s.status === 'hit' && s.points > 0) hits.set(s.id, (hits.get(s.id) ?? 0) + 1);
  const top = [...hits].sort((a, b) => b[1] - a[1]).slice(0, 6);
  console.log(`  signals firing most in its ${high.length} HIGH decisions: ${top.map(([id, n]) => `${id} ${percent(n / high.length)}`).join(', ')}`);
  const ringStatus = new Map<string, number>();
  for (const d of decisions) for (const sig of d.signals) if (sig.id === 'customer.fraud-ring') ringStatus.set(sig.status, (ringStatus.get(sig.status) ?? 0) + 1);
  const uciRings = buildRings(uci.events);
  console.log(`  fraud rings: ${uciRings.rings.length} found (${uciRings.stats.identifiers} identifier hashes in the data); customer.fraud-ring: ${[...ringStatus].map(([st, n]) => `${st} ${n}`).join(', ')}`);
}

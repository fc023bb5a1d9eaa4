import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { compileRuleset, createRegistry, type CompiledRuleset, type Ruleset } from '../engine/index.ts';
import { builtinSignals } from '../signals/index.ts';
import { generateShop } from './generateShop.ts';
import {
  formatMix, labelledOrderQuality, percent, qualityOfReplay, regressionBaseline, zoneMix,
  type Detection, type LabelledOrder, type SignalRank,
} from './qualityReport.ts';
import { replayHistory } from '../engine/history/index.ts';
import { readUciHistory } from './uciHistory.ts';
import { CHARGEBACK_DELAY_DAYS, readFraudDevHistory } from './fraudDevHistory.ts';
import { buildRings } from '../engine/rings/index.ts';

/**
 * `npm run quality`: scores, point-in-time, with the default ruleset (and, given
 * `--ruleset path.json`, with that one too, so before/after shows in one run):
 * - a generated, labelled shop history: per-pattern recall and precision of the HIGH zone and
 *   the zone mix of honest customers;
 * - the real UCI Online Retail history: its zone mix;
 * - the real labelled e-commerce fraud development set (`fraudDevHistory.ts`): ROC AUC of the
 *   order score, precision and recall at HIGH and MEDIUM+, zone mix and top signals per class,
 *   and a logistic-regression baseline on a time-ordered split.
 */
const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '7' },
    customers: { type: 'string', default: '600' },
    ruleset: { type: 'string' },
    uci: { type: 'string', default: new URL('../../shared/data/uci_online_retail.csv.gz', import.meta.url).pathname },
    fraud: { type: 'string', default: new URL('../../shared/data/ecommerce_fraud_dev.csv.gz', import.meta.url).pathname },
  },
});
const runStarted = performance.now();
const registry = createRegistry(builtinSignals);
const compile = async (path: string) => compileRuleset(JSON.parse(await readFile(path, 'utf8')) as Ruleset, registry);
const rulesets: { label: string; compiled: CompiledRuleset }[] = [
  { label: 'default', compiled: await compile(new URL('../rulesets/default.json', import.meta.url).pathname) },
];
if (values.ruleset) rulesets.push({ label: values.ruleset, compiled: await compile(values.ruleset) });
for (const { label, compiled } of rulesets) console.log(`ruleset ${label}: ${compiled.id} v${compiled.version}, ${compiled.scoringModel().signals.length} signals`);
console.log(`${builtinSignals.length} built-in signals\n`);

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
/** With two rulesets, each one's figures start with its name. */
const each = (fn: (compiled: CompiledRuleset) => void) => {
  for (const { label, compiled } of rulesets) {
    if (rulesets.length > 1) console.log(`  -- ${label} (${compiled.id} v${compiled.version})`);
    fn(compiled);
  }
};

// ---- the generated shop ----------------------------------------------------------------------
const seed = Number(values.seed);
const shop = generateShop({ seed, customers: Number(values.customers) });
each((compiled) => {
  const started = performance.now();
  const report = qualityOfReplay(shop.events, shop.labels, compiled, 'generated.myshopify.com');
  console.log(`generated shop (seed ${seed}, ${values.customers} customers): ${report.decisions} decisions in ${seconds(started)}`);
  console.log('  pattern                 targets   HIGH recall   MEDIUM+ recall');
  for (const p of report.patterns) {
    console.log(`  ${p.pattern.padEnd(22)} ${String(p.targets).padStart(8)}   ${percent(p.recallHigh).padStart(11)}   ${percent(p.recallMediumOrHigh).padStart(14)}`);
  }
  console.log(`  HIGH precision (abusive customers among HIGH decisions): ${percent(report.precisionHigh)} of ${report.highDecisions}`);
  console.log(`  honest customers:          ${formatMix(report.honest)}`);
  console.log(`  honest heavy returners:    ${formatMix(report.honestHeavyReturners)}`);
});
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

// ---- UCI Online Retail -----------------------------------------------------------------------
if (!existsSync(values.uci)) {
  console.log(`\nUCI Online Retail not found at ${values.uci}; pass --uci <path to uci_online_retail.csv.gz>`);
} else {
  const uci = await readUciHistory(values.uci);
  const s = uci.stats;
  console.log(`\nUCI Online Retail (real, 2010-12..2011-12): ${s.orders} orders, ${s.returns} returns, ${s.customers} customers; ${s.unlinkedCancellations} cancellations with no earlier purchase and ${s.guestCancellations} guest cancellations left out`);
  each((compiled) => {
    const decisions = [...replayHistory(uci.events, compiled, { shopId: 'uci-online-retail' })].map((r) => r.decision);
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
  });
}

// ---- the labelled e-commerce fraud development set -------------------------------------------
if (!existsSync(values.fraud)) {
  console.log(`\nE-commerce fraud development set not found at ${values.fraud}; pass --fraud <path to ecommerce_fraud_dev.csv.gz>`);
} else {
  const started = performance.now();
  const dev = await readFraudDevHistory(values.fraud);
  const s = dev.stats;
  const labelOf = new Map(dev.labels.map((l) => [l.orderId, l]));
  console.log(
    `\nE-commerce fraud development set (real, labelled; Kaggle "Fraud ecommerce" case study, ${s.first.slice(0, 10)}..${s.last.slice(0, 10)}): ` +
      `${s.orders} first orders of ${s.customers} customers, ${s.frauds} fraud (${percent(s.frauds / s.orders)}) → ${s.chargebacks} fraud chargebacks ${CHARGEBACK_DELAY_DAYS} days after their order; ` +
      `${s.sharedDevices} device ids shared by ${s.usersOnSharedDevices} customers; converted in ${seconds(started)}`,
  );
  console.log(`  placed in the minute of sign-up: ${s.sameMinute.orders} orders, ${s.sameMinute.frauds} of them fraud, the last on ${s.sameMinute.last.slice(0, 10)}`);
  each((compiled) => {
    const replayStarted = performance.now();
    const orders: LabelledOrder[] = [];
    for (const { decision } of replayHistory(dev.events, compiled, { shopId: 'fraud-dev.myshopify.com' })) {
      const label = decision.subject.kind === 'order' ? labelOf.get(decision.subject.id) : undefined;
      if (label) orders.push({ decision, fraud: label.fraud, at: label.at });
    }
    const replayed = seconds(replayStarted);
    const q = labelledOrderQuality(orders);
    console.log(`  ${q.orders} orders replayed in ${replayed}; ROC AUC of the order score ${q.auc.toFixed(3)} (ties count one half)`);
    const line = (name: string, d: Detection) =>
      `  ${name.padEnd(8)} flagged ${String(d.flagged).padStart(6)}   precision ${(Number.isNaN(d.precision) ? '-' : percent(d.precision)).padStart(6)}   recall ${percent(d.recall).padStart(6)}`;
    console.log(line('HIGH', q.high));
    console.log(line('MEDIUM+', q.mediumOrHigh));
    console.log(`  fraud orders:  ${formatMix(q.mix.fraud)}`);
    console.log(`  legit orders:  ${formatMix(q.mix.legit)}`);
    const hits = (r: SignalRank[]) => r.map((x) => `${x.id} ${percent(x.hitShare)}`).join(', ') || 'none';
    const points = (r: SignalRank[]) => r.map((x) => `${x.id} ${x.meanPoints.toFixed(2)}`).join(', ') || 'none';
    console.log(`  top signals of fraud orders, share hit:        ${hits(q.signals.fraud.byHits)}`);
    console.log(`  top signals of fraud orders, points per order: ${points(q.signals.fraud.byPoints)}`);
    console.log(`  top signals of legit orders, share hit:        ${hits(q.signals.legit.byHits)}`);
    console.log(`  top signals of legit orders, points per order: ${points(q.signals.legit.byPoints)}`);
    const fitStarted = performance.now();
    const b = regressionBaseline(orders, { testShare: 0.3, labelDelayDays: CHARGEBACK_DELAY_DAYS });
    console.log(
      `  time-ordered split: test = the latest 30% of orders (${b.testFrom.slice(0, 10)}..${b.testTo.slice(0, 10)}: ${b.test.orders} orders, ${b.test.frauds} fraud); ` +
        `train = orders before ${b.trainBefore.slice(0, 10)} (${CHARGEBACK_DELAY_DAYS} days earlier: every label known when the test starts): ${b.train.orders} orders, ${b.train.frauds} fraud`,
    );
    if (b.note) console.log(`  logistic regression: ${b.note}`);
    else {
      console.log(
        `  on the test orders: ruleset score ROC AUC ${b.rulesetAuc.toFixed(3)}; logistic regression over the ${b.features} signals' strengths ${b.regressionAuc.toFixed(3)} ` +
          `(train ${b.regressionTrainAuc.toFixed(3)}; engine/learn, L2; fitted in ${seconds(fitStarted)})`,
      );
      console.log(`  its largest coefficients (log-odds per unit strength): ${b.strongest.map((c) => `${c.id} ${c.coefficient.toFixed(2)}`).join(', ') || 'none'}`);
    }
  });
}

console.log(`\nquality run: ${seconds(runStarted)}`);

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { compileRuleset, createRegistry, type CompiledRuleset, type Ruleset } from '../engine/index.ts';
import { builtinSignals } from '../signals/index.ts';
import { generateShop } from './generateShop.ts';
import {
  formatCalibration, formatMetrics, formatMix, generatedShopRows, labelledOrderQuality, labelledRow, percent, qualityOfDecisions, regressionBaseline, regressionOnSplit, zoneMix,
  type Detection, type LabelledOrder, type QualityReport, type SignalRank,
} from './qualityReport.ts';
import { fitRuleset, splitRows, type FitOptions, type FitReport, type KindFit, type LabelledRow, type RefusedKind } from '../engine/learn/fitRuleset.ts';
import type { Decision } from '../engine/index.ts';
import { replayHistory, type HistoryEvent } from '../engine/history/index.ts';
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
 *   and a logistic-regression baseline on a time-ordered split;
 * - a version fitted to each labelled history's outcomes (`engine/learn/fitRuleset`: weights and
 *   zones per subject kind, fitted on a training part), its held-out figures beside the live
 *   ruleset's and the plain regression's on the same split, and (generated shop) the fitted
 *   version replayed over the whole shop beside the default.
 */
const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '7' },
    customers: { type: 'string', default: '600' },
    /** Honest households added to the generated shop (default: one per 60 customers). */
    households: { type: 'string' },
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
const each = (fn: (compiled: CompiledRuleset, label: string) => void) => {
  for (const { label, compiled } of rulesets) {
    if (rulesets.length > 1) console.log(`  -- ${label} (${compiled.id} v${compiled.version})`);
    fn(compiled, label);
  }
};

/** A fit's report: the split, then per kind the fitted weights that moved most, the zones and the held-out figures of both versions. */
function printFit(report: FitReport, current: CompiledRuleset, options: { calibration?: boolean; changed?: number } = {}): void {
  console.log(`    split: ${report.split.reason}; train ${report.split.trainPeriod.map((t) => t.slice(0, 10)).join('..')}, held out ${report.split.testPeriod.map((t) => t.slice(0, 10)).join('..')}`);
  for (const k of report.kinds) {
    if ('refused' in k) {
      const refused = k as RefusedKind;
      if (refused.counts.positive + refused.counts.negative > 0) console.log(`    ${k.kind}s: not fitted: ${refused.refused}`);
      continue;
    }
    const fit = k as KindFit;
    const was = current.scoringModel().zonesByKind[fit.kind];
    const unobserved = new Set(fit.unobserved);
    const moved = Object.keys(fit.weights)
      .filter((id) => fit.weights[id] !== fit.current[id] && !unobserved.has(id))
      .sort((a, b) => Math.abs(fit.weights[b]! - fit.current[b]!) - Math.abs(fit.weights[a]! - fit.current[a]!) || (a < b ? -1 : 1))
      .slice(0, options.changed ?? 6);
    console.log(
      `    ${fit.kind}s: zones MEDIUM ${fit.zones.medium} HIGH ${fit.zones.high} (were ${was.medium}/${was.high}); ${fit.scale.pointsPerLogit} points per log-odds unit; ` +
        `train ${fit.counts.train.positive}+/${fit.counts.train.negative}-, held out ${fit.counts.test.positive}+/${fit.counts.test.negative}-`,
    );
    console.log(
      `      weights moved most: ${moved.map((id) => `${id} ${fit.current[id]} → ${fit.weights[id]}`).join(', ') || 'none'}` +
        `${unobserved.size > 0 ? ` (${unobserved.size} signals never hit in training: left at their current log-odds, points × ${(fit.scale.pointsPerLogit / fit.scale.priorPointsPerLogit).toFixed(2)})` : ''}`,
    );
    for (const [id, curve] of Object.entries(fit.curves)) {
      const evidence = fit.curveEvidence[id];
      console.log(`      strength curve ${id}: ${JSON.stringify(curve)} (basis ${evidence ? basisNames(evidence).join(', ') : ''}; training log-likelihood +${evidence?.logLikelihoodGain})`);
    }
    console.log(
      `      targets: HIGH precision ${fit.targets.high} with at most ${fit.targets.maxHonestShare} of the legit ${fit.kind}s (held out: ${fit.honestInHigh.heldOut.legit} of ${fit.honestInHigh.heldOut.of} in HIGH; ` +
        `training: ${fit.honestInHigh.training.legit} of ${fit.honestInHigh.training.of}); MEDIUM precision ${fit.targets.medium}`,
    );
    for (const note of fit.notes) console.log(`      note: ${note}`);
    const held = report.heldOut[fit.kind]!;
    console.log(formatMetrics(`live (${current.id} v${current.version})`, held.live).replace(/^ {2}/, '      '));
    console.log(formatMetrics('fitted', held.fitted).replace(/^ {2}/, '      '));
    if (options.calibration) for (const line of formatCalibration(held.live, held.fitted)) console.log(`    ${line}`);
  }
}

function printPatterns(report: QualityReport): void {
  console.log('  pattern                 targets   HIGH recall   MEDIUM+ recall');
  for (const p of report.patterns) {
    console.log(`  ${p.pattern.padEnd(22)} ${String(p.targets).padStart(8)}   ${percent(p.recallHigh).padStart(11)}   ${percent(p.recallMediumOrHigh).padStart(14)}`);
  }
  console.log(`  HIGH precision (abusive customers among HIGH decisions): ${percent(report.precisionHigh)} of ${report.highDecisions}`);
  console.log(`  honest customers:          ${formatMix(report.honest)}`);
  console.log(`  honest heavy returners:    ${formatMix(report.honestHeavyReturners)}`);
  console.log(`  honest households:         ${formatMix(report.households)}`);
  console.log(
    `  honest events in HIGH (exact): customers ${report.honest.high} of ${report.honest.events}, heavy returners ${report.honestHeavyReturners.high} of ${report.honestHeavyReturners.events}, ` +
      `households ${report.households.high} of ${report.households.events}`,
  );
}

/** A strength to 4 decimals. */
const short = (strength: number) => String(Math.round(strength * 10_000) / 10_000);
/** The names of a curve basis's columns, in `basisValues`' order (a binned basis: a bin per lower bound, then the atom's). */
const basisNames = (basis: { level?: boolean; knots: number[]; atom?: number; bins?: number[] }) =>
  basis.bins
    ? [
        ...basis.bins.map((from, b) => {
          const to = basis.bins![b + 1] ?? basis.atom;
          return b === 0 ? `bin under ${short(to ?? 1)}` : to === undefined ? `bin from ${short(from)}` : `bin ${short(from)}-${short(to)}`;
        }),
        ...(basis.atom === undefined ? [] : [`bin ${short(basis.atom)}`]),
      ]
    : [...(basis.level ? ['level'] : []), ...basis.knots.map((k) => `hinge ${k}`), ...(basis.atom === undefined ? [] : [`step at ${basis.atom}`])];

/** The signals adding most points to honest households' events (the household trap), with how many of their events each hit. */
function householdSignals(decisions: readonly Decision[]): string {
  const household = new Set(shop.labels.filter((l) => l.pattern === 'honest-household').map((l) => l.subjectId));
  const tally = new Map<string, { hits: number; points: number }>();
  let events = 0;
  for (const d of decisions) {
    if (!household.has(d.subject.id)) continue;
    events++;
    for (const sig of d.signals) {
      if (sig.status !== 'hit' || sig.points <= 0) continue;
      const t = tally.get(sig.id) ?? { hits: 0, points: 0 };
      t.hits++;
      t.points += sig.points;
      tally.set(sig.id, t);
    }
  }
  const top = [...tally].sort((a, b) => b[1].points - a[1].points || (a[0] < b[0] ? -1 : 1)).slice(0, 6);
  return `signals adding most points to the households' ${events} events: ${top.map(([id, t]) => `${id} (${t.hits} hits, ${(t.points / t.hits).toFixed(1)} points each)`).join(', ') || 'none'}`;
}

const replayDecisions = (events: readonly HistoryEvent[], compiled: CompiledRuleset, shopId: string): Decision[] => [...replayHistory(events, compiled, { shopId })].map((r) => r.decision);

// ---- the generated shop ----------------------------------------------------------------------
const seed = Number(values.seed);
const households = values.households === undefined ? Math.round(Number(values.customers) / 60) : Number(values.households);
const shop = generateShop({ seed, customers: Number(values.customers), households });
each((compiled) => {
  const started = performance.now();
  const decisions = replayDecisions(shop.events, compiled, 'generated.myshopify.com');
  const report = qualityOfDecisions(decisions, shop.labels);
  console.log(`generated shop (seed ${seed}, ${values.customers} customers and ${households} honest households of ${new Set(shop.labels.filter((l) => l.pattern === 'honest-household').map((l) => l.customerId)).size} accounts): ${report.decisions} decisions in ${seconds(started)}`);
  printPatterns(report);
  console.log(`  ${householdSignals(decisions)}`);
  // Fitted to the shop's labels: abusive target events positive, honest customers' events negative.
  const rows = generatedShopRows(decisions, shop.labels, shop.events);
  const targets: { title: string; options: FitOptions }[] = [
    { title: "the default targets: HIGH at held-out precision 0.9 holding at most 0.5% of the legit subjects (held-out and training parts each), MEDIUM at precision 0.5 (or 3 times the base rate's odds)", options: {} },
    { title: 'no legit subject in HIGH at all (maxHonestShare 0), the other targets as above', options: { maxHonestShare: 0 } },
  ];
  for (const { title, options } of targets) {
    const fitStarted = performance.now();
    const { body, report: fit } = fitRuleset(rows, compiled, options);
    console.log(`\n  fitted (engine/learn/fitRuleset), ${title}: ${rows.length} labelled subjects (abusive targets positive, honest customers' events, households' included, negative), fitted in ${seconds(fitStarted)}`);
    printFit(fit, compiled);
    const replayStarted = performance.now();
    const replayedDecisions = replayDecisions(shop.events, compileRuleset(body, registry), 'generated.myshopify.com');
    const replayed = qualityOfDecisions(replayedDecisions, shop.labels);
    console.log(`  the fitted version replayed over the whole shop (every event, training and held-out parts, earlier verdicts fed forward; ${seconds(replayStarted)}):`);
    printPatterns(replayed);
    console.log(`  ${householdSignals(replayedDecisions)}`);
  }
});
const ringStarted = performance.now();
const rings = buildRings(shop.events);
const labelled = new Set(shop.labels.filter((l) => l.pattern === 'fraud-ring').map((l) => `customer:${l.customerId}`));
const householdKeys = new Set(shop.labels.filter((l) => l.pattern === 'honest-household').map((l) => `customer:${l.customerId}`));
const clustered = new Set(rings.rings.flatMap((r) => r.members.map((m) => m.key)));
const ordering = new Set(shop.events.flatMap((e) => (e.type === 'order' && e.order.customerId && labelled.has(`customer:${e.order.customerId}`) ? [`customer:${e.order.customerId}`] : [])));
const caught = [...clustered].filter((k) => labelled.has(k)).length;
const householdsClustered = [...clustered].filter((k) => householdKeys.has(k)).length;
const ringOf = new Map(rings.rings.flatMap((r) => r.members.map((m) => [m.key, r] as const)));
const householdRingScores = [...new Set([...householdKeys].flatMap((k) => (ringOf.has(k) ? [ringOf.get(k)!] : [])))].map((r) => r.score);
console.log(
  `  fraud rings (engine/rings, ${((performance.now() - ringStarted) / 1000).toFixed(2)} s): ${rings.rings.length} found, scores ${rings.rings.map((r) => r.score).join(', ')}; ` +
    `${caught} of ${ordering.size} ring members who ordered clustered; ${householdsClustered} of ${householdKeys.size} household accounts clustered (as ${householdRingScores.length} rings, scores ${householdRingScores.join(', ') || '-'}); ` +
    `${clustered.size - caught - householdsClustered} other customers clustered; ${rings.stats.hubIdentifiers} hub identifiers skipped`,
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
    let fitStarted = performance.now();
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

    // A version fitted to the labels (engine/learn/fitRuleset), judged on orders it never saw.
    const totals = new Map<string, number>();
    for (const e of dev.events) if (e.type === 'order') totals.set(e.order.id, e.order.totalPrice);
    const rows: LabelledRow[] = orders.map((o) => labelledRow(o.decision, { positive: o.fraud, customerId: labelOf.get(o.decision.subject.id)!.customerId, value: totals.get(o.decision.subject.id) ?? 0 }));
    console.log(
      '  fitted version (engine/learn/fitRuleset: weights and zones fitted on a training part, every figure on the held-out part):\n' +
        '    split by customer, not by time: on a time-ordered split every method is at chance on the held-out part here (above: the fraud that the signals\n' +
        "    separate is a January burst; from August on fraud and honest orders look alike), so the time split cannot tell a fit from a guess. The\n" +
        '    customer split holds out 30% of the customers (seed 20261207) across the whole year; the time-split figures follow, as they are.',
    );
    for (const split of ['customer', 'time'] as const) {
      fitStarted = performance.now();
      const { report: fit } = fitRuleset(rows, compiled, { split });
      const took = seconds(fitStarted);
      const isTest = splitRows(rows, { split }).isTest;
      const trainRows = rows.filter((_, i) => !isTest[i]);
      const testRows = rows.filter((_, i) => isTest[i]);
      const base = regressionOnSplit(trainRows, testRows);
      console.log(`  -- ${split} split (fitted in ${took})`);
      printFit(fit, compiled, { calibration: split === 'customer', changed: 8 });
      console.log(`    plain logistic regression on the same split, each signal's strength (${base.features} features, L2, no prior): held-out AUC ${base.auc.toFixed(4)} (train ${base.trainAuc.toFixed(3)})`);
      // Like for like: the same regression given the fit's curve features too (each curved signal's level, hinges and step beside its strength, or its bins instead of it).
      const orderFit = fit.kinds.find((k): k is KindFit => k.kind === 'order' && 'weights' in k);
      const bases = Object.fromEntries(Object.entries(orderFit?.curveEvidence ?? {}).map(([id, e]) => [id, { ...(e.level ? { level: true as const } : {}), knots: e.knots, ...(e.atom === undefined ? {} : { atom: e.atom }), ...(e.bins ? { bins: e.bins } : {}) }]));
      const same = Object.keys(bases).length > 0 ? regressionOnSplit(trainRows, testRows, 1, { bases }) : undefined;
      if (same) {
        console.log(
          `    the same regression given the fit's curve features too (${Object.keys(bases).join(', ')}: ${same.features} features; unconstrained: its curves may go below 0 and down): held-out AUC ${same.auc.toFixed(4)} (train ${same.trainAuc.toFixed(3)}); ` +
            `${Object.keys(bases).map((id) => `${id} log-odds: ${[...(id in same.coefficients ? [`strength ${same.coefficients[id]!.toFixed(2)}`] : []), ...basisNames(bases[id]!).map((name, c) => `${name} ${same.coefficients[`${id}#${c}`]!.toFixed(2)}`)].join(', ')}`).join('; ')}`,
        );
        console.log(
          `    that regression with each of those signals' effect cut at 0 (a risk signal's points, a 0..1 curve × a positive weight, cannot go below 0): held-out AUC ${same.aucCutAtZero!.toFixed(4)}`,
        );
      }
      if (split === 'customer') {
        const binned = regressionOnSplit(trainRows, testRows, 1, { binned: 'customer.new-account' });
        console.log(
          `    the same regression with customer.new-account's strength in bins instead (1, 0.9-1, 0.75-0.9, 0.5-0.75, 0.3-0.5, below): held-out AUC ${binned.auc.toFixed(4)}; ` +
            `log-odds by bin ${Object.entries(binned.coefficients).filter(([id]) => id.includes('≥')).map(([id, c]) => `≥${id.split('≥')[1]} ${c.toFixed(2)}`).join(', ')}`,
        );
      }
      const held = fit.heldOut.order;
      if (held) {
        const f = held.fitted;
        const yes = (ok: boolean) => (ok ? 'met' : 'NOT met');
        const notBelow = (auc: number) => `(${auc.toFixed(4)}) ${yes((f.auc ?? 0) >= Math.round(auc * 10_000) / 10_000)}`;
        console.log(
          `    issue 21 targets on this split: fitted AUC ${f.auc?.toFixed(4)} ≥ 0.78 ${yes((f.auc ?? 0) >= 0.78)}; not below the regression on each signal's strength ${notBelow(base.auc)}` +
            `${same ? `; not below the regression given the fit's curve features too ${notBelow(same.auc)}` : ''}; ` +
            `HIGH precision ${f.high.precision === null ? '-' : f.high.precision.toFixed(3)} ≥ 0.9 at recall ${f.high.recall.toFixed(3)} ≥ 0.5 ${yes((f.high.precision ?? 0) >= 0.9 && f.high.recall >= 0.5)} (legit orders in HIGH ${f.high.honestShare === null ? '-' : percent(f.high.honestShare)})`,
        );
      }
    }
  });
}

console.log(`\nquality run: ${seconds(runStarted)}`);

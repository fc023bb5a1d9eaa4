import type { CompiledRuleset, Decision, Zone } from '../engine/index.ts';
import { replayHistory, type HistoryEvent } from '../engine/history/index.ts';
import type { LabelledRow, VersionMetrics } from '../engine/learn/fitRuleset.ts';
import { fitLogisticRegression, logisticLogit } from '../engine/learn/logisticRegression.ts';
import { rocAuc } from '../engine/learn/rocAuc.ts';
import { strengthFeature } from '../engine/learn/suggestWeights.ts';
import { basisValues, basisWidth, type CurveBasis } from '../engine/learn/fitCurves.ts';
import { ABUSIVE_PATTERNS, type EventLabel, type Pattern } from './generateShop.ts';

export { rocAuc };

export interface ZoneMix {
  events: number;
  low: number;
  medium: number;
  high: number;
}

export interface PatternQuality {
  pattern: Pattern;
  /** The pattern's target events (e.g. a wardrober's returns). */
  targets: number;
  /** Share of targets scored HIGH. */
  recallHigh: number;
  /** Share of targets scored MEDIUM or HIGH. */
  recallMediumOrHigh: number;
}

export interface QualityReport {
  decisions: number;
  patterns: PatternQuality[];
  /** Share of HIGH decisions that belong to customers following an abuse pattern. */
  precisionHigh: number;
  highDecisions: number;
  honest: ZoneMix;
  honestHeavyReturners: ZoneMix;
  /** Honest households (accounts sharing an address, a browser, an IP, sometimes a card). */
  households: ZoneMix;
  /** Share of each subject kind's decisions per zone, over every decision. */
  byKind: Record<string, ZoneMix>;
}

/** Replays a history point-in-time and scores every decision against the labels. */
export function qualityOfReplay(events: readonly HistoryEvent[], labels: readonly EventLabel[], compiled: CompiledRuleset, shopId: string): QualityReport {
  const decisions: Decision[] = [];
  for (const { decision } of replayHistory(events, compiled, { shopId })) decisions.push(decision);
  return qualityOfDecisions(decisions, labels);
}

/** The generated shop's figures of decisions already made (a replay's). */
export function qualityOfDecisions(decisions: readonly Decision[], labels: readonly EventLabel[]): QualityReport {
  const labelOf = new Map(labels.map((label) => [label.subjectId, label]));
  const withLabels = decisions.map((decision) => ({ decision, label: labelOf.get(decision.subject.id) }));

  const patterns = [...ABUSIVE_PATTERNS].map((pattern): PatternQuality => {
    const targets = withLabels.filter((d) => d.label?.pattern === pattern && d.label.target);
    return {
      pattern,
      targets: targets.length,
      recallHigh: share(targets, (d) => d.decision.zone === 'high'),
      recallMediumOrHigh: share(targets, (d) => d.decision.zone !== 'low'),
    };
  });
  const high = withLabels.filter((d) => d.decision.zone === 'high');
  const mixOf = (pattern: Pattern) => zoneMix(withLabels.filter((d) => d.label?.pattern === pattern).map((d) => d.decision.zone));
  const byKind: Record<string, ZoneMix> = {};
  for (const kind of ['order', 'return', 'refund']) byKind[kind] = zoneMix(decisions.filter((d) => d.subject.kind === kind).map((d) => d.zone));
  return {
    decisions: decisions.length,
    patterns,
    precisionHigh: share(high, (d) => d.label !== undefined && ABUSIVE_PATTERNS.has(d.label.pattern)),
    highDecisions: high.length,
    honest: mixOf('honest'),
    honestHeavyReturners: mixOf('honest-heavy-returner'),
    households: mixOf('honest-household'),
    byKind,
  };
}

export function zoneMix(zones: readonly Zone[]): ZoneMix {
  const mix: ZoneMix = { events: zones.length, low: 0, medium: 0, high: 0 };
  for (const zone of zones) mix[zone]++;
  return mix;
}

function share<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  return items.length === 0 ? 0 : items.filter(predicate).length / items.length;
}

export function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

export function formatMix(mix: ZoneMix): string {
  const p = (n: number) => percent(mix.events === 0 ? 0 : n / mix.events);
  return `${String(mix.events).padStart(6)} events   LOW ${p(mix.low).padStart(6)}   MEDIUM ${p(mix.medium).padStart(6)}   HIGH ${p(mix.high).padStart(6)}`;
}

// ---- labelled orders (real data: one fraud/legit label per order) ------------------------------

/** A decided order with its label and time. */
export interface LabelledOrder {
  decision: Decision;
  fraud: boolean;
  /** The order's time (ISO). */
  at: string;
}

/** Flagging the orders at or above a zone. */
export interface Detection {
  flagged: number;
  /** Flagged orders that are fraud. */
  caught: number;
  /** caught / flagged; NaN when nothing is flagged. */
  precision: number;
  /** caught / frauds. */
  recall: number;
}

export interface SignalRank {
  id: string;
  /** Orders of the class on which the signal hit, and their share of the class. */
  hits: number;
  hitShare: number;
  /** Mean points per order of the class. */
  meanPoints: number;
}

export interface LabelledOrderReport {
  orders: number;
  frauds: number;
  /** ROC AUC of the score, ties counted as half. */
  auc: number;
  high: Detection;
  mediumOrHigh: Detection;
  mix: { fraud: ZoneMix; legit: ZoneMix };
  /** Per class, the signals that hit most and that gave most points. */
  signals: { fraud: { byHits: SignalRank[]; byPoints: SignalRank[] }; legit: { byHits: SignalRank[]; byPoints: SignalRank[] } };
}

function detection(orders: readonly LabelledOrder[], flag: (zone: Zone) => boolean): Detection {
  const flagged = orders.filter((o) => flag(o.decision.zone));
  const caught = flagged.filter((o) => o.fraud).length;
  const frauds = orders.filter((o) => o.fraud).length;
  return { flagged: flagged.length, caught, precision: flagged.length === 0 ? Number.NaN : caught / flagged.length, recall: frauds === 0 ? Number.NaN : caught / frauds };
}

function signalRanks(orders: readonly LabelledOrder[], top: number): { byHits: SignalRank[]; byPoints: SignalRank[] } {
  const tally = new Map<string, { hits: number; points: number }>();
  for (const { decision } of orders) {
    for (const s of decision.signals) {
      const t = tally.get(s.id) ?? { hits: 0, points: 0 };
      if (s.status === 'hit') t.hits++;
      t.points += s.points;
      tally.set(s.id, t);
    }
  }
  const ranks = [...tally].map(([id, t]): SignalRank => ({ id, hits: t.hits, hitShare: orders.length ? t.hits / orders.length : 0, meanPoints: orders.length ? t.points / orders.length : 0 }));
  return {
    byHits: ranks.filter((r) => r.hits > 0).sort((a, b) => b.hits - a.hits || a.id.localeCompare(b.id)).slice(0, top),
    byPoints: ranks.filter((r) => r.meanPoints !== 0).sort((a, b) => Math.abs(b.meanPoints) - Math.abs(a.meanPoints) || a.id.localeCompare(b.id)).slice(0, top),
  };
}

/** ROC AUC, precision and recall at HIGH and at MEDIUM+, zone mix and top signals per class. */
export function labelledOrderQuality(orders: readonly LabelledOrder[], top = 6): LabelledOrderReport {
  const fraud = orders.filter((o) => o.fraud);
  const legit = orders.filter((o) => !o.fraud);
  return {
    orders: orders.length,
    frauds: fraud.length,
    auc: rocAuc(orders.map((o) => o.decision.score), orders.map((o) => o.fraud)),
    high: detection(orders, (zone) => zone === 'high'),
    mediumOrHigh: detection(orders, (zone) => zone !== 'low'),
    mix: { fraud: zoneMix(fraud.map((o) => o.decision.zone)), legit: zoneMix(legit.map((o) => o.decision.zone)) },
    signals: { fraud: signalRanks(fraud, top), legit: signalRanks(legit, top) },
  };
}

export interface BaselineOptions {
  /** The latest share of the orders (by time) to test on. Default 0.3. */
  testShare?: number;
  /** Days after an order before its label is known (the chargeback delay): training stops that long before the test starts. */
  labelDelayDays: number;
  /** The regression's L2 penalty (as `suggestWeights`). Default 1. */
  l2?: number;
}

export interface BaselineReport {
  /** The first test order's time: the test part is every order from it on. */
  testFrom: string;
  testTo: string;
  /** Training orders were placed before this (testFrom − labelDelayDays), so every label was known at testFrom. */
  trainBefore: string;
  train: { orders: number; frauds: number };
  test: { orders: number; frauds: number };
  /** The features: each signal's strength where it hit (engine/learn `strengthFeature`). */
  features: number;
  /** The ruleset's score on the test orders. */
  rulesetAuc: number;
  /** The regression's log-odds on the test orders, and on its own training orders. */
  regressionAuc: number;
  regressionTrainAuc: number;
  /** The largest coefficients (log-odds per unit strength). */
  strongest: { id: string; coefficient: number }[];
  note?: string;
}

/**
 * A plain baseline beside the ruleset: a logistic regression (the project's one,
 * `engine/learn/logisticRegression.ts`) of fraud on the same point-in-time features the ruleset
 * saw (each signal's strength in each order's replayed decision), trained on the earlier orders
 * and tested on the later ones. The split is by time: the test part is the last `testShare` of
 * the orders; training takes only orders placed at least `labelDelayDays` before the test part
 * starts, whose labels (chargebacks) were all known by then. The ruleset's AUC on the same test
 * orders is given for a like-for-like comparison.
 */
export function regressionBaseline(orders: readonly LabelledOrder[], options: BaselineOptions): BaselineReport {
  const sorted = [...orders].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const testFromIndex = Math.min(sorted.length - 1, Math.floor(sorted.length * (1 - (options.testShare ?? 0.3))));
  const testFrom = Date.parse(sorted[testFromIndex]!.at);
  const trainBefore = testFrom - options.labelDelayDays * 86_400_000;
  const test = sorted.filter((o) => Date.parse(o.at) >= testFrom);
  const train = sorted.filter((o) => Date.parse(o.at) < trainBefore);
  const ids = [...new Set(sorted.flatMap((o) => o.decision.signals.map((s) => s.id)))];
  const matrix = (part: readonly LabelledOrder[]) => {
    const column = new Map(ids.map((id, i) => [id, i]));
    const x = new Float64Array(part.length * ids.length);
    part.forEach((o, row) => {
      for (const s of o.decision.signals) x[row * ids.length + column.get(s.id)!] = strengthFeature(s);
    });
    return x;
  };
  const trainFrauds = train.filter((o) => o.fraud).length;
  const report: BaselineReport = {
    testFrom: new Date(testFrom).toISOString(),
    testTo: sorted.at(-1)!.at,
    trainBefore: new Date(trainBefore).toISOString(),
    train: { orders: train.length, frauds: trainFrauds },
    test: { orders: test.length, frauds: test.filter((o) => o.fraud).length },
    features: ids.length,
    rulesetAuc: rocAuc(test.map((o) => o.decision.score), test.map((o) => o.fraud)),
    regressionAuc: Number.NaN,
    regressionTrainAuc: Number.NaN,
    strongest: [],
  };
  if (trainFrauds === 0 || trainFrauds === train.length) return { ...report, note: 'the training orders are all of one class: no regression' };
  const xTrain = matrix(train);
  const fit = fitLogisticRegression(xTrain, Float64Array.from(train, (o) => (o.fraud ? 1 : 0)), ids.length, { l2: options.l2 ?? 1 });
  const xTest = matrix(test);
  report.regressionAuc = rocAuc(test.map((_, row) => logisticLogit(fit, xTest, row)), test.map((o) => o.fraud));
  report.regressionTrainAuc = rocAuc(train.map((_, row) => logisticLogit(fit, xTrain, row)), train.map((o) => o.fraud));
  report.strongest = ids
    .map((id, i) => ({ id, coefficient: fit.coefficients[i]! }))
    .filter((c) => c.coefficient !== 0)
    .sort((a, b) => Math.abs(b.coefficient) - Math.abs(a.coefficient))
    .slice(0, 5);
  return report;
}

// ---- fitted versions (engine/learn/fitRuleset) -------------------------------------------------

/** A decision as a labelled row for `fitRuleset`: its stored signal results, score and zone. */
export function labelledRow(decision: Decision, label: { positive: boolean; customerId: string | null; value: number }): LabelledRow {
  return {
    subjectId: decision.subject.id,
    kind: decision.subject.kind,
    at: decision.subject.at,
    customerId: label.customerId,
    positive: label.positive,
    value: label.value,
    signals: decision.signals.map((s) => ({ id: s.id, status: s.status, strength: s.strength })),
    liveScore: decision.score,
    liveZone: decision.zone,
  };
}

/**
 * The generated shop's labelled rows: the target events of an abuse pattern (a wardrober's
 * returns, a ring's orders, …) are positive; every event of an honest customer (heavy returners
 * included) is negative; an abuser's other events (a wardrober's orders) are left unlabelled, as
 * a merchant would leave them. Money: the order total, the return's value, the refund's amount.
 */
export function generatedShopRows(decisions: readonly Decision[], labels: readonly EventLabel[], events: readonly HistoryEvent[]): LabelledRow[] {
  const labelOf = new Map(labels.map((l) => [l.subjectId, l]));
  const value = new Map<string, number>();
  for (const e of events) {
    if (e.type === 'order') value.set(e.order.id, e.order.totalPrice);
    else if (e.type === 'return') value.set(e.return.id, e.return.totalValue);
    else if (e.type === 'refund') value.set(e.refund.id, e.refund.amount);
  }
  const rows: LabelledRow[] = [];
  for (const decision of decisions) {
    const label = labelOf.get(decision.subject.id);
    if (!label) continue;
    const abusive = ABUSIVE_PATTERNS.has(label.pattern);
    if (abusive && !label.target) continue;
    rows.push(labelledRow(decision, { positive: abusive, customerId: label.customerId, value: value.get(decision.subject.id) ?? 0 }));
  }
  return rows;
}

/** Strength bins (their lower bounds, highest first) for `regressionOnSplit`'s `binned` signal. */
const STRENGTH_BINS = [1, 0.9, 0.75, 0.5, 0.3, 0];

export interface SplitBaseline {
  features: number;
  /** ROC AUC of the regression's log-odds on the held-out rows, and on its own training rows. */
  auc: number;
  trainAuc: number;
  strongest: { id: string; coefficient: number }[];
  /** Every coefficient by feature id (a binned signal's bins as `<id>≥<from>`, a basis's columns as `<id>#<column>`). */
  coefficients: Record<string, number>;
  /**
   * With `bases`: the held-out AUC of the same log-odds with each based signal's effect (strength,
   * level, hinges, step together; or its bins) cut at 0 — what a risk signal's points (a 0..1 curve
   * × a positive weight) can draw of it.
   */
  aucCutAtZero?: number;
}

/**
 * The plain baseline on a given split: a logistic regression (the project's one, L2 toward 0, no
 * prior) of the label on every signal's strength where it hit, trained on `train`, its ROC AUC on
 * `test`. Beside a fitted version on the same split, it is the like-for-like comparison.
 */
export function regressionOnSplit(train: readonly LabelledRow[], test: readonly LabelledRow[], l2 = 1, options: { binned?: string; bases?: Readonly<Record<string, CurveBasis>> } = {}): SplitBaseline {
  const signalIds = [...new Set([...train, ...test].flatMap((r) => r.signals.map((s) => s.id)))].sort();
  // Optionally one signal's strength as indicators of bins (a curve the ruleset's linear points cannot draw).
  const bins = options.binned ? STRENGTH_BINS.map((from) => `${options.binned}≥${from}`) : [];
  // Optionally, for some signals, a fitted version's curve basis beside the strength (its level, hinges and atom: `fitCurves.ts`), or instead of it (its bins).
  const bases = options.bases ?? {};
  const basisIds = Object.keys(bases).sort().flatMap((id) => Array.from({ length: basisWidth(bases[id]!) }, (_, c) => `${id}#${c}`));
  const ids = [...signalIds.filter((id) => id !== options.binned && !bases[id]?.bins), ...bins, ...basisIds];
  const column = new Map(ids.map((id, i) => [id, i]));
  const matrix = (part: readonly LabelledRow[]) => {
    const x = new Float64Array(part.length * ids.length);
    part.forEach((r, row) => {
      for (const s of r.signals) {
        const value = strengthFeature(s);
        if (column.has(s.id)) x[row * ids.length + column.get(s.id)!] = value;
        else if (s.id === options.binned && value > 0) x[row * ids.length + column.get(`${s.id}≥${STRENGTH_BINS.find((from) => value >= from)}`)!] = 1;
        const basis = bases[s.id];
        if (basis && value > 0) basisValues(basis, value).forEach((v, c) => (x[row * ids.length + column.get(`${s.id}#${c}`)!] = v));
      }
    });
    return x;
  };
  const xTrain = matrix(train);
  const fit = fitLogisticRegression(xTrain, Float64Array.from(train, (r) => (r.positive ? 1 : 0)), ids.length, { l2 });
  const xTest = matrix(test);
  // Each based signal's columns (its strength and its basis), to cut its effect at 0.
  const effectColumns = Object.keys(bases).map((id) => [column.get(id), ...ids.flatMap((c, i) => (c.startsWith(`${id}#`) ? [i] : []))].filter((i): i is number => i !== undefined));
  const cutLogit = (row: number) => {
    let z = logisticLogit(fit, xTest, row);
    for (const cols of effectColumns) {
      const effect = cols.reduce((sum, i) => sum + fit.coefficients[i]! * xTest[row * ids.length + i]!, 0);
      if (effect < 0) z -= effect;
    }
    return z;
  };
  return {
    features: ids.length,
    auc: rocAuc(test.map((_, row) => logisticLogit(fit, xTest, row)), test.map((r) => r.positive)),
    trainAuc: rocAuc(train.map((_, row) => logisticLogit(fit, xTrain, row)), train.map((r) => r.positive)),
    ...(effectColumns.length > 0 ? { aucCutAtZero: rocAuc(test.map((_, row) => cutLogit(row)), test.map((r) => r.positive)) } : {}),
    strongest: ids
      .map((id, i) => ({ id, coefficient: fit.coefficients[i]! }))
      .filter((c) => Math.abs(c.coefficient) > 1e-9)
      .sort((a, b) => Math.abs(b.coefficient) - Math.abs(a.coefficient))
      .slice(0, 5),
    coefficients: Object.fromEntries(ids.map((id, i) => [id, fit.coefficients[i]!])),
  };
}

/** One line of held-out figures of a version: AUC, HIGH and MEDIUM+ precision/recall (and HIGH's share of the legit subjects), money. */
export function formatMetrics(name: string, m: VersionMetrics): string {
  const p = (v: number | null) => (v === null ? '-' : percent(v)).padStart(6);
  const money = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 0 });
  return (
    `  ${name.padEnd(22)} AUC ${m.auc === null ? '  -  ' : m.auc.toFixed(3)}   HIGH ${String(m.high.flagged).padStart(5)} P ${p(m.high.precision)} R ${p(m.high.recall)} legit ${p(m.high.honestShare)}` +
    `   MEDIUM+ ${String(m.mediumPlus.flagged).padStart(5)} P ${p(m.mediumPlus.precision)} R ${p(m.mediumPlus.recall)}` +
    `   money caught ${money(m.money.caught)} of ${money(m.money.positivesTotal)}, honest held ${money(m.money.honestHeld)}`
  );
}

/** The calibration tables of two versions side by side: band → rows, positives, observed rate. */
export function formatCalibration(live: VersionMetrics, fitted: VersionMetrics): string[] {
  const cell = (b: VersionMetrics['calibration'][number]) => `${String(b.rows).padStart(6)} ${String(b.positives).padStart(5)} ${(b.rate === null ? '-' : percent(b.rate)).padStart(6)}`;
  const lines = ['  score band      live: rows   pos   rate    fitted: rows   pos   rate'];
  live.calibration.forEach((band, i) => {
    const other = fitted.calibration[i]!;
    if (band.rows === 0 && other.rows === 0) return;
    lines.push(`  ${`${band.from}-${band.to === 100 ? 100 : band.to - 0.01}`.padEnd(12)}   ${cell(band)}          ${cell(other)}`);
  });
  return lines;
}


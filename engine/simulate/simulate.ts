import type { HashedLists, ShopBaseline, SubjectKind } from '../../sdk/index.ts';
import type { Zone } from '../ruleset.ts';
import type { CompiledRuleset } from '../compileRuleset.ts';
import type { Decision, SignalTrace } from '../decision.ts';
import type { HistoryEvent } from '../history/ShopHistory.ts';
import type { Snooze } from '../score.ts';
import { replayHistory, type ReplayOptions } from '../history/replayHistory.ts';
import type { ExpressionBudget } from '../expression/ExpressionBudget.ts';
import { calibrationTable, type CalibrationBand } from '../learn/calibrationTable.ts';
import { rocAuc } from '../learn/rocAuc.ts';

export type { CalibrationBand };

export interface SimulationWindow {
  from: string;
  to: string;
}

export interface SimulationOptions {
  shopId: string;
  window: SimulationWindow;
  lists?: HashedLists;
  /** The shop's snoozes: both replays zero a snoozed signal for subjects in its time, as live scoring does (`ReplayOptions.snoozes`). */
  snoozes?: readonly Snooze[];
  /**
   * Judge every event with this baseline (as the backfill and live scoring do with the shop's
   * current one); without it, a point-in-time baseline is rebuilt weekly from earlier events.
   */
  baseline?: ShopBaseline;
  /** Chargebacks arrive weeks after the order: subjects of the last this many days are "immature". Default 120. */
  maturityDays?: number;
  /** A budget both replays' custom expressions are charged to; the run stops with `ExpressionBudgetExhausted` when it is used up. */
  budget?: ExpressionBudget;
}

/** One side of a flip: the score, zone and the signals that fired. */
export interface FlipSide {
  score: number;
  zone: Zone;
  actions: string[];
  signals: Pick<SignalTrace, 'id' | 'status' | 'points' | 'message'>[];
}

export interface Flip {
  subjectId: string;
  kind: string;
  at: string;
  customerId: string | null;
  before: FlipSide;
  after: FlipSide;
  /** What is known of the subject: fraud (a chargeback or a fraud label), legit (a legit label), or nothing. */
  label: 'fraud' | 'legit' | null;
  /** Within the maturity period at the end of the window (chargebacks may still come). */
  immature: boolean;
}

export interface GroupOutcomes {
  subjects: number;
  chargebacks: { count: number; amount: number };
  fraud: number;
  legit: number;
  refunds: { count: number; amount: number };
  holds: number;
}

export interface Quality {
  /** Labelled subjects (fraud or legit). */
  labelled: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

/**
 * Money of the labelled subjects of one kind and label (those of `quality`, immature ones left
 * out): how much of it each version puts in HIGH. A subject's value is its order's total, its
 * return's returned items' value, or its refund's amount; kinds are kept apart, since an order,
 * its return and its refund are the same money counted three times.
 */
export interface MoneyAtHigh {
  kind: SubjectKind;
  label: 'fraud' | 'legit';
  /** Labelled subjects of this kind and label whose value is known. */
  subjects: number;
  /** Their value, all of it. */
  value: number;
  /** The part of `value` in HIGH, live and this version. */
  before: number;
  after: number;
}

export interface SimulationReport {
  window: SimulationWindow;
  subjects: number;
  zones: { before: Record<Zone, number>; after: Record<Zone, number> };
  /** Subjects whose zone changed, in time order. */
  flips: Flip[];
  signals: { id: string; before: number; after: number }[];
  actions: { type: string; before: number; after: number }[];
  /** Outcomes among subjects that become HIGH (newly flagged) and that leave HIGH (newly cleared). */
  newlyFlagged: GroupOutcomes;
  newlyCleared: GroupOutcomes;
  /** HIGH as the prediction, against subjects labelled fraud or legit (immature ones left out). */
  quality: { before: Quality; after: Quality };
  /*
   * The three below are computed over the same labelled subjects as `quality`. Every report this
   * code makes has them; reports stored before they existed (issue 21) do not, hence optional.
   */
  /** Observed fraud rate per 10-point score band, with the live scores (before) and this version's (after). */
  calibration?: { before: CalibrationBand[]; after: CalibrationBand[] };
  /** ROC AUC of the scores against the labels (4 decimals); null when fraud or legit is missing. */
  auc?: { before: number | null; after: number | null };
  /** Money at HIGH per kind and label, and the labelled subjects whose value is unknown (left out of it). */
  money?: { rows: MoneyAtHigh[]; unvalued: number };
  /** Subjects from this time on are too recent for their chargebacks to be known. */
  immatureFrom: string;
}

const DAY_MS = 86_400_000;
const emptyZones = (): Record<Zone, number> => ({ low: 0, medium: 0, high: 0 });
const emptyGroup = (): GroupOutcomes => ({ subjects: 0, chargebacks: { count: 0, amount: 0 }, fraud: 0, legit: 0, refunds: { count: 0, amount: 0 }, holds: 0 });
const round2 = (value: number) => Math.round(value * 100) / 100;

function side(decision: Decision): FlipSide {
  return {
    score: decision.score,
    zone: decision.zone,
    actions: decision.actions.map((a) => a.type),
    signals: decision.signals.filter((s) => s.status !== 'no_hit' || s.points !== 0).map(({ id, status, points, message }) => ({ id, status, points, message })),
  };
}

function quality(pairs: readonly { predicted: boolean; label: 'fraud' | 'legit' }[]): Quality {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const { predicted, label } of pairs) {
    if (predicted && label === 'fraud') tp++;
    else if (predicted && label === 'legit') fp++;
    else if (!predicted && label === 'fraud') fn++;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : null;
  const recall = tp + fn > 0 ? tp / (tp + fn) : null;
  const f1 = precision !== null && recall !== null && precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : null;
  const r = (v: number | null) => (v === null ? null : Math.round(v * 10_000) / 10_000);
  return { labelled: pairs.length, truePositives: tp, falsePositives: fp, falseNegatives: fn, precision: r(precision), recall: r(recall), f1: r(f1) };
}

/**
 * What a ruleset (`after`) would have done to a shop's history against another (`before`, the
 * live one): both replay the whole history in time order with point-in-time contexts, each fed
 * its own earlier decisions (as it would have been live), and the subjects of the window are
 * compared. Pure: the history comes in, the report goes out.
 */
export function simulate(events: readonly HistoryEvent[], before: CompiledRuleset, after: CompiledRuleset, options: SimulationOptions): SimulationReport {
  const from = Date.parse(options.window.from);
  const to = Date.parse(options.window.to);
  const immatureFrom = to - (options.maturityDays ?? 120) * DAY_MS;
  const inWindow = (decision: Decision) => {
    const at = Date.parse(decision.subject.at);
    return at >= from && at < to;
  };
  const replay = (compiled: CompiledRuleset) => {
    const byId = new Map<string, Decision>();
    for (const { decision } of replayHistory(events, compiled, replayOptions(options))) if (inWindow(decision)) byId.set(decision.subject.id, decision);
    return byId;
  };
  const beforeDecisions = replay(before);
  const afterDecisions = replay(after);

  return compareDecisions([...beforeDecisions.values()], afterDecisions, { ...knowledgeOf(events), window: options.window, immatureFrom });
}

function replayOptions(options: SimulationOptions): ReplayOptions {
  return {
    shopId: options.shopId,
    lists: options.lists,
    ...(options.snoozes ? { snoozes: options.snoozes } : {}),
    ...(options.baseline ? { baselineEveryDays: 0, baseline: options.baseline } : {}),
    ...(options.budget ? { budget: options.budget } : {}),
  };
}

/** Thrown when a simulation's progress callback asks it to stop. */
export class SimulationCancelled extends Error {
  constructor() {
    super('the simulation was cancelled');
    this.name = 'SimulationCancelled';
  }
}

export interface ProgressOptions {
  /** Called every `progressEvery` replayed events with the share done (0..1); returning false stops the run. */
  onProgress?: (fraction: number) => Promise<boolean | void> | boolean | void;
  progressEvery?: number;
}

/**
 * `simulate` for long runs: the same report, yielding to the caller every `progressEvery`
 * replayed events so it can record progress (and stop the run, by returning false).
 */
export async function simulateAsync(events: readonly HistoryEvent[], before: CompiledRuleset, after: CompiledRuleset, options: SimulationOptions & ProgressOptions): Promise<SimulationReport> {
  const from = Date.parse(options.window.from);
  const to = Date.parse(options.window.to);
  const immatureFrom = to - (options.maturityDays ?? 120) * DAY_MS;
  const every = Math.max(1, options.progressEvery ?? 500);
  const total = Math.max(1, 2 * events.length);
  let done = 0;
  const replay = async (compiled: CompiledRuleset) => {
    const byId = new Map<string, Decision>();
    for (const { decision } of replayHistory(events, compiled, replayOptions(options))) {
      const at = Date.parse(decision.subject.at);
      if (at >= from && at < to) byId.set(decision.subject.id, decision);
      if (++done % every === 0 && options.onProgress && (await options.onProgress(Math.min(0.99, done / total))) === false) throw new SimulationCancelled();
    }
    return byId;
  };
  const beforeDecisions = await replay(before);
  const afterDecisions = await replay(after);
  return compareDecisions([...beforeDecisions.values()], afterDecisions, { ...knowledgeOf(events), window: options.window, immatureFrom });
}

/** What is known of the subjects of a history: labels, chargebacks by order, refund amounts, orders and customers, each subject's value. */
export interface Knowledge {
  labels: ReadonlyMap<string, 'fraud' | 'legit'>;
  chargebacks: ReadonlyMap<string, number>;
  refunds: ReadonlyMap<string, number>;
  orderOf: ReadonlyMap<string, string>;
  customerOf: ReadonlyMap<string, string | null>;
  /** Order total, returned items' value, refund amount, by subject id. */
  values: ReadonlyMap<string, number>;
}

export function knowledgeOf(events: readonly HistoryEvent[]): Knowledge {
  const labels = new Map<string, 'fraud' | 'legit'>();
  const chargebacks = new Map<string, number>();
  const refunds = new Map<string, number>();
  const orderOf = new Map<string, string>();
  const customerOf = new Map<string, string | null>();
  const values = new Map<string, number>();
  for (const event of events) {
    if (event.type === 'outcome') labels.set(event.outcome.subjectId, event.outcome.label);
    else if (event.type === 'chargeback') chargebacks.set(event.chargeback.orderId, (chargebacks.get(event.chargeback.orderId) ?? 0) + event.chargeback.amount);
    else if (event.type === 'refund') {
      refunds.set(event.refund.id, event.refund.amount);
      orderOf.set(event.refund.id, event.refund.orderId);
      values.set(event.refund.id, event.refund.amount);
    } else if (event.type === 'return') {
      orderOf.set(event.return.id, event.return.orderId);
      values.set(event.return.id, event.return.totalValue);
    } else if (event.type === 'order') {
      orderOf.set(event.order.id, event.order.id);
      customerOf.set(event.order.id, event.order.customerId ?? null);
      values.set(event.order.id, event.order.totalPrice);
    }
  }

  return { labels, chargebacks, refunds, orderOf, customerOf, values };
}

const NOTHING_KNOWN: Knowledge = { labels: new Map(), chargebacks: new Map(), refunds: new Map(), orderOf: new Map(), customerOf: new Map(), values: new Map() };

interface LabelledPair {
  kind: SubjectKind;
  label: 'fraud' | 'legit';
  value: number | undefined;
  before: Decision;
  after: Decision;
}

const r4 = (v: number) => (Number.isNaN(v) ? null : Math.round(v * 10_000) / 10_000);

/** Calibration, AUC and money at HIGH of the labelled subjects, both versions. */
function labelledFigures(pairs: readonly LabelledPair[]): Required<Pick<SimulationReport, 'calibration' | 'auc' | 'money'>> {
  const positives = pairs.map((p) => p.label === 'fraud');
  const scores = (which: 'before' | 'after') => pairs.map((p) => p[which].score);
  const rows = new Map<string, MoneyAtHigh>();
  let unvalued = 0;
  for (const p of pairs) {
    if (p.value === undefined) {
      unvalued++;
      continue;
    }
    const key = `${p.kind}:${p.label}`;
    const row = rows.get(key) ?? { kind: p.kind, label: p.label, subjects: 0, value: 0, before: 0, after: 0 };
    row.subjects++;
    row.value += p.value;
    if (p.before.zone === 'high') row.before += p.value;
    if (p.after.zone === 'high') row.after += p.value;
    rows.set(key, row);
  }
  const kindOrder: Record<string, number> = { order: 0, return: 1, refund: 2 };
  return {
    calibration: { before: calibrationTable(scores('before'), positives), after: calibrationTable(scores('after'), positives) },
    auc: { before: r4(rocAuc(scores('before'), positives)), after: r4(rocAuc(scores('after'), positives)) },
    money: {
      rows: [...rows.values()]
        .map((row) => ({ ...row, value: round2(row.value), before: round2(row.before), after: round2(row.after) }))
        .sort((a, b) => (kindOrder[a.kind] ?? 9) - (kindOrder[b.kind] ?? 9) || (a.label === b.label ? 0 : a.label === 'fraud' ? -1 : 1)),
      unvalued,
    },
  };
}

/**
 * The report of two sets of decisions about the same subjects (the live ones first): zones,
 * zone changes with both sides, signal and action hits, what the changes catch and cost, and
 * where labels are known precision/recall/F1, calibration, AUC and money at HIGH. `simulate` and shadow mode both report with it.
 */
export function compareDecisions(
  beforeList: readonly Decision[],
  afterDecisions: ReadonlyMap<string, Decision>,
  context: Partial<Knowledge> & { window: SimulationWindow; immatureFrom: number },
): SimulationReport {
  const { labels, chargebacks, refunds, orderOf, customerOf, values } = { ...NOTHING_KNOWN, ...context };
  const immatureFrom = context.immatureFrom;
  const labelOf = (subjectId: string): 'fraud' | 'legit' | null => {
    if (chargebacks.has(orderOf.get(subjectId) ?? '')) return 'fraud';
    return labels.get(subjectId) ?? null;
  };
  const zones = { before: emptyZones(), after: emptyZones() };
  const signals = new Map<string, { before: number; after: number }>();
  const actions = new Map<string, { before: number; after: number }>();
  const flips: Flip[] = [];
  const newlyFlagged = emptyGroup();
  const newlyCleared = emptyGroup();
  const pairsBefore: { predicted: boolean; label: 'fraud' | 'legit' }[] = [];
  const pairsAfter: { predicted: boolean; label: 'fraud' | 'legit' }[] = [];
  const labelledPairs: LabelledPair[] = [];
  const count = (map: Map<string, { before: number; after: number }>, key: string, which: 'before' | 'after') => {
    const entry = map.get(key) ?? { before: 0, after: 0 };
    entry[which]++;
    map.set(key, entry);
  };
  const ordered = [...beforeList].sort((a, b) => Date.parse(a.subject.at) - Date.parse(b.subject.at) || (a.subject.id < b.subject.id ? -1 : 1));
  for (const b of ordered) {
    const a = afterDecisions.get(b.subject.id);
    if (!a) continue;
    zones.before[b.zone]++;
    zones.after[a.zone]++;
    for (const [decision, which] of [[b, 'before'], [a, 'after']] as const) {
      for (const s of decision.signals) if (s.status === 'hit') count(signals, s.id, which);
      for (const action of decision.actions) count(actions, action.type, which);
    }
    const id = b.subject.id;
    const label = labelOf(id);
    const immature = Date.parse(b.subject.at) >= immatureFrom;
    if (label && !immature) {
      pairsBefore.push({ predicted: b.zone === 'high', label });
      pairsAfter.push({ predicted: a.zone === 'high', label });
      labelledPairs.push({ kind: b.subject.kind, label, value: values.get(id), before: b, after: a });
    }
    const group = b.zone !== 'high' && a.zone === 'high' ? newlyFlagged : b.zone === 'high' && a.zone !== 'high' ? newlyCleared : undefined;
    if (group) {
      group.subjects++;
      const chargeback = chargebacks.get(orderOf.get(id) ?? '');
      if (chargeback !== undefined) {
        group.chargebacks.count++;
        group.chargebacks.amount = round2(group.chargebacks.amount + chargeback);
      }
      if (labels.get(id) === 'fraud') group.fraud++;
      if (labels.get(id) === 'legit') group.legit++;
      if (refunds.has(id)) {
        group.refunds.count++;
        group.refunds.amount = round2(group.refunds.amount + refunds.get(id)!);
      }
      if ((group === newlyFlagged ? a : b).actions.some((action) => action.type === 'fulfillment.hold')) group.holds++;
    }
    if (a.zone !== b.zone) {
      flips.push({ subjectId: id, kind: b.subject.kind, at: b.subject.at, customerId: customerOf.get(orderOf.get(id) ?? '') ?? null, before: side(b), after: side(a), label, immature });
    }
  }
  const table = (map: Map<string, { before: number; after: number }>) => [...map.entries()].map(([id, c]) => ({ id, ...c })).sort((x, y) => y.after + y.before - (x.after + x.before) || (x.id < y.id ? -1 : 1));
  return {
    window: context.window,
    subjects: zones.before.low + zones.before.medium + zones.before.high,
    zones,
    flips,
    signals: table(signals),
    actions: table(actions).map(({ id, before, after }) => ({ type: id, before, after })),
    newlyFlagged,
    newlyCleared,
    quality: { before: quality(pairsBefore), after: quality(pairsAfter) },
    ...labelledFigures(labelledPairs),
    immatureFrom: new Date(Math.max(Date.parse(context.window.from), immatureFrom)).toISOString(),
  };
}

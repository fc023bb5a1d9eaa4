import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { SubjectKind } from '../sdk/index.ts';
import type { CompiledRuleset, Decision } from '../engine/index.ts';
import { labelAt, settled, type SubjectFacts } from '../engine/chargebacks/labels.ts';
import { eventTime, replayHistory, type HistoryEvent } from '../engine/history/index.ts';
import { fitRuleset, FitRefused, type FitOptions, type FitReport, type KindFit, type LabelledRow, type RefusedKind, type VersionMetrics } from '../engine/learn/fitRuleset.ts';
import { CliInputError } from './loadRuleset.ts';
import { readJsonLines } from '../server/history/readJsonLines.ts';

export interface FitCommandIo {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** Reads and compiles a ruleset file (reporting its problems); undefined when it is not valid. */
  compile(path: string): Promise<CompiledRuleset | undefined>;
  /** Reads a history file, reporting bad lines; the good events and how many lines were bad. */
  history(path: string): Promise<{ events: HistoryEvent[]; bad: number }>;
}

const DEFAULT_RULESET = new URL('../rulesets/default.json', import.meta.url).pathname;

/**
 * `refundsentry fit --history F [--labels L] [--out draft.json]`: replays the history with the
 * ruleset (the shop's, `--ruleset`, or the default one) to get each subject's signal results, as
 * the app stores them; labels each subject as the app does (`engine/chargebacks/labels.ts`, as
 * known at the end of the history: fraud chargebacks and double dips positive, the merchant's
 * `outcome` events either way, orders whose dispute window closed without a dispute legit) and
 * with the labels file's, which win; fits the ruleset to them (`engine/learn/fitRuleset`),
 * writes the draft body and prints the report. Exit 0 fitted, 1 refused (too few labels: the
 * counts are printed), 2 bad usage or input.
 */
export async function fitCommand(args: string[], io: FitCommandIo): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      history: { type: 'string' },
      ruleset: { type: 'string' },
      labels: { type: 'string' },
      out: { type: 'string' },
      report: { type: 'string' },
      shop: { type: 'string', default: 'cli.myshopify.com' },
      split: { type: 'string', default: 'auto' },
      'test-share': { type: 'string' },
      'high-precision': { type: 'string' },
      'medium-precision': { type: 'string' },
      'max-honest-share': { type: 'string' },
      'min-labels': { type: 'string' },
      'window-days': { type: 'string' },
    },
  });
  if (!values.history) throw new CliInputError('fit needs --history <history.jsonl>');
  if (!['auto', 'time', 'customer'].includes(values.split!)) throw new CliInputError(`--split must be auto, time or customer (not "${values.split}")`);
  const number = (name: string, value: string | undefined, min: number, max: number): number | undefined => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max) throw new CliInputError(`--${name} must be a number from ${min} to ${max} (not "${value}")`);
    return n;
  };
  const options: FitOptions = {
    split: values.split as FitOptions['split'],
    testShare: number('test-share', values['test-share'], 0.05, 0.95),
    highPrecision: number('high-precision', values['high-precision'], 0.01, 1),
    mediumPrecision: number('medium-precision', values['medium-precision'], 0.01, 1),
    maxHonestShare: number('max-honest-share', values['max-honest-share'], 0, 1),
    minLabels: number('min-labels', values['min-labels'], 1, 1_000_000),
  };
  const windowDays = number('window-days', values['window-days'], 1, 3650);
  const rulesetPath = values.ruleset ?? DEFAULT_RULESET;
  const compiled = await io.compile(rulesetPath);
  if (!compiled) return 2;
  const { events, bad } = await io.history(values.history);
  if (events.length === 0) throw new CliInputError(`${values.history} holds no events`);
  const given = values.labels ? await readLabels(values.labels, io.err) : new Map<string, boolean>();
  const decisions = [...replayHistory(events, compiled, { shopId: values.shop! })].map((r) => r.decision);
  const rows = labelledRowsOfHistory(events, decisions, { labels: given, windowDays });
  io.out.write(
    `replayed ${decisions.length} subjects of ${values.history} with ${compiled.id} v${compiled.version} (${rulesetPath}); ` +
      `labelled ${rows.length}: ${countLine(rows)}${given.size > 0 ? ` (${given.size} labels from ${values.labels})` : ''}\n`,
  );
  let fitted: { body: unknown; report: FitReport };
  try {
    fitted = fitRuleset(rows, compiled, options);
  } catch (e) {
    if (!(e instanceof FitRefused)) throw e;
    io.err.write(`refundsentry: not fitted: ${e.message}\n`);
    return 1;
  }
  io.out.write(formatFitReport(fitted.report, compiled));
  if (values.out) {
    await writeFile(values.out, `${JSON.stringify(fitted.body, null, 2)}\n`);
    io.out.write(`draft written to ${values.out} (a draft: review it, simulate it, publish it yourself)\n`);
  } else io.out.write('draft not written: pass --out draft.json\n');
  if (values.report) await writeFile(values.report, `${JSON.stringify(fitted.report, null, 2)}\n`);
  return bad > 0 ? 1 : 0;
}

/**
 * The labelled rows of a replayed history: each decided subject whose label is settled as of the
 * end of the history (`labelAt`), or given in `labels` (subject id → positive), which wins.
 */
export function labelledRowsOfHistory(events: readonly HistoryEvent[], decisions: readonly Decision[], options: { labels?: ReadonlyMap<string, boolean>; windowDays?: number; asOf?: number } = {}): LabelledRow[] {
  const orders = new Map<string, Extract<HistoryEvent, { type: 'order' }>['order']>();
  const orderOf = new Map<string, string>();
  const value = new Map<string, number>();
  const disputes = new Map<string, SubjectFacts['disputes'][number][]>();
  const payback = new Map<string, string>();
  const merchant = new Map<string, SubjectFacts['merchant'][number][]>();
  let last = -Infinity;
  const earliest = (map: Map<string, string>, key: string, at: string) => {
    const seen = map.get(key);
    if (seen === undefined || Date.parse(at) < Date.parse(seen)) map.set(key, at);
  };
  for (const event of events) {
    last = Math.max(last, Date.parse(eventTime(event)));
    switch (event.type) {
      case 'order':
        orders.set(event.order.id, event.order);
        orderOf.set(event.order.id, event.order.id);
        value.set(event.order.id, event.order.totalPrice);
        break;
      case 'return':
        orderOf.set(event.return.id, event.return.orderId);
        value.set(event.return.id, event.return.totalValue);
        earliest(payback, event.return.orderId, event.return.createdAt);
        break;
      case 'refund':
        orderOf.set(event.refund.id, event.refund.orderId);
        value.set(event.refund.id, event.refund.amount);
        earliest(payback, event.refund.orderId, event.refund.createdAt);
        break;
      case 'chargeback': {
        const list = disputes.get(event.chargeback.orderId) ?? [];
        list.push({ at: event.chargeback.initiatedAt, reason: event.chargeback.reason ?? null, type: event.chargeback.type ?? null });
        disputes.set(event.chargeback.orderId, list);
        break;
      }
      case 'outcome': {
        const list = merchant.get(event.outcome.subjectId) ?? [];
        list.push({ label: event.outcome.label, at: event.outcome.at });
        merchant.set(event.outcome.subjectId, list);
        break;
      }
    }
  }
  const asOf = options.asOf ?? last + 1;
  const rows: LabelledRow[] = [];
  for (const decision of decisions) {
    const id = decision.subject.id;
    const orderId = orderOf.get(id);
    const order = orderId === undefined ? undefined : orders.get(orderId);
    let positive = options.labels?.get(id);
    if (positive === undefined) {
      const facts: SubjectFacts = {
        kind: decision.subject.kind as SubjectKind,
        at: decision.subject.at,
        gateways: order?.gateways ?? [],
        orderTotal: order?.totalPrice ?? null,
        disputes: orderId === undefined ? [] : (disputes.get(orderId) ?? []),
        firstPaybackAt: orderId === undefined ? null : (payback.get(orderId) ?? null),
        merchant: merchant.get(id) ?? [],
      };
      positive = settled(labelAt(facts, asOf, options.windowDays === undefined ? {} : { windowDays: options.windowDays }));
    }
    if (positive === undefined) continue;
    rows.push({
      subjectId: id,
      kind: decision.subject.kind,
      at: decision.subject.at,
      customerId: order?.customerId ?? null,
      positive,
      value: value.get(id) ?? 0,
      signals: decision.signals.map((s) => ({ id: s.id, status: s.status, strength: s.strength })),
      liveScore: decision.score,
      liveZone: decision.zone,
    });
  }
  return rows;
}

/** A labels file: JSON lines of `{ "subjectId": "gid://…", "label": "fraud" | "legit" }` (a line may hold an array of them). */
async function readLabels(path: string, err: NodeJS.WritableStream): Promise<Map<string, boolean>> {
  const labels = new Map<string, boolean>();
  let bad = 0;
  for await (const entry of readJsonLines<unknown>(path, 'labels', labelProblem)) {
    if ('error' in entry) {
      bad++;
      err.write(`${path}:${entry.line}: ${entry.error}\n`);
      continue;
    }
    const items = Array.isArray(entry.value) ? entry.value : [entry.value];
    for (const item of items) {
      const problem = labelProblem(item);
      if (problem) {
        bad++;
        err.write(`${path}:${entry.line}: ${problem}\n`);
        continue;
      }
      const { subjectId, label } = item as { subjectId: string; label: string };
      labels.set(subjectId, label === 'fraud');
    }
  }
  if (bad > 0 && labels.size === 0) throw new CliInputError(`${path} holds no usable label`);
  return labels;
}

function labelProblem(value: unknown): string | undefined {
  if (Array.isArray(value)) return undefined;
  if (value === null || typeof value !== 'object') return 'a label must be a JSON object { "subjectId", "label" }';
  const { subjectId, label } = value as Record<string, unknown>;
  if (typeof subjectId !== 'string' || subjectId.length === 0) return 'subjectId must be a string (a Shopify GID)';
  if (label !== 'fraud' && label !== 'legit') return 'label must be "fraud" or "legit"';
  return undefined;
}

function countLine(rows: readonly LabelledRow[]): string {
  const parts: string[] = [];
  for (const kind of ['order', 'return', 'refund'] as const) {
    const of = rows.filter((r) => r.kind === kind);
    if (of.length > 0) parts.push(`${kind}s ${of.filter((r) => r.positive).length} fraud/abuse + ${of.filter((r) => !r.positive).length} legit`);
  }
  return parts.join(', ') || 'none';
}

/** The report as text: the split, then per kind the weights that moved, the zones and the held-out figures of both versions. */
export function formatFitReport(report: FitReport, current: CompiledRuleset): string {
  const lines = [`split: ${report.split.reason}`, `  train ${report.split.trainPeriod.join(' .. ')}`, `  held out ${report.split.testPeriod.join(' .. ')}`];
  for (const k of report.kinds) {
    if ('refused' in k) {
      lines.push(`${k.kind}s: not fitted: ${(k as RefusedKind).refused}`);
      continue;
    }
    const fit = k as KindFit;
    const was = current.scoringModel().zonesByKind[fit.kind];
    lines.push(`${fit.kind}s: zones MEDIUM ${fit.zones.medium} HIGH ${fit.zones.high} (were ${was.medium}/${was.high}); train ${fit.counts.train.positive}+/${fit.counts.train.negative}-, held out ${fit.counts.test.positive}+/${fit.counts.test.negative}-; ${fit.scale.pointsPerLogit} points per log-odds unit`);
    const unobserved = new Set(fit.unobserved);
    const moved = Object.keys(fit.weights).filter((id) => fit.weights[id] !== fit.current[id] && !unobserved.has(id));
    lines.push(`  weights: ${moved.map((id) => `${id} ${fit.current[id]} → ${fit.weights[id]}`).join(', ') || 'unchanged'}`);
    for (const [id, curve] of Object.entries(fit.curves)) {
      const evidence = fit.curveEvidence[id];
      lines.push(`  strength curve ${id}: ${JSON.stringify(curve)}${evidence ? ` (training log-likelihood +${evidence.logLikelihoodGain} over its strength alone)` : ''}`);
    }
    lines.push(`  targets: HIGH precision ${fit.targets.high} with at most ${fit.targets.maxHonestShare} of legit ${fit.kind}s, MEDIUM precision ${fit.targets.medium}`);
    if (unobserved.size > 0) lines.push(`  ${unobserved.size} signals never hit in the training part: left at their current log-odds (points × ${(fit.scale.pointsPerLogit / fit.scale.priorPointsPerLogit).toFixed(3)}, the scale's change)`);
    if (fit.kept.length > 0) lines.push(`  kept (custom signals, one weight): ${fit.kept.join(', ')}`);
    for (const note of fit.notes) lines.push(`  note: ${note}`);
    const held = report.heldOut[fit.kind]!;
    lines.push(`  held out   ${metricsLine('live', held.live)}`, `             ${metricsLine('fitted', held.fitted)}`);
    lines.push('  calibration (score band: live rows/positives → fitted rows/positives):');
    held.live.calibration.forEach((band, i) => {
      const other = held.fitted.calibration[i]!;
      if (band.rows + other.rows > 0) lines.push(`    ${band.from}-${band.to}: ${band.rows}/${band.positives} → ${other.rows}/${other.positives}${other.rate === null ? '' : ` (${(other.rate * 100).toFixed(1)}%)`}`);
    });
  }
  return `${lines.join('\n')}\n`;
}

function metricsLine(name: string, m: VersionMetrics): string {
  const pct = (v: number | null) => (v === null ? '-' : `${(v * 100).toFixed(1)}%`);
  return `${name.padEnd(6)} AUC ${m.auc === null ? '-' : m.auc.toFixed(3)}, HIGH ${m.high.flagged} (precision ${pct(m.high.precision)}, recall ${pct(m.high.recall)}, legit in it ${pct(m.high.honestShare)}), MEDIUM+ ${m.mediumPlus.flagged} (precision ${pct(m.mediumPlus.precision)}, recall ${pct(m.mediumPlus.recall)}), caught ${m.money.caught} of ${m.money.positivesTotal}, honest held ${m.money.honestHeld}`;
}

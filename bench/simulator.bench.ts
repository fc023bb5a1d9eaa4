import { Engine } from 'json-rules-engine';
import defaultRuleset from '../rulesets/default.json' with { type: 'json' };
import { compileRuleset, createRegistry, type Ruleset } from '../engine/index.ts';
import { buildBaseline } from '../engine/history/buildBaseline.ts';
import { availableParallelism, loadavg } from 'node:os';
import { replayHistory, sortEvents, subjectOf } from '../engine/history/replayHistory.ts';
import { ShopHistory, type HistoryEvent } from '../engine/history/ShopHistory.ts';
import { rescoreChanged } from '../engine/simulate/rescoreChanged.ts';
import { reweigh, SignalMatrix } from '../engine/simulate/signalMatrix.ts';
import { simulate } from '../engine/simulate/simulate.ts';
import { generateShop } from '../scenarios/generateShop.ts';
import { builtinSignals } from '../signals/index.ts';

/**
 * The simulator's interactive paths on a 1,000,000-event history:
 * 1. a weight change, from the stored signal results (typed arrays, `reweigh`), against
 *    json-rules-engine doing the same work (one rule per signal adding its points) in the same
 *    process, and the exact replay (`simulate`: signals re-run, decisions fed forward) for scale;
 * 2. a changed signal param (`rescoreChanged`): a generated shop's history tiled into a million
 *    subjects (copies with their own customer, order, return and refund ids, so every subject has
 *    its own point-in-time context), the changed signal run again on each, verdicts fed forward,
 *    against the exact replay of the draft; checked against that replay on whole copies first.
 *
 *   npm run bench        (runs bench/engine.bench.ts, then this)
 */
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const PEER_SAMPLE = 20_000;
const registry = createRegistry(builtinSignals);
const live = compileRuleset(defaultRuleset as Ruleset, registry);
const changed = structuredClone(defaultRuleset) as Ruleset;
changed.signals['velocity.return-rate'] = { ...changed.signals['velocity.return-rate'], weight: 30 };
changed.signals['customer.new-account'] = { ...changed.signals['customer.new-account'], weight: 2 };
changed.zones = { medium: 28, high: 60 };
const variant = compileRuleset(changed, registry);

// A real replayed history (generated shop, default ruleset), tiled to a million subjects.
const history = generateShop({ seed: 2026, customers: 400, days: 178 }).events;
const t0 = performance.now();
const decisions = [...replayHistory(history, live, { shopId: 'bench' })].map((r) => r.decision);
const replaySeconds = (performance.now() - t0) / 1000;
const base = SignalMatrix.fromDecisions(decisions);
const copies = Math.ceil(EVENTS / base.subjects);
const perRow = base.rowStart[base.subjects];
const rowStart = new Int32Array(EVENTS + 1);
const column = new Uint16Array(perRow * copies);
const status = new Uint8Array(perRow * copies);
const strength = new Float64Array(perRow * copies);
let at = 0;
for (let row = 0; row < EVENTS; row++) {
  const source = row % base.subjects;
  rowStart[row] = at;
  for (let k = base.rowStart[source]; k < base.rowStart[source + 1]; k++, at++) {
    column[at] = base.column[k];
    status[at] = base.status[k];
    strength[at] = base.strength[k];
  }
}
rowStart[EVENTS] = at;
const subjectIds = Array.from({ length: EVENTS }, (_, i) => base.subjectIds[i % base.subjects]);
const matrix = new SignalMatrix(base.signalIds, subjectIds, rowStart, column.subarray(0, at), status.subarray(0, at), strength.subarray(0, at));

// Ours: median of 5 re-weightings of the million.
const times: number[] = [];
let result = reweigh(matrix, variant);
for (let i = 0; i < 5; i++) {
  const started = performance.now();
  result = reweigh(matrix, variant);
  times.push(performance.now() - started);
}
const oursMs = [...times].sort((a, b) => a - b)[2];

// json-rules-engine, the same work: one rule per signal that fired adds strength × weight; then the zone.
const model = variant.scoringModel();
const weightOf = new Map(model.signals.map((s) => [s.id, s]));
const engine = new Engine([], { allowUndefinedFacts: true });
for (const id of matrix.signalIds) {
  engine.addRule({ name: id, conditions: { all: [{ fact: id, operator: 'in', value: ['hit', 'insufficient_data'] }] }, event: { type: 'points', params: { id } } });
}
async function peerScore(row: number): Promise<number> {
  const facts: Record<string, string> = {};
  const strengths = new Map<string, number>();
  for (let k = matrix.rowStart[row]; k < matrix.rowStart[row + 1]; k++) {
    const id = matrix.signalIds[matrix.column[k]];
    facts[id] = matrix.status[k] === 1 ? 'hit' : 'insufficient_data';
    strengths.set(id, matrix.status[k] === 1 ? matrix.strength[k] : -1);
  }
  const { events } = await engine.run(facts);
  let raw = 0;
  for (const event of events) {
    const id = (event.params as { id: string }).id;
    const s = weightOf.get(id);
    if (!s) continue;
    const strength = strengths.get(id)!;
    raw += strength < 0 ? Math.round(s.insufficientWeight * 100) : Math.round(strength * s.weight * 100);
  }
  return Math.min(model.capCents, Math.max(0, raw));
}
for (let row = 0; row < 500; row++) {
  const peer = await peerScore(row);
  if (peer !== result.scoreCents[row]) throw new Error(`bench disagreement on subject ${row}: json-rules-engine ${peer} vs reweigh ${result.scoreCents[row]}`);
}
const peerStarted = performance.now();
for (let row = 0; row < PEER_SAMPLE; row++) await peerScore(row);
const peerMsPerEvent = (performance.now() - peerStarted) / PEER_SAMPLE;
const peerMs = peerMsPerEvent * EVENTS;

// The exact replay, for scale: signals re-run with point-in-time contexts, both rulesets.
const s0 = performance.now();
const report = simulate(history, live, variant, { shopId: 'bench', window: { from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' } });
const simulateSeconds = (performance.now() - s0) / 1000;

const f = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`simulator bench: ${f(EVENTS)} events (${f(decisions.length)} replayed decisions of a generated shop, tiled), ${matrix.signalIds.length} signals, ${f(at)} stored results that add points, node ${process.version}`);
console.log(`  re-weighting (typed arrays, reweigh)          ${f(oursMs).padStart(8)} ms for ${f(EVENTS)} events   (goal <= 2,000 ms)`);
console.log(`  json-rules-engine, same work (${f(PEER_SAMPLE)} timed)   ${f(peerMs).padStart(8)} ms for ${f(EVENTS)} events (extrapolated)`);
console.log(`  ratio json-rules-engine / reweigh             ${(peerMs / oursMs).toFixed(0).padStart(8)}x`);
console.log(`  zones after the change: low ${f(result.counts.low)}, medium ${f(result.counts.medium)}, high ${f(result.counts.high)}`);
console.log(`  exact replay (simulate: both rulesets, signals re-run): ${f(report.subjects)} events in ${simulateSeconds.toFixed(1)} s (${f(report.subjects / simulateSeconds)} events/s); one replay ${replaySeconds.toFixed(1)} s`);

// 2. A changed signal param over a million subjects with real contexts. The base shop is judged
// with one fixed baseline, as the server's simulation does (`baseline`): customers are then
// independent, so a copy of the shop with its own ids is scored as the original.
const BASE_CUSTOMERS = Number(process.env.BENCH_BASE_CUSTOMERS ?? 2000);
const baseShop = generateShop({ seed: 2027, customers: BASE_CUSTOMERS, days: 178 }).events;
const shopBaseline = buildBaseline(ShopHistory.from(baseShop).all, { asOf: '2025-06-28T00:00:00Z' });
const FIXED = { shopId: 'bench', baselineEveryDays: 0, baseline: shopBaseline };
const paramDraftBody = structuredClone(defaultRuleset) as Ruleset;
paramDraftBody.signals['velocity.return-rate'] = { ...paramDraftBody.signals['velocity.return-rate'], params: { minOrders: 2 } };
const paramDraft = compileRuleset(paramDraftBody, registry);
const baseLive = [...replayHistory(baseShop, live, FIXED)].map((r) => r.decision);
const baseStored = SignalMatrix.fromDecisions(baseLive);
const tiles = Math.ceil(EVENTS / baseLive.length);
const baseJson = JSON.stringify(baseShop);
/** Copy `k` of the shop: every Shopify id given a copy suffix (customers, orders, line items, returns, refunds…). */
const renamed = (text: string, k: number) => text.replace(/(gid:\/\/shopify\/\w+\/)(\d+)/g, (_m, prefix: string, n: string) => `${prefix}${n}${String(k).padStart(4, '0')}`);
const copyOf = (k: number): HistoryEvent[] => JSON.parse(renamed(baseJson, k));
const tiledEvents: HistoryEvent[] = [];
for (let k = 0; k < tiles; k++) for (const event of copyOf(k)) tiledEvents.push(event);
// The stored live results of the tiled history: each copy's rows are the original's (checked below
// on one copy), in the order the decisions were made (the history's time order).
const tiledStored = inStreamOrder(tileMatrix(baseStored, tiles, (id, k) => renamed(id, k)), tiledEvents);
const liveCopy = [...replayHistory(copyOf(tiles - 1), live, FIXED)].map((r) => r.decision);
const rowOfSubject = new Map(tiledStored.subjectIds.map((id, r) => [id, r]));
/** The rows of `ids` in a matrix, as comparable text (subject id, then its results sorted by signal id). */
const rowsText = (m: SignalMatrix, rowsOf: readonly number[]) => rowsOf.map((r) => [m.subjectIds[r], ...rowLines(m, r)].join('|')).join('\n');
const liveCopyMatrix = SignalMatrix.fromDecisions(liveCopy);
if (rowsText(liveCopyMatrix, liveCopy.map((_, r) => r)) !== rowsText(tiledStored, liveCopy.map((d) => rowOfSubject.get(d.subject.id)!))) {
  throw new Error('bench setup: the tiled stored results are not the live replay of a copy');
}

const load = loadavg()[0];
const paramRuns: number[] = [];
const paramCpu: number[] = [];
let rescored!: ReturnType<typeof rescoreChanged>;
for (let i = 0; i < 3; i++) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  rescored = rescoreChanged(tiledEvents, tiledStored, live, paramDraft, FIXED);
  paramRuns.push(performance.now() - started);
  const used = process.cpuUsage(cpu);
  paramCpu.push((used.user + used.system) / 1000);
}
const paramMs = [...paramRuns].sort((a, b) => a - b)[1];
const loadAfter = loadavg()[0];
// Checked against the exact replay of the draft on two whole copies (the first and the last).
for (const k of [0, tiles - 1]) {
  const exact = [...replayHistory(copyOf(k), paramDraft, FIXED)].map((r) => r.decision);
  const rows = exact.map((d) => rowOfSubject.get(d.subject.id)!);
  if (rowsText(SignalMatrix.fromDecisions(exact), exact.map((_, r) => r)) !== rowsText(rescored.matrix, rows)) throw new Error(`bench disagreement: copy ${k} differs from the exact replay of the draft`);
  exact.forEach((d, i) => {
    if (rescored.scores.scoreCents[rows[i]] / 100 !== d.score) throw new Error(`bench disagreement on ${d.subject.id}: score ${d.score} in the exact replay`);
  });
}
// The exact replay of the draft (signals all re-run, verdicts fed forward), timed on the base shop and extrapolated.
const e0 = performance.now();
const exactCount = [...replayHistory(baseShop, paramDraft, FIXED)].length;
const exactMsPerEvent = (performance.now() - e0) / exactCount;
const exactMs = exactMsPerEvent * rescored.report.subjects;
const liveZones = reweigh(tiledStored, live).zones;
const flips = rescored.scores.zones.reduce((n, z, r) => n + (z !== liveZones[r] ? 1 : 0), 0);
const paramReport = rescored.report;
const GOAL_MS = 30_000;
console.log(`  --- changed signal params: velocity.return-rate minOrders 3 -> 2 (a signal reading history and the baseline), one fixed shop baseline`);
console.log(`  history: ${tiles} copies of a generated shop (${f(BASE_CUSTOMERS)} customers, ${f(baseShop.length)} events, ${f(baseLive.length)} subjects) = ${f(tiledEvents.length)} events, ${f(paramReport.subjects)} subjects with their own contexts`);
console.log(`  rescoreChanged (stored results reused, changed signal re-run, verdicts fed forward)  ${f(paramMs).padStart(7)} ms   ${f(paramReport.subjects / (paramMs / 1000))} events/s   (median of 3; runs ${paramRuns.map(f).join(', ')} ms wall, ${paramCpu.map(f).join(', ')} ms CPU; load average ${load.toFixed(1)} -> ${loadAfter.toFixed(1)} on ${availableParallelism()} cores)`);
const changedIds = new Set(paramReport.changed.map((c) => c.id));
const rerun = Object.entries(paramReport.recomputed);
console.log(`    re-run: ${rerun.filter(([id]) => changedIds.has(id)).map(([id, n]) => `${id} ${f(n)} results (changed)`).join(', ')}; ${f(rerun.filter(([id]) => !changedIds.has(id)).reduce((sum, [, n]) => sum + n, 0))} results of ${rerun.filter(([id]) => !changedIds.has(id)).length} signals reading earlier verdicts or the risk tag`);
console.log(`    fed forward (${paramReport.feedForward.mode}, exact: ${paramReport.exact}): ${f(paramReport.feedForward.customersWithChangedVerdicts)} customers with changed verdicts, ${f(paramReport.feedForward.subjectsRecomputed)} subjects whose verdict-reading signals ran again`);
console.log(`    zone changes against live: ${f(flips)}; checked equal to the exact replay of the draft on copies 1 and ${tiles}`);
console.log(`  exact replay of the draft (${f(exactCount)} timed, extrapolated)   ${f(exactMs).padStart(9)} ms   ${f(1000 / exactMsPerEvent)} events/s`);
console.log(`  ratio exact replay / rescoreChanged        ${(exactMs / paramMs).toFixed(1).padStart(8)}x`);
console.log(`  goal <= 30 s for ${f(paramReport.subjects)} events: ${paramMs <= GOAL_MS ? `met (${(paramMs / 1000).toFixed(1)} s)` : `NOT met: ${(paramMs / 1000).toFixed(1)} s, ${((paramMs - GOAL_MS) / 1000).toFixed(1)} s over`}`);

/** The matrix with its rows in the order a replay of `events` meets their subjects. */
function inStreamOrder(m: SignalMatrix, events: readonly HistoryEvent[]): SignalMatrix {
  const rowOf = new Map(m.subjectIds.map((id, r) => [id, r]));
  const orders = new Map<string, { customerId?: string | null }>();
  const lookup = { orders: { get: (id: string) => orders.get(id) as never }, ledgerFor: () => ({ returns: [] }) };
  const order: number[] = [];
  for (const event of sortEvents(events)) {
    if (event.type === 'order') orders.set(event.order.id, event.order);
    const subject = subjectOf(event, lookup);
    if (subject && rowOf.has(subject.id)) order.push(rowOf.get(subject.id)!);
  }
  const rowStart = new Int32Array(order.length + 1);
  const column = new Uint16Array(m.column.length);
  const status = new Uint8Array(m.column.length);
  const strength = new Float64Array(m.column.length);
  let at = 0;
  order.forEach((source, r) => {
    rowStart[r] = at;
    for (let k = m.rowStart[source]; k < m.rowStart[source + 1]; k++, at++) {
      column[at] = m.column[k];
      status[at] = m.status[k];
      strength[at] = m.strength[k];
    }
  });
  rowStart[order.length] = at;
  return new SignalMatrix(m.signalIds, order.map((r) => m.subjectIds[r]), rowStart, column, status, strength);
}

function rowLines(m: SignalMatrix, row: number): string[] {
  const lines: string[] = [];
  for (let k = m.rowStart[row]; k < m.rowStart[row + 1]; k++) lines.push(`${m.signalIds[m.column[k]]}:${m.status[k]}:${m.strength[k]}`);
  return lines.sort();
}

/** `copies` copies of a matrix, rows copy after copy, subject ids renamed per copy. */
function tileMatrix(base: SignalMatrix, copies: number, rename: (id: string, copy: number) => string): SignalMatrix {
  const n = base.subjects;
  const per = base.rowStart[n];
  const rowStart = new Int32Array(n * copies + 1);
  const column = new Uint16Array(per * copies);
  const status = new Uint8Array(per * copies);
  const strength = new Float64Array(per * copies);
  const ids: string[] = [];
  for (let k = 0; k < copies; k++) {
    column.set(base.column, k * per);
    status.set(base.status, k * per);
    strength.set(base.strength, k * per);
    for (let r = 0; r < n; r++) {
      rowStart[k * n + r] = k * per + base.rowStart[r];
      ids.push(rename(base.subjectIds[r], k));
    }
  }
  rowStart[n * copies] = per * copies;
  return new SignalMatrix(base.signalIds, ids, rowStart, column, status, strength);
}

import { Engine } from 'json-rules-engine';
import defaultRuleset from '../rulesets/default.json' with { type: 'json' };
import { compileRuleset, createRegistry, type Ruleset } from '../engine/index.ts';
import { replayHistory } from '../engine/history/replayHistory.ts';
import { reweigh, SignalMatrix } from '../engine/simulate/signalMatrix.ts';
import { simulate } from '../engine/simulate/simulate.ts';
import { generateShop } from '../scenarios/generateShop.ts';
import { builtinSignals } from '../signals/index.ts';

/**
 * The simulator's interactive path: a 1,000,000-event history re-scored after a weight change
 * from its stored signal results (typed arrays, `reweigh`), against json-rules-engine doing the
 * same work (one rule per signal adding its points) in the same process, and the exact replay
 * (`simulate`: signals re-run, decisions fed forward) for scale.
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
console.log(`  changed signal params on ${f(EVENTS)} events (goal <= 30 s): not built — a param change re-runs the signal over every context (the exact replay above)`);

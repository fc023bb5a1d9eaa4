import defaultRuleset from '../rulesets/default.json' with { type: 'json' };
import { loadavg } from 'node:os';
import { compileRuleset, createRegistry, type Ruleset } from '../engine/index.ts';
import { replayHistory } from '../engine/history/replayHistory.ts';
import { hitCents } from '../engine/score.ts';
import { reweigh, ScoringTable, SignalMatrix } from '../engine/simulate/signalMatrix.ts';
import { generateShop } from '../scenarios/generateShop.ts';
import { builtinSignals } from '../signals/index.ts';

/**
 * Issue 22's A/B of the re-weighing loop, in one process on the same matrix: the current
 * `reweigh` (the scoring kernel's bulk loop, engine/score.ts) against the loop it replaced, copied
 * below from 206bfee (before the one scoring kernel). 1,000,000 rows tiled from a generated shop's
 * replayed decisions (with their kinds); the two run alternately (A B B A …) after a warm-up, and
 * each one's median of 15 is printed with the same-run ratio. Checked equal first.
 *
 * A second matrix has every 40th stored result snoozed: the current code scores those lines 0
 * (the fixed bug), the baseline ignored the flags (its answer is wrong there; timed for scale).
 *
 *   node bench/reweigh-ab.bench.ts        (BENCH_EVENTS, BENCH_RUNS to change the sizes)
 */
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const registry = createRegistry(builtinSignals);
const live = compileRuleset(defaultRuleset as Ruleset, registry);
const changed = structuredClone(defaultRuleset) as Ruleset;
changed.signals['velocity.return-rate'] = { ...changed.signals['velocity.return-rate'], weight: 30 };
changed.signals['customer.new-account'] = { ...changed.signals['customer.new-account'], weight: 2 };
changed.zones = { medium: 28, high: 60 };
const variant = compileRuleset(changed, registry);

// ---------------------------------------------------------------------------------------------
// BASELINE, from 206bfee (git show 206bfee:engine/simulate/signalMatrix.ts, reweighModel): the
// loop as it was before the one scoring kernel, copied unchanged but for its table, which is
// today's ScoringTable (the same layout; built once per call in both, a few dozen entries).
// It knows no snoozes. Kept here only as the yardstick; nothing else may call it.
// ---------------------------------------------------------------------------------------------
function baselineReweigh206bfee(matrix: SignalMatrix, ruleset: typeof variant) {
  const table = new ScoringTable(ruleset.scoringModel(), matrix.signalIds);
  const width = table.width;
  const { weights, insufficientCents, mediumCents, highCents, curves } = table;
  const curved = curves.length > 0;
  const cap = table.capCents;
  const scoreCents = new Int32Array(matrix.subjects);
  const zones = new Uint8Array(matrix.subjects);
  const counts = [0, 0, 0];
  const { rowStart, column, status, strength, kinds } = matrix;
  for (let row = 0; row < matrix.subjects; row++) {
    const kind = kinds[row]!;
    const base = kind * width;
    let raw = 0;
    for (let at = rowStart[row]!, end = rowStart[row + 1]!; at < end; at++) {
      const i = base + column[at]!;
      // A hit: strength × weight, or curve(strength) × weight when the signal has a curve for the kind (hitCents).
      raw += status[at] === 1 ? (curved && curves[i] !== undefined ? hitCents(strength[at]!, weights[i]!, curves[i]) : Math.round(strength[at]! * weights[i]! * 100)) : insufficientCents[i]!;
    }
    const score = raw < 0 ? 0 : raw > cap ? cap : raw;
    const zone = score >= highCents[kind]! ? 2 : score >= mediumCents[kind]! ? 1 : 0;
    scoreCents[row] = score;
    zones[row] = zone;
    counts[zone]!++;
  }
  return { scoreCents, zones, counts: { low: counts[0]!, medium: counts[1]!, high: counts[2]! } };
}
// ------------------------------------------- end of baseline ---------------------------------

// A generated shop's replayed decisions, tiled to EVENTS rows (kinds kept).
const history = generateShop({ seed: 2026, customers: 400, days: 178 }).events;
const decisions = [...replayHistory(history, live, { shopId: 'bench' })].map((r) => r.decision);
const base = SignalMatrix.fromDecisions(decisions);
const perCopy = base.rowStart[base.subjects]!;
const copies = Math.ceil(EVENTS / base.subjects);
const rowStart = new Int32Array(EVENTS + 1);
const column = new Uint16Array(perCopy * copies);
const status = new Uint8Array(perCopy * copies);
const strength = new Float64Array(perCopy * copies);
const kinds = new Uint8Array(EVENTS);
let at = 0;
for (let row = 0; row < EVENTS; row++) {
  const source = row % base.subjects;
  rowStart[row] = at;
  kinds[row] = base.kinds[source]!;
  for (let k = base.rowStart[source]!; k < base.rowStart[source + 1]!; k++, at++) {
    column[at] = base.column[k]!;
    status[at] = base.status[k]!;
    strength[at] = base.strength[k]!;
  }
}
rowStart[EVENTS] = at;
const subjectIds = Array.from({ length: EVENTS }, (_, i) => base.subjectIds[i % base.subjects]!);
const entries = [column.subarray(0, at), status.subarray(0, at), strength.subarray(0, at)] as const;
const plain = new SignalMatrix(base.signalIds, subjectIds, rowStart, ...entries, kinds);
const snoozed = new SignalMatrix(base.signalIds, subjectIds, rowStart, ...entries, kinds, Uint8Array.from({ length: at }, (_, k) => (k % 40 === 0 ? 1 : 0)));

// Same answers first (on the matrix without snoozes, where the baseline is right).
const before = baselineReweigh206bfee(plain, variant);
const after = reweigh(plain, variant);
for (let row = 0; row < EVENTS; row++) {
  if (before.scoreCents[row] !== after.scoreCents[row] || before.zones[row] !== after.zones[row]) throw new Error(`row ${row}: baseline ${before.scoreCents[row]}/${before.zones[row]}, reweigh ${after.scoreCents[row]}/${after.zones[row]}`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
/** RUNS rounds, each timing both once, back to back (order alternating); medians, and the median of the rounds' ratios (which a shared machine's load drift cancels out of). */
function ab(matrix: SignalMatrix): { beforeMs: number; afterMs: number; pairedRatio: number } {
  const run = (which: 'before' | 'after') => {
    const started = performance.now();
    if (which === 'before') baselineReweigh206bfee(matrix, variant);
    else reweigh(matrix, variant);
    return performance.now() - started;
  };
  for (let i = 0; i < 3; i++) (run('before'), run('after'));
  const before: number[] = [];
  const after: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const b = i % 2 === 0 ? run('before') : 0;
    const a = run('after');
    const b2 = i % 2 === 0 ? b : run('before');
    before.push(b2);
    after.push(a);
    ratios.push(a / b2);
  }
  return { beforeMs: median(before), afterMs: median(after), pairedRatio: median(ratios) };
}

const f = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => `${n.toFixed(1)} ms`;
console.log(`reweigh A/B: ${f(EVENTS)} rows, ${f(at)} stored results, ${plain.signalIds.length} signals, median of ${RUNS} alternating runs each, node ${process.version}, load ${loadavg()[0]!.toFixed(1)}`);
const a = ab(plain);
console.log(`  no snoozes         baseline 206bfee ${ms(a.beforeMs).padStart(9)}   reweigh now ${ms(a.afterMs).padStart(9)}   now / baseline ${(a.afterMs / a.beforeMs).toFixed(2)}x (medians), ${a.pairedRatio.toFixed(2)}x (median of the rounds' ratios)`);
const b = ab(snoozed);
console.log(`  1 in 40 snoozed    baseline 206bfee ${ms(b.beforeMs).padStart(9)}   reweigh now ${ms(b.afterMs).padStart(9)}   now / baseline ${(b.afterMs / b.beforeMs).toFixed(2)}x (medians), ${b.pairedRatio.toFixed(2)}x (rounds)   (the baseline counts snoozed lines: wrong there)`);

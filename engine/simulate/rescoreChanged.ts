import type { ContextNeed, HashedLists, PastDecision, ShopBaseline, SubjectKind } from '../../sdk/index.ts';
import type { CompiledRuleset, SignalSpec } from '../compileRuleset.ts';
import type { ExpressionBudget } from '../expression/ExpressionBudget.ts';
import { buildBaseline } from '../history/buildBaseline.ts';
import { HistoryStream } from '../history/HistoryStream.ts';
import { sortEvents, subjectOf } from '../history/replayHistory.ts';
import type { HistoryEvent, Ledger } from '../history/ShopHistory.ts';
import { snoozesAt, snoozesByCustomer, ZONES, type Snooze } from '../score.ts';
import { changedSignals, type ChangedSignal } from './changedSignals.ts';
import { KIND_CODE, reweigh, ScoringTable, SignalMatrix, STATUS_CODE, type Reweighed } from './signalMatrix.ts';

export interface RescoreOptions {
  shopId: string;
  lists?: HashedLists;
  /**
   * The shop's snoozes: a signal run again for a subject scores 0 when a snooze of it for the
   * subject's customer is in force at the subject's time (`snoozesAt`), as live scoring does; the
   * stored results keep the snoozes they were decided with (`SignalMatrix.fromDecisions`).
   */
  snoozes?: readonly Snooze[];
  /** Judge every event with this baseline (as `simulate` with `baseline`); without it, a weekly point-in-time one as `replayHistory` builds. */
  baseline?: ShopBaseline;
  /** Rebuild the baseline every this many days (default 7), as `replayHistory`; ignored with `baseline`. */
  baselineEveryDays?: number;
  /**
   * Re-run signals that read RefundSentry's own earlier verdicts (`history.decisions`, and the
   * customer's risk tag) wherever the draft's earlier verdicts of that customer differ from the
   * live ones. Default true (exact). With false, they keep their stored results and the report
   * names them as approximated.
   */
  feedForward?: boolean;
  /** A budget the re-run custom expressions are charged to; the run stops with `ExpressionBudgetExhausted` when it is used up. */
  budget?: ExpressionBudget;
  /**
   * Called every `progressEvery` events (default 1,000) with the events done and the total: a
   * long run's chance to report progress, yield to other work, or stop (by throwing).
   */
  onProgress?: (done: number, total: number) => void;
  progressEvery?: number;
}

export interface RescoreReport {
  subjects: number;
  changed: { id: string; reason: ChangedSignal['reason'] }[];
  removed: string[];
  /** How many results were computed again, per signal. */
  recomputed: Record<string, number>;
  /**
   * Signals that read earlier verdicts: `recomputed` where the draft's earlier verdicts of the
   * customer differ from the live ones (exact), or `approximated` (stored results kept).
   */
  feedForward: { mode: 'recomputed' | 'approximated'; signals: string[]; customersWithChangedVerdicts: number; subjectsRecomputed: number };
  /** True when the result equals a full replay of the draft; false when feed-forward was approximated. */
  exact: boolean;
}

export interface Rescored {
  /** The stored results with those computed again spliced in: the draft's own signal results. */
  matrix: SignalMatrix;
  /** Scores and zones of the draft (`reweigh(matrix, draft)`), rows as in the stored matrix. */
  scores: Reweighed;
  report: RescoreReport;
}

/** The incremental path cannot answer this draft; the full replay (`simulate`) can. */
export class RescoreUnsupported extends Error {
  override name = 'RescoreUnsupported';
}

const DAY_MS = 86_400_000;
const KINDS: SubjectKind[] = ['order', 'return', 'refund'];

/**
 * A draft ruleset's scores over a history whose live signal results are stored (`stored`, built
 * from the live ruleset's decisions of this history, with the same baseline options): the
 * results of signals whose version and params did not change are reused; the changed signals run
 * again on each subject's point-in-time context, built incrementally (`HistoryStream`: events in
 * time order, only the context parts those signals need); the new results are spliced into a
 * copy of the matrix, which is then re-weighted in bulk.
 *
 * Verdicts feed forward, as in a replay: a changed score changes what later signals of the same
 * customer read in `history.decisions` and the risk tag. Subjects are therefore scored in time
 * order with the draft's weights, and signals reading verdicts are run again wherever the
 * customer's earlier verdicts differ from the live ones — so the result equals a full replay of
 * the draft (`replayHistory`), which a test checks, unless `feedForward: false`.
 *
 * Throws `RescoreUnsupported` when the draft scores other subject kinds, or a subject of the
 * history has no stored row.
 */
export function rescoreChanged(events: readonly HistoryEvent[], stored: SignalMatrix, live: CompiledRuleset, draft: CompiledRuleset, options: RescoreOptions): Rescored {
  if (live.ruleset.appliesTo.join() !== draft.ruleset.appliesTo.join()) {
    throw new RescoreUnsupported(`the draft scores ${draft.ruleset.appliesTo.join(', ')} and the live ruleset ${live.ruleset.appliesTo.join(', ')}: other subjects, replay in full`);
  }
  const feedForward = options.feedForward ?? true;
  const changes = changedSignals(live, draft);
  const changedIds = new Set(changes.changed.map((c) => c.id));

  // Columns: the stored ones, then the draft's signals that have none (never ran live, or no subject of their kind was stored).
  const specs = draft.signalSpecs();
  const signalIds = [...stored.signalIds];
  const columnOf = new Map(signalIds.map((id, i) => [id, i]));
  for (const { id } of specs) if (!columnOf.has(id)) columnOf.set(id, signalIds.push(id) - 1);
  const width = signalIds.length;
  // Each subject scores with its kind's weights and zones, the draft's and (to tell changed verdicts) the live ones.
  const table = new ScoringTable(draft.scoringModel(), signalIds);
  const liveTable = new ScoringTable(live.scoringModel(), stored.signalIds);

  // What runs again, per kind: changed signals always; those reading verdicts when the customer's
  // earlier verdicts changed (history.decisions) or their latest zone did (the risk tag).
  const readsVerdicts = (s: SignalSpec) => !changedIds.has(s.id) && s.needs.includes('history.decisions');
  const readsTag = (s: SignalSpec) => !changedIds.has(s.id) && !s.needs.includes('history.decisions') && s.needs.includes('customer');
  const plan = Object.fromEntries(
    KINDS.map((kind) => {
      const of = (keep: (s: SignalSpec) => boolean) => specs.filter((s) => s.kinds.includes(kind) && keep(s));
      return [kind, { changed: of((s) => changedIds.has(s.id)), verdicts: of(readsVerdicts), tag: of(readsTag) }];
    }),
  ) as Record<SubjectKind, { changed: SignalSpec[]; verdicts: SignalSpec[]; tag: SignalSpec[] }>;
  const feedForwardSignals = [...new Set(specs.filter((s) => readsVerdicts(s) || readsTag(s)).map((s) => s.id))].sort();
  const runs = new Map<string, { ids: string[]; columns: number[]; needs: Set<ContextNeed> }>();
  const runFor = (kind: SubjectKind, verdicts: boolean, tag: boolean) => {
    const key = `${kind}:${verdicts}:${tag}`;
    let run = runs.get(key);
    if (!run) {
      const p = plan[kind];
      const list = [...p.changed, ...(verdicts ? p.verdicts : []), ...(tag ? p.tag : [])];
      run = { ids: list.map((s) => s.id), columns: list.map((s) => columnOf.get(s.id)!), needs: new Set(list.flatMap((s) => s.needs)) };
      runs.set(key, run);
    }
    return run;
  };

  const rows = stored.subjects;
  const rowById = aligned(stored);
  const newCents = new Int32Array(rows);
  const newZones = new Uint8Array(rows);
  const rowKinds = new Uint8Array(rows);
  const reached = new Uint8Array(rows);
  const overrides = new Overrides(rows);
  const recomputed = new Int32Array(width);
  const mark = new Uint8Array(width);
  const changedVerdict = new WeakSet<PastDecision>();
  const changedZone = new WeakSet<PastDecision>();
  const divergedKeys = new Set<object>();
  let feedForwardSubjects = 0;

  const stream = new HistoryStream();
  const all: Ledger | undefined = options.baseline ? undefined : { orders: [], fulfillments: [], returns: [], refunds: [], chargebacks: [], decisions: [], outcomes: [] };
  const every = (options.baselineEveryDays ?? 7) * DAY_MS;
  let baselineAsOf: number | undefined;
  let baseline: ShopBaseline | undefined = options.baseline;
  let builtAsOf: number | undefined;
  let nextRebuild = -Infinity;
  const scored = new Set(draft.ruleset.appliesTo);
  const snoozesOf = snoozesByCustomer(options.snoozes);
  let row = -1;

  const progressEvery = Math.max(1, options.progressEvery ?? 1_000);
  let done = 0;
  for (const event of sortEvents(events)) {
    if (options.onProgress && ++done % progressEvery === 0) options.onProgress(done, events.length);
    stream.add(event);
    if (all) addToAll(all, event);
    const subject = subjectOf(event, stream);
    if (!subject || !scored.has(subject.kind)) continue;
    const at = Date.parse(subject.at);
    if (all && every > 0 && at >= nextRebuild) {
      baselineAsOf = Math.floor(at / DAY_MS) * DAY_MS;
      nextRebuild = baselineAsOf + every;
    }
    row = rowById(subject.id, row + 1);
    reached[row] = 1;
    const kindCode = KIND_CODE[subject.kind];
    rowKinds[row] = kindCode;
    const key = stream.ledgerOf(subject.order.customerId, subject.order.id);
    let verdicts = false;
    let tag = false;
    if (feedForward && divergedKeys.has(key)) {
      const earlier = stream.decisionsBefore(subject);
      verdicts = earlier.some((d) => changedVerdict.has(d));
      tag = earlier.length > 0 && changedZone.has(earlier[earlier.length - 1]);
    }
    const run = runFor(subject.kind, verdicts, tag);
    if (verdicts || tag) feedForwardSubjects++;
    if (run.ids.length > 0) {
      if (all && run.needs.has('baseline') && builtAsOf !== baselineAsOf) {
        // Built from every record before asOf: building it later in the week gives the same baseline.
        baseline = baselineAsOf === undefined ? undefined : buildBaseline(all, { asOf: new Date(baselineAsOf).toISOString() });
        builtAsOf = baselineAsOf;
      }
      const ctx = stream.contextOf(subject, run.needs, { shopId: options.shopId, baseline, lists: options.lists });
      const results = draft.evaluateSignals(ctx, run.ids, options.budget ? { budget: options.budget } : {});
      const customerId = subject.order.customerId;
      const snoozed = customerId ? snoozesAt(snoozesOf.get(customerId), subject.at) : undefined;
      for (let i = 0; i < run.ids.length; i++) {
        const result = results[i]!;
        const col = run.columns[i];
        overrides.add(row, col, STATUS_CODE[result.status], result.strength, snoozed?.[run.ids[i]!] !== undefined);
        recomputed[col]++;
      }
    }
    // The draft's score of this subject: stored results not run again, plus the new ones.
    let raw = 0;
    let liveRaw = 0;
    for (let o = overrides.first[row]; o >= 0; o = overrides.next[o]) {
      const col = overrides.column[o];
      mark[col] = 1;
      raw += table.points(kindCode, col, overrides.status[o], overrides.strength[o], overrides.snoozed[o] === 1);
    }
    for (let k = stored.rowStart[row], end = stored.rowStart[row + 1]; k < end; k++) {
      const col = stored.column[k];
      const snoozedLine = stored.snoozed[k] === 1;
      liveRaw += liveTable.points(kindCode, col, stored.status[k], stored.strength[k], snoozedLine);
      if (mark[col] === 0) raw += table.points(kindCode, col, stored.status[k], stored.strength[k], snoozedLine);
    }
    for (let o = overrides.first[row]; o >= 0; o = overrides.next[o]) mark[overrides.column[o]] = 0;
    const cents = table.clamp(raw);
    const zone = table.zone(kindCode, cents);
    const liveCents = liveTable.clamp(liveRaw);
    const liveZone = liveTable.zone(kindCode, liveCents);
    newCents[row] = cents;
    newZones[row] = zone;
    const decision: PastDecision = { subjectId: subject.id, kind: subject.kind, at: subject.at, score: cents / 100, zone: ZONES[zone] };
    stream.addDecision(subject.order.customerId, subject.order.id, decision);
    if (cents !== liveCents || zone !== liveZone) {
      changedVerdict.add(decision);
      if (zone !== liveZone) changedZone.add(decision);
      divergedKeys.add(key);
    }
  }
  const missing = reached.indexOf(0);
  if (missing >= 0) throw new RescoreUnsupported(`stored subject ${stored.subjectIds[missing]} is not in the history`);

  const matrix = splice(stored, signalIds, overrides, rowKinds);
  const scores = reweigh(matrix, draft);
  for (let r = 0; r < rows; r++) {
    if (scores.scoreCents[r] !== newCents[r] || scores.zones[r] !== newZones[r]) throw new Error(`internal: subject ${stored.subjectIds[r]} scored ${newCents[r]} in time order and ${scores.scoreCents[r]} re-weighted`);
  }
  const recomputedById: Record<string, number> = {};
  recomputed.forEach((n, col) => {
    if (n > 0) recomputedById[signalIds[col]] = n;
  });
  return {
    matrix,
    scores,
    report: {
      subjects: rows,
      changed: changes.changed.map(({ id, reason }) => ({ id, reason })),
      removed: changes.removed,
      recomputed: recomputedById,
      feedForward: {
        mode: feedForward ? 'recomputed' : 'approximated',
        signals: feedForwardSignals,
        customersWithChangedVerdicts: divergedKeys.size,
        subjectsRecomputed: feedForwardSubjects,
      },
      exact: feedForward,
    },
  };
}

const rowIndexes = new WeakMap<SignalMatrix, Map<string, number>>();

/**
 * Row of a subject: the expected one when the stream meets subjects in row order (stored
 * decisions in the order they were made), else looked up (the index is kept per matrix, for the
 * next draft).
 */
function aligned(matrix: SignalMatrix): (id: string, expected: number) => number {
  let byId: Map<string, number> | undefined;
  return (id, expected) => {
    if (expected < matrix.subjects && matrix.subjectIds[expected] === id) return expected;
    byId ??= rowIndexes.get(matrix);
    if (!byId) rowIndexes.set(matrix, (byId = new Map(matrix.subjectIds.map((s, i) => [s, i]))));
    const row = byId.get(id);
    if (row === undefined) throw new RescoreUnsupported(`no stored results for subject ${id}: store its live decision first, or replay in full`);
    return row;
  };
}

function addToAll(all: Ledger, event: HistoryEvent): void {
  switch (event.type) {
    case 'order':
      all.orders.push(event.order);
      return;
    case 'fulfillment':
      all.fulfillments.push(event.fulfillment);
      return;
    case 'return':
      all.returns.push(event.return);
      return;
    case 'refund':
      all.refunds.push(event.refund);
      return;
    case 'chargeback':
      all.chargebacks.push(event.chargeback);
      return;
    case 'outcome':
      all.outcomes.push(event.outcome);
      return;
  }
}

/** Results computed again, as linked lists per row in growable typed arrays. */
class Overrides {
  readonly first: Int32Array;
  next = new Int32Array(1024);
  column = new Uint16Array(1024);
  status = new Uint8Array(1024);
  strength = new Float64Array(1024);
  snoozed = new Uint8Array(1024);
  size = 0;

  constructor(rows: number) {
    this.first = new Int32Array(rows).fill(-1);
  }

  add(row: number, column: number, status: number, strength: number, snoozed: boolean): void {
    if (this.size === this.next.length) this.grow();
    const at = this.size++;
    this.column[at] = column;
    this.status[at] = status;
    this.strength[at] = strength;
    this.snoozed[at] = snoozed ? 1 : 0;
    this.next[at] = this.first[row];
    this.first[row] = at;
  }

  private grow(): void {
    const n = this.next.length * 2;
    const widen = <T extends Int32Array | Uint16Array | Uint8Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a as never);
      return b;
    };
    this.next = widen(this.next, (k) => new Int32Array(k));
    this.column = widen(this.column, (k) => new Uint16Array(k));
    this.status = widen(this.status, (k) => new Uint8Array(k));
    this.strength = widen(this.strength, (k) => new Float64Array(k));
    this.snoozed = widen(this.snoozed, (k) => new Uint8Array(k));
  }
}

/** A copy of the stored matrix where each recomputed result replaces the stored one, its rows carrying their subjects' kinds. */
function splice(stored: SignalMatrix, signalIds: readonly string[], overrides: Overrides, kinds: Uint8Array): SignalMatrix {
  const rows = stored.subjects;
  const kept = (status: number) => status === STATUS_CODE.hit || status === STATUS_CODE.insufficient_data;
  const mark = new Uint8Array(signalIds.length);
  const rowStart = new Int32Array(rows + 1);
  // Upper bound: every stored entry and every override.
  const capacity = stored.rowStart[rows] + overrides.size;
  const column = new Uint16Array(capacity);
  const status = new Uint8Array(capacity);
  const strength = new Float64Array(capacity);
  const snoozed = new Uint8Array(capacity);
  let at = 0;
  for (let r = 0; r < rows; r++) {
    rowStart[r] = at;
    const start = at;
    for (let o = overrides.first[r]; o >= 0; o = overrides.next[o]) {
      mark[overrides.column[o]] = 1;
      if (!kept(overrides.status[o])) continue;
      column[at] = overrides.column[o];
      status[at] = overrides.status[o];
      strength[at] = overrides.strength[o];
      snoozed[at] = overrides.snoozed[o];
      at++;
    }
    for (let k = stored.rowStart[r], end = stored.rowStart[r + 1]; k < end; k++) {
      if (mark[stored.column[k]] === 1) continue;
      column[at] = stored.column[k];
      status[at] = stored.status[k];
      strength[at] = stored.strength[k];
      snoozed[at] = stored.snoozed[k];
      at++;
    }
    for (let o = overrides.first[r]; o >= 0; o = overrides.next[o]) mark[overrides.column[o]] = 0;
    sortRow(column, status, strength, snoozed, start, at);
  }
  rowStart[rows] = at;
  return new SignalMatrix(signalIds, stored.subjectIds, rowStart, column.slice(0, at), status.slice(0, at), strength.slice(0, at), kinds, snoozed.slice(0, at));
}

/** Entries of a row by column (insertion sort: rows are short), so that a row reads the same however it was made. */
function sortRow(column: Uint16Array, status: Uint8Array, strength: Float64Array, snoozed: Uint8Array, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const c = column[i];
    const s = status[i];
    const v = strength[i];
    const z = snoozed[i];
    let j = i - 1;
    while (j >= from && column[j] > c) {
      column[j + 1] = column[j];
      status[j + 1] = status[j];
      strength[j + 1] = strength[j];
      snoozed[j + 1] = snoozed[j];
      j--;
    }
    column[j + 1] = c;
    status[j + 1] = s;
    strength[j + 1] = v;
    snoozed[j + 1] = z;
  }
}

import type { SignalStatus, SubjectKind } from '../../sdk/index.ts';
import type { CompiledRuleset, ScoringModel } from '../compileRuleset.ts';
import { clampCents, lineCents, scoreRows, STATUS_CODE, ZONES, thresholdCents, zoneOfCents } from '../score.ts';
import type { StrengthCurve } from '../strengthCurve.ts';
import type { Decision } from '../decision.ts';
import type { Zone, ZoneThresholds } from '../ruleset.ts';

/** Signal status codes in the matrix (the scoring kernel's, score.ts). */
export { STATUS_CODE };

/** Subject kind codes of the matrix's rows; `UNKNOWN_KIND` for a row stored without its kind. */
export const KIND_CODE: Readonly<Record<SubjectKind, number>> = Object.freeze({ order: 0, return: 1, refund: 2 });
export const UNKNOWN_KIND = 3;
const KINDS: readonly SubjectKind[] = ['order', 'return', 'refund'];

/** One subject's stored results: what `SignalMatrix.fromResults` reads. */
export interface StoredResults {
  subjectId: string;
  /** The subject's kind; without it the row scores with the base weights and zones. */
  kind?: SubjectKind;
  /** `snoozed` set: the signal was snoozed for the subject's customer when it was decided (it scores 0 whatever its weight). */
  signals: readonly { id: string; status: SignalStatus; strength: number; snoozed?: unknown }[];
}

/**
 * Every stored signal result of a history that adds points (hits and insufficient data; quiet
 * signals add nothing whatever their weight), in compressed rows: for subject r, entries
 * rowStart[r]..rowStart[r+1] give the signal column, status code and exact strength. Re-weighting
 * reads these instead of re-running signals, so a weight, zone or cap change over a million
 * events is one pass over flat memory (about 11 bytes per entry).
 */
export class SignalMatrix {
  readonly signalIds: readonly string[];
  readonly subjectIds: readonly string[];
  readonly subjects: number;
  readonly rowStart: Int32Array;
  readonly column: Uint16Array;
  readonly status: Uint8Array;
  readonly strength: Float64Array;
  /**
   * Each row's subject kind (`KIND_CODE`), so that re-weighting scores it with its kind's weights
   * and zones; `UNKNOWN_KIND` (a matrix made without kinds) scores with the base ones.
   */
  readonly kinds: Uint8Array;
  /**
   * Per entry, 1 when the signal was snoozed for the subject's customer at the subject's time
   * (the stored trace's `snoozed`): the kernel scores it 0, as `decide` did. All 0 without snoozes.
   */
  readonly snoozed: Uint8Array;
  /** Whether any entry is snoozed (found once). */
  readonly anySnoozed: boolean;
  /**
   * The columns re-weighing scores the entries in: `column`, except that a snoozed entry's is
   * `signalIds.length`, one past the signals', which the table `reweigh` builds leaves weightless
   * (`NO_SIGNAL`), so that a snoozed line adds 0 (`lineCents`) with no flag read per result. The
   * same array as `column` when no entry is snoozed.
   */
  readonly scoredColumn: Uint16Array;

  constructor(signalIds: readonly string[], subjectIds: readonly string[], rowStart: Int32Array, column: Uint16Array, status: Uint8Array, strength: Float64Array, kinds?: Uint8Array, snoozed?: Uint8Array) {
    this.signalIds = signalIds;
    this.subjectIds = subjectIds;
    this.subjects = subjectIds.length;
    this.rowStart = rowStart;
    this.column = column;
    this.status = status;
    this.strength = strength;
    if (kinds && kinds.length !== subjectIds.length) throw new RangeError(`${kinds.length} row kinds for ${subjectIds.length} subjects`);
    this.kinds = kinds ?? new Uint8Array(subjectIds.length).fill(UNKNOWN_KIND);
    if (snoozed && snoozed.length !== column.length) throw new RangeError(`${snoozed.length} snooze flags for ${column.length} entries`);
    this.snoozed = snoozed ?? new Uint8Array(column.length);
    this.anySnoozed = snoozed !== undefined && snoozed.indexOf(1) >= 0;
    if (this.anySnoozed && signalIds.length >= 0xffff) throw new RangeError(`${signalIds.length} signals: no column left for snoozed lines`);
    this.scoredColumn = column;
    if (this.anySnoozed) {
      this.scoredColumn = Uint16Array.from(column);
      for (let k = 0; k < column.length; k++) if (this.snoozed[k] === 1) this.scoredColumn[k] = signalIds.length;
    }
  }

  /**
   * From decisions: their subject ids and kinds, their signal results and the snoozes they were
   * decided with (a line's `snoozed`), so that re-weighing scores a snoozed line 0 as `decide` did.
   */
  static fromDecisions(decisions: readonly Pick<Decision, 'signals' | 'subject'>[]): SignalMatrix {
    return SignalMatrix.fromResults(decisions.map((d) => ({ subjectId: d.subject.id, kind: d.subject.kind, signals: d.signals })), { snoozes: true });
  }

  /**
   * From stored results (a decision's or a labelled row's), in the given row order. Snoozes are
   * kept only with `snoozes: true` (the simulator's matrices); fits and suggestions learn from the
   * results as the signals gave them.
   */
  static fromResults(rows: readonly StoredResults[], options: { snoozes?: boolean } = {}): SignalMatrix {
    const decisions = rows;
    const ids = [...new Set(rows.flatMap((d) => d.signals.map((s) => s.id)))].sort();
    const columnOf = new Map(ids.map((id, i) => [id, i]));
    const kept = (status: string) => status === 'hit' || status === 'insufficient_data';
    let entries = 0;
    for (const d of decisions) for (const s of d.signals) if (kept(s.status)) entries++;
    const rowStart = new Int32Array(decisions.length + 1);
    const column = new Uint16Array(entries);
    const status = new Uint8Array(entries);
    const strength = new Float64Array(entries);
    const snoozed = new Uint8Array(entries);
    let at = 0;
    const kinds = new Uint8Array(rows.length);
    decisions.forEach((d, row) => {
      rowStart[row] = at;
      kinds[row] = d.kind === undefined ? UNKNOWN_KIND : (KIND_CODE[d.kind] ?? UNKNOWN_KIND);
      for (const s of d.signals) {
        if (!kept(s.status)) continue;
        column[at] = columnOf.get(s.id)!;
        status[at] = STATUS_CODE[s.status];
        strength[at] = s.strength;
        if (options.snoozes && s.snoozed !== undefined && s.snoozed !== null) snoozed[at] = 1;
        at++;
      }
    });
    rowStart[decisions.length] = at;
    return new SignalMatrix(ids, rows.map((d) => d.subjectId), rowStart, column, status, strength, kinds, snoozed);
  }
}

export interface Reweighed {
  /** Score of each subject, in hundredths. */
  scoreCents: Int32Array;
  /** Zone of each subject: 0 low, 1 medium, 2 high. */
  zones: Uint8Array;
  counts: Record<Zone, number>;
}

/**
 * A scoring model laid out for a matrix's columns: per row kind (the three kinds, then the base
 * for rows of unknown kind) each column's weight and insufficient-data points, and the zone
 * thresholds, in hundredths. A signal that does not run for a kind weighs 0 there.
 */
export class ScoringTable {
  readonly width: number;
  /** weights[kind × width + column]. */
  readonly weights: Float64Array;
  readonly insufficientCents: Int32Array;
  /** The zones of each row kind (the three kinds, then the base). */
  readonly zones: readonly ZoneThresholds[];
  /** The same thresholds by row kind in hundredths (`thresholdCents`), for the re-weighing loop. */
  readonly mediumCents: Int32Array;
  readonly highCents: Int32Array;
  readonly capCents: number;
  /** curves[kind × width + column]: the strength curve a hit scores with (undefined: the identity); empty when no signal has one. */
  readonly curves: (StrengthCurve | undefined)[];

  constructor(model: ScoringModel, signalIds: readonly string[]) {
    const width = (this.width = signalIds.length);
    this.weights = new Float64Array(width * 4);
    this.insufficientCents = new Int32Array(width * 4);
    this.curves = model.signals.some((s) => s.curve !== undefined || s.curveByKind !== undefined) ? new Array<StrengthCurve | undefined>(width * 4).fill(undefined) : [];
    const columnOf = new Map(signalIds.map((id, i) => [id, i]));
    for (const s of model.signals) {
      const col = columnOf.get(s.id);
      if (col === undefined) continue;
      const insufficient = Math.round(s.insufficientWeight * 100);
      KINDS.forEach((kind, k) => {
        const weight = s.weightByKind?.[kind];
        if (weight === undefined) return;
        this.weights[k * width + col] = weight;
        this.insufficientCents[k * width + col] = insufficient;
        if (this.curves.length > 0) this.curves[k * width + col] = s.curveByKind?.[kind];
      });
      this.weights[UNKNOWN_KIND * width + col] = s.weight;
      this.insufficientCents[UNKNOWN_KIND * width + col] = insufficient;
      if (this.curves.length > 0) this.curves[UNKNOWN_KIND * width + col] = s.curve;
    }
    const zonesOf = (k: number) => (k === UNKNOWN_KIND ? model.zones : (model.zonesByKind?.[KINDS[k]!] ?? model.zones));
    this.zones = [0, 1, 2, 3].map((k) => ({ medium: zonesOf(k).medium, high: zonesOf(k).high }));
    this.mediumCents = Int32Array.from(this.zones, (z) => thresholdCents(z.medium));
    this.highCents = Int32Array.from(this.zones, (z) => thresholdCents(z.high));
    this.capCents = model.capCents;
  }

  /** The raw points, in hundredths, of one result in a row of kind code `kind` (the kernel's `lineCents`). */
  points(kind: number, column: number, status: number, strength: number, snoozed = false): number {
    const at = kind * this.width + column;
    return lineCents(status, strength, this.weights[at]!, this.curves[at], this.insufficientCents[at]!, snoozed);
  }

  /** The score of raw points: clamped to 0..cap (the kernel's `clampCents`). */
  clamp(raw: number): number {
    return clampCents(raw, this.capCents);
  }

  /** The zone code of a score of a row of kind code `kind` (the kernel's `zoneCode`). */
  zone(kind: number, cents: number): number {
    return zoneOfCents(cents, this.mediumCents[kind]!, this.highCents[kind]!);
  }
}

/**
 * The scores and zones a ruleset gives the stored signal results, without running a signal:
 * raw points (strength × weight for a hit, curve(strength) × weight with a strength curve, the
 * insufficient-data weight) summed and clamped to the cap, then zoned, exactly as `decide` scores
 * (see score.ts). Each row scores with its subject kind's weights, curves and zones
 * (`weightByKind`, `curveByKind`, `zones.byKind`). It holds each signal's result
 * fixed, so signals that read RefundSentry's own earlier verdicts keep their stored values: a
 * first-order answer the full replay (`simulate`) refines.
 */
export function reweigh(matrix: SignalMatrix, ruleset: Pick<CompiledRuleset, 'scoringModel'>): Reweighed {
  return reweighModel(matrix, ruleset.scoringModel());
}

/** The id of the column snoozed lines are scored in (`SignalMatrix.scoredColumn`): no signal's, so it weighs nothing for every kind. */
const NO_SIGNAL = '';

/** `reweigh` with a scoring model (what a fit proposes, before it is a ruleset). */
export function reweighModel(matrix: SignalMatrix, model: ScoringModel): Reweighed {
  // Snoozed lines add 0 (lineCents): they are scored in the column past the signals' (scoredColumn), which matches no signal here.
  const table = new ScoringTable(model, matrix.anySnoozed ? [...matrix.signalIds, NO_SIGNAL] : matrix.signalIds);
  const scoreCents = new Int32Array(matrix.subjects);
  const zones = new Uint8Array(matrix.subjects);
  const { rowStart, status, strength } = matrix;
  // The kernel's loop (score.ts scoreRows): each stored result's lineCents, summed, clamped and zoned.
  const counts = scoreRows(
    {
      rowStart,
      column: matrix.scoredColumn,
      status,
      strength,
      kinds: matrix.kinds,
      width: table.width,
      weights: table.weights,
      insufficientCents: table.insufficientCents,
      curves: table.curves.length > 0 ? table.curves : undefined,
      capCents: table.capCents,
      mediumCents: table.mediumCents,
      highCents: table.highCents,
    },
    scoreCents,
    zones,
  );
  return { scoreCents, zones, counts: { [ZONES[0]!]: counts[0], [ZONES[1]!]: counts[1], [ZONES[2]!]: counts[2] } as Record<Zone, number> };
}

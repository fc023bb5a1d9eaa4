import type { SignalStatus, SubjectKind } from '../../sdk/index.ts';
import type { CompiledRuleset, ScoringModel } from '../compileRuleset.ts';
import { hitCents } from '../score.ts';
import type { StrengthCurve } from '../strengthCurve.ts';
import type { Decision } from '../decision.ts';
import type { Zone } from '../ruleset.ts';

/** Signal status codes in the matrix. */
export const STATUS_CODE = { no_hit: 0, hit: 1, insufficient_data: 2, error: 3 } as const;
const ZONES: Zone[] = ['low', 'medium', 'high'];

/** Subject kind codes of the matrix's rows; `UNKNOWN_KIND` for a row stored without its kind. */
export const KIND_CODE: Readonly<Record<SubjectKind, number>> = Object.freeze({ order: 0, return: 1, refund: 2 });
export const UNKNOWN_KIND = 3;
const KINDS: readonly SubjectKind[] = ['order', 'return', 'refund'];

/** One subject's stored results: what `SignalMatrix.fromResults` reads. */
export interface StoredResults {
  subjectId: string;
  /** The subject's kind; without it the row scores with the base weights and zones. */
  kind?: SubjectKind;
  signals: readonly { id: string; status: SignalStatus; strength: number }[];
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

  constructor(signalIds: readonly string[], subjectIds: readonly string[], rowStart: Int32Array, column: Uint16Array, status: Uint8Array, strength: Float64Array, kinds?: Uint8Array) {
    this.signalIds = signalIds;
    this.subjectIds = subjectIds;
    this.subjects = subjectIds.length;
    this.rowStart = rowStart;
    this.column = column;
    this.status = status;
    this.strength = strength;
    if (kinds && kinds.length !== subjectIds.length) throw new RangeError(`${kinds.length} row kinds for ${subjectIds.length} subjects`);
    this.kinds = kinds ?? new Uint8Array(subjectIds.length).fill(UNKNOWN_KIND);
  }

  /** From decisions: their subject ids and kinds, and their signal results. */
  static fromDecisions(decisions: readonly Pick<Decision, 'signals' | 'subject'>[]): SignalMatrix {
    return SignalMatrix.fromResults(decisions.map((d) => ({ subjectId: d.subject.id, kind: d.subject.kind, signals: d.signals })));
  }

  /** From stored results (a decision's or a labelled row's), in the given row order. */
  static fromResults(rows: readonly StoredResults[]): SignalMatrix {
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
        at++;
      }
    });
    rowStart[decisions.length] = at;
    return new SignalMatrix(ids, rows.map((d) => d.subjectId), rowStart, column, status, strength, kinds);
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
    this.mediumCents = Int32Array.from([0, 1, 2, 3], (k) => Math.round(zonesOf(k).medium * 100));
    this.highCents = Int32Array.from([0, 1, 2, 3], (k) => Math.round(zonesOf(k).high * 100));
    this.capCents = model.capCents;
  }

  /** The raw points, in hundredths, of one result in a row of kind code `kind`. */
  points(kind: number, column: number, status: number, strength: number): number {
    const at = kind * this.width + column;
    return status === STATUS_CODE.hit ? hitCents(strength, this.weights[at]!, this.curves[at]) : status === STATUS_CODE.insufficient_data ? this.insufficientCents[at]! : 0;
  }

  /** The score (clamped raw points) and zone code of a row of kind code `kind`. */
  clamp(raw: number): number {
    return raw < 0 ? 0 : raw > this.capCents ? this.capCents : raw;
  }

  zone(kind: number, cents: number): number {
    return cents >= this.highCents[kind]! ? 2 : cents >= this.mediumCents[kind]! ? 1 : 0;
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

/** `reweigh` with a scoring model (what a fit proposes, before it is a ruleset). */
export function reweighModel(matrix: SignalMatrix, model: ScoringModel): Reweighed {
  const table = new ScoringTable(model, matrix.signalIds);
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
  return { scoreCents, zones, counts: { [ZONES[0]!]: counts[0], [ZONES[1]!]: counts[1], [ZONES[2]!]: counts[2] } as Record<Zone, number> };
}

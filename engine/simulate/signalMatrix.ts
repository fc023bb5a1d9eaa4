import type { CompiledRuleset } from '../compileRuleset.ts';
import type { Decision } from '../decision.ts';
import type { Zone } from '../ruleset.ts';

/** Signal status codes in the matrix. */
export const STATUS_CODE = { no_hit: 0, hit: 1, insufficient_data: 2, error: 3 } as const;
const ZONES: Zone[] = ['low', 'medium', 'high'];

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

  constructor(signalIds: readonly string[], subjectIds: readonly string[], rowStart: Int32Array, column: Uint16Array, status: Uint8Array, strength: Float64Array) {
    this.signalIds = signalIds;
    this.subjectIds = subjectIds;
    this.subjects = subjectIds.length;
    this.rowStart = rowStart;
    this.column = column;
    this.status = status;
    this.strength = strength;
  }

  static fromDecisions(decisions: readonly Decision[]): SignalMatrix {
    const ids = [...new Set(decisions.flatMap((d) => d.signals.map((s) => s.id)))].sort();
    const columnOf = new Map(ids.map((id, i) => [id, i]));
    const kept = (status: string) => status === 'hit' || status === 'insufficient_data';
    let entries = 0;
    for (const d of decisions) for (const s of d.signals) if (kept(s.status)) entries++;
    const rowStart = new Int32Array(decisions.length + 1);
    const column = new Uint16Array(entries);
    const status = new Uint8Array(entries);
    const strength = new Float64Array(entries);
    let at = 0;
    decisions.forEach((d, row) => {
      rowStart[row] = at;
      for (const s of d.signals) {
        if (!kept(s.status)) continue;
        column[at] = columnOf.get(s.id)!;
        status[at] = STATUS_CODE[s.status];
        strength[at] = s.strength;
        at++;
      }
    });
    rowStart[decisions.length] = at;
    return new SignalMatrix(ids, decisions.map((d) => d.subject.id), rowStart, column, status, strength);
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
 * The scores and zones a ruleset gives the stored signal results, without running a signal:
 * raw points (strength × weight for a hit, the insufficient-data weight) summed and clamped to
 * the cap, then zoned, exactly as `decide` scores (see score.ts). It holds each signal's result
 * fixed, so signals that read RefundSentry's own earlier verdicts keep their stored values: a
 * first-order answer the full replay (`simulate`) refines.
 */
export function reweigh(matrix: SignalMatrix, ruleset: CompiledRuleset): Reweighed {
  const model = ruleset.scoringModel();
  const width = matrix.signalIds.length;
  const weights = new Float64Array(width);
  const insufficientCents = new Int32Array(width);
  const configured = new Map(model.signals.map((s) => [s.id, s]));
  matrix.signalIds.forEach((id, i) => {
    const s = configured.get(id);
    weights[i] = s ? s.weight : 0;
    insufficientCents[i] = s ? Math.round(s.insufficientWeight * 100) : 0;
  });
  const medium = Math.round(model.zones.medium * 100);
  const high = Math.round(model.zones.high * 100);
  const cap = model.capCents;
  const scoreCents = new Int32Array(matrix.subjects);
  const zones = new Uint8Array(matrix.subjects);
  const counts = [0, 0, 0];
  const { rowStart, column, status, strength } = matrix;
  for (let row = 0; row < matrix.subjects; row++) {
    let raw = 0;
    for (let at = rowStart[row], end = rowStart[row + 1]; at < end; at++) {
      const i = column[at];
      raw += status[at] === 1 ? Math.round(strength[at] * weights[i] * 100) : insufficientCents[i];
    }
    const score = raw < 0 ? 0 : raw > cap ? cap : raw;
    const zone = score >= high ? 2 : score >= medium ? 1 : 0;
    scoreCents[row] = score;
    zones[row] = zone;
    counts[zone]++;
  }
  return { scoreCents, zones, counts: { [ZONES[0]]: counts[0], [ZONES[1]]: counts[1], [ZONES[2]]: counts[2] } as Record<Zone, number> };
}

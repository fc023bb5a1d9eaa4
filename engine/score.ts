import { createHash } from 'node:crypto';
import type { SignalStatus } from '../sdk/index.ts';
import type { Zone, ZoneThresholds } from './ruleset.ts';
import { curveStrength, type StrengthCurve } from './strengthCurve.ts';

/**
 * The scoring kernel: the one place where signal results become points, a score and a zone.
 * `decide` (evaluate/decide.ts), `reweigh` (simulate/signalMatrix.ts) and `rescoreChanged`
 * (simulate/rescoreChanged.ts) all score through it, line by line (`lineCents`), then clamp and
 * rescale (`allocateScore`, or `clampCents` when only the score is wanted) and zone (`zoneCode`).
 * Snoozes (`snoozesAt`, the ones in force at the subject's time) zero a line's points; the
 * holdout (`inHoldout`) picks HIGH decisions whose actions are skipped and never changes a score.
 * Block and allow lists reach the score as signals reading the context's `lists`: the kernel sees
 * their results like any other.
 *
 * Scoring in integer hundredths of a point, so that each signal's points add up to the score
 * exactly and the result is the same on every machine.
 *
 * Raw points: strength × weight for a hit, the insufficient-data weight for insufficient_data,
 * 0 otherwise. The score is their sum clamped to 0..cap. When clamping bites, the points are
 * rescaled (largest-remainder rounding, ties to the earlier signal) so that they still sum to
 * the score: above the cap every contribution shrinks in proportion; below 0 only the negative
 * (trust) contributions shrink, until they cancel the positive ones.
 */
export interface Allocation {
  /** Contribution of each entry, in hundredths; sums to `scoreCents`. */
  cents: Int32Array;
  scoreCents: number;
  rawCents: number;
  scaled: boolean;
}

export function toCents(points: number): number {
  return Math.round(points * 100);
}

/**
 * The raw points, in hundredths, of a hit: strength × weight, or curve(strength) × weight when the
 * signal has a strength curve for the subject's kind. The one formula of `decide`, `reweigh` and
 * `rescoreChanged` (`weighedCents`).
 */
export function hitCents(strength: number, weight: number, curve: StrengthCurve | undefined): number {
  return weighedCents(curve === undefined ? strength : curveStrength(curve, strength), weight);
}

/** The formula itself: a (counted) strength at a weight, in hundredths. `hitCents` without a curve. */
export function weighedCents(strength: number, weight: number): number {
  return Math.round(strength * weight * 100); // toCents(strength × weight), written out: one inlined call less per result in reweigh
}

/** Signal status codes (the simulator's matrix stores them). */
export const STATUS_CODE = { no_hit: 0, hit: 1, insufficient_data: 2, error: 3 } as const;
export const ZONES: readonly Zone[] = ['low', 'medium', 'high'];
/** A zone as a number: 0 low, 1 medium, 2 high. */
export type ZoneCode = 0 | 1 | 2;

/**
 * The raw points, in hundredths, of one signal's result (`status` a `STATUS_CODE`): a hit's
 * `hitCents`, the insufficient-data points for `insufficient_data`, 0 for `no_hit` and `error`,
 * and 0 whatever the result when the signal is snoozed for the subject's customer.
 */
export function lineCents(status: number, strength: number, weight: number, curve: StrengthCurve | undefined, insufficientCents: number, snoozed: boolean): number {
  if (snoozed) return 0;
  if (status === STATUS_CODE.hit) return hitCents(strength, weight, curve);
  return status === STATUS_CODE.insufficient_data ? insufficientCents : 0;
}

/** Stored results in the simulator's matrix layout, with the scoring of each row kind laid out by column. */
export interface ResultRows {
  /**
   * Entries of row r: rowStart[r]..rowStart[r+1]; only hits and insufficient data (a matrix keeps
   * no other status: the others add nothing, `lineCents`).
   */
  rowStart: Int32Array;
  /** Each entry's column; a snoozed line's is a column of weight 0 and no insufficient-data points. */
  column: Uint16Array;
  status: Uint8Array;
  strength: Float64Array;
  /** Each row's kind code (an index into the per-kind tables). */
  kinds: Uint8Array;
  /** Columns per kind: weights[kind × width + column]. */
  width: number;
  weights: Float64Array;
  insufficientCents: Int32Array;
  /** Strength curves by kind × width + column; undefined when no signal has one. */
  curves: readonly (StrengthCurve | undefined)[] | undefined;
  capCents: number;
  /** Zone thresholds per kind, from `thresholdCents`. */
  mediumCents: Int32Array;
  highCents: Int32Array;
}

/**
 * Every row's score (in hundredths) and zone code: for each stored result its `lineCents`, summed,
 * clamped and zoned; returns the count per zone code. It runs once per stored result when a
 * million events are re-weighed (`reweigh`; tests check it equals `decide` and the sum of
 * `lineCents`), so it is written for speed (issue 22's A/B, bench/reweigh-ab.bench.ts):
 * - a line's points come from the kernel's formula (`hitCents`; `weighedCents` when the column has
 *   no curve), a line of insufficient data adds its points;
 * - no snooze flag is read: a snoozed line comes in a column that weighs nothing (`reweigh` gives
 *   it `SignalMatrix.scoredColumn`), so it adds 0 as `lineCents` says;
 * - `clampCents` and `zoneOfCents` are written out as conditionals, a hit is compared with the
 *   literal 1 (`STATUS_CODE.hit`) and the formula's functions are read into locals once: each
 *   read of a module binding inside the loop cost 1-4 %.
 */
export function scoreRows(rows: ResultRows, scoreCents: Int32Array, zones: Uint8Array): [number, number, number] {
  const { rowStart, column, status, strength, kinds, width, weights, insufficientCents, curves, capCents, mediumCents, highCents } = rows;
  const hit = hitCents, weighed = weighedCents;
  const counts: [number, number, number] = [0, 0, 0];
  for (let row = 0, subjects = kinds.length; row < subjects; row++) {
    const kind = kinds[row]!;
    const base = kind * width;
    let raw = 0;
    for (let at = rowStart[row]!, end = rowStart[row + 1]!; at < end; at++) {
      const i = base + column[at]!;
      raw += status[at] === 1 ? (curves !== undefined && curves[i] !== undefined ? hit(strength[at]!, weights[i]!, curves[i]) : weighed(strength[at]!, weights[i]!)) : insufficientCents[i]!;
    }
    const score = raw < 0 ? 0 : raw > capCents ? capCents : raw;
    const zone = score >= highCents[kind]! ? 2 : score >= mediumCents[kind]! ? 1 : 0;
    scoreCents[row] = score;
    zones[row] = zone;
    counts[zone]++;
  }
  return counts;
}

/** `lineCents` of a result whose status is a name. */
export function statusCode(status: SignalStatus): number {
  return STATUS_CODE[status];
}

/** The score, in hundredths, of raw points: clamped to 0..cap (what `allocateScore` gives, without the lines). */
export function clampCents(rawCents: number, capCents: number): number {
  return rawCents < 0 ? 0 : rawCents > capCents ? capCents : rawCents;
}

/** The zone of a score given in hundredths: `score >= high` is HIGH, `>= medium` MEDIUM, else LOW. */
export function zoneCode(scoreCents: number, zones: ZoneThresholds): ZoneCode {
  const score = scoreCents / 100;
  return score >= zones.high ? 2 : score >= zones.medium ? 1 : 0;
}

/**
 * The least score in hundredths whose score reaches `threshold` (`cents / 100 >= threshold`), so
 * that `zoneOfCents` with these gives exactly `zoneCode` without a division per subject.
 */
export function thresholdCents(threshold: number): number {
  let cents = Math.ceil(threshold * 100);
  while ((cents - 1) / 100 >= threshold) cents--;
  while (cents / 100 < threshold) cents++;
  return cents;
}

/** `zoneCode` with thresholds from `thresholdCents` (the simulator keeps them in typed arrays). */
export function zoneOfCents(scoreCents: number, mediumCents: number, highCents: number): ZoneCode {
  return scoreCents >= highCents ? 2 : scoreCents >= mediumCents ? 1 : 0;
}

/** Why a signal scores nothing for this customer: who snoozed it, until when, and why. */
export interface SnoozeNote {
  until: string;
  by?: string;
  reason?: string;
}

/** A merchant's snooze of one signal for one customer, in force from `startsAt` until `expiresAt`. */
export interface Snooze {
  customerId: string;
  signalId: string;
  startsAt: string;
  expiresAt: string;
  by?: string;
  reason?: string;
}

/**
 * The snoozes in force at `at` (started at or before it, expiring after it), by signal id; the
 * latest-expiring one of a signal wins. Live scoring, the backfill, replays, the simulator and the
 * preview all pick a subject's snoozes with it, from its customer's snoozes.
 */
export function snoozesAt(snoozes: readonly Snooze[] | undefined, at: string): Record<string, SnoozeNote> | undefined {
  if (!snoozes) return undefined;
  const t = Date.parse(at);
  let active: Record<string, SnoozeNote> | undefined;
  for (const snooze of snoozes) {
    if (Date.parse(snooze.startsAt) > t || Date.parse(snooze.expiresAt) <= t) continue;
    const until = new Date(snooze.expiresAt).toISOString();
    const current = active?.[snooze.signalId];
    if (current && current.until >= until) continue;
    (active ??= {})[snooze.signalId] = { until, ...(snooze.by !== undefined ? { by: snooze.by } : {}), ...(snooze.reason ? { reason: snooze.reason } : {}) };
  }
  return active;
}

/** A shop's snoozes grouped by customer, for `snoozesAt` per subject. */
export function snoozesByCustomer(snoozes: readonly Snooze[] | undefined): ReadonlyMap<string, Snooze[]> {
  return Map.groupBy(snoozes ?? [], (s) => s.customerId);
}

/**
 * Whether a HIGH decision falls in the holdout sample (its actions are skipped, to measure what
 * the rules prevent): a deterministic hash of shop and subject id in [0, 1) below the share, so
 * the same subject is always in or out, independent of its score. Never changes a score or zone.
 */
export function inHoldout(shopId: string, subjectId: string, share: number): boolean {
  if (share <= 0) return false;
  const h = createHash('sha256').update(`${shopId}|${subjectId}`).digest().readUInt32BE(0);
  return h / 0x1_0000_0000 < share;
}

export function allocateScore(rawCents: Int32Array, capCents: number): Allocation {
  let raw = 0;
  let positive = 0;
  for (let i = 0; i < rawCents.length; i++) {
    raw += rawCents[i];
    if (rawCents[i] > 0) positive += rawCents[i];
  }
  if (raw >= 0 && raw <= capCents) return { cents: rawCents, scoreCents: raw, rawCents: raw, scaled: false };
  const cents = Int32Array.from(rawCents);
  if (raw > capCents) {
    rescale(cents, () => true, raw, capCents);
    return { cents, scoreCents: capCents, rawCents: raw, scaled: true };
  }
  rescale(cents, (v) => v < 0, raw - positive, -positive);
  return { cents, scoreCents: 0, rawCents: raw, scaled: true };
}

/** Scales the selected entries (which sum to `from`) so that they sum to `to` exactly. */
function rescale(cents: Int32Array, selected: (value: number) => boolean, from: number, to: number): void {
  const indexes: number[] = [];
  const remainders: number[] = [];
  let total = 0;
  for (let i = 0; i < cents.length; i++) {
    if (cents[i] === 0 || !selected(cents[i])) continue;
    const exact = (cents[i] * to) / from;
    const floor = Math.floor(exact);
    cents[i] = floor;
    total += floor;
    indexes.push(i);
    remainders.push(exact - floor);
  }
  const order = indexes.map((_, k) => k).sort((a, b) => remainders[b] - remainders[a] || a - b);
  for (let k = 0; k < to - total; k++) cents[indexes[order[k]]] += 1;
}

import { createHash } from 'node:crypto';
import type { SignalStatus } from '../sdk/index.ts';
import type { Zone, ZoneThresholds } from './ruleset.ts';
import { curveStrength, type StrengthCurve } from './strengthCurve.ts';

/**
 * The scoring kernel: the one place where signal results become points, a score and a zone.
 * `decide` (compileRuleset.ts), `reweigh` (simulate/signalMatrix.ts) and `rescoreChanged`
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
 * `rescoreChanged`.
 */
export function hitCents(strength: number, weight: number, curve: StrengthCurve | undefined): number {
  return toCents((curve === undefined ? strength : curveStrength(curve, strength)) * weight);
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

import { curveStrength, type StrengthCurve } from './strengthCurve.ts';

/**
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

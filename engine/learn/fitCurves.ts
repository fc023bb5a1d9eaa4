import { CURVE_MAX_POINTS, curveStrength, type StrengthCurve } from '../strengthCurve.ts';

/**
 * The pieces `fitRuleset` learns a signal's strength curve with: the bases of its hit strengths
 * it chooses among — hinges at fixed knots beside the strength (`curveBasis`), or bins at the
 * quantiles of the training hits, piecewise constant, instead of it (`binBasis`); both with a
 * saturated top strength on its own — a monotone fit (pool adjacent violators) of the log-odds
 * the regression gives along the chosen one, and the curve that draws them. Pure and
 * deterministic.
 */

/** Where a learned curve may bend: strengths a quarter apart (kept where enough hits lie on both sides). */
export const CURVE_KNOTS: readonly number[] = [0.25, 0.5, 0.75];
/** Fewest training hits on each side of a knot, in a bin, and behind a saturated top strength. */
export const MIN_CURVE_HITS = 20;
/** A fitted curve this close to the current one (or the identity) everywhere keeps the current one. */
export const CURVE_TOLERANCE = 0.05;

/**
 * What a signal's effect may be fitted with. Beside its strength: an indicator of any hit
 * (`level`: a hit counts this much whatever its strength, so the curve need not start at 0), a
 * hinge max(0, strength − k) at each knot (a bend of the curve there), and the top strength many
 * hits share (`atom`: a signal saturating at 1, e.g. an account minutes old) as an indicator of
 * its own (a step up or down there); with all their coefficients 0 the effect is linear in the
 * strength. Or, with `bins`, instead of its strength: an indicator per bin of strengths (and the
 * atom's), so the effect is piecewise constant — flat within a bin, free to jump between bins
 * (what a level and hinges cannot draw: nothing below a saturated top, then everything).
 */
export interface CurveBasis {
  level?: true;
  knots: number[];
  /** The saturated top strength (at least `MIN_CURVE_HITS` hits and 1/8 of them), if any. */
  atom?: number;
  /**
   * A binned basis: the lower bounds of the bins below the atom, ascending (the first, the lowest
   * training hit strength, also takes any strength below it). `level` and `knots` are then unused.
   */
  bins?: number[];
}

/** How many bins below the atom `binBasis` is tried with: each count is a candidate basis. */
export const CURVE_BIN_COUNTS: readonly number[] = [1, 2, 3, 4, 6, 8];

/** The saturated top strength of ascending hit strengths (at least `minHits` hits and 1/8 of them, not all), and how many hits it has. */
function saturatedTop(sorted: readonly number[], minHits: number): { atom: number | undefined; atTop: number } {
  const n = sorted.length;
  const top = sorted[n - 1]!;
  let atTop = 0;
  while (atTop < n && sorted[n - 1 - atTop] === top) atTop++;
  return { atom: atTop >= minHits && atTop >= n / 8 && atTop < n ? top : undefined, atTop };
}

/**
 * The basis of a signal's hit strengths (`sorted` ascending, all above 0): the knots of
 * `CURVE_KNOTS` with at least `minHits` hits (below the atom) on each side, and the atom.
 * Undefined when there is nothing to bend (too few hits, or one strength only).
 */
export function curveBasis(sorted: readonly number[], minHits = MIN_CURVE_HITS): CurveBasis | undefined {
  const n = sorted.length;
  if (n < 2 * minHits) return undefined;
  const top = sorted[n - 1]!;
  const { atom, atTop } = saturatedTop(sorted, minHits);
  const rest = atom === undefined ? sorted : sorted.slice(0, n - atTop);
  const knots = CURVE_KNOTS.filter((k) => rest.filter((v) => v > k).length >= minHits && rest.filter((v) => v <= k).length >= minHits);
  // A level apart from the slope needs hits at two strengths at least.
  const level = sorted[0] !== top;
  if (knots.length === 0 && atom === undefined && !level) return undefined;
  return { ...(level ? { level: true as const } : {}), knots, ...(atom === undefined ? {} : { atom }) };
}

/**
 * A binned basis of a signal's hit strengths (`sorted` ascending, all above 0): the saturated top
 * strength (as `curveBasis` finds it) a bin of its own, the other hits in `count` bins of about
 * equal numbers of hits — cut at their quantiles, so strengths dense with hits are cut finely and
 * empty stretches not at all — with ties kept in one bin and at least `minHits` hits in each (fewer
 * bins when there are not enough). Undefined when that leaves fewer than two bins (nothing to
 * bend).
 */
export function binBasis(sorted: readonly number[], count: number, minHits = MIN_CURVE_HITS): CurveBasis | undefined {
  const n = sorted.length;
  if (n < 2 * minHits) return undefined;
  const { atom, atTop } = saturatedTop(sorted, minHits);
  const rest = atom === undefined ? n : n - atTop;
  if (rest < minHits) return undefined;
  const bins = [sorted[0]!];
  let start = 0;
  for (let b = 1; b < count; b++) {
    // The b-th quantile, moved past ties and to at least minHits after the last cut.
    let cut = Math.max(start + minHits, Math.round((b * rest) / count));
    while (cut < rest && sorted[cut] === sorted[cut - 1]) cut++;
    if (cut > rest - minHits) break;
    bins.push(sorted[cut]!);
    start = cut;
  }
  if (bins.length + (atom === undefined ? 0 : 1) < 2) return undefined;
  return { knots: [], bins, ...(atom === undefined ? {} : { atom }) };
}

/** The bin of a strength in a binned basis (`bins.length` for the atom): the last whose lower bound it reaches, the first below them all. */
function binOf(basis: CurveBasis, strength: number): number {
  const bins = basis.bins!;
  if (basis.atom !== undefined && strength >= basis.atom) return bins.length;
  let bin = 0;
  while (bin + 1 < bins.length && strength >= bins[bin + 1]!) bin++;
  return bin;
}

/** How many columns a basis adds to the regression: the level, one per knot, the atom; or one per bin and the atom (a binned basis, which takes the strength's place). */
export function basisWidth(basis: CurveBasis): number {
  if (basis.bins) return basis.bins.length + (basis.atom === undefined ? 0 : 1);
  return (basis.level ? 1 : 0) + basis.knots.length + (basis.atom === undefined ? 0 : 1);
}

/**
 * The basis's values at a hit's strength, in column order: the level's indicator, each knot's
 * hinge, the atom's indicator; or (binned) one indicator per bin, then the atom's.
 */
export function basisValues(basis: CurveBasis, strength: number): number[] {
  if (basis.bins) {
    const values = new Array<number>(basisWidth(basis)).fill(0);
    values[binOf(basis, strength)] = 1;
    return values;
  }
  const values = basis.knots.map((k) => Math.max(0, strength - k));
  if (basis.level) values.unshift(1);
  if (basis.atom !== undefined) values.push(strength >= basis.atom ? 1 : 0);
  return values;
}

/** Weighted pool-adjacent-violators: the non-decreasing sequence nearest `values` in weighted squares. */
export function poolAdjacentViolators(values: readonly number[], weights: readonly number[]): number[] {
  const blocks: { value: number; weight: number; size: number }[] = [];
  values.forEach((value, i) => {
    blocks.push({ value, weight: weights[i]!, size: 1 });
    while (blocks.length > 1 && blocks[blocks.length - 2]!.value > blocks[blocks.length - 1]!.value) {
      const b = blocks.pop()!;
      const a = blocks.pop()!;
      const weight = a.weight + b.weight;
      blocks.push({ value: weight > 0 ? (a.value * a.weight + b.value * b.weight) / weight : (a.value + b.value) / 2, weight, size: a.size + b.size });
    }
  });
  return blocks.flatMap((b) => new Array<number>(b.size).fill(b.value));
}

/**
 * What the regression learned of one signal fitted with a basis: effect(s) = slope × current(s) +
 * Σ coefficients × basis(s), in log-odds (slope 0 for a binned basis, which has no strength column).
 */
export interface CurveEffect {
  basis: CurveBasis;
  slope: number;
  /** One per basis column (`basisValues`' order). */
  coefficients: readonly number[];
  /** The signal's current curve (undefined: the identity), which the slope multiplies. */
  current: StrengthCurve | undefined;
  /** The training hit strengths, ascending: where the effect is known, and how much each point of the curve rests on. */
  hits: readonly number[];
  /** The sign the signal's effect takes when the data do not say (its current weight's). */
  priorSign: number;
}

/**
 * The curve and weight (in log-odds at full strength, signed) that draw an effect as points =
 * weight × curve(strength): the effect at 0, each knot, the current curve's points, the last hit
 * strength below the atom, the atom and 1 — or, binned, at 0, the lowest and highest training hit
 * of each bin (flat between them, a straight line across the gap to the next bin), the atom and
 * 1; made monotone in the effect's direction (pool
 * adjacent violators, each point weighted by the hits nearest to it), cut at 0 where it crosses
 * it (a risk signal's hit never lowers the score, a trust signal's never raises it), divided by
 * its top, thinned to
 * `CURVE_MAX_POINTS` and rounded (strength to 4 decimals, counted strength to 3). Weight 0 and no
 * curve when nothing is left above 0.
 */
export function curveOfEffect(effect: CurveEffect): { weight: number; curve: StrengthCurve | undefined } {
  const { basis, slope, coefficients, current, hits } = effect;
  const at = (s: number) => {
    let value = slope * (current ? curveStrength(current, s) : s);
    basisValues(basis, s).forEach((v, c) => (value += coefficients[c]! * v));
    return value;
  };
  const xs = new Set<number>([0, 1, ...basis.knots]);
  if (basis.bins) {
    // Piecewise constant: each bin drawn from its lowest training hit to its highest.
    const ends = new Map<number, [number, number]>();
    for (const h of hits) {
      const bin = binOf(basis, h);
      const [low, high] = ends.get(bin) ?? [h, h];
      ends.set(bin, [Math.min(low, h), Math.max(high, h)]);
    }
    for (const [low, high] of ends.values()) xs.add(low).add(high);
  } else for (const [x] of current ?? []) xs.add(x);
  if (basis.atom !== undefined) {
    xs.add(basis.atom);
    const below = hits.filter((h) => h < basis.atom!);
    if (below.length > 0) xs.add(below[below.length - 1]!);
  }
  const points = [...xs].filter((x) => x >= 0 && x <= 1).sort((a, b) => a - b);
  // Each point's weight: the hits nearest to it (at least 1).
  const weights = points.map(() => 1);
  for (const h of hits) {
    let nearest = 0;
    for (let i = 1; i < points.length; i++) if (Math.abs(points[i]! - h) < Math.abs(points[nearest]! - h)) nearest = i;
    weights[nearest]!++;
  }
  // The effect's direction: the sign of its mean over the hits (the prior's sign on a tie).
  let mean = 0;
  for (const h of hits) mean += at(h);
  const sign = mean > 0 ? 1 : mean < 0 ? -1 : effect.priorSign < 0 ? -1 : 1;
  const pooled = poolAdjacentViolators(points.map((x) => sign * at(x)), weights);
  const top = pooled[pooled.length - 1]!;
  if (!(top > 0)) return { weight: 0, curve: undefined };
  // Cut at 0, where the line between two points crosses it.
  const cut: [number, number][] = [];
  points.forEach((x, i) => {
    const v = pooled[i]!;
    const before = pooled[i - 1];
    if (before !== undefined && before < 0 && v > 0) cut.push([points[i - 1]! + ((0 - before) * (x - points[i - 1]!)) / (v - before), 0]);
    cut.push([x, Math.max(0, v) / top]);
  });
  const drawn = thin(cut);
  const rounded: [number, number][] = [];
  for (const [x, y] of drawn) {
    const rx = x === 0 ? 0 : x === 1 ? 1 : Math.round(x * 10_000) / 10_000;
    const ry = Math.round(y * 1000) / 1000;
    if (rounded.length > 0 && rounded[rounded.length - 1]![0] === rx) rounded[rounded.length - 1] = [rx, Math.max(rounded[rounded.length - 1]![1], ry)];
    else rounded.push([rx, ry]);
  }
  rounded[rounded.length - 1] = [1, 1];
  return { weight: sign * top, curve: rounded };
}

/**
 * Drops the points a straight line through their neighbours already draws, then, while more than
 * `CURVE_MAX_POINTS` remain, the inner point whose removal moves the curve least (the first on a tie).
 */
function thin(points: [number, number][]): [number, number][] {
  const off = (p: [number, number][], i: number) => {
    const [x0, y0] = p[i - 1]!;
    const [x1, y1] = p[i + 1]!;
    const [x, y] = p[i]!;
    return Math.abs(y - (y0 + ((x - x0) * (y1 - y0)) / (x1 - x0)));
  };
  let out = points.filter((p, i) => i === 0 || p[0] > points[i - 1]![0]);
  for (let i = 1; i < out.length - 1; ) {
    if (off(out, i) < 1e-9) out = out.filter((_, k) => k !== i);
    else i++;
  }
  while (out.length > CURVE_MAX_POINTS) {
    let least = 1;
    for (let i = 2; i < out.length - 1; i++) if (off(out, i) < off(out, least)) least = i;
    out = out.filter((_, k) => k !== least);
  }
  return out;
}

/** The largest gap between two curves (undefined: the identity), at the points of either. */
export function curveDistance(a: StrengthCurve | undefined, b: StrengthCurve | undefined): number {
  const of = (c: StrengthCurve | undefined, s: number) => (c ? curveStrength(c, s) : s);
  const xs = [0, 1, ...(a ?? []).map((p) => p[0]), ...(b ?? []).map((p) => p[0])];
  return Math.max(...xs.map((x) => Math.abs(of(a, x) - of(b, x))));
}

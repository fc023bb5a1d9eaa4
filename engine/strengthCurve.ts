/**
 * A signal's strength curve: a monotone piecewise-linear map from the strength a signal reports
 * (0..1) to the strength its points are counted at (0..1). Points of a hit = curve(strength) ×
 * weight. `[[0, 0], [1, 1]]` (or no curve) is the identity: points linear in the strength.
 *
 * Points `[x, y]`: x from 0 to 1, strictly increasing (first 0, last 1); y within 0..1, never
 * decreasing; at most `CURVE_MAX_POINTS`. Between two points the curve is the straight line.
 *
 * Example: `[[0, 0], [0.99, 0], [1, 1]]` counts only full-strength hits (an account opened
 * minutes before the order, not hours or days).
 */
export type StrengthCurve = readonly (readonly [number, number])[];

/** The most points a curve may have. */
export const CURVE_MAX_POINTS = 8;

/**
 * The strength a hit counts at: the curve at `strength` (straight lines between its points;
 * below the first point its y, above the last its y). The same arithmetic everywhere points are
 * computed (`decide`, `reweigh`, `rescoreChanged`), so they agree to the cent.
 */
export function curveStrength(curve: StrengthCurve, strength: number): number {
  const first = curve[0]!;
  if (!(strength > first[0])) return first[1];
  for (let i = 1; i < curve.length; i++) {
    const point = curve[i]!;
    if (strength < point[0]) {
      const before = curve[i - 1]!;
      return before[1] + ((strength - before[0]) * (point[1] - before[1])) / (point[0] - before[0]);
    }
    if (strength === point[0]) return point[1];
  }
  return curve[curve.length - 1]![1];
}

/** A problem of a curve: where (a pointer relative to the curve, e.g. `/2/0`) and what. */
export interface CurveProblem {
  pointer: string;
  message: string;
}

/**
 * What is wrong with a curve whose shape (an array of [number, number] pairs within 0..1, at most
 * `CURVE_MAX_POINTS`) the JSON Schema already checked: the meaning the schema cannot say. Empty
 * when it is a valid curve, and for a curve with a point of the wrong shape or out of range (the
 * schema reports it).
 */
export function curveProblems(curve: unknown): CurveProblem[] {
  if (!Array.isArray(curve)) return [];
  const inRange = (v: unknown) => typeof v === 'number' && v >= 0 && v <= 1;
  const points = curve.map((p) => (Array.isArray(p) && p.length === 2 && inRange(p[0]) && inRange(p[1]) ? (p as [number, number]) : undefined));
  if (points.some((p) => p === undefined) || points.length < 2) return [];
  const problems: CurveProblem[] = [];
  const valid = points as [number, number][];
  if (valid[0]![0] !== 0) problems.push({ pointer: '/0/0', message: `a strength curve starts at strength 0 (got ${valid[0]![0]})` });
  const last = valid.length - 1;
  if (valid[last]![0] !== 1) problems.push({ pointer: `/${last}/0`, message: `a strength curve ends at strength 1 (got ${valid[last]![0]})` });
  for (let i = 1; i < valid.length; i++) {
    const [x0, y0] = valid[i - 1]!;
    const [x1, y1] = valid[i]!;
    if (!(x1 > x0)) problems.push({ pointer: `/${i}/0`, message: `the points of a strength curve are sorted by strength, each above the one before (${x1} after ${x0})` });
    if (y1 < y0) problems.push({ pointer: `/${i}/1`, message: `a strength curve never goes down: a stronger hit counts at least as much (${y1} after ${y0})` });
  }
  return problems;
}

/** Whether a curve is the identity (every point on y = x): the same points as no curve at all. */
export function isIdentityCurve(curve: StrengthCurve): boolean {
  return curve.every(([x, y]) => x === y);
}

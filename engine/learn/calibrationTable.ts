/**
 * The calibration table of scores against outcomes: what share of the subjects in each score band
 * turned out positive. No imports, so that any part of the app (the order risk card included) can
 * use it without the engine.
 */
export interface CalibrationBand {
  from: number;
  to: number;
  rows: number;
  positives: number;
  rate: number | null;
}

/**
 * Score bands of `bandWidth` points from 0 to 100 (the last includes 100): rows, positives and
 * the observed rate (null for an empty band).
 */
export function calibrationTable(scores: ArrayLike<number>, positives: ArrayLike<boolean>, bandWidth = 10): CalibrationBand[] {
  if (!(bandWidth > 0 && bandWidth <= 100)) throw new RangeError(`bandWidth must be in (0, 100] (got ${bandWidth})`);
  const bands: CalibrationBand[] = [];
  for (let from = 0; from < 100; from += bandWidth) bands.push({ from, to: Math.min(100, from + bandWidth), rows: 0, positives: 0, rate: null });
  for (let i = 0; i < scores.length; i++) {
    const band = bands[Math.min(bands.length - 1, Math.max(0, Math.floor(scores[i]! / bandWidth)))]!;
    band.rows++;
    if (positives[i]) band.positives++;
  }
  for (const band of bands) band.rate = band.rows === 0 ? null : Math.round((band.positives / band.rows) * 10_000) / 10_000;
  return bands;
}

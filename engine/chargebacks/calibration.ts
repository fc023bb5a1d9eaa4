import type { SubjectKind } from '../../sdk/index.ts';
import { calibrationTable, type CalibrationBand } from '../learn/calibrationTable.ts';

export type { CalibrationBand };

/**
 * What a score means in this shop: the calibration of a ruleset version. Per 10-point score band,
 * the observed rate of fraud (settled positive labels, `labels.ts`) among that version's decisions
 * of one subject kind whose outcome is known, with its count. A band with fewer than
 * `MIN_LABELLED` known outcomes borrows its two neighbours (the band's neighbourhood, 30 points
 * wide); still fewer, and there is no number: "not enough outcomes yet". A fitted version brings
 * its held-out calibration (the fit's report): a band uses it until the version's own outcomes
 * reach the minimum. The figure is the observed rate as it is, never smoothed into something no
 * count shows; it is printed with the count it rests on. Pure: outcomes in, a calibration out.
 *
 * Why 30: below it a rate is mostly noise (with 30 outcomes and a true rate of 10 %, the 95 %
 * interval still runs from about 2 % to 27 %); the neighbourhood lets a band with a few outcomes
 * speak when the scores around it have enough, without reaching across the whole scale.
 */

export const BAND_WIDTH = 10;
export const BANDS = 100 / BAND_WIDTH;
/** Known outcomes a figure needs (in the band, or in its neighbourhood). */
export const MIN_LABELLED = 30;

/** Where a figure comes from: the version's own known outcomes, or the held-out part of its fit. */
export type CalibrationSource = 'outcomes' | 'held-out';

/** The outcomes a band's figure rests on: the band itself, or it and its neighbours. */
export interface CalibrationBasis {
  from: number;
  to: number;
  rows: number;
  positives: number;
  source: CalibrationSource;
}

export interface CalibratedBand extends CalibrationBand {
  /** The figure for this band (0..1), or null: not enough outcomes yet. */
  probability: number | null;
  basis: CalibrationBasis | null;
}

export interface Calibration {
  version: number;
  kind: SubjectKind;
  /** The version's own decisions of this kind with a known outcome, and how many were fraud. */
  labelled: number;
  positives: number;
  /** positives / labelled once `labelled` reaches the minimum, else null. */
  baseRate: number | null;
  minLabelled: number;
  /** The fit's held-out calibration this version came with, if any (its counts). */
  heldOut: { rows: number; positives: number } | null;
  bands: CalibratedBand[];
}

/** The figure for one score. */
export interface OutcomeRisk {
  /** 0..1, or null: not enough outcomes yet. */
  probability: number | null;
  kind: SubjectKind;
  version: number;
  score: number;
  band: { from: number; to: number };
  basis: CalibrationBasis | null;
  baseRate: number | null;
  minLabelled: number;
  /** In words, for the admin, the order card and the evidence report. */
  explanation: string;
}

export function bandIndex(score: number): number {
  return Math.min(BANDS - 1, Math.max(0, Math.floor(score / BAND_WIDTH)));
}

/**
 * The counts per 10-point band of scored, labelled subjects: the fit's own band table
 * (`calibrationTable`, the one its report's held-out calibration is), so both count alike.
 */
export function bandCounts(rows: readonly { score: number; positive: boolean }[]): CalibrationBand[] {
  return calibrationTable(rows.map((r) => r.score), rows.map((r) => r.positive), BAND_WIDTH);
}

/** Another band table (e.g. a fit's held-out one, of any width within 10) on the 10-point bands. */
function rebin(bands: readonly CalibrationBand[]): CalibrationBand[] {
  const out = bandCounts([]);
  for (const band of bands) {
    const target = out[bandIndex(band.from)]!;
    target.rows += band.rows;
    target.positives += band.positives;
  }
  for (const band of out) band.rate = band.rows > 0 ? Math.round((band.positives / band.rows) * 10_000) / 10_000 : null;
  return out;
}

/** The band's own counts when they reach `min`, else with its neighbours when those do, else null. */
function basisOf(bands: readonly CalibrationBand[], i: number, min: number, source: CalibrationSource): CalibrationBasis | null {
  const own = bands[i]!;
  if (own.rows >= min) return { from: own.from, to: own.to, rows: own.rows, positives: own.positives, source };
  const lo = Math.max(0, i - 1);
  const hi = Math.min(bands.length - 1, i + 1);
  let rows = 0;
  let positives = 0;
  for (let j = lo; j <= hi; j++) {
    rows += bands[j]!.rows;
    positives += bands[j]!.positives;
  }
  return rows >= min ? { from: bands[lo]!.from, to: bands[hi]!.to, rows, positives, source } : null;
}

export interface CalibrateOptions {
  version: number;
  kind: SubjectKind;
  /** The held-out calibration of the fit that made this version (its report), if any. */
  heldOut?: readonly CalibrationBand[] | null;
  minLabelled?: number;
}

/** The calibration of a version for one subject kind from its decisions' known outcomes. */
export function calibrate(own: readonly { score: number; positive: boolean }[], options: CalibrateOptions): Calibration {
  const min = options.minLabelled ?? MIN_LABELLED;
  const bands = bandCounts(own);
  const heldOut = options.heldOut && options.heldOut.length > 0 ? rebin(options.heldOut) : null;
  const labelled = own.length;
  const positives = own.filter((o) => o.positive).length;
  return {
    version: options.version,
    kind: options.kind,
    labelled,
    positives,
    baseRate: labelled >= min ? positives / labelled : null,
    minLabelled: min,
    heldOut: heldOut ? { rows: heldOut.reduce((s, b) => s + b.rows, 0), positives: heldOut.reduce((s, b) => s + b.positives, 0) } : null,
    bands: bands.map((band, i) => {
      const basis = basisOf(bands, i, min, 'outcomes') ?? (heldOut ? basisOf(heldOut, i, min, 'held-out') : null);
      return { ...band, probability: basis ? basis.positives / basis.rows : null, basis };
    }),
  };
}

/** "1 order", "40 orders": a count of subjects of a kind, singular or plural. */
const subjectsOf = (n: number, kind: SubjectKind) => `${n} ${kind}${n === 1 ? '' : 's'}`;
const pct = (p: number) => `${(p * 100).toFixed(1)}%`;
const range = (from: number, to: number) => `${from}–${to === 100 ? 100 : to - 1}`;

/** The figure for a score of this version and kind, with its explanation. */
export function riskOf(calibration: Calibration, score: number): OutcomeRisk {
  const band = calibration.bands[bandIndex(score)]!;
  const { kind, version, minLabelled } = calibration;
  const basis = band.basis;
  let explanation: string;
  if (!basis) {
    const lo = Math.max(0, bandIndex(score) - 1);
    const hi = Math.min(BANDS - 1, bandIndex(score) + 1);
    const around = calibration.bands.slice(lo, hi + 1).reduce((s, b) => s + b.rows, 0);
    explanation = `Not enough outcomes yet: ${subjectsOf(band.rows, kind)} scored ${range(band.from, band.to)} by ruleset v${version} ${band.rows === 1 ? 'has' : 'have'} a known outcome (${around} scored ${range(calibration.bands[lo]!.from, calibration.bands[hi]!.to)}); a rate needs ${minLabelled}.`;
  } else if (basis.source === 'outcomes') {
    explanation = `${pct(basis.positives / basis.rows)} chance of fraud: of the ${subjectsOf(basis.rows, kind)} scored ${range(basis.from, basis.to)} by ruleset v${version} whose outcome is known, ${basis.positives} turned out fraud (a fraud chargeback, a double dip or the merchant's label).`;
  } else {
    explanation = `${pct(basis.positives / basis.rows)} chance of fraud, from the fit behind ruleset v${version}: of the ${basis.rows} held-out ${basis.rows === 1 ? kind : `${kind}s`} it scored ${range(basis.from, basis.to)}, ${basis.positives} were fraud (v${version}'s own outcomes are still too few).`;
  }
  return {
    probability: band.probability,
    kind,
    version,
    score,
    band: { from: band.from, to: band.to },
    basis,
    baseRate: calibration.baseRate,
    minLabelled,
    explanation,
  };
}

import type { KindLabelCounts } from '../engine/chargebacks/labels.ts';
import type { FitReport, KindFit, RefusedKind, VersionMetrics } from '../engine/learn/fitRuleset.ts';
import type { CalibrationBand } from '../engine/learn/calibrationTable.ts';
import type { StrengthCurve } from '../engine/strengthCurve.ts';
import type { Instant, Kind } from './common.ts';
import type { JobStatus } from './simulations.ts';

export type { CalibrationBand, FitReport, KindFit, KindLabelCounts, RefusedKind, StrengthCurve, VersionMetrics };

/** A fit job (`POST /api/rulesets/fit` 202, `GET /api/fits/{id}`): a draft version and its report once done. */
export interface Fit {
  id: string;
  status: JobStatus;
  progress: number;
  options: Record<string, unknown>;
  asOf: Instant;
  fittedFrom: number;
  labels: Record<string, unknown>;
  draftVersion: number | null;
  refusal: { message?: string; [key: string]: unknown } | null;
  error: string | null;
  createdBy: string | null;
  createdAt: Instant;
  durationMs: number;
  report?: FitReport | null;
}

/** `GET /api/fits`. */
export interface FitList {
  fits: Fit[];
}

/** `POST /api/rulesets/fit`: what a merchant may set (all optional). */
export interface FitRequest {
  split?: 'auto' | 'time' | 'customer';
  testShare?: number;
  seed?: number;
  highPrecision?: number;
  mediumPrecision?: number;
  minLabels?: number;
  l2?: number;
  from?: Instant;
  to?: Instant;
  asOf?: Instant;
}

/** `GET /api/labels?asOf=&from=&to=&minLabels=`: labels per subject kind as known then, and whether each can be fitted. */
export interface LabelCounts {
  asOf: Instant;
  /** The chargeback window the labels used (days). */
  windowDays: number;
  /** Labels of each class a kind needs to be fitted. */
  minLabels: number;
  kinds: Record<Kind, KindLabelCounts & { fittable: boolean; missing: string | null }>;
  /** Whether at least one kind can be fitted. */
  fittable: boolean;
}

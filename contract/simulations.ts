import type { Flip, MoneyAtHigh, SimulationReport } from '../engine/simulate/simulate.ts';
import type { Instant } from './common.ts';

export type { Flip, MoneyAtHigh, SimulationReport };

export type JobStatus = 'running' | 'cancelling' | 'done' | 'failed' | 'cancelled';

/** A simulation run (`POST /api/rulesets/{version}/simulate` 202, `GET /api/simulations/{id}`): the report once done. */
export interface Simulation {
  id: string;
  version: number;
  againstVersion: number;
  window: { from: Instant; to: Instant };
  createdBy: string | null;
  createdAt: Instant;
  durationMs: number;
  status: JobStatus;
  progress: number;
  error: string | null;
  report?: SimulationReport | null;
}

/** `GET /api/simulations`. */
export interface SimulationList {
  simulations: Simulation[];
}

/** `POST /api/rulesets/{version}/simulate` (`{from?, to?, days?}`, default the last 90 days). */
export interface SimulateRequest {
  from?: Instant;
  to?: Instant;
  days?: number;
}

/** `GET /api/shadow`: the version running in shadow and its report against live (nulls when none runs). */
export interface ShadowReport {
  shadowVersion: number | null;
  since?: Instant | null;
  report: SimulationReport | null;
}

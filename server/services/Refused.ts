/** The statuses a refusal may carry: the request's doing, never the server's (no 5xx). */
export type RefusedStatus = 400 | 403 | 404 | 409 | 422 | 429;

/**
 * A request a service will not carry out, with the HTTP status that says why and what the answer
 * carries besides the message (`extra`, e.g. the label counts of a fit refused). Services throw
 * it (or a subclass naming their area: `FitRefused`, `SimulationRefused`, `TrialRefused`) instead
 * of Boom errors; `routes/errors.ts` is the one place that turns it into an HTTP answer.
 */
export class Refused extends Error {
  readonly status: RefusedStatus;
  readonly extra: Record<string, unknown>;
  constructor(status: RefusedStatus, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.name = 'Refused';
    this.status = status;
    this.extra = extra;
  }
}

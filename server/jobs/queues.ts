import type { RevisionTrigger } from '../../contract/decisions.ts';
import type { SubjectKind } from '../../sdk/index.ts';

/** Queue names and job payloads, in one place (as pg-boss keeps its SQL in plans.ts). */
export const QUEUES = Object.freeze({
  /** Score one order, return or refund. */
  score: 'refundsentry-score',
  /** Score the subjects of a group commit of order webhooks (one job for many subjects). */
  scoreBatch: 'refundsentry-score-batch',
  /** Run one stored action (hold, tag, risk assessment, Flow trigger, review). */
  action: 'refundsentry-action',
  /** Run a shop's backfill for a while (checkpointed steps), then hand over to the next job. */
  backfill: 'refundsentry-backfill',
  /** Run one simulation (a ruleset version replayed over a shop's history). */
  simulate: 'refundsentry-simulate',
  /** Rebuild one shop's fraud rings from its whole history. */
  rings: 'refundsentry-rings',
  /** Every few hours: a rings job for every installed shop. */
  ringsAll: 'refundsentry-rings-all',
  /** Recompute a shop's return-reason clusters (after a backfill, or on request). */
  reasons: 'refundsentry-reasons',
  /** Fetch the facts of products a shop's live orders named that are not stored yet (type, compare-at price). */
  products: 'refundsentry-products',
  /** Aging inference on one shop's live data: subjects whose dispute window closed without a dispute are labelled legit. */
  aging: 'refundsentry-aging',
  /** Daily: an aging job for every installed shop. */
  agingAll: 'refundsentry-aging-all',
  /** Fit one ruleset version to a shop's labels (a draft with its report). */
  fit: 'refundsentry-fit',
  /** Post one recorded alert delivery to its rule's webhook (retried with backoff). */
  alert: 'refundsentry-alert',
  /** Check one shop's periodic alert rules (chargebacks this week, SKU return rates). */
  alertChecks: 'refundsentry-alert-checks',
  /** Hourly: an alert checks job for every installed shop with such a rule. */
  alertChecksAll: 'refundsentry-alert-checks-all',
  /** Every minute: queue the alert deliveries recorded but never queued (a crash between the two). */
  alertSweep: 'refundsentry-alert-sweep',
});

/** Attempts of an alert delivery before it is marked failed (the alert queue retries ALERT_ATTEMPTS - 1 times). */
export const ALERT_ATTEMPTS = 5;

/** One alert delivery (a row of `alert_deliveries`: one event for one rule). */
export interface AlertJob {
  shopId: string;
  deliveryId: string;
}

/** A shop whose periodic alert rules are to be checked. */
export interface AlertChecksJob {
  shopId: string;
}

export interface AgingJob {
  shopId: string;
}

export interface FitJob {
  shopId: string;
  fitId: string;
}

export interface ProductsJob {
  shopId: string;
  productIds: string[];
}

export interface ReasonsJob {
  shopId: string;
  trigger: 'backfill' | 'request';
}

export interface RingsJob {
  shopId: string;
}

export interface SimulationJob {
  shopId: string;
  simulationId: string;
}

export interface BackfillJob {
  shopId: string;
}

export interface ScoreJob {
  shopId: string;
  kind: SubjectKind;
  subjectId: string;
  /**
   * A new fact about a subject that may already be decided: a decided subject that is still
   * actionable is decided again as of the fact (a revision); an undecided one is decided as usual.
   */
  trigger?: RevisionTrigger;
}

/**
 * Many subjects in one job: what a group commit of order webhooks enqueues (`OrderIntake`), so
 * pg-boss inserts, fetches and completes one row per commit rather than one per webhook.
 */
export interface ScoreBatchJob {
  subjects: ScoreJob[];
}

export interface ActionJob {
  shopId: string;
  actionId: string;
}

/** A subject's job key. It names the job only: on the standard score queue a duplicate send is queued too, and scoring skips a decided subject. */
export function scoreJobKey(job: ScoreJob): string {
  return `${job.shopId}|${job.kind}|${job.subjectId}`;
}

/** An action job's key per attempt (a label: the standard action queue does not deduplicate; a finished action is never claimed again). */
export function actionJobKey(job: ActionJob, attempt: number): string {
  return `${job.shopId}|${job.actionId}|${attempt}`;
}

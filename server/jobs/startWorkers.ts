import type { Job, JobResult } from 'pg-boss';
import type { Logger } from 'pino';
import type { ScoringService } from '../services/ScoringService.ts';
import type { Stores } from '../store/index.ts';
import type { JobQueue } from './JobQueue.ts';
import { QUEUES, type ActionJob, type AlertChecksJob, type AlertJob, type AgingJob, type BackfillJob, type FitJob, type ProductsJob, type ReasonsJob, type RingsJob, type ScoreBatchJob, type ScoreJob, type SimulationJob } from './queues.ts';

const SCORE_WORK_OPTIONS = {
  batchSize: 64,
  perJobResults: true,
  burstWhenBatchFull: true,
  localConcurrency: 2,
  pollingIntervalSeconds: 1,
  notifyPollingIntervalSeconds: 1,
} as const;

/** The most subjects scored as one batch (one context read, one decision insert). */
const SCORING_BATCH_LIMIT = 128;

/** Batch jobs carry up to a group commit each (256 subjects): a few of them make a scoring batch. */
const SCORE_BATCH_WORK_OPTIONS = { ...SCORE_WORK_OPTIONS, batchSize: 4 } as const;

const ACTION_WORK_OPTIONS = {
  batchSize: 2,
  perJobResults: true,
  localConcurrency: 2,
  pollingIntervalSeconds: 1,
  notifyPollingIntervalSeconds: 1,
} as const;

export interface WorkerDeps {
  queue: JobQueue;
  stores: Stores;
  scoring: ScoringService;
  runAction: (shopId: string, actionId: string) => Promise<void>;
  runBackfill: (shopId: string) => Promise<void>;
  runSimulation: (shopId: string, simulationId: string) => Promise<void>;
  /** Rebuild a shop's fraud rings; and request that for every shop (the periodic job). */
  runRings: (shopId: string) => Promise<void>;
  requestAllRings: () => Promise<void>;
  runReasons: (shopId: string, trigger: ReasonsJob['trigger']) => Promise<void>;
  /** Fetch and store the facts of these products of the shop (ProductCatalog). */
  runProducts: (shopId: string, productIds: string[]) => Promise<void>;
  /** Aging inference on a shop's live data; and request that for every shop (the daily job). */
  runAging: (shopId: string) => Promise<void>;
  requestAllAging: () => Promise<void>;
  /** Run one stored fit (in a trial thread). */
  runFit: (shopId: string, fitId: string) => Promise<void>;
  /** One attempt of an alert delivery (`AlertService.deliver`): throws when it failed and is to be retried. */
  runAlert: (shopId: string, deliveryId: string) => Promise<void>;
  /** Check a shop's periodic alert rules (`AlertService.checkShop`); and request that for every shop with such a rule (the hourly job). */
  runAlertChecks: (shopId: string) => Promise<void>;
  requestAllAlertChecks: () => Promise<void>;
  /** Queue the alert deliveries recorded but never queued (`AlertService.sweep`, every minute). */
  sweepAlerts: () => Promise<void>;
  log: Logger;
}

/**
 * A worker for every queue of `QUEUES` (sixteen). Scoring (`score`, and `scoreBatch` for a group
 * commit's subjects): decide, store, then enqueue the chosen actions (each action row was written
 * with the decision, so a crash between commit and send loses nothing: the sweeper re-enqueues
 * pending rows); score jobs of an uninstalled shop are dropped. Actions: run one stored action
 * against the Admin API. The others hand their payload to the function `composeApp` gives them:
 * a backfill step, a simulation, a fit, a rings rebuild, return-reason clusters, product facts,
 * aging inference, alert deliveries and checks, and the periodic jobs (rings, aging and alert
 * checks for every shop; the alert sweep).
 * startWorkers.test.ts sends a job to each and sees it worked.
 */
export async function startWorkers(deps: WorkerDeps): Promise<void> {
  const { queue, log } = deps;
  // Batches for throughput (and continuous fetching while batches come back full). NOTIFY wakes
  // the workers; polling stays at 1 s as a backstop, since bursts coalesce notifications.
  await queue.boss.work<ScoreJob>(QUEUES.score, SCORE_WORK_OPTIONS, (jobs: Job<ScoreJob>[]) => scoreJobs(deps, jobs));
  await queue.boss.work<ScoreBatchJob>(QUEUES.scoreBatch, SCORE_BATCH_WORK_OPTIONS, (jobs: Job<ScoreBatchJob>[]) => scoreBatchJobs(deps, jobs));
  // One backfill job at a time: each runs checkpointed steps for a while and hands over.
  await queue.boss.work<BackfillJob>(QUEUES.backfill, { batchSize: 1, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 }, async ([job]: Job<BackfillJob>[]) => {
    await deps.runBackfill(job!.data.shopId);
  });
  // One simulation at a time per process (each runs to its end, or until cancelled).
  await queue.boss.work<SimulationJob>(QUEUES.simulate, { batchSize: 1, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 }, async ([job]: Job<SimulationJob>[]) => {
    await deps.runSimulation(job!.data.shopId, job!.data.simulationId);
  });
  // Fraud rings: one rebuild at a time per process (a whole-shop read and an in-memory graph).
  await queue.boss.work<RingsJob>(QUEUES.rings, { batchSize: 1, pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 2 }, async ([job]: Job<RingsJob>[]) => {
    await deps.runRings(job!.data.shopId);
  });
  await queue.boss.work(QUEUES.ringsAll, { batchSize: 1, pollingIntervalSeconds: 30 }, async () => {
    await deps.requestAllRings();
  });
  await queue.boss.work<ProductsJob>(QUEUES.products, { batchSize: 1, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 }, async ([job]: Job<ProductsJob>[]) => {
    await deps.runProducts(job!.data.shopId, job!.data.productIds);
  });
  await queue.boss.work<AgingJob>(QUEUES.aging, { batchSize: 1, pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 2 }, async ([job]: Job<AgingJob>[]) => {
    await deps.runAging(job!.data.shopId);
  });
  await queue.boss.work(QUEUES.agingAll, { batchSize: 1, pollingIntervalSeconds: 30 }, async () => {
    await deps.requestAllAging();
  });
  // One fit at a time per process (it runs in the trial thread, to its end or until cancelled).
  await queue.boss.work<FitJob>(QUEUES.fit, { batchSize: 1, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 }, async ([job]: Job<FitJob>[]) => {
    await deps.runFit(job!.data.shopId, job!.data.fitId);
  });
  await queue.boss.work<ReasonsJob>(QUEUES.reasons, { batchSize: 1, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 }, async ([job]: Job<ReasonsJob>[]) => {
    await deps.runReasons(job!.data.shopId, job!.data.trigger);
  });
  // Alert deliveries: a few at a time (each a POST to a merchant's webhook, bounded by its timeout); a failed attempt fails the job, which pg-boss retries with backoff.
  await queue.boss.work<AlertJob>(QUEUES.alert, { batchSize: 4, perJobResults: true, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 }, async (jobs: Job<AlertJob>[]) =>
    Promise.all(
      jobs.map(async (job): Promise<JobResult> => {
        try {
          await deps.runAlert(job.data.shopId, job.data.deliveryId);
          return { id: job.id, status: 'completed' };
        } catch (error) {
          return { id: job.id, status: 'failed', output: { message: (error as Error).message } };
        }
      }),
    ),
  );
  await queue.boss.work<AlertChecksJob>(QUEUES.alertChecks, { batchSize: 1, pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 2 }, async ([job]: Job<AlertChecksJob>[]) => {
    await deps.runAlertChecks(job!.data.shopId);
  });
  await queue.boss.work(QUEUES.alertChecksAll, { batchSize: 1, pollingIntervalSeconds: 30 }, async () => {
    await deps.requestAllAlertChecks();
  });
  await queue.boss.work(QUEUES.alertSweep, { batchSize: 1, pollingIntervalSeconds: 30 }, async () => {
    await deps.sweepAlerts();
  });
  // Up to 4 actions at a time as before, but fetched by 2 pollers of 2 (each NOTIFY wakes every
  // poller, and each poller's fetch is a query); each job still settles on its own.
  await queue.boss.work<ActionJob>(QUEUES.action, ACTION_WORK_OPTIONS, async (jobs: Job<ActionJob>[]) =>
    Promise.all(
      jobs.map(async (job): Promise<JobResult> => {
        try {
          await deps.runAction(job.data.shopId, job.data.actionId);
          return { id: job.id, status: 'completed' };
        } catch (error) {
          log.warn({ shopId: job.data.shopId, actionId: job.data.actionId, err: error }, 'action job failed');
          return { id: job.id, status: 'failed', output: { message: (error as Error).message } };
        }
      }),
    ),
  );
}

/**
 * One batch of scoring jobs: scored together (`ScoringService.scoreBatch`: a few round trips for
 * the whole batch), then the new pending actions enqueued in one insert. Each job settles on its
 * own: a subject whose order has not arrived fails and retries alone.
 */
async function scoreJobs(deps: WorkerDeps, jobs: Job<ScoreJob>[]): Promise<JobResult[]> {
  let outcomes: SubjectOutcome[];
  try {
    outcomes = await scoreSubjects(deps, jobs.map((job) => job.data));
  } catch (error) {
    // The batch's reads or its one write failed: nothing of it was stored; every job retries.
    deps.log.warn({ jobs: jobs.length, err: error }, 'scoring batch failed; pg-boss retries its jobs');
    return jobs.map((job): JobResult => ({ id: job.id, status: 'failed', output: { message: (error as Error).message } }));
  }
  return jobs.map((job, i): JobResult => {
    const outcome = outcomes[i]!;
    if (outcome instanceof Error) return { id: job.id, status: 'failed', output: { message: outcome.message } };
    return { id: job.id, status: 'completed', ...(outcome === 'dropped' ? { output: { dropped: 'shop not installed' } } : {}) };
  });
}

/**
 * Batch jobs (a group commit's subjects each): their subjects scored together as one batch. A
 * subject that fails alone is handed to its own `score` job, which retries it with that queue's
 * policy, and the batch job completes; if that hand-over or the whole batch fails, the batch job
 * fails and pg-boss retries it whole (subjects decided meanwhile are skipped as decided).
 */
async function scoreBatchJobs(deps: WorkerDeps, jobs: Job<ScoreBatchJob>[]): Promise<JobResult[]> {
  const subjects = jobs.flatMap((job) => job.data.subjects);
  const fail = (error: unknown): JobResult[] => jobs.map((job) => ({ id: job.id, status: 'failed', output: { message: (error as Error).message } }));
  const outcomes: SubjectOutcome[] = [];
  try {
    // At most SCORING_BATCH_LIMIT subjects per scoring batch: under overload the group commits grow
    // to hundreds of subjects each, and a context batch of a thousand cost more per subject than
    // two of a hundred (the overload then fed itself).
    for (let start = 0; start < subjects.length; start += SCORING_BATCH_LIMIT) outcomes.push(...(await scoreSubjects(deps, subjects.slice(start, start + SCORING_BATCH_LIMIT))));
  } catch (error) {
    deps.log.warn({ jobs: jobs.length, subjects: subjects.length, err: error }, 'scoring batch failed; pg-boss retries its jobs');
    return fail(error);
  }
  const failed = subjects.filter((_, i) => outcomes[i] instanceof Error);
  if (failed.length > 0) {
    try {
      await deps.queue.sendScores(failed);
    } catch (error) {
      return fail(error);
    }
  }
  return jobs.map((job): JobResult => ({ id: job.id, status: 'completed', ...(failed.length > 0 ? { output: { retriedAlone: failed.length } } : {}) }));
}

/** A subject's outcome: decided (now or before), dropped (its shop is not installed), or the error it failed with. */
type SubjectOutcome = 'decided' | 'dropped' | Error;

/**
 * Scores subjects as one batch, in their order, then enqueues the new pending actions in one
 * insert. Throws only when the batch's reads or its one write failed (nothing of it stored).
 */
async function scoreSubjects(deps: WorkerDeps, subjects: readonly ScoreJob[]): Promise<SubjectOutcome[]> {
  const { stores, scoring, queue, log } = deps;
  const outcomes: SubjectOutcome[] = new Array(subjects.length);
  const live: number[] = [];
  for (const [i, subject] of subjects.entries()) {
    const shop = await stores.shops.getCached(subject.shopId);
    if (shop && shop.status !== 'uninstalled') live.push(i);
    else {
      log.info({ shopId: subject.shopId, subjectId: subject.subjectId }, 'score job dropped: shop not installed');
      outcomes[i] = 'dropped';
    }
  }
  const scored = await scoring.scoreBatch(live.map((i) => subjects[i]!));
  const pending: ActionJob[] = [];
  live.forEach((i, n) => {
    const outcome = scored[n]!;
    const { shopId, kind, subjectId } = subjects[i]!;
    if (outcome instanceof Error) {
      log.warn({ shopId, subjectId, err: outcome }, 'scoring failed; it is retried');
      outcomes[i] = outcome;
      return;
    }
    if (outcome.created || outcome.revised) {
      log.info({ shopId, kind, subjectId, score: Number(outcome.decision.score), zone: outcome.decision.zone, ...(outcome.revised ? { revision: outcome.decision.revision, trigger: outcome.decision.trigger } : {}) }, outcome.revised ? 'revised' : 'decided');
      for (const action of outcome.actions) if (action.status === 'pending') pending.push({ shopId, actionId: action.id });
    }
    outcomes[i] = 'decided';
  });
  // The action rows are committed with their decisions: if this send fails, the pending-action
  // sweeper enqueues them, so the scoring jobs still complete.
  await queue.sendActions(pending).catch((error: unknown) => log.error({ err: error, actions: pending.length }, 'action jobs not enqueued; the sweeper will'));
  return outcomes;
}

/** Re-enqueues actions left pending (a crash between the decision's commit and the send). */
export async function sweepPendingActions(deps: Pick<WorkerDeps, 'queue' | 'stores'>): Promise<number> {
  const stale = await deps.stores.actions.stalePending();
  for (const action of stale) await deps.queue.sendAction({ shopId: action.shop_id, actionId: action.id });
  return stale.length;
}

/** Re-enqueues scoring for stored subjects that have no decision yet (see `EventStore.unscored`). */
export async function sweepUnscoredSubjects(deps: Pick<WorkerDeps, 'queue' | 'stores'>, olderThanSeconds = 120): Promise<number> {
  const missing = await deps.stores.events.unscored(olderThanSeconds);
  for (const row of missing) await deps.queue.sendScore({ shopId: row.shop_id, kind: row.kind, subjectId: row.resource_id });
  return missing.length;
}

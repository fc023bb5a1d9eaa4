import { PgBoss } from 'pg-boss';
import { actionJobKey, ALERT_ATTEMPTS, QUEUES, type AlertChecksJob, type AlertJob, scoreJobKey, type ActionJob, type AgingJob, type BackfillJob, type FitJob, type ProductsJob, type ReasonsJob, type RingsJob, type ScoreBatchJob, type ScoreJob, type SimulationJob } from './queues.ts';

/**
 * pg-boss behind what the app sends: one method per queue of `QUEUES` (scoring, actions, backfill
 * steps, simulations, fits, rings, reasons, products, aging, alerts and alert checks, and the four
 * periodic schedules: rings, aging, alert checks and the alert sweep).
 * Queues notify listening workers at once (LISTEN/NOTIFY), with polling as the fallback.
 * Every queue is of pg-boss's 'standard' policy except rings ('stately'): pg-boss 12 enforces a
 * singleton key only under the other policies, so elsewhere the key labels a job and a second
 * send queues a second job (JobQueue.test.ts); the work is idempotent instead.
 */
export class JobQueue {
  readonly boss: PgBoss;

  private constructor(boss: PgBoss) {
    this.boss = boss;
  }

  static async start(databaseUrl: string, onError: (error: Error) => void, options: { retryDelaySeconds?: number } = {}): Promise<JobQueue> {
    const retryDelay = options.retryDelaySeconds ?? 1;
    const boss = new PgBoss({ connectionString: databaseUrl, useListenNotify: true });
    const queue = new JobQueue(boss);
    // Once stopping, PostgreSQL closing pg-boss's idle connections (57P01) is expected, not news.
    boss.on('error', (error) => {
      if (!(queue.stopping && (error as { code?: string }).code === '57P01')) onError(error);
    });
    await boss.start();
    await boss.createQueue(QUEUES.score, { retryLimit: 6, retryDelay, retryBackoff: retryDelay > 0, notify: true });
    await boss.createQueue(QUEUES.scoreBatch, { retryLimit: 6, retryDelay, retryBackoff: retryDelay > 0, notify: true });
    // Action retries are the runner's own (visible on the action row), not pg-boss's.
    await boss.createQueue(QUEUES.action, { retryLimit: 0, notify: true });
    // A simulation runs once (its row records a failure).
    await boss.createQueue(QUEUES.simulate, { retryLimit: 0, expireInSeconds: 3600, notify: true });
    // A clustering is retried once. A request while one is queued queues another (standard policy: the shop's singleton key does not dedupe).
    await boss.createQueue(QUEUES.reasons, { retryLimit: 1, retryDelay, expireInSeconds: 900, notify: true });
    // A failing backfill step retries with backoff (rate limits, transient errors) from its checkpoint.
    await boss.createQueue(QUEUES.backfill, { retryLimit: 8, retryDelay: Math.max(retryDelay, 1), retryBackoff: retryDelay > 0, expireInSeconds: 120, notify: true });
    // One rings build per shop queued and one running at a time (a request while one waits is that build).
    await boss.createQueue(QUEUES.rings, { retryLimit: 2, retryDelay: Math.max(retryDelay, 1), expireInSeconds: 900, notify: true, policy: 'stately' });
    await boss.createQueue(QUEUES.ringsAll, { retryLimit: 0 });
    // A failed product fetch is not retried by pg-boss: the next order naming the products asks again (after the catalog's backoff).
    await boss.createQueue(QUEUES.products, { retryLimit: 0, expireInSeconds: 300, notify: true });
    // Aging is idempotent, so a retry, or a second request queued beside a waiting one (standard policy), is harmless.
    await boss.createQueue(QUEUES.aging, { retryLimit: 2, retryDelay: Math.max(retryDelay, 1), expireInSeconds: 900, notify: true });
    await boss.createQueue(QUEUES.agingAll, { retryLimit: 0, notify: true });
    // A fit runs once (its row records a failure); the trial thread bounds its time below the expiry.
    await boss.createQueue(QUEUES.fit, { retryLimit: 0, expireInSeconds: 3600, notify: true });
    // An alert delivery is retried with backoff (5 s, 10 s, 20 s, … at most 10 min) until ALERT_ATTEMPTS; each attempt is logged on its row.
    await boss.createQueue(QUEUES.alert, { retryLimit: ALERT_ATTEMPTS - 1, retryDelay: retryDelay > 0 ? 5 : 0, ...(retryDelay > 0 ? { retryBackoff: true, retryDelayMax: 600 } : {}), expireInSeconds: 60, notify: true });
    // A shop's alert checks are idempotent (a breach alerts once, under the rule's lock): a retry, or a second request beside a waiting one, is harmless.
    await boss.createQueue(QUEUES.alertChecks, { retryLimit: 1, retryDelay: Math.max(retryDelay, 1), expireInSeconds: 600, notify: true });
    await boss.createQueue(QUEUES.alertChecksAll, { retryLimit: 0, notify: true });
    await boss.createQueue(QUEUES.alertSweep, { retryLimit: 0, expireInSeconds: 60, notify: true });
    return queue;
  }

  /** A fraud-rings rebuild of a shop (dropped if one is already queued). */
  async sendRings(job: RingsJob): Promise<void> {
    await this.boss.send(QUEUES.rings, job, { singletonKey: job.shopId });
  }

  /** Rebuilds every shop's rings every `cron` (pg-boss schedule, once across processes). */
  async scheduleRings(cron = '17 */6 * * *'): Promise<void> {
    await this.boss.schedule(QUEUES.ringsAll, cron, {});
  }

  /** An aging run of a shop (keyed by the shop; not deduplicated on this standard queue). */
  async sendAging(job: AgingJob): Promise<void> {
    await this.boss.send(QUEUES.aging, job, { singletonKey: job.shopId });
  }

  /** Ages every shop's live data every `cron` (pg-boss schedule, once across processes): daily by default. */
  async scheduleAging(cron = '41 3 * * *'): Promise<void> {
    await this.boss.schedule(QUEUES.agingAll, cron, {});
  }

  /** An alert checks run of a shop (keyed by the shop; not deduplicated on this standard queue). */
  async sendAlertChecks(job: AlertChecksJob): Promise<void> {
    await this.boss.send(QUEUES.alertChecks, job, { singletonKey: job.shopId });
  }

  /** Checks every shop's periodic alert rules every `cron` (pg-boss schedule, once across processes): hourly by default. */
  async scheduleAlertChecks(cron = '7 * * * *'): Promise<void> {
    await this.boss.schedule(QUEUES.alertChecksAll, cron, {});
  }

  /** Sweeps the alert deliveries recorded but never queued every `cron`: every minute by default. */
  async scheduleAlertSweep(cron = '* * * * *'): Promise<void> {
    await this.boss.schedule(QUEUES.alertSweep, cron, {});
  }

  async sendFit(job: FitJob): Promise<void> {
    await this.boss.send(QUEUES.fit, job);
  }

  async sendScore(job: ScoreJob): Promise<void> {
    await this.sendScores([job]);
  }

  /** Several scoring jobs in one insert (one round trip), with the queue's retry policy. */
  async sendScores(jobs: readonly ScoreJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.boss.insert(QUEUES.score, jobs.map((job) => ({ data: job, singletonKey: scoreJobKey(job) })));
  }

  /**
   * Scoring for many subjects as ONE job (a group commit's): one row for pg-boss to insert, fetch
   * and complete instead of one per subject. A subject of it that fails is handed to its own
   * `score` job (with that queue's retries) when the batch is worked; a batch whose scoring fails
   * as a whole is retried whole (decided subjects are skipped then).
   */
  async sendScoreBatch(jobs: readonly ScoreJob[]): Promise<void> {
    if (jobs.length === 0) return;
    if (jobs.length === 1) return this.sendScores(jobs);
    await this.boss.send(QUEUES.scoreBatch, { subjects: [...jobs] } satisfies ScoreBatchJob);
  }

  /** Several first-attempt action jobs in one insert. */
  async sendActions(jobs: readonly ActionJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.boss.insert(QUEUES.action, jobs.map((job) => ({ data: job, singletonKey: actionJobKey(job, 0) })));
  }

  /** Alert deliveries in one insert, each keyed by its delivery (a label: each delivery row is queued once, when it is recorded). */
  async sendAlerts(jobs: readonly AlertJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.boss.insert(QUEUES.alert, jobs.map((job) => ({ data: job, singletonKey: `${job.shopId}|alert|${job.deliveryId}` })));
  }

  async sendSimulation(job: SimulationJob): Promise<void> {
    await this.boss.send(QUEUES.simulate, job);
  }

  /** A product-facts fetch for a shop (keyed by the shop but not deduplicated: a later fetch finds what an earlier one stored and fetches only what is still missing). */
  async sendProducts(job: ProductsJob): Promise<void> {
    await this.boss.send(QUEUES.products, job, { singletonKey: job.shopId });
  }

  async sendReasons(job: ReasonsJob): Promise<void> {
    await this.boss.send(QUEUES.reasons, job, { singletonKey: job.shopId });
  }

  /** A backfill step job, now or after `delaySeconds` (a bulk operation still running). */
  async sendBackfill(job: BackfillJob, delaySeconds = 0): Promise<void> {
    await this.boss.send(QUEUES.backfill, job, delaySeconds > 0 ? { startAfter: delaySeconds } : {});
  }

  /** One attempt of an action, keyed by its attempt; a retry starts after `delaySeconds`. */
  async sendAction(job: ActionJob, attempt = 0, delaySeconds = 0): Promise<void> {
    await this.boss.send(QUEUES.action, job, { singletonKey: actionJobKey(job, attempt), startAfter: delaySeconds });
  }

  /** Stops taking jobs, waits for the running ones to finish, then closes. */
  private stopping = false;

  async stop(): Promise<void> {
    this.stopping = true;
    // stop() returns before pg-boss has closed its connections; 'stopped' says it has.
    const stopped = new Promise<void>((resolve) => this.boss.once('stopped', () => resolve()));
    await this.boss.stop({ graceful: true, timeout: 20_000 });
    await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, 25_000).unref())]);
  }
}

import type { ScoreJob } from '../jobs/queues.ts';
import type { DeliveryVerdict, OrderDelivery } from '../store/DeliveryStore.ts';

export interface OrderIntakeDeps {
  /** Writes a batch in one statement and returns a verdict per delivery (`DeliveryStore.recordOrders`). */
  recordOrders(items: readonly OrderDelivery[]): Promise<DeliveryVerdict[]>;
  /** Enqueues scoring of the subjects in one round trip (`JobQueue.sendScoreBatch`: one job for them all). */
  sendScores(jobs: readonly ScoreJob[]): Promise<void>;
  /** Told when stored deliveries' jobs could not be enqueued (the sweeper will enqueue them). */
  onEnqueueFailed(error: unknown, jobs: readonly ScoreJob[]): void;
}

/** An order webhook ready to be written, and the scoring job to enqueue if it is new (null: none). */
export interface OrderSubmission extends OrderDelivery {
  score: ScoreJob | null;
}

interface Waiting {
  submission: OrderSubmission;
  keys: DeliveryKeys;
  resolve(verdict: DeliveryVerdict): void;
  reject(error: unknown): void;
}

const MAX_BATCH = 256;
/** Batches written at the same time (each on its own connection). */
const MAX_WRITES = 2;

/**
 * Group commit for order webhooks, the busiest topics. Each webhook request waits for its
 * delivery to be durably written (and its scoring job enqueued) before Shopify gets its 200, as
 * before; but deliveries that arrive while writes are in flight are written together by the next
 * one, in one statement, and their scoring sent as one job. At a trickle every webhook is
 * written at once on its own (no added wait); under load the batches grow with the load, so the
 * database sees a few round trips per batch instead of a few per webhook. Up to `MAX_WRITES`
 * batches are written at once, so a webhook does not wait for a whole write to end before its
 * own begins.
 *
 * A batch never holds two deliveries with the same webhook id or the same business effect
 * (dedupe must see the first committed), nor do two batches written at once, nor two that write
 * the same customer (their rows would wait on each other, or deadlock): the later one waits for
 * the next batch. If a batch fails, its deliveries are retried one by one, so one bad delivery
 * fails alone.
 */
export class OrderIntake {
  private readonly deps: OrderIntakeDeps;
  private queue: Waiting[] = [];
  private scheduled = false;
  private readonly writes = new Set<Promise<void>>();
  /** The webhook, effect and customer keys of the batches being written. */
  private readonly keysInFlight = new Set<string>();
  /** Batches written and the largest one (for logs, and to show batching happens). */
  readonly stats = { batches: 0, deliveries: 0, largestBatch: 0 };

  constructor(deps: OrderIntakeDeps) {
    this.deps = deps;
  }

  submit(submission: OrderSubmission): Promise<DeliveryVerdict> {
    return new Promise((resolve, reject) => {
      this.queue.push({ submission, keys: keysOf(submission), resolve, reject });
      // Let the requests that arrived in the same turn of the event loop join the batch.
      if (!this.scheduled && this.writes.size < MAX_WRITES) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  /** Starts writes while there is room and something that can go. */
  private pump(): void {
    while (this.writes.size < MAX_WRITES && this.queue.length > 0) {
      const batch = this.takeBatch();
      if (batch.length === 0) return;
      const keys = batch.flatMap(({ keys: { unique, customer } }) => (customer ? [...unique, customer] : unique));
      for (const key of keys) this.keysInFlight.add(key);
      const write = this.writeBatch(batch).finally(() => {
        for (const key of keys) this.keysInFlight.delete(key);
        this.writes.delete(write);
        this.pump();
      });
      this.writes.add(write);
    }
  }

  private async writeBatch(batch: Waiting[]): Promise<void> {
    try {
      await this.write(batch);
    } catch {
      for (const item of batch) await this.write([item]).catch((error: unknown) => item.reject(error));
    }
  }

  private takeBatch(): Waiting[] {
    const batch: Waiting[] = [];
    const rest: Waiting[] = [];
    const batchKeys = new Set<string>();
    for (const item of this.queue) {
      const { unique, customer } = item.keys;
      const waits =
        batch.length >= MAX_BATCH ||
        unique.some((key) => batchKeys.has(key) || this.keysInFlight.has(key)) ||
        (customer !== null && this.keysInFlight.has(customer));
      if (waits) {
        rest.push(item);
        continue;
      }
      for (const key of unique) batchKeys.add(key);
      batch.push(item);
    }
    this.queue = rest;
    return batch;
  }

  /** Throws only when the batch's statement failed (nothing of it is written then). */
  private async write(batch: Waiting[]): Promise<void> {
    const verdicts = await this.deps.recordOrders(batch.map((item) => item.submission));
    this.stats.batches++;
    this.stats.deliveries += batch.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    const jobs = batch.flatMap((item, i) => (verdicts[i] === 'new' && item.submission.score ? [item.submission.score] : []));
    if (jobs.length > 0) {
      // Written but not enqueued: answering with an error would make Shopify retry into a
      // duplicate, so the deliveries are acknowledged and the unscored-subject sweeper enqueues them.
      await this.deps.sendScores(jobs).catch((error: unknown) => this.deps.onEnqueueFailed(error, jobs));
    }
    batch.forEach((item, i) => item.resolve(verdicts[i]!));
  }
}

interface DeliveryKeys {
  unique: string[];
  customer: string | null;
}

/**
 * The keys of a delivery: its webhook id and business effect (`unique`: at most once in a batch
 * and among the batches in flight) and its customer (any number of times in a batch, but never in
 * two batches in flight).
 */
function keysOf({ delivery: d, customer }: OrderDelivery): DeliveryKeys {
  return { unique: [`w|${d.shopId}|${d.webhookId}`, `e|${d.shopId}|${d.topic}|${d.eventId}|${d.resourceId}`], customer: customer ? `c|${d.shopId}|${customer.id}` : null };
}

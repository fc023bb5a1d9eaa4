import type { Shopify } from '@shopify/shopify-api';
import { Piscina } from 'piscina';
import type { Config } from '../../config.ts';
import { checkWebhook, type WebhookCheck, type WebhookCheckInput } from './checkWebhook.ts';
import type { WebhookCheckOutcome } from './webhookCheckThread.ts';

interface Waiting {
  input: WebhookCheckInput;
  resolve(check: WebhookCheck): void;
  reject(error: unknown): void;
}

/** At most this many webhooks go to a thread in one message. */
const MAX_BATCH = 64;

/**
 * Where webhooks are verified and normalized: worker threads (piscina) when `WEBHOOK_THREADS` is
 * above 0, so the main thread (hapi, the group commit, scoring) is not the one spending about
 * 0.5 ms of CPU per webhook on shopify-api's HMAC check and on parsing 15 KB of JSON; in process
 * with 0. Both run the same `checkWebhook`.
 *
 * The webhooks that arrive in the same turn of the event loop go to a thread together, in one
 * message each way: on these 2-core machines every message between threads costs a wake-up
 * (~0.1 ms of CPU per webhook when each went alone). Each webhook still gets its own verdict,
 * and an unexpected error fails only its own webhook.
 */
export class WebhookCheckPool {
  private readonly pool: Piscina | null;
  private readonly shopify: Shopify;
  private waiting: Waiting[] = [];
  private flushScheduled = false;
  /** Messages sent to the threads and the webhooks they carried (for tests and logs). */
  readonly stats = { messages: 0, webhooks: 0 };

  constructor(config: Config, shopify: Shopify) {
    this.shopify = shopify;
    const threads = config.webhook.threads;
    this.pool =
      threads > 0
        ? new Piscina({
            filename: new URL('./webhookCheckThread.ts', import.meta.url).href,
            workerData: config,
            minThreads: threads,
            maxThreads: threads,
            // A thread's batch awaits shopify-api's (promise-returning) checks: let it hold several batches.
            concurrentTasksPerWorker: 4,
            atomics: 'disabled',
            idleTimeout: Infinity,
          })
        : null;
  }

  check(input: WebhookCheckInput): Promise<WebhookCheck> {
    if (!this.pool) return checkWebhook(this.shopify, input);
    return new Promise((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const waiting = this.waiting;
    this.waiting = [];
    for (let start = 0; start < waiting.length; start += MAX_BATCH) {
      const batch = waiting.slice(start, start + MAX_BATCH);
      this.stats.messages++;
      this.stats.webhooks += batch.length;
      this.pool!.run(batch.map((item) => item.input)).then(
        (outcomes: WebhookCheckOutcome[]) =>
          batch.forEach((item, i) => {
            const outcome = outcomes[i]!;
            if ('error' in outcome) item.reject(new Error(outcome.error));
            else item.resolve(outcome.check);
          }),
        (error: unknown) => batch.forEach((item) => item.reject(error)),
      );
    }
  }

  async close(): Promise<void> {
    await this.pool?.close({ force: true });
  }
}

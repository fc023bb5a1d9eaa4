import type { Shopify } from '@shopify/shopify-api';
import { Piscina } from 'piscina';
import type { Config } from '../../config.ts';
import { checkWebhook, type WebhookCheck, type WebhookCheckInput } from './checkWebhook.ts';

/**
 * Where webhooks are verified and normalized: worker threads (piscina) when `WEBHOOK_THREADS` is
 * above 0, so the main thread (hapi, the group commit, scoring) is not the one spending about
 * 0.7 ms of CPU per webhook on shopify-api's HMAC check and on parsing 15 KB of JSON; in process
 * with 0. Both run the same `checkWebhook`.
 */
export class WebhookCheckPool {
  private readonly pool: Piscina | null;
  private readonly shopify: Shopify;

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
            // Validation awaits Web Crypto: let a thread hold several webhooks at once.
            concurrentTasksPerWorker: 16,
            atomics: 'disabled',
            idleTimeout: Infinity,
          })
        : null;
  }

  check(input: WebhookCheckInput): Promise<WebhookCheck> {
    return this.pool ? this.pool.run(input) : checkWebhook(this.shopify, input);
  }

  async close(): Promise<void> {
    await this.pool?.close({ force: true });
  }
}

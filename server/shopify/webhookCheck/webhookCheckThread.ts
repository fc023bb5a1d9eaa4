import { workerData } from 'node:worker_threads';
import { createShopifyApi } from '../../auth/shopifyApi.ts';
import type { Config } from '../../config.ts';
import { checkWebhook, type WebhookCheckInput, type WebhookCheck } from './checkWebhook.ts';
import { installSyncHmacWebCrypto } from './syncHmacWebCrypto.ts';

/** A webhook's verdict, or the unexpected error its check threw (a bad HMAC or body is a verdict, not an error). */
export type WebhookCheckOutcome = { check: WebhookCheck } | { error: string };

/** A webhook thread (piscina task module): its own shopify-api instance, from the app's config, whose HMACs are computed synchronously. */
installSyncHmacWebCrypto();
const shopify = createShopifyApi(workerData as Config);

/** Checks a batch of webhooks (those that arrived together), each on its own. */
export default function check(inputs: WebhookCheckInput[]): Promise<WebhookCheckOutcome[]> {
  return Promise.all(
    inputs.map((input) =>
      checkWebhook(shopify, input).then(
        (verdict): WebhookCheckOutcome => ({ check: verdict }),
        (error: unknown): WebhookCheckOutcome => ({ error: error instanceof Error ? error.message : String(error) }),
      ),
    ),
  );
}

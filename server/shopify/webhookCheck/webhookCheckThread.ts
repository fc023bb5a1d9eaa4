import { workerData } from 'node:worker_threads';
import { createShopifyApi } from '../../auth/shopifyApi.ts';
import type { Config } from '../../config.ts';
import { checkWebhook, type WebhookCheckInput, type WebhookCheck } from './checkWebhook.ts';
import { installSyncHmacWebCrypto } from './syncHmacWebCrypto.ts';

/** A webhook thread (piscina task module): its own shopify-api instance, from the app's config, whose HMACs are computed synchronously. */
installSyncHmacWebCrypto();
const shopify = createShopifyApi(workerData as Config);

export default function check(input: WebhookCheckInput): Promise<WebhookCheck> {
  return checkWebhook(shopify, input);
}

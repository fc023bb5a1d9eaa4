import { createHmac, randomUUID } from 'node:crypto';

export interface SignedWebhookOptions {
  secret: string;
  topic: string;
  shop: string;
  webhookId?: string;
  eventId?: string;
  triggeredAt?: string;
}

/**
 * The headers Shopify sends with a webhook, its HMAC over the raw `body` with the app's `secret`
 * (for tests, the browser tests and the load bench; the server checks them with shopify-api).
 * Webhook and event ids are fresh unless given.
 */
export function signedWebhookHeaders(body: string | Buffer, options: SignedWebhookOptions): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-shopify-topic': options.topic,
    'x-shopify-hmac-sha256': createHmac('sha256', options.secret).update(body).digest('base64'),
    'x-shopify-shop-domain': options.shop,
    'x-shopify-api-version': '2026-07',
    'x-shopify-webhook-id': options.webhookId ?? randomUUID(),
    'x-shopify-event-id': options.eventId ?? randomUUID(),
    'x-shopify-triggered-at': options.triggeredAt ?? new Date().toISOString(),
  };
}

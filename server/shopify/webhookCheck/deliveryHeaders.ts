import { parseIsoTime } from '../normalize/isoTime.ts';

/**
 * The delivery's headers, checked before anything of them reaches SQL (issue 19). Shopify signs
 * the body only: these values are whatever the sender put there, and each of them is stored
 * (`webhook_deliveries`: shop, webhook id, topic, event id, triggered at) or looked up.
 */

/** Longest webhook id, event id and topic kept: Shopify's are UUIDs and short names; a ~6,000-character id overflowed the btree row limit (a 500). */
export const MAX_HEADER_VALUE_LENGTH = 255;

/** A shop's myshopify domain, as Shopify sends it in X-Shopify-Shop-Domain (lowercase). */
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/** A topic in either form Shopify uses (`orders/create`, `ORDERS_CREATE`), or an events topic (`app.scopes_update`). */
const TOPIC = /^[A-Za-z0-9_]+(?:[./-][A-Za-z0-9_]+)*$/;

/** A control character (C0, DEL): PostgreSQL refuses NUL in text, and no id of Shopify's holds one. */
const CONTROL = /[\u0000-\u001f\u007f]/;

/** X-Shopify-Triggered-At earlier than this is refused: Shopify's webhooks are much younger. */
export const EARLIEST_TRIGGERED_AT = Date.UTC(2000, 0, 1);
/** …and later than now plus this (a day of clock skew, generously). */
export const TRIGGERED_AT_LEEWAY_MS = 24 * 3_600_000;

export interface DeliveryHeaders {
  domain: string;
  topic: string;
  webhookId: string;
  eventId: string | null;
  triggeredAt: string | null;
}

/** Whether `domain` is a shop's `*.myshopify.com` domain (at most 255 characters). */
export function isShopDomain(domain: string): boolean {
  return domain.length <= MAX_HEADER_VALUE_LENGTH && SHOP_DOMAIN.test(domain);
}

function idProblem(header: string, value: string): string | null {
  if (value.length > MAX_HEADER_VALUE_LENGTH) return `${header}: longer than ${MAX_HEADER_VALUE_LENGTH} characters`;
  if (CONTROL.test(value)) return `${header}: holds a control character`;
  if (!value.isWellFormed()) return `${header}: not well-formed text`;
  return null;
}

/**
 * The first problem of a delivery's headers, naming the header (→ 400), or null when they are fine.
 *
 * X-Shopify-Triggered-At, when sent, must be a real ISO 8601 time between 2000-01-01 and a day
 * from now. A bad one is refused rather than treated as absent: Shopify always sends a good one,
 * the value dates return bodies (which carry no timestamp) and decides whether a retry is stale,
 * and reading a garbled one as "absent" would let a replayed old body pass as fresh.
 */
export function deliveryHeaderProblem(headers: DeliveryHeaders, now = Date.now()): string | null {
  if (!isShopDomain(headers.domain)) return 'X-Shopify-Shop-Domain: not a shop domain (*.myshopify.com)';
  if (headers.topic.length > MAX_HEADER_VALUE_LENGTH || !TOPIC.test(headers.topic.trim())) return 'X-Shopify-Topic: not a webhook topic';
  const webhookId = idProblem('X-Shopify-Webhook-Id', headers.webhookId);
  if (webhookId) return webhookId;
  if (headers.eventId !== null) {
    const eventId = idProblem('X-Shopify-Event-Id', headers.eventId);
    if (eventId) return eventId;
  }
  if (headers.triggeredAt !== null) {
    const at = parseIsoTime(headers.triggeredAt);
    if (at === null) return 'X-Shopify-Triggered-At: not an ISO 8601 time with an offset';
    if (at < EARLIEST_TRIGGERED_AT || at > now + TRIGGERED_AT_LEEWAY_MS) return 'X-Shopify-Triggered-At: not between 2000-01-01 and a day from now';
  }
  return null;
}

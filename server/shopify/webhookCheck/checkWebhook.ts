import type { Shopify } from '@shopify/shopify-api';
import { bodyShopDomain, normalizeWebhook, PayloadError, type NormalizedWebhook } from '../normalize/index.ts';
import { deliveryHeaderProblem } from './deliveryHeaders.ts';

/** What the webhook route hands over: the raw body and request, and the hash key of the shop its headers name. */
export interface WebhookCheckInput {
  body: Uint8Array;
  /** The request's `X-Shopify-*` and `Shopify-*` headers (shopify-api reads nothing else). */
  headers: Record<string, string | string[] | undefined>;
  method: string;
  path: string;
  /** The per-shop key identifiers are hashed with, of the shop the Shop-Domain header names ('' when not installed). */
  hashKey: string;
}

/** The HMAC verdict and, for a valid delivery, its topic and normalized records (or why the body was refused). */
export type WebhookCheck =
  | { valid: false; reason: 'missing_headers' | 'missing_body' | 'missing_hmac' | 'invalid_hmac'; missingHeaders?: string[] }
  | {
      valid: true;
      domain: string;
      topic: string;
      webhookId: string;
      eventId: string | null;
      triggeredAt: string | null;
      /** The hash key the body was normalized with (the caller checks it was the verified shop's). */
      hashKey: string;
      /** Absent for bulk_operations/finish (nothing to normalize). */
      normalized?: NormalizedWebhook;
      /** A header is malformed or out of range (→ 400, naming it); nothing else was read. */
      headerError?: string;
      /** The body is not JSON or not the topic's shape (→ 400). */
      payloadError?: string;
      /**
       * A compliance or uninstall body that names another shop than the delivery's (`shop_domain`,
       * `myshopify_domain`; null when it names none): refused (→ 403), since only the body is signed.
       */
      shopMismatch?: { bodyShop: string | null };
    };

const BULK_FINISH = ['bulk_operations/finish', 'bulk_operations_finish'];

/**
 * The headers shopify-api's `validate` decides on (the HMAC and the four other required headers of
 * either delivery type). It canonicalizes the name of every header it is handed once per header
 * it looks up (a dozen lookups), so it is handed only these: about 50 µs less per optional header
 * left out. The optional ones (Event-Id, Triggered-At) are read here from the request's headers.
 */
const VALIDATED_HEADERS = ['x-shopify-hmac-sha256', 'x-shopify-topic', 'x-shopify-shop-domain', 'x-shopify-api-version', 'x-shopify-webhook-id']
  .flatMap((name) => [name, name.replace(/^x-/, '')]);

function validatedHeaders(headers: WebhookCheckInput['headers']): WebhookCheckInput['headers'] {
  const kept: WebhookCheckInput['headers'] = {};
  for (const name of VALIDATED_HEADERS) if (headers[name] !== undefined) kept[name] = headers[name];
  return kept;
}

/**
 * Verifies a webhook with shopify-api (`shopify.webhooks.validate`: HMAC of the raw body, the
 * five required headers) and, when it is valid, normalizes its body (no raw PII survives). Pure
 * CPU work on its inputs, so it runs in the webhook threads (`WebhookCheckPool`) as well as in process.
 */
export async function checkWebhook(shopify: Shopify, input: WebhookCheckInput): Promise<WebhookCheck> {
  const rawBody = Buffer.from(input.body.buffer, input.body.byteOffset, input.body.byteLength).toString('utf8');
  const rawRequest = { headers: validatedHeaders(input.headers), method: input.method, url: input.path };
  const check = await shopify.webhooks.validate({ rawBody, rawRequest: rawRequest as never, rawResponse: {} as never });
  if (!check.valid) {
    const reason = check.reason as 'missing_headers' | 'missing_body' | 'missing_hmac' | 'invalid_hmac';
    const missingHeaders = (check as { missingHeaders?: string[] }).missingHeaders;
    return { valid: false, reason, ...(missingHeaders ? { missingHeaders } : {}) };
  }
  const header = (name: string) => {
    const value = input.headers[name];
    return typeof value === 'string' && value !== '' ? value : null;
  };
  const topic = header('x-shopify-topic') ?? check.topic;
  const webhookId = check.webhookType === 'webhooks' ? check.webhookId : (header('x-shopify-webhook-id') ?? '');
  const eventId = (check.webhookType === 'webhooks' ? check.eventId : undefined) ?? header('x-shopify-event-id');
  const triggeredAt = (check.webhookType === 'webhooks' ? check.triggeredAt : undefined) ?? header('x-shopify-triggered-at');
  const verified = { valid: true as const, domain: check.domain, topic, webhookId, eventId, triggeredAt, hashKey: input.hashKey };
  const headerError = deliveryHeaderProblem(verified);
  if (headerError) return { ...verified, headerError };
  if (BULK_FINISH.includes(topic.trim().toLowerCase())) return verified;
  let normalized: NormalizedWebhook;
  try {
    normalized = normalizeWebhook(topic, rawBody, input.hashKey, { triggeredAt: triggeredAt ?? undefined });
  } catch (error) {
    if (error instanceof PayloadError) return { ...verified, payloadError: error.message };
    throw error;
  }
  const bodyShop = bodyShopDomain(normalized);
  if (bodyShop !== undefined && bodyShop?.toLowerCase() !== check.domain) return { ...verified, normalized, shopMismatch: { bodyShop } };
  return { ...verified, normalized };
}

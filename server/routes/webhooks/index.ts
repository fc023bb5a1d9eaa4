import Boom from '@hapi/boom';
import type { Plugin, Request, ResponseToolkit } from '@hapi/hapi';
import type { AppDeps } from '../../AppDeps.ts';
import type { SupportedTopic } from '../../shopify/normalize/webhookTopic.ts';
import { isShopDomain } from '../../shopify/webhookCheck/deliveryHeaders.ts';
import type { WebhookHandler } from './handler.ts';
import { BULK_FINISH_HANDLER, TOPIC_HANDLERS } from './topics.ts';

/**
 * `POST /webhooks` (every subscription of shopify.app.toml): verify the HMAC on the raw body
 * (shopify-api), normalize (no raw PII survives), refuse what is malformed, ignore unknown topics,
 * shops not installed and stale retries; then the topic's handler (topics.ts → one module per
 * topic) stores what the topic says with the delivery's dedupe record (Webhook-Id; topic,
 * Event-Id, resource) in one transaction, enqueues scoring, and answers at once.
 * Bad HMAC → 401 with nothing stored; malformed body or header → 400; a compliance or uninstall
 * body naming another shop than the delivery's → 403 (only the body is signed); oversize → 413;
 * unknown topic → 200. Every refusal stores nothing.
 */
export const webhooks: Plugin<AppDeps> = {
  name: 'refundsentry-webhooks',
  register(server, deps) {
    server.route({
      method: 'POST',
      path: '/webhooks',
      options: {
        auth: false,
        payload: { parse: false, output: 'data', maxBytes: deps.config.webhook.maxBytes },
      },
      handler: (request, h) => receiveWebhook(deps, request, h),
    });
  },
};

async function receiveWebhook(deps: AppDeps, request: Request, h: ResponseToolkit) {
  const body = Buffer.isBuffer(request.payload) ? request.payload : Buffer.from(String(request.payload ?? ''), 'utf8');
  // The shop the (not yet verified) Shop-Domain header names, for its hash key: the thread that
  // verifies the HMAC normalizes the body with it, and the key is used only if the HMAC holds.
  const claimed = request.headers['x-shopify-shop-domain'];
  const claimedShop = typeof claimed === 'string' && isShopDomain(claimed) ? await deps.stores.shops.getCached(claimed) : undefined;
  // shopify-api reads only the request's headers, method and url, and canonicalizes every header
  // name once per header it looks up: hand it Shopify's own headers only (a third of its cost).
  let check = await deps.webhookChecks.check({ body, headers: shopifyHeaders(request.headers), method: request.method.toUpperCase(), path: request.path, hashKey: claimedShop?.hash_key ?? '' });
  if (!check.valid) {
    if (check.reason === 'missing_headers') throw Boom.badRequest(`Missing webhook headers: ${check.missingHeaders?.join(', ')}`);
    if (check.reason === 'missing_body') throw Boom.badRequest('Empty webhook body');
    throw Boom.unauthorized(`Webhook HMAC ${check.reason === 'missing_hmac' ? 'missing' : 'does not match the body'}`);
  }
  // Checked before anything of the headers is looked up or stored (a malformed one is a 400 naming it).
  if (check.headerError) throw Boom.badRequest(check.headerError);
  const shopId = check.domain;
  const shop = await deps.stores.shops.getCached(shopId);
  if (check.normalized && check.hashKey !== (shop?.hash_key ?? '')) {
    // Only if the verified domain is not the header's as read (shopify-api canonicalizes header names): normalize again with the right key.
    check = await deps.webhookChecks.check({ body, headers: shopifyHeaders(request.headers), method: request.method.toUpperCase(), path: request.path, hashKey: shop?.hash_key ?? '' });
    if (!check.valid) throw Boom.unauthorized('Webhook HMAC does not match the body');
  }
  const { topic, webhookId, eventId, triggeredAt } = check;
  if (!check.normalized && !check.payloadError) return BULK_FINISH_HANDLER.handle({ deps, shopId, shop, delivery: { shopId, webhookId, topic, eventId, resourceId: null, triggeredAt } });
  if (check.payloadError) throw Boom.badRequest(check.payloadError);
  if (check.shopMismatch) {
    const { bodyShop } = check.shopMismatch;
    deps.log.warn({ shop: shopId, topic, bodyShop }, 'webhook refused: its body names another shop than the delivery');
    throw Boom.forbidden(bodyShop === null
      ? `${topic} body names no shop; the delivery is for ${shopId}`
      : `${topic} body is for ${bodyShop}; the delivery is for ${shopId}`);
  }
  const normalized = check.normalized!;
  const delivery = { shopId, webhookId, topic, eventId, resourceId: 'resourceId' in normalized ? normalized.resourceId : null, triggeredAt };
  if (normalized.kind === 'ignored') {
    deps.log.info({ shopId, topic }, 'webhook topic ignored');
    await deps.stores.deliveries.record(delivery, 'ignored');
    return h.response({ ok: true, ignored: normalized.reason }).code(200);
  }
  const handler = TOPIC_HANDLERS[normalized.topic as SupportedTopic] as WebhookHandler | undefined;
  if (handler?.kind !== normalized.kind) throw new Error(`no handler for ${normalized.topic} (${normalized.kind}) in routes/webhooks/topics.ts`);
  if (!handler.anyShop) {
    if (!shop) {
      deps.log.warn({ shopId, topic }, 'webhook for a shop that is not installed');
      return { ok: true, ignored: 'shop not installed' };
    }
    if (triggeredAt && Date.now() - Date.parse(triggeredAt) > deps.config.webhook.staleAfterHours * 3_600_000) {
      await deps.stores.deliveries.record(delivery, 'stale');
      return { ok: true, ignored: 'stale retry' };
    }
  }
  return handler.handle({ deps, shopId, shop, delivery }, normalized as never);
}

/** The `X-Shopify-*` (webhooks) and `Shopify-*` (events) headers of a request. */
function shopifyHeaders(headers: Request['headers']): Record<string, string | string[] | undefined> {
  const kept: Record<string, string | string[] | undefined> = {};
  for (const name in headers) if (name.startsWith('x-shopify-') || name.startsWith('shopify-')) kept[name] = headers[name];
  return kept;
}


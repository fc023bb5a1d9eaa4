import Boom from '@hapi/boom';
import type { Plugin, Request, ResponseToolkit } from '@hapi/hapi';
import type { HistoryEvent } from '../../engine/history/index.ts';
import type { ReturnRecord, SubjectKind } from '../../sdk/index.ts';
import type { AppDeps } from '../app.ts';
import { normalizeWebhook, PayloadError, type NormalizedWebhook } from '../shopify/normalize/index.ts';

/** Topics whose record is scored (when the subject has no decision yet). */
const SCORED: Record<string, SubjectKind> = {
  'orders/create': 'order',
  'orders/updated': 'order',
  'returns/request': 'return',
  'returns/approve': 'return',
  'refunds/create': 'refund',
};

/**
 * `POST /webhooks`: verify the HMAC on the raw body (shopify-api), normalize (no raw PII
 * survives), dedupe the delivery (Webhook-Id) and the business effect (topic, Event-Id,
 * resource), ignore stale retries, store the record and enqueue scoring, and answer at once.
 * Bad HMAC → 401 with nothing stored; malformed body → 400; oversize → 413; unknown topic → 200.
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
  const rawBody = Buffer.isBuffer(request.payload) ? request.payload.toString('utf8') : String(request.payload ?? '');
  // shopify-api reads only the request's headers, method and url, and canonicalizes every header
  // name once per header it looks up: hand it Shopify's own headers only (a third of its cost).
  const rawRequest = { headers: shopifyHeaders(request.headers), method: request.method.toUpperCase(), url: request.path };
  const check = await deps.shopify.webhooks.validate({ rawBody, rawRequest, rawResponse: request.raw.res });
  if (!check.valid) {
    if (check.reason === 'missing_headers') throw Boom.badRequest(`Missing webhook headers: ${(check as { missingHeaders?: string[] }).missingHeaders?.join(', ')}`);
    if (check.reason === 'missing_body') throw Boom.badRequest('Empty webhook body');
    throw Boom.unauthorized(`Webhook HMAC ${check.reason === 'missing_hmac' ? 'missing' : 'does not match the body'}`);
  }
  const shopId = check.domain;
  const topic = String(request.headers['x-shopify-topic'] ?? check.topic);
  const webhookId = check.webhookType === 'webhooks' ? check.webhookId : String(request.headers['x-shopify-webhook-id']);
  const eventId = (check.webhookType === 'webhooks' ? check.eventId : undefined) ?? headerOrNull(request, 'x-shopify-event-id');
  const triggeredAt = (check.webhookType === 'webhooks' ? check.triggeredAt : undefined) ?? headerOrNull(request, 'x-shopify-triggered-at');
  const shop = await deps.stores.shops.getCached(shopId);
  if (['bulk_operations/finish', 'bulk_operations_finish'].includes(topic.trim().toLowerCase())) {
    // A backfill stage's bulk query is done: step it now instead of at its next poll.
    const woken = shop ? await deps.backfill.wake(shopId) : false;
    return { ok: true, woken };
  }
  let normalized: NormalizedWebhook;
  try {
    normalized = normalizeWebhook(topic, rawBody, shop?.hash_key ?? '', { triggeredAt: triggeredAt ?? undefined });
  } catch (error) {
    if (error instanceof PayloadError) throw Boom.badRequest(error.message);
    throw error;
  }
  const delivery = { shopId, webhookId, topic, eventId, resourceId: 'resourceId' in normalized ? normalized.resourceId : null, triggeredAt };
  if (normalized.kind === 'ignored') {
    deps.log.info({ shopId, topic }, 'webhook topic ignored');
    await deps.stores.deliveries.record(delivery, 'ignored');
    return h.response({ ok: true, ignored: normalized.reason }).code(200);
  }
  if (normalized.kind === 'shop/redact') {
    await deps.gdpr.redactShop(shopId);
    return { ok: true };
  }
  if (!shop) {
    deps.log.warn({ shopId, topic }, 'webhook for a shop that is not installed');
    return { ok: true, ignored: 'shop not installed' };
  }
  if (triggeredAt && Date.now() - Date.parse(triggeredAt) > deps.config.webhook.staleAfterHours * 3_600_000) {
    await deps.stores.deliveries.record(delivery, 'stale');
    return { ok: true, ignored: 'stale retry' };
  }
  const kind = SCORED[normalized.topic];
  const score = kind && shop.status === 'active' ? { shopId, kind, subjectId: normalized.resourceId } : null;
  if (normalized.kind === 'order' && delivery.eventId && delivery.resourceId) {
    // The busiest topics: written in a group commit with the other order webhooks in flight.
    const verdict = await deps.intake.submit({ delivery, customer: normalized.customer, events: await orderRows(deps, shopId, normalized), score });
    return verdict === 'new' ? { ok: true } : { ok: true, duplicate: verdict };
  }
  const verdict = await deps.stores.db.transaction(async (trx) => {
    const seen = await deps.stores.deliveries.record(delivery, 'enqueued', trx);
    if (seen !== 'new') return seen;
    await applyWebhook(deps, shopId, normalized, trx);
    return seen;
  });
  if (verdict !== 'new') return { ok: true, duplicate: verdict };
  if (score) await deps.queue.sendScore(score);
  return { ok: true };
}

/** The `events` rows of an order webhook: the customer's snapshot (when there is a customer) and the order. */
function orderRows(deps: AppDeps, shopId: string, webhook: Extract<NormalizedWebhook, { kind: 'order' }>) {
  const events: HistoryEvent[] = webhook.customer ? [{ type: 'customer', customer: webhook.customer }, { type: 'order', order: webhook.order }] : [{ type: 'order', order: webhook.order }];
  return deps.stores.events.rowsOf(shopId, events);
}

async function applyWebhook(deps: AppDeps, shopId: string, webhook: Exclude<NormalizedWebhook, { kind: 'ignored' | 'shop/redact' }>, trx: AppDeps['stores']['db']): Promise<void> {
  const { stores } = deps;
  switch (webhook.kind) {
    case 'order':
      if (webhook.customer) {
        await stores.customers.upsertSnapshot(shopId, webhook.customer, trx);
        await stores.events.upsertAll(shopId, [{ type: 'customer', customer: webhook.customer }, { type: 'order', order: webhook.order }], trx);
      } else {
        await stores.events.upsert(shopId, { type: 'order', order: webhook.order }, trx);
      }
      return;
    case 'fulfillment':
      await stores.events.upsert(shopId, { type: 'fulfillment', fulfillment: webhook.fulfillment }, trx);
      return;
    case 'return': {
      let record = webhook.return;
      if (!webhook.complete) {
        // Close/decline/cancel bodies carry no lines: keep the stored lines, take the new status.
        const stored = await stores.events.get<ReturnRecord>(shopId, 'return', record.id);
        if (stored) record = { ...stored, status: record.status, closedAt: record.closedAt ?? stored.closedAt ?? null };
      }
      await stores.events.upsert(shopId, { type: 'return', return: record }, trx);
      return;
    }
    case 'refund':
      await stores.events.upsert(shopId, { type: 'refund', refund: webhook.refund }, trx);
      return;
    case 'dispute':
      await stores.events.upsert(shopId, { type: 'chargeback', chargeback: webhook.chargeback } as HistoryEvent, trx);
      return;
    case 'customers/data_request': {
      const report = await deps.gdpr.dataRequest(shopId, webhook.customerId, webhook.orderIds, trx);
      deps.log.info({ shopId, customerId: webhook.customerId, decisions: report.decisions.length }, 'customer data request recorded');
      return;
    }
    case 'customers/redact':
      await deps.gdpr.redactCustomer(shopId, webhook.customerId, webhook.orderIds, trx);
      return;
    case 'app/uninstalled':
      await stores.shops.markUninstalled(shopId);
      return;
  }
}

/** The `X-Shopify-*` (webhooks) and `Shopify-*` (events) headers of a request. */
function shopifyHeaders(headers: Request['headers']): Record<string, string | string[] | undefined> {
  const kept: Record<string, string | string[] | undefined> = {};
  for (const name in headers) if (name.startsWith('x-shopify-') || name.startsWith('shopify-')) kept[name] = headers[name];
  return kept;
}

function headerOrNull(request: Request, name: string): string | null {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

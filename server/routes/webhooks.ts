import Boom from '@hapi/boom';
import type { Plugin, Request, ResponseToolkit } from '@hapi/hapi';
import type { HistoryEvent } from '../../engine/history/index.ts';
import type { OrderRecord, ReturnRecord, SubjectKind } from '../../sdk/index.ts';
import { withOrderLines } from '../shopify/normalize/index.ts';
import type { AppDeps } from '../AppDeps.ts';
import type { NormalizedWebhook } from '../shopify/normalize/index.ts';
import { isShopDomain } from '../shopify/webhookCheck/deliveryHeaders.ts';

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
  if (!check.normalized && !check.payloadError) {
    // bulk_operations/finish: a backfill stage's bulk query is done: step it now instead of at its next poll.
    const woken = shop ? await deps.backfill.wake(shopId) : false;
    return { ok: true, woken };
  }
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
  let score = kind && shop.status === 'active' ? { shopId, kind, subjectId: normalized.resourceId } : null;
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
  // A transaction or Shopify's assessment belongs to its order's checkout: the order is scored with
  // it if it is stored and not decided yet (a decided order is not re-scored here).
  if ((normalized.kind === 'transaction' || normalized.kind === 'risk') && shop.status === 'active') score = await undecidedOrder(deps, shopId, checkoutOrderOf(normalized));
  if (score) await deps.queue.sendScore(score);
  return { ok: true };
}

function checkoutOrderOf(webhook: Extract<NormalizedWebhook, { kind: 'transaction' | 'risk' }>): string {
  return webhook.kind === 'transaction' ? webhook.transaction.orderId : webhook.risk.orderId;
}

/** A scoring request for the order, if it is stored and has no decision yet. */
async function undecidedOrder(deps: AppDeps, shopId: string, orderId: string) {
  const [state] = await deps.stores.context.subjects([{ shopId, kind: 'order', id: orderId }]);
  return state && state.record !== undefined && !state.decided ? { shopId, kind: 'order' as const, subjectId: orderId } : null;
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
      } else {
        // A return body names its order's lines but not their prices or SKUs: the stored order has them
        // (the returned value, SKU and product signals read them), as the backfill's returns get them.
        const order = await stores.events.get<OrderRecord>(shopId, 'order', record.orderId);
        if (order) record = withOrderLines(record, order);
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
    case 'transaction':
      await stores.events.upsert(shopId, { type: 'transaction', transaction: webhook.transaction }, trx);
      // The card that paid becomes the stored order's `identity.payment` (its checkout facts trigger).
      if (webhook.transaction.cardHash) await stores.events.refreshCheckoutFacts(shopId, webhook.transaction.orderId, trx);
      return;
    case 'risk':
      await stores.events.upsert(shopId, { type: 'risk', risk: webhook.risk }, trx);
      await stores.events.refreshCheckoutFacts(shopId, webhook.risk.orderId, trx);
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


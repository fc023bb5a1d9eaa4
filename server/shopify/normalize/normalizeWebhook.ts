import type {
  ChargebackRecord, CustomerSnapshot, FulfillmentRecord, IsoTime, OrderRecord, RefundRecord, ReturnRecord, RiskAssessmentRecord, ShopifyId, TransactionRecord,
} from '../../../sdk/index.ts';
import { appUninstalledPayload } from './compliancePayloads.ts';
import { disputePayload } from './disputePayload.ts';
import { fulfillmentPayload } from './fulfillmentPayload.ts';
import { disputeUpdatedAt, normalizeDispute } from './normalizeDispute.ts';
import { normalizeFulfillment } from './normalizeFulfillment.ts';
import { normalizeOrder } from './normalizeOrder.ts';
import { normalizeRefund } from './normalizeRefund.ts';
import { normalizeReturn, returnLinesComplete } from './normalizeReturn.ts';
import { normalizeRiskAssessment } from './normalizeRiskAssessment.ts';
import { normalizeTransaction } from './normalizeTransaction.ts';
import { orderPayload } from './orderPayload.ts';
import { parseWebhookBody } from './parseWebhookBody.ts';
import { PayloadError } from './PayloadError.ts';
import { returnPayload } from './returnPayload.ts';
import { shopifyGid } from './shopifyGid.ts';
import {
  customerRedactSubjects, shopRedactSubjects, subjectIdsForDataRequest, type CustomerSubjects, type ShopSubjects,
} from './subjectIdsForRedact.ts';
import { canonicalTopic, isSupportedTopic, TOPIC_KINDS } from './webhookTopic.ts';

interface Normalized {
  /** The canonical topic, e.g. `orders/create`. */
  topic: string;
  /** The GID whose business effect this delivery has; dedupe on (topic, event id, resourceId) (FACTS §4.10). */
  resourceId: ShopifyId;
  /**
   * When the body says the resource was last changed (updated_at, else created_at; for
   * bodies without a timestamp, `triggeredAt`), so stale retries can be ignored. Null when
   * neither is known.
   */
  occurredAt: IsoTime | null;
}

export type NormalizedWebhook =
  | (Normalized & { kind: 'order'; order: OrderRecord; customer: CustomerSnapshot | null })
  | (Normalized & { kind: 'fulfillment'; fulfillment: FulfillmentRecord })
  | (Normalized & {
      kind: 'return';
      return: ReturnRecord;
      /**
       * False when the body does not list every returned line (returns/close, cancel, reopen,
       * decline; the request sample too): merge `status`/`closedAt` into the stored return,
       * and fetch the lines with `return(id:)` if the return is new.
       */
      complete: boolean;
    })
  | (Normalized & { kind: 'refund'; refund: RefundRecord })
  | (Normalized & { kind: 'dispute'; chargeback: ChargebackRecord })
  | (Normalized & { kind: 'transaction'; transaction: TransactionRecord })
  | (Normalized & { kind: 'risk'; risk: RiskAssessmentRecord })
  | (Normalized & { kind: 'customers/data_request' } & CustomerSubjects & { dataRequestId: string })
  | (Normalized & { kind: 'customers/redact' } & CustomerSubjects)
  | (Normalized & { kind: 'shop/redact' } & ShopSubjects)
  | (Normalized & {
      kind: 'app/uninstalled';
      shopId: ShopifyId;
      /** The body's `myshopify_domain` (null in Shopify's sample), to check against the delivery's shop. */
      shopDomain: string | null;
    })
  | { kind: 'ignored'; topic: string; reason: string };

export interface NormalizeWebhookOptions {
  /** The X-Shopify-Triggered-At header: dates bodies that carry no timestamp (returns, compliance). */
  triggeredAt?: IsoTime;
  /** The stored order, when the caller has it: fills return unit prices and refund customer. */
  order?: OrderRecord;
}

function dispatch(topic: string, raw: string, shopKey: string, options: NormalizeWebhookOptions): NormalizedWebhook {
  if (!isSupportedTopic(topic)) return { kind: 'ignored', topic, reason: 'topic not handled' };
  const body = parseWebhookBody(raw, topic);
  const triggeredAt = options.triggeredAt ?? null;
  switch (TOPIC_KINDS[topic]) {
    case 'order': {
      const payload = orderPayload(body);
      const { order, customer } = normalizeOrder(payload, shopKey);
      return { kind: 'order', topic, resourceId: order.id, occurredAt: payload.updated_at, order, customer };
    }
    case 'fulfillment': {
      const payload = fulfillmentPayload(body);
      const fulfillment = normalizeFulfillment(payload);
      return { kind: 'fulfillment', topic, resourceId: fulfillment.id, occurredAt: payload.updated_at ?? payload.created_at, fulfillment };
    }
    case 'return': {
      const payload = returnPayload(body);
      if (!payload.created_at && !options.triggeredAt) {
        // A delivery without the header (Shopify always sends it) cannot be dated: refused (400), not a 500.
        throw new PayloadError(topic, '', 'carries no timestamp (created_at), and the delivery has no X-Shopify-Triggered-At header to date it by');
      }
      const ret = normalizeReturn(payload, options.order, options.triggeredAt);
      return { kind: 'return', topic, resourceId: ret.id, occurredAt: payload.created_at ?? triggeredAt, return: ret, complete: returnLinesComplete(payload) };
    }
    case 'refund': {
      const refund = normalizeRefund(body, options.order);
      return { kind: 'refund', topic, resourceId: refund.id, occurredAt: refund.createdAt, refund };
    }
    case 'dispute': {
      const payload = disputePayload(body);
      if (payload.order_id === null) return { kind: 'ignored', topic, reason: 'dispute names no order' };
      const chargeback = normalizeDispute(payload);
      return { kind: 'dispute', topic, resourceId: chargeback.id, occurredAt: disputeUpdatedAt(payload), chargeback };
    }
    case 'transaction': {
      const transaction = normalizeTransaction(body, shopKey);
      const processedAt = (body as { processed_at?: string | null }).processed_at;
      return { kind: 'transaction', topic, resourceId: transaction.id, occurredAt: processedAt ?? transaction.createdAt, transaction };
    }
    case 'risk': {
      const risk = normalizeRiskAssessment(body, { triggeredAt });
      if ('ignored' in risk) return { kind: 'ignored', topic, reason: risk.ignored };
      return { kind: 'risk', topic, resourceId: risk.orderId, occurredAt: risk.assessedAt, risk };
    }
    case 'customers/data_request': {
      const subjects = subjectIdsForDataRequest(body, shopKey);
      return { kind: 'customers/data_request', topic, resourceId: subjects.customerId, occurredAt: triggeredAt, ...subjects };
    }
    case 'customers/redact': {
      const subjects = customerRedactSubjects(body, shopKey);
      return { kind: 'customers/redact', topic, resourceId: subjects.customerId, occurredAt: triggeredAt, ...subjects };
    }
    case 'shop/redact': {
      const subjects = shopRedactSubjects(body);
      return { kind: 'shop/redact', topic, resourceId: subjects.shopId, occurredAt: triggeredAt, ...subjects };
    }
    case 'app/uninstalled': {
      const payload = appUninstalledPayload(body);
      const shopId = shopifyGid('Shop', payload.id);
      return { kind: 'app/uninstalled', topic, resourceId: shopId, occurredAt: triggeredAt, shopId, shopDomain: payload.myshopify_domain };
    }
  }
}

/** Topics whose effect is the whole shop's or a customer's data: their body's shop must be the delivery's. */
const SHOP_NAMING_KINDS = new Set(['customers/data_request', 'customers/redact', 'shop/redact', 'app/uninstalled']);

/**
 * The shop a compliance or uninstall body names (`shop_domain`, `myshopify_domain`; null when it
 * names none), or undefined for the other topics, whose bodies name no shop. The HMAC signs the
 * body but not the Shop-Domain header, so the caller refuses the delivery unless this is the
 * delivery's shop (issue 19: a signed shop/redact of shop C resent for shop D).
 */
export function bodyShopDomain(webhook: NormalizedWebhook): string | null | undefined {
  if (!SHOP_NAMING_KINDS.has(webhook.kind)) return undefined;
  return (webhook as { shopDomain: string | null }).shopDomain;
}

/**
 * The one entry point for webhook bodies: parses losslessly, validates against the topic's
 * schema, and returns our records, holding no raw PII. Accepts `orders/create` and
 * `ORDERS_CREATE` topic forms; unknown topics come back as `ignored`. Throws PayloadError
 * (→ 400) for a body that is not JSON or not the topic's shape.
 */
export function normalizeWebhook(topic: string, raw: string, shopKey: string, options: NormalizeWebhookOptions = {}): NormalizedWebhook {
  const canonical = canonicalTopic(topic);
  try {
    return dispatch(canonical, raw, shopKey, options);
  } catch (error) {
    throw error instanceof PayloadError ? error.forTopic(canonical) : error;
  }
}

import type { SupportedTopic, TOPIC_KINDS } from '../../shopify/normalize/webhookTopic.ts';
import { appUninstalled } from './appUninstalled.ts';
import { bulkOperationsFinish } from './bulkOperationsFinish.ts';
import { customersDataRequest } from './customersDataRequest.ts';
import { customersRedact } from './customersRedact.ts';
import { disputes } from './disputes.ts';
import { fulfillments } from './fulfillments.ts';
import type { WebhookHandler } from './handler.ts';
import { orders } from './orders.ts';
import { orderTransactionsCreate } from './orderTransactionsCreate.ts';
import { ordersRiskAssessmentChanged } from './ordersRiskAssessmentChanged.ts';
import { refunds } from './refunds.ts';
import { returns } from './returns.ts';
import { shopRedact } from './shopRedact.ts';

/**
 * Each topic the normalizer takes → its handler (one module per topic, or per family of topics
 * sharing a body and a handler: `orders.ts` for `orders/*`). `shopify.app.toml` subscribes the
 * topics, and its "Handled by" comments name these files (topics.test.ts checks both ways). Typed so
 * that each topic's handler takes what the normalizer makes of that topic (`TOPIC_KINDS`).
 */
export const TOPIC_HANDLERS = {
  'app/uninstalled': appUninstalled,
  'customers/data_request': customersDataRequest,
  'customers/redact': customersRedact,
  'disputes/create': disputes,
  'disputes/update': disputes,
  'fulfillments/create': fulfillments,
  'fulfillments/update': fulfillments,
  'order_transactions/create': orderTransactionsCreate,
  'orders/cancelled': orders,
  'orders/create': orders,
  'orders/fulfilled': orders,
  'orders/paid': orders,
  'orders/partially_fulfilled': orders,
  'orders/risk_assessment_changed': ordersRiskAssessmentChanged,
  'orders/updated': orders,
  'refunds/create': refunds,
  'returns/approve': returns,
  'returns/cancel': returns,
  'returns/close': returns,
  'returns/decline': returns,
  'returns/reopen': returns,
  'returns/request': returns,
  'shop/redact': shopRedact,
} satisfies { [T in SupportedTopic]: WebhookHandler<(typeof TOPIC_KINDS)[T]> };

/** The topic whose body is not normalized: `bulk_operations/finish` (it wakes a backfill). */
export const BULK_FINISH_HANDLER = bulkOperationsFinish;

import { withCheckoutFacts } from '../engine/history/checkoutFacts.ts';
import type { HistoryEvent } from '../engine/history/index.ts';
import type { OrderRecord, ReturnRecord, TransactionRecord } from '../sdk/index.ts';
import { productFactsOf } from '../server/services/ProductCatalog.ts';
import { normalizeWebhook } from '../server/shopify/normalize/normalizeWebhook.ts';
import { withProductFacts, type ProductFacts } from '../server/store/ProductStore.ts';
import type { ProductFactsAnswer } from './catalog.ts';

/**
 * What the app makes of a shop's Shopify traffic, with the app's own code: webhook deliveries
 * through `normalizeWebhook` (with the shop's key), stored as the webhook route stores them, and
 * the Admin API's `ProductFacts` answers through `productFactsOf`, applied as the app applies
 * them. Nothing here adds a field of its own.
 */

/** One webhook as Shopify would deliver it: its topic, its X-Shopify-Triggered-At, its JSON body. */
export interface Delivery {
  topic: string;
  /** ISO time: when the change happened (the X-Shopify-Triggered-At header; return bodies carry no time of their own). */
  at: string;
  body: Record<string, unknown>;
}

/** The order a return or refund body names (a nested `order` or a bare `order_id`), as a GID. */
function orderIdOf(body: Record<string, unknown>): string | undefined {
  const order = body.order as { admin_graphql_api_id?: string } | undefined;
  if (order?.admin_graphql_api_id) return order.admin_graphql_api_id;
  return body.order_id === undefined ? undefined : `gid://shopify/Order/${String(body.order_id)}`;
}

/**
 * The records the app stores from the deliveries, in delivery order, one per resource (a later
 * delivery of a resource replaces its record, as `EventStore.upsert` does): the customer snapshot
 * and the order of each orders/* body, transactions, fulfilments (the delivery scan's update
 * replacing the shipment), returns (a close, which lists no lines, only moves the stored
 * return's status and `closedAt`, as `routes/webhooks/returns.ts` merges it), refunds and chargebacks.
 * Return and refund bodies are normalized with their stored order (the normalizer's `order`
 * option: the returned lines' SKU, product and unit price paid; the refund's customer), as the
 * backfill's bulk records are. Each order then takes the card that paid it from its transactions
 * as `identity.payment` (`withCheckoutFacts`: what the database's `events_order_checkout_facts`
 * trigger gives a stored order, and what the bulk backfill's records carry). Throws on a body
 * the normalizers refuse or ignore.
 */
export function storedRecords(deliveries: readonly Delivery[], shopKey: string): HistoryEvent[] {
  const records: HistoryEvent[] = [];
  const position = new Map<string, number>();
  const orders = new Map<string, OrderRecord>();
  const put = (key: string, event: HistoryEvent) => {
    const at = position.get(key);
    if (at === undefined) {
      position.set(key, records.length);
      records.push(event);
    } else {
      records[at] = event;
    }
  };
  for (const delivery of deliveries) {
    const orderId = orderIdOf(delivery.body);
    const webhook = normalizeWebhook(delivery.topic, JSON.stringify(delivery.body), shopKey, {
      triggeredAt: delivery.at,
      ...(orderId && orders.has(orderId) ? { order: orders.get(orderId) } : {}),
    });
    switch (webhook.kind) {
      case 'order':
        if (webhook.customer) put(`customer:${webhook.customer.id}`, { type: 'customer', customer: webhook.customer });
        orders.set(webhook.order.id, webhook.order);
        put(`order:${webhook.order.id}`, { type: 'order', order: webhook.order });
        break;
      case 'transaction':
        put(`transaction:${webhook.transaction.id}`, { type: 'transaction', transaction: webhook.transaction });
        break;
      case 'fulfillment':
        put(`fulfillment:${webhook.fulfillment.id}`, { type: 'fulfillment', fulfillment: webhook.fulfillment });
        break;
      case 'return': {
        const key = `return:${webhook.return.id}`;
        const at = position.get(key);
        if (webhook.complete || at === undefined) {
          put(key, { type: 'return', return: webhook.return });
        } else {
          const stored = (records[at] as { return: ReturnRecord }).return;
          put(key, { type: 'return', return: { ...stored, status: webhook.return.status, closedAt: webhook.return.closedAt ?? stored.closedAt ?? null } });
        }
        break;
      }
      case 'refund':
        put(`refund:${webhook.refund.id}`, { type: 'refund', refund: webhook.refund });
        break;
      case 'dispute':
        put(`chargeback:${webhook.chargeback.id}`, { type: 'chargeback', chargeback: webhook.chargeback });
        break;
      default:
        throw new Error(`${delivery.topic} at ${delivery.at} normalized to ${webhook.kind}${'reason' in webhook ? `: ${webhook.reason}` : ''}`);
    }
  }
  const transactions = new Map<string, TransactionRecord[]>();
  for (const event of records) {
    if (event.type !== 'transaction') continue;
    const list = transactions.get(event.transaction.orderId);
    if (list) list.push(event.transaction);
    else transactions.set(event.transaction.orderId, [event.transaction]);
  }
  return records.map((event) => (event.type === 'order' ? { type: 'order', order: withCheckoutFacts(event.order, transactions.get(event.order.id), undefined) } : event));
}

/** The product facts the app stores from `ProductFacts` answers (`productFactsOf`), by product GID. */
export function storedProductFacts(answers: readonly ProductFactsAnswer[]): Map<string, ProductFacts> {
  const facts = new Map<string, ProductFacts>();
  for (const answer of answers) {
    for (const node of answer.data.nodes) {
      const f = productFactsOf(node);
      if (f) facts.set(f.productId, f);
    }
  }
  return facts;
}

/**
 * The stored records as the app's contexts see them: each order's lines with their product type
 * and compare-at price (`withProductFacts`, as the store's contexts apply the stored product
 * facts). Other records unchanged.
 */
export function contextRecords(stored: readonly HistoryEvent[], facts: ReadonlyMap<string, ProductFacts>): HistoryEvent[] {
  return stored.map((event) => (event.type === 'order' ? { type: 'order', order: withProductFacts([event.order], facts)[0]! } : event));
}

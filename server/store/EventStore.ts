import type { Knex } from 'knex';
import { eventTime, type HistoryEvent } from '../../engine/history/index.ts';

type Kind = HistoryEvent['type'];

interface EventRow {
  kind: Kind;
  body: unknown;
}

/** One `events` row as written (body as JSON text). */
export interface EventInsertRow {
  shop_id: string;
  kind: Kind;
  resource_id: string;
  customer_id: string | null;
  order_id: string | null;
  occurred_at: string;
  body: string;
}

/**
 * The condition of a record upsert's update: a record delivered again unchanged keeps its row (no
 * new version, no index or trigger work). Shared with the order webhooks' group commit
 * (`DeliveryStore.recordOrders`).
 */
export const RECORD_CHANGED =
  '(events.customer_id, events.order_id, events.occurred_at, events.body) is distinct from (excluded.customer_id, excluded.order_id, excluded.occurred_at, excluded.body)';

/** Normalized Shopify records, one row per resource (the latest version wins). */
export class EventStore {
  private readonly db: Knex;
  constructor(db: Knex) {
    this.db = db;
  }

  /**
   * Stores a record; a later version of the same resource (orders/updated, returns/approve…)
   * replaces the earlier one. Records linked only by order get the order's customer.
   */
  async upsert(shopId: string, event: HistoryEvent, trx: Knex = this.db): Promise<void> {
    await this.upsertAll(shopId, [event], trx);
  }

  /** `upsert` for several records of different resources, in one statement. */
  async upsertAll(shopId: string, events: readonly HistoryEvent[], trx: Knex = this.db): Promise<void> {
    if (events.length === 0) return;
    const rows = await this.rowsOf(shopId, events, trx);
    await trx('events')
      .insert(rows)
      .onConflict(['shop_id', 'kind', 'resource_id'])
      .merge(['customer_id', 'order_id', 'occurred_at', 'body', 'received_at'])
      .where(trx.raw(RECORD_CHANGED));
  }

  /** The rows `upsertAll` writes (`DeliveryStore.recordOrders` writes them in its own statement). */
  async rowsOf(shopId: string, events: readonly HistoryEvent[], trx: Knex = this.db): Promise<EventInsertRow[]> {
    const rows: EventInsertRow[] = [];
    // The customers of the batch's own orders: their transactions (a backfill page's) need no lookup.
    const batchOrders = new Map(events.flatMap((e) => (e.type === 'order' ? [[e.order.id, e.order.customerId ?? null] as const] : [])));
    for (const event of events) {
      const { resourceId, customerId, orderId } = await this.keysOf(shopId, event, trx, batchOrders);
      rows.push({ shop_id: shopId, kind: event.type, resource_id: resourceId, customer_id: customerId, order_id: orderId, occurred_at: eventTime(event), body: JSON.stringify(recordOf(event)) });
    }
    return rows;
  }

  /**
   * Has a stored order take again the facts of its checkout records (its paying card as
   * `identity.payment`, Shopify's assessment): they are cleared, and the `events_order_checkout_facts`
   * trigger fills them from the order's stored transaction and risk rows. After a transaction or
   * an assessment is stored; nothing when the order is not (the trigger fills them when it comes).
   */
  async refreshCheckoutFacts(shopId: string, orderId: string, trx: Knex = this.db): Promise<void> {
    await trx('events')
      .where({ shop_id: shopId, kind: 'order', resource_id: orderId })
      .update({ body: trx.raw(`(body #- '{identity,payment}') - 'shopifyRisk'`) });
  }

  async get<T>(shopId: string, kind: Kind, resourceId: string, trx: Knex = this.db): Promise<T | undefined> {
    const row = await trx('events').where({ shop_id: shopId, kind, resource_id: resourceId }).first('body');
    return row?.body as T | undefined;
  }


  /** The names Shopify gave the shop's stored orders ("#1001"), by order GID; orders not stored or without a name are left out. */
  async orderNames(shopId: string, orderIds: readonly string[]): Promise<Map<string, string>> {
    const ids = [...new Set(orderIds)];
    if (ids.length === 0) return new Map();
    const rows: { resource_id: string; name: string }[] = await this.db('events')
      .where({ shop_id: shopId, kind: 'order' })
      .whereIn('resource_id', ids)
      .whereRaw(`body->>'name' is not null`)
      .select('resource_id', this.db.raw(`body->>'name' as name`));
    return new Map(rows.map((r) => [r.resource_id, r.name]));
  }

  /**
   * Product GID → its title as the shop's latest stored order line of it says ("Linen shirt"), for
   * the products asked (one scan of the shop's order lines: the reasons page asks for ~50).
   */
  async productTitles(shopId: string, productIds: readonly string[]): Promise<Map<string, string>> {
    const ids = [...new Set(productIds)];
    if (ids.length === 0) return new Map();
    const { rows } = await this.db.raw(
      `select distinct on (li->>'productId') li->>'productId' as product_id, li->>'title' as title
         from events e cross join lateral jsonb_array_elements(case when jsonb_typeof(e.body->'lineItems') = 'array' then e.body->'lineItems' else '[]'::jsonb end) li
        where e.shop_id = ? and e.kind = 'order' and li->>'productId' = any(?::text[]) and li->>'title' is not null
        order by li->>'productId', e.occurred_at desc`,
      [shopId, ids],
    );
    return new Map((rows as { product_id: string; title: string }[]).map((r) => [r.product_id, r.title]));
  }

  /**
   * The shop's currency as its orders carry it (ISO 4217): the currency of its latest stored
   * order, null before any order is stored. Shopify writes every order of a shop in the shop's
   * currency (`currency`; presentment currencies are `presentment_currency`).
   */
  async shopCurrency(shopId: string): Promise<string | null> {
    const row = await this.db('events')
      .where({ shop_id: shopId, kind: 'order' })
      .whereRaw(`body->>'currency' is not null`)
      .orderBy('occurred_at', 'desc')
      .first(this.db.raw(`body->>'currency' as currency`));
    return (row?.currency as string | undefined) ?? null;
  }

  /** Every order, fulfilment, return and refund of the shop, for its baseline. */
  async allForBaseline(shopId: string): Promise<HistoryEvent[]> {
    const rows: EventRow[] = await this.db('events').where({ shop_id: shopId }).whereIn('kind', ['order', 'fulfillment', 'return', 'refund']).orderBy('occurred_at').select('kind', 'body');
    return rows.map((row) => ({ type: row.kind, [row.kind]: row.body }) as HistoryEvent);
  }

  /**
   * Orders, returns and refunds stored more than `olderThanSeconds` ago (and within the last
   * week) that have no decision: their scoring job was lost (a crash between the webhook's commit
   * and the send) or gave up waiting for an order that has since arrived.
   */
  async unscored(olderThanSeconds: number, limit = 200): Promise<{ shop_id: string; kind: 'order' | 'return' | 'refund'; resource_id: string }[]> {
    return this.db('events as e')
      .join('shops as s', 's.id', 'e.shop_id')
      .where('s.status', 'active')
      .whereIn('e.kind', ['order', 'return', 'refund'])
      .andWhere('e.received_at', '<', this.db.raw(`now() - make_interval(secs => ?)`, [olderThanSeconds]))
      .andWhere('e.received_at', '>', this.db.raw(`now() - interval '7 days'`))
      .whereNotExists(this.db('decisions as d').whereRaw('d.shop_id = e.shop_id and d.subject_kind = e.kind and d.subject_id = e.resource_id'))
      .orderBy('e.received_at')
      .limit(limit)
      .select('e.shop_id', 'e.kind', 'e.resource_id');
  }

  /** The ids of a customer's stored orders. */
  orderIdsOfCustomer(shopId: string, customerId: string, trx: Knex = this.db): Promise<string[]> {
    return trx('events').where({ shop_id: shopId, kind: 'order', customer_id: customerId }).pluck('resource_id');
  }

  /** What is stored about a customer and their orders: kind, id and time, no bodies (GDPR reports). */
  listForCustomer(shopId: string, customerId: string, orderIds: readonly string[], trx: Knex = this.db): Promise<{ kind: string; resource_id: string; occurred_at: Date }[]> {
    return trx('events')
      .where({ shop_id: shopId })
      .andWhere((q) => q.where('customer_id', customerId).orWhereRaw('order_id = any(?::text[])', [orderIds as string[]]).orWhere({ kind: 'customer', resource_id: customerId }))
      .orderBy('occurred_at')
      .select('kind', 'resource_id', 'occurred_at');
  }

  /** What the shop has seen of a customer, by kind: counts and money (orders by total, refunds and chargebacks by amount). */
  async customerTotals(shopId: string, customerId: string): Promise<{ orders: number; orderValue: number; returns: number; refunds: number; refundedValue: number; chargebacks: number }> {
    const { rows } = await this.db.raw(
      `select kind, count(*)::int as n,
              coalesce(sum(case kind when 'order' then (body->>'totalPrice')::numeric else (body->>'amount')::numeric end), 0) as value
         from events e
        where e.shop_id = ? and e.kind in ('order', 'return', 'refund', 'chargeback')
          and (e.customer_id = ? or e.order_id in (select resource_id from events o where o.shop_id = ? and o.kind = 'order' and o.customer_id = ?))
        group by kind`,
      [shopId, customerId, shopId, customerId],
    );
    const byKind = new Map((rows as { kind: string; n: number; value: string }[]).map((r) => [r.kind, r]));
    return {
      orders: byKind.get('order')?.n ?? 0,
      orderValue: Number(byKind.get('order')?.value ?? 0),
      returns: byKind.get('return')?.n ?? 0,
      refunds: byKind.get('refund')?.n ?? 0,
      refundedValue: Number(byKind.get('refund')?.value ?? 0),
      chargebacks: byKind.get('chargeback')?.n ?? 0,
    };
  }

  async deleteForCustomer(shopId: string, customerId: string, orderIds: string[], trx: Knex = this.db): Promise<number> {
    return trx('events')
      .where('shop_id', shopId)
      .andWhere((q) => q.where('customer_id', customerId).orWhere({ kind: 'customer', resource_id: customerId }).orWhereRaw('order_id = any(?::text[])', [orderIds as string[]]).orWhereRaw('resource_id = any(?::text[])', [orderIds as string[]]))
      .delete();
  }

  private async keysOf(shopId: string, event: HistoryEvent, trx: Knex, batchOrders: ReadonlyMap<string, string | null>): Promise<{ resourceId: string; customerId: string | null; orderId: string | null }> {
    switch (event.type) {
      case 'customer':
        return { resourceId: event.customer.id, customerId: event.customer.id, orderId: null };
      case 'order':
        return { resourceId: event.order.id, customerId: event.order.customerId ?? null, orderId: event.order.id };
      case 'outcome':
        return { resourceId: `${event.outcome.subjectId}#${event.outcome.source}`, customerId: null, orderId: null };
      default: {
        const record = recordOf(event) as { id: string; orderId: string; customerId?: string | null };
        const customerId = record.customerId ?? (batchOrders.has(record.orderId) ? batchOrders.get(record.orderId)! : await this.customerOfOrder(shopId, record.orderId, trx));
        return { resourceId: record.id, customerId, orderId: record.orderId };
      }
    }
  }

  private async customerOfOrder(shopId: string, orderId: string, trx: Knex): Promise<string | null> {
    const row = await trx('events').where({ shop_id: shopId, kind: 'order', resource_id: orderId }).first('customer_id');
    return row?.customer_id ?? null;
  }
}

function recordOf(event: HistoryEvent): unknown {
  return (event as Record<string, unknown>)[event.type];
}

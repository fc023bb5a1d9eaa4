import type { Knex } from 'knex';
import type { CustomerSnapshot } from '../../sdk/index.ts';
import { SNAPSHOT_CHANGED } from './CustomerStore.ts';
import { RECORD_CHANGED, type EventInsertRow } from './EventStore.ts';

export type DeliveryVerdict = 'new' | 'duplicate-delivery' | 'duplicate-effect';

/** An order webhook's delivery with what it writes when new: the customer snapshot and the `events` rows. */
export interface OrderDelivery {
  delivery: DeliveryInput;
  customer: CustomerSnapshot | null;
  events: readonly EventInsertRow[];
}

export interface DeliveryInput {
  shopId: string;
  webhookId: string;
  topic: string;
  eventId: string | null;
  resourceId: string | null;
  triggeredAt: string | null;
}

/**
 * Webhook deliveries, for dedupe: the same delivery (Webhook-Id) is acknowledged once; the
 * same business effect (topic, Event-Id, resource) from another subscription or retry too.
 */
export class DeliveryStore {
  private readonly db: Knex;
  constructor(db: Knex) {
    this.db = db;
  }

  /**
   * One statement: the insert succeeds only for a new delivery of a new effect (`on conflict do
   * nothing` covers both the webhook-id key and the partial unique index
   * `webhook_deliveries_effect`); otherwise a delivery not seen before is recorded as a
   * `duplicate-effect` and the verdict says which duplicate it was.
   */
  async record(input: DeliveryInput, status: 'enqueued' | 'stale' | 'ignored', trx: Knex = this.db): Promise<DeliveryVerdict> {
    const row = [input.shopId, input.webhookId, input.topic, input.eventId, input.resourceId, input.triggeredAt];
    if (status !== 'enqueued' || !input.eventId || !input.resourceId) {
      const { rows } = await trx.raw(
        `insert into webhook_deliveries (shop_id, webhook_id, topic, event_id, resource_id, triggered_at, status) values (?, ?, ?, ?, ?, ?, ?)
         on conflict (shop_id, webhook_id) do nothing returning webhook_id`,
        [...row, status],
      );
      return rows.length > 0 ? 'new' : 'duplicate-delivery';
    }
    // The same dedupe as a batch of order webhooks, for one delivery that writes nothing else here.
    const [verdict] = await this.recordOrders([{ delivery: input, customer: null, events: [] }], trx);
    return verdict!;
  }

  /**
   * The hot path of order webhooks: a batch of them in ONE statement (one transaction, one round
   * trip). Per delivery, the dedupe as `record(input, 'enqueued')`; only for a new delivery of a
   * new effect, the customer's snapshot (as `CustomerStore.upsertSnapshot`) and the records (rows
   * from `EventStore.rowsOf`, written as `EventStore.upsertAll`). A customer or record named by
   * several new deliveries of the batch is written once, from the last of them. A stored customer
   * or record that the delivery does not change is left as it is (no new row version: a repeat
   * customer's every order carries the same customer record). The caller keeps
   * webhook ids and effects distinct within a batch (`OrderIntake` does); the verdicts come back
   * in the order of `items`.
   */
  async recordOrders(items: readonly OrderDelivery[], trx: Knex = this.db): Promise<DeliveryVerdict[]> {
    if (items.length === 0) return [];
    const deliveries = items.map(({ delivery: d }, ord) => {
      if (!d.eventId || !d.resourceId) throw new Error('recordOrders needs the event id and the resource id of every delivery');
      return { ord, shop_id: d.shopId, webhook_id: d.webhookId, topic: d.topic, event_id: d.eventId, resource_id: d.resourceId, triggered_at: d.triggeredAt };
    });
    const customers = items.flatMap(({ delivery: d, customer: c }, ord) => (c ? [{ ord, shop_id: d.shopId, id: c.id, identity: c.identity, tags: c.tags, created_at_shopify: c.createdAt ?? null }] : []));
    // The bodies are JSON text already: spliced into the array as JSON values, not escaped into strings
    // (which PostgreSQL would parse twice, once as the array's string and again as jsonb).
    const records = `[${items.flatMap(({ events }, ord) => events.map(({ body, ...row }) => `${JSON.stringify({ ord, ...row }).slice(0, -1)},"body":${body}}`)).join(',')}]`;
    const { rows } = await trx.raw(
      `with input as (
         select * from jsonb_to_recordset(cast(? as jsonb)) as i (ord int, shop_id text, webhook_id text, topic text, event_id text, resource_id text, triggered_at timestamptz)
       ), fresh as (
         insert into webhook_deliveries (shop_id, webhook_id, topic, event_id, resource_id, triggered_at, status)
         select shop_id, webhook_id, topic, event_id, resource_id, triggered_at, 'enqueued' from input order by ord
         on conflict do nothing
         returning shop_id, webhook_id
       ), fresh_input as (
         select i.* from input i join fresh f on f.shop_id = i.shop_id and f.webhook_id = i.webhook_id
       ), stale as (
         -- Lateral probes (one index lookup each) rather than semi-joins the planner may hash over the whole table.
         select i.*, coalesce(seen.found, false) as seen, coalesce(same.found, false) as same_effect
           from input i
           left join lateral (select true as found from webhook_deliveries d where d.shop_id = i.shop_id and d.webhook_id = i.webhook_id limit 1) seen on true
           left join lateral (select true as found from webhook_deliveries d
                               where d.shop_id = i.shop_id and d.topic = i.topic and d.event_id = i.event_id and d.resource_id = i.resource_id
                                 and d.status = 'enqueued' and d.webhook_id <> i.webhook_id limit 1) same on true
          where not exists (select 1 from fresh_input f where f.ord = i.ord)
       ), effect as (
         select ord from stale where same_effect
       ), duplicate as (
         insert into webhook_deliveries (shop_id, webhook_id, topic, event_id, resource_id, triggered_at, status)
         select shop_id, webhook_id, topic, event_id, resource_id, triggered_at, 'duplicate-effect' from stale where not seen
         on conflict (shop_id, webhook_id) do nothing
         returning shop_id, webhook_id
       ), customer as (
         insert into customers (shop_id, id, identity, tags, created_at_shopify)
         select distinct on (c.shop_id, c.id) c.shop_id, c.id, c.identity, c.tags, c.created_at_shopify
           from jsonb_to_recordset(cast(? as jsonb)) as c (ord int, shop_id text, id text, identity jsonb, tags jsonb, created_at_shopify timestamptz)
           join fresh_input f on f.ord = c.ord
          order by c.shop_id, c.id, c.ord desc
         on conflict (shop_id, id) do update set identity = excluded.identity, tags = excluded.tags, updated_at = now()
           where ${SNAPSHOT_CHANGED}
       ), records as (
         insert into events (shop_id, kind, resource_id, customer_id, order_id, occurred_at, body)
         select distinct on (e.shop_id, e.kind, e.resource_id) e.shop_id, e.kind, e.resource_id, e.customer_id, e.order_id, e.occurred_at, e.body
           from jsonb_to_recordset(cast(? as jsonb)) as e (ord int, shop_id text, kind text, resource_id text, customer_id text, order_id text, occurred_at timestamptz, body jsonb)
           join fresh_input f on f.ord = e.ord
          order by e.shop_id, e.kind, e.resource_id, e.ord desc
         on conflict (shop_id, kind, resource_id) do update set customer_id = excluded.customer_id, order_id = excluded.order_id,
           occurred_at = excluded.occurred_at, body = excluded.body, received_at = excluded.received_at
           where ${RECORD_CHANGED}
       )
       select i.ord,
              exists (select 1 from fresh_input f where f.ord = i.ord) as fresh,
              exists (select 1 from duplicate d where d.shop_id = i.shop_id and d.webhook_id = i.webhook_id) or exists (select 1 from effect e where e.ord = i.ord) as duplicate_effect
         from input i order by i.ord`,
      [JSON.stringify(deliveries), JSON.stringify(customers), records],
    ).options({ name: 'refundsentry_record_orders' }); // a named statement: planned once per connection (server/README.md, "Named statements")
    return (rows as { fresh: boolean; duplicate_effect: boolean }[]).map(verdictOf);
  }
}

function verdictOf(row: { fresh: boolean; duplicate_effect: boolean }): DeliveryVerdict {
  return row.fresh ? 'new' : row.duplicate_effect ? 'duplicate-effect' : 'duplicate-delivery';
}

import type { Knex } from 'knex';
import type { HistoryEvent } from '../../engine/history/index.ts';
import { IDENTITY_RECENT_LIMIT, RING_LIST_LIMIT, type IdentifierKind, type PastDecision, type PastOutcome, type ShopifyId } from '../../sdk/index.ts';
import type { CustomerRow } from './CustomerStore.ts';
import { eventsWithProductFacts, productIdsOf, type ProductStore } from './ProductStore.ts';

/** A subject to score: an order, return or refund of a shop. */
export interface SubjectKey {
  shopId: string;
  kind: HistoryEvent['type'];
  id: string;
}

/** A past decision with the keys `ShopHistory.addDecision` files it under. */
export interface StoredPastDecision extends PastDecision {
  customerId: ShopifyId | null;
  orderId: ShopifyId | null;
}

/**
 * The raw material of the point-in-time contexts of a batch of subjects of one shop: everything
 * about their customers (for a guest, their order). `contextAt` cuts it at each subject's time;
 * a `ShopHistory` built from it files each record in its customer's ledger, so one history serves
 * the whole batch and each context sees exactly what a context built for it alone would.
 */
export interface ContextMaterial {
  /** The customers' records, and the subject orders' (all of them, in time order). */
  events: HistoryEvent[];
  /** RefundSentry's decisions about the customers (guests: the orders). */
  past: StoredPastDecision[];
  /** Confirmed outcomes of the customers' subjects. */
  outcomes: PastOutcome[];
  /** Manual overrides by customer id (`CustomerStore.get(...).manual_override`), only those set. */
  manualOverrides: Map<ShopifyId, NonNullable<CustomerRow['manual_override']>>;
  /**
   * The earliest users of each identifier of the customers' and orders' orders (`material`: their
   * first use, from `identity_uses`), for `ShopHistory.addIdentifierUse`: the records of a hub's
   * users are not read, so the history learns of them here. Absent from `wholeShop` (every order is in `events`).
   */
  identifierUses?: IdentifierUse[];
  /**
   * The latest `IDENTITY_RECENT_LIMIT` orders that carried each probed identifier in the 24 hours
   * before each probe's time (`material`'s `recent`, from `identity_orders`), for
   * `ShopHistory.addIdentifierOrder`: the identity facts' orders per identifier in the last hour and
   * day, and a device's cards, without loading those orders' customers. Absent from `wholeShop`.
   */
  recentUses?: RecentUse[];
}

/** An order that carried an identifier hash: when, and its card hash (if any). */
export interface RecentUse {
  kind: string;
  hash: string;
  orderId: string;
  at: string;
  card: string | null;
}

/** An identifier of an order subject, and the subject's time: the orders of the day before it are read. */
export interface RecentProbe {
  kind: IdentifierKind;
  hash: string;
  at: string;
}

const IDENTIFIER_KINDS: ReadonlySet<string> = new Set<IdentifierKind>(['email', 'phone', 'address', 'ip', 'device', 'payment']);
/** At most this many probes per read: six identifiers of a batch's orders (a scoring batch is at most a few hundred subjects). */
export const MAX_RECENT_PROBES = 6 * 1000;

/** A user (`customer:<id>` or `guest:<order id>`) of an identifier hash, from its first use. */
export interface IdentifierUse {
  kind: string;
  hash: string;
  key: string;
  at: string;
}

/**
 * The scoring worker's reads, batched: a round trip for whether each subject of a batch is decided
 * and its stored record, one for the orders of returns and refunds, and one per shop for the raw
 * material of all the batch's contexts.
 */
export class ContextStore {
  private readonly db: Knex;
  private readonly products: ProductStore;
  constructor(db: Knex, products: ProductStore) {
    this.db = db;
    this.products = products;
  }

  /**
   * For each key, whether it already has a decision (the key `insertOnce` keeps unique: shop, kind,
   * id) and its stored record (as `EventStore.get`); in the order of `keys`.
   */
  async subjects<T>(keys: readonly SubjectKey[]): Promise<{ decided: boolean; record: T | undefined }[]> {
    if (keys.length === 0) return [];
    const { rows } = await this.db.raw(
      // Lateral lookups: one unique-index probe per key, whatever the planner thinks of the tables.
      `select k.ord, coalesce(d.decided, false) as decided, e.body as record
         from jsonb_to_recordset(cast(? as jsonb)) as k (ord int, shop_id text, kind text, id text)
         left join lateral (select true as decided from decisions d where d.shop_id = k.shop_id and d.subject_kind = k.kind and d.subject_id = k.id limit 1) d on true
         left join lateral (select e.body from events e where e.shop_id = k.shop_id and e.kind = k.kind and e.resource_id = k.id limit 1) e on true
        order by k.ord`,
      [JSON.stringify(keys.map((k, ord) => ({ ord, shop_id: k.shopId, kind: k.kind, id: k.id })))],
    ).options({ name: 'refundsentry_subjects' }); // a named statement: planned once per connection (server/README.md, "Named statements")
    return (rows as { decided: boolean; record: T | null }[]).map((row) => ({ decided: row.decided, record: row.record ?? undefined }));
  }

  /**
   * Everything the contexts of a batch are built from, for some customers and orders of one shop,
   * and for their ring neighbours: the earliest `RING_LIST_LIMIT + 2` users of each identifier
   * hash of their orders (enough for `contextAt` to tell a hub; `identity_uses`), and the records
   * of those users except through identifiers that were hubs already before `since` (the batch's
   * earliest subject: `ringAt` counts a hub's users but never lists them). Each part is a union of
   * index probes per key (a customer's records, their customer record, the records of their orders
   * and of the subject orders, a short index range per identifier), so the cost follows the
   * customers' histories and not the shop's size, an identifier's popularity or the statistics.
   *
   * `recent`: the identifiers of the batch's order subjects with each subject's time; for each, the
   * latest `IDENTITY_RECENT_LIMIT` orders that carried it in the 24 hours before that time (one
   * backward range of `identity_orders`' primary key, read from the index alone), so each context
   * counts the orders per identifier of its last hour and day as a whole history would (capped).
   */
  async material(shopId: string, customerIds: readonly string[], orderIds: readonly string[], since: string, recent: readonly RecentProbe[] = []): Promise<ContextMaterial> {
    const probes = recentProbes(recent);
    const { rows } = await this.db.raw(
      // Every lookup is a lateral probe per key (`offset 0` keeps it one) on the index whose leading
      // columns it names, as in `subjects`. With `= any(array)` the planner chose its path from the
      // tables' statistics, and while those lagged behind a fast-growing table (a new install, a
      // shop's first minutes) it scanned the whole shop: 16-17 ms for 24 subjects instead of 9.
      `with batch_customers as (
         select distinct value as id from jsonb_array_elements_text(cast(:customers as jsonb))
       ), batch_orders as (
         select distinct value as id from jsonb_array_elements_text(cast(:orders as jsonb))
       ), batch_identity as (
         -- The identifiers the batch's customers and orders used (as customers, or as guest orders).
         select distinct u.kind, u.hash
           from (select 'customer:' || id as user_key from batch_customers union all select 'guest:' || id from batch_orders) b
           cross join lateral (select u.kind, u.hash from identity_uses u where u.shop_id = :shopId and u.user_key = b.user_key offset 0) u
       ), uses as (
         -- The earliest users of each identifier (enough to tell a hub, see RING_LIST_LIMIT): one short index range
         -- each. An identifier with that many users before the batch's earliest subject is a hub for every context
         -- of the batch, whose users ringAt counts but never lists (so their records are not needed).
         select h.kind, h.hash, u.user_key, u.first_use,
                bool_or(u.rank = :usersPerIdentifier and u.first_use < cast(:since as timestamptz)) over (partition by h.kind, h.hash) as hub
           from batch_identity h
           cross join lateral (
             select u.user_key, u.first_use, row_number() over (order by u.first_use, u.user_key) as rank
               from identity_uses u
              where u.shop_id = :shopId and u.kind = h.kind and u.hash = h.hash
              order by u.first_use, u.user_key
              limit :usersPerIdentifier) u
       ), linked as (
         -- Ring neighbours through the other identifiers, whose records the contexts list.
         select case when u.user_key like 'customer:%' then substr(u.user_key, 10) end as customer_id,
                case when u.user_key like 'guest:%' then substr(u.user_key, 7) end as guest_order
           from uses u
          where not u.hub
       ), customer_ids as (
         select id from batch_customers union select customer_id from linked where customer_id is not null
       ), order_ids as (
         select id from batch_orders union select guest_order from linked where guest_order is not null
       ), linked_orders as (
         select o.resource_id as id
           from customer_ids c cross join lateral (select o.resource_id from events o where o.shop_id = :shopId and o.customer_id = c.id and o.kind = 'order' offset 0) o
         union
         select id from order_ids
       ), matched as (
         select e.id from customer_ids c cross join lateral (select e.id from events e where e.shop_id = :shopId and e.customer_id = c.id offset 0) e
         union
         select e.id from customer_ids c cross join lateral (select e.id from events e where e.shop_id = :shopId and e.kind = 'customer' and e.resource_id = c.id offset 0) e
         union
         select e.id from linked_orders o cross join lateral (select e.id from events e where e.shop_id = :shopId and e.order_id = o.id offset 0) e
         union
         select e.id from order_ids o cross join lateral (select e.id from events e where e.shop_id = :shopId and e.kind = 'order' and e.resource_id = o.id offset 0) e
       ), recent_probes as (
         select distinct p.kind, p.hash, p.at from jsonb_to_recordset(cast(:recent as jsonb)) as p (kind text, hash text, at timestamptz)
       ), recent as (
         -- The orders of the day before each probe, latest first, at most IDENTITY_RECENT_LIMIT: a backward range of the primary key.
         select distinct r.kind, r.hash, r.order_id, r.at, r.card
           from recent_probes p
           cross join lateral (
             select i.kind, i.hash, i.order_id, i.at, i.card from identity_orders i
              where i.shop_id = :shopId and i.kind = p.kind and i.hash = p.hash and i.at >= p.at - interval '24 hours' and i.at < p.at
              order by i.at desc, i.order_id desc
              limit :recentLimit) r
       ), past as (
         select d.* from batch_customers c cross join lateral (select d.* from decisions d where d.shop_id = :shopId and d.customer_id = c.id offset 0) d
         union all
         select d.* from batch_orders o cross join lateral (select d.* from decisions d where d.shop_id = :shopId and d.order_id = o.id and d.customer_id is null offset 0) d
       )
       select
         (select coalesce(json_agg(json_build_object('kind', e.kind, 'body', e.body) order by e.occurred_at, e.id), '[]'::json)
            from matched m cross join lateral (select e.kind, e.body, e.occurred_at, e.id from events e where e.id = m.id offset 0) e) as events,
         (select coalesce(json_agg(json_build_object('subjectId', d.subject_id, 'kind', d.subject_kind, 'at', d.decided_at, 'score', d.score, 'zone', d.zone,
                                                     'customerId', d.customer_id, 'orderId', d.order_id) order by d.decided_at, d.id), '[]'::json)
            from past d) as past,
         (select coalesce(json_agg(json_build_object('subjectId', o.subject_id, 'label', o.label, 'at', o.labelled_at, 'source', o.source) order by o.labelled_at, o.id), '[]'::json)
            from customer_ids c cross join lateral (select o.* from outcomes o where o.shop_id = :shopId and o.customer_id = c.id offset 0) o) as outcomes,
         (select coalesce(json_agg(json_build_object('id', c.id, 'override', c.manual_override)), '[]'::json)
            from batch_customers b cross join lateral (select c.id, c.manual_override from customers c where c.shop_id = :shopId and c.id = b.id and c.manual_override is not null offset 0) c) as overrides,
         (select coalesce(json_agg(json_build_object('kind', u.kind, 'hash', u.hash, 'key', u.user_key, 'at', u.first_use)), '[]'::json) from uses u) as uses,
         (select coalesce(json_agg(json_build_object('kind', r.kind, 'hash', r.hash, 'orderId', r.order_id, 'at', r.at, 'card', r.card)), '[]'::json) from recent r) as recent`,
      { shopId, customers: JSON.stringify(customerIds), orders: JSON.stringify(orderIds), usersPerIdentifier: RING_LIST_LIMIT + 2, since, recent: JSON.stringify(probes), recentLimit: IDENTITY_RECENT_LIMIT },
    ).options({ name: 'refundsentry_context_material' }); // a named statement: planned once per connection (server/README.md, "Named statements")
    return this.withProductFacts(shopId, materialOf(rows[0]));
  }

  /**
   * The material with its orders' line items completed from the stored product facts (product
   * type, compare-at price: no order webhook carries them; services/ProductCatalog.ts fetches
   * them), so that every context built from the store (live scoring, backfills, previews,
   * simulations) sees the same.
   */
  private async withProductFacts(shopId: string, material: ContextMaterial): Promise<ContextMaterial> {
    const orders = material.events.flatMap((e) => (e.type === 'order' ? [e.order] : []));
    const facts = await this.products.factsFor(shopId, productIdsOf(orders));
    return facts.size === 0 ? material : { ...material, events: eventsWithProductFacts(material.events, facts) };
  }

  /**
   * The material of every context of the shop at once, for a backfill's scoring (which walks the
   * whole history in time order): the same parts as `material` for all customers and orders —
   * every record, every decision, the outcomes and overrides of customers. Undefined when the
   * shop has more than `maxEvents` records (then the backfill reads per page).
   */
  async wholeShop(shopId: string, maxEvents = WHOLE_SHOP_MAX_EVENTS): Promise<ContextMaterial | undefined> {
    const counted = await this.db('events').where({ shop_id: shopId }).count('* as n').first();
    if (Number(counted?.n ?? 0) > maxEvents) return undefined;
    const { rows } = await this.db.raw(
      `select
         (select coalesce(json_agg(json_build_object('kind', e.kind, 'body', e.body) order by e.occurred_at, e.id), '[]'::json)
            from events e where e.shop_id = :shopId) as events,
         (select coalesce(json_agg(json_build_object('subjectId', d.subject_id, 'kind', d.subject_kind, 'at', d.decided_at, 'score', d.score, 'zone', d.zone,
                                                     'customerId', d.customer_id, 'orderId', d.order_id) order by d.decided_at, d.id), '[]'::json)
            from decisions d where d.shop_id = :shopId) as past,
         (select coalesce(json_agg(json_build_object('subjectId', o.subject_id, 'label', o.label, 'at', o.labelled_at, 'source', o.source) order by o.labelled_at, o.id), '[]'::json)
            from outcomes o where o.shop_id = :shopId and o.customer_id is not null) as outcomes,
         (select coalesce(json_agg(json_build_object('id', c.id, 'override', c.manual_override)), '[]'::json)
            from customers c where c.shop_id = :shopId and c.manual_override is not null) as overrides`,
      { shopId },
    );
    return this.withProductFacts(shopId, materialOf(rows[0]));
  }
}

/** The JSON parts of a material query as records. */
function materialOf(raw: unknown): ContextMaterial {
  const row = raw as {
    events: { kind: HistoryEvent['type']; body: unknown }[];
    past: (Omit<StoredPastDecision, 'score'> & { score: number | string })[];
    outcomes: PastOutcome[];
    overrides: { id: string; override: NonNullable<CustomerRow['manual_override']> }[];
    uses?: IdentifierUse[];
    recent?: RecentUse[];
  };
  return {
    events: row.events.map((e) => ({ type: e.kind, [e.kind]: e.body }) as HistoryEvent),
    past: row.past.map((d) => ({ subjectId: d.subjectId, kind: d.kind, at: isoTime(d.at), score: Number(d.score), zone: d.zone, customerId: d.customerId, orderId: d.orderId })),
    outcomes: row.outcomes.map((o) => ({ subjectId: o.subjectId, label: o.label, at: isoTime(o.at), source: o.source })),
    manualOverrides: new Map(row.overrides.map((o) => [o.id, o.override])),
    ...(row.uses ? { identifierUses: row.uses } : {}),
    ...(row.recent ? { recentUses: row.recent.map((r) => ({ ...r, at: isoTime(r.at) })) } : {}),
  };
}

/**
 * The probes as the query takes them, checked: a known kind, a hash of 1-256 characters, a valid
 * time (ISO 8601, as records carry); duplicates dropped. They come from stored, normalized orders,
 * so a bad one is a programmer's error (thrown), never a client's.
 */
function recentProbes(recent: readonly RecentProbe[]): RecentProbe[] {
  if (recent.length > MAX_RECENT_PROBES) throw new RangeError(`ContextStore.material takes at most ${MAX_RECENT_PROBES} recent probes, not ${recent.length}`);
  const seen = new Set<string>();
  const out: RecentProbe[] = [];
  for (const probe of recent) {
    if (!IDENTIFIER_KINDS.has(probe.kind)) throw new TypeError(`ContextStore.material: unknown identifier kind ${JSON.stringify(probe.kind)}`);
    if (typeof probe.hash !== 'string' || probe.hash.length === 0 || probe.hash.length > 256 || probe.hash.includes('\u0000')) throw new TypeError(`ContextStore.material: a ${probe.kind} hash must be 1-256 characters`);
    const at = typeof probe.at === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(probe.at) ? Date.parse(probe.at) : NaN;
    if (!Number.isFinite(at)) throw new TypeError(`ContextStore.material: probe time ${JSON.stringify(probe.at)} is not an ISO 8601 time`);
    const iso = new Date(at).toISOString();
    const key = `${probe.kind}\u0000${probe.hash}\u0000${iso}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ kind: probe.kind, hash: probe.hash, at: iso });
  }
  return out;
}

/** Shops with more stored events than this are not loaded whole (a backfill then reads per page). */
export const WHOLE_SHOP_MAX_EVENTS = 400_000;
/** A timestamptz as JSON renders it (`2026-01-02T03:04:05.678901+00:00`) → `Date#toISOString` form, as the row reads give. */
function isoTime(value: string): string {
  return new Date(value).toISOString();
}

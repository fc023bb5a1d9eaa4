import type { Knex } from 'knex';
import type { QueueReason } from '../../contract/queue.ts';
import type { Zone } from '../../engine/index.ts';
import type { SubjectKind } from '../../sdk/index.ts';

/** What the search box found to look for (the service decides which, and hashes an email). */
export type QueueSearch =
  /** An order's name, exact or as a prefix (`#10` finds `#1001`); the order's returns and refunds too. */
  | { orderName: string }
  /** A customer's subjects. */
  | { customerId: string }
  /** An order and its returns and refunds. */
  | { orderId: string }
  /** The subjects of whoever used this email (its keyed hash): a customer's, or a guest order's. */
  | { emailHash: string };

export interface QueueFilters {
  zone?: Zone;
  kind?: SubjectKind;
  reason?: QueueReason;
  search?: QueueSearch;
  /** A ring alert keeps its order in the queue this many days. */
  ringDays: number;
}

/** A page: `limit` rows after the keyset (value, decision id) of the last row of the page before. */
export interface QueuePageRequest extends QueueFilters {
  limit: number;
  after?: { value: string; id: string };
}

/** A queue row as read: the decision, the money at risk and its currency, the order's name, why it is there. */
export interface QueueRow {
  id: string;
  subject_kind: SubjectKind;
  subject_id: string;
  order_id: string | null;
  customer_id: string | null;
  zone: Zone;
  score: string;
  revision: number;
  ruleset_version: number;
  decided_at: Date;
  /** numeric as text: exact, and the cursor's first half. */
  value: string;
  currency: string | null;
  order_name: string | null;
  /** The message of the fired signal with the most points (null: none fired). */
  headline: string | null;
  unlabelled: boolean;
  held: boolean;
  ring: boolean;
  /** The latest placed hold's status (`done`: in force, `released`), null when the app placed none. */
  hold_status: 'done' | 'released' | null;
}

export interface QueueCountRow {
  total: number;
  zone: Record<Zone, number>;
  kind: Record<SubjectKind, number>;
  reason: Record<QueueReason, number>;
}

const ZONES: readonly Zone[] = ['low', 'medium', 'high'];
const KINDS: readonly SubjectKind[] = ['order', 'return', 'refund'];
const REASONS: readonly QueueReason[] = ['unlabelled', 'held', 'ring'];
/** The column of each reason in the `queue` relation below (fixed names: nothing from outside reaches the SQL text). */
const REASON_COLUMN: Record<QueueReason, string> = { unlabelled: 'q.unlabelled', held: 'q.held', ring: 'q.ring' };

/** `%`, `_` and the escape itself taken literally in a LIKE pattern. */
function likePrefix(text: string): string {
  return `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The review queue: what needs a decision now, read from the decisions, their actions, the
 * outcomes, the ring alerts and the stored records (no table of its own, so it can never disagree
 * with them). One row per decided subject that is
 * - MEDIUM or HIGH and not labelled (no row in `outcomes` for the subject, whatever its source),
 * - an order whose `fulfillment.hold` the app placed and nobody released (status `done`, as
 *   `ActionStore.heldOrders`), labelled or not,
 * - an order with a ring alert of the last `ringDays` days, not labelled.
 * Sorted by the money at risk (order total, returned value, refund amount from the stored records'
 * bodies; 0 when the record is not stored), then the decision id, both descending; paged by keyset
 * on that pair.
 */
export class QueueStore {
  private readonly db: Knex;
  constructor(db: Knex) {
    this.db = db;
  }

  /**
   * The relation `queue` (the shop's queue rows before filters, search applied) as a `with`
   * clause, and its bindings. The candidates come from three indexed reads (decisions by zone,
   * done holds, recent alerts), the stored records by their unique key.
   */
  private queue(shopId: string, filters: QueueFilters): { sql: string; bindings: Record<string, unknown> } {
    const bindings: Record<string, unknown> = { shopId, ringDays: filters.ringDays };
    let search = 'true';
    const s = filters.search;
    if (s && 'orderName' in s) {
      // With or without the '#' Shopify puts before the number.
      const names = s.orderName.startsWith('#') ? [s.orderName] : [s.orderName, `#${s.orderName}`];
      bindings.names = names.map(likePrefix);
      search = `(o.body->>'name') like any(cast(:names as text[]))`;
    } else if (s && 'customerId' in s) {
      bindings.customerId = s.customerId;
      search = 'c.customer_id = :customerId';
    } else if (s && 'orderId' in s) {
      bindings.orderId = s.orderId;
      search = 'c.order_id = :orderId';
    } else if (s && 'emailHash' in s) {
      // identity_uses: who used the email on an order — a customer (`customer:<id>`) or a guest order (`guest:<order id>`).
      bindings.emailHash = s.emailHash;
      search = `(c.customer_id in (select substr(u.user_key, 10) from identity_uses u where u.shop_id = :shopId and u.kind = 'email' and u.hash = :emailHash and u.user_key like 'customer:%')
                 or c.order_id in (select substr(u.user_key, 7) from identity_uses u where u.shop_id = :shopId and u.kind = 'email' and u.hash = :emailHash and u.user_key like 'guest:%'))`;
    }
    const sql = `with candidates as (
         select d.id, d.subject_kind, d.subject_id, d.order_id, d.customer_id, d.zone, d.score, d.revision, d.ruleset_version, d.decided_at,
                not exists (select 1 from outcomes x where x.shop_id = d.shop_id and x.subject_id = d.subject_id) as open,
                exists (select 1 from actions a where a.shop_id = d.shop_id and a.decision_id = d.id and a.type = 'fulfillment.hold' and a.status = 'done') as held,
                d.subject_kind = 'order' and exists (select 1 from ring_alerts r where r.shop_id = d.shop_id and r.order_id = d.subject_id and r.created_at > now() - make_interval(days => :ringDays)) as alerted
           from decisions d
          where d.shop_id = :shopId
            and (d.zone in ('medium', 'high')
                 or d.id in (select a.decision_id from actions a where a.shop_id = :shopId and a.type = 'fulfillment.hold' and a.status = 'done')
                 or (d.subject_kind = 'order' and d.subject_id in (select r.order_id from ring_alerts r where r.shop_id = :shopId and r.created_at > now() - make_interval(days => :ringDays))))
       ), queue as (
         select c.id, c.subject_kind, c.subject_id, c.order_id, c.customer_id, c.zone, c.score, c.revision, c.ruleset_version, c.decided_at,
                c.zone in ('medium', 'high') and c.open as unlabelled, c.held, c.alerted and c.open as ring,
                coalesce(case c.subject_kind
                           when 'order' then case when jsonb_typeof(e.body->'totalPrice') = 'number' then (e.body->>'totalPrice')::numeric end
                           when 'return' then case when jsonb_typeof(e.body->'totalValue') = 'number' then (e.body->>'totalValue')::numeric end
                           when 'refund' then case when jsonb_typeof(e.body->'amount') = 'number' then (e.body->>'amount')::numeric end
                         end, 0) as value,
                o.body->>'currency' as currency, o.body->>'name' as order_name
           from candidates c
           left join events e on e.shop_id = :shopId and e.kind = c.subject_kind and e.resource_id = c.subject_id
           left join events o on o.shop_id = :shopId and o.kind = 'order' and o.resource_id = c.order_id
          where ((c.zone in ('medium', 'high') and c.open) or c.held or (c.alerted and c.open))
            and ${search}
       )`;
    return { sql, bindings };
  }

  /** The filters as SQL conditions on `queue q`, one per family (so counts can leave their own out). */
  private conditions(filters: QueueFilters, bindings: Record<string, unknown>): { zone: string; kind: string; reason: string } {
    if (filters.zone) bindings.zone = filters.zone;
    if (filters.kind) bindings.kind = filters.kind;
    return {
      zone: filters.zone ? 'q.zone = :zone' : 'true',
      kind: filters.kind ? 'q.subject_kind = :kind' : 'true',
      reason: filters.reason ? REASON_COLUMN[filters.reason] : 'true',
    };
  }

  /** A page of the queue, most money at risk first, each row with its top fired signal's message. */
  async page(shopId: string, request: QueuePageRequest): Promise<QueueRow[]> {
    const { sql, bindings } = this.queue(shopId, request);
    const where = this.conditions(request, bindings);
    let keyset = 'true';
    if (request.after) {
      bindings.afterValue = request.after.value;
      bindings.afterId = request.after.id;
      keyset = '(q.value, q.id) < (cast(:afterValue as numeric), cast(:afterId as bigint))';
    }
    bindings.limit = request.limit;
    // The page first, then what only its rows need (the trace's headline, the hold's status).
    const { rows } = await this.db.raw(
      `${sql}, page as (
         select q.* from queue q
          where ${where.zone} and ${where.kind} and ${where.reason} and ${keyset}
          order by q.value desc, q.id desc
          limit :limit
       )
       select p.id::text as id, p.subject_kind, p.subject_id, p.order_id, p.customer_id, p.zone, p.score, p.revision, p.ruleset_version, p.decided_at,
              p.value::text as value, p.currency, p.order_name, p.unlabelled, p.held, p.ring,
              (select a.status from actions a where a.shop_id = :shopId and a.decision_id = p.id and a.type = 'fulfillment.hold' and a.status in ('done', 'released')
                order by a.id desc limit 1) as hold_status,
              (select s->>'message'
                 from decisions t cross join lateral json_array_elements(t.trace->'signals') as s
                where t.shop_id = :shopId and t.id = p.id and s->>'status' = 'hit' and (s->>'points')::numeric > 0
                order by (s->>'points')::numeric desc, s->>'id' limit 1) as headline
         from page p
        order by p.value desc, p.id desc`,
      bindings,
    );
    return rows as QueueRow[];
  }

  /** The rows under every filter (`total`), and per filter value under the other filters (see `QueueCounts`). */
  async counts(shopId: string, filters: QueueFilters): Promise<QueueCountRow> {
    const { sql, bindings } = this.queue(shopId, filters);
    const where = this.conditions(filters, bindings);
    const columns = [
      `count(*) filter (where ${where.zone} and ${where.kind} and ${where.reason})::int as total`,
      ...ZONES.map((z) => `count(*) filter (where q.zone = '${z}' and ${where.kind} and ${where.reason})::int as zone_${z}`),
      ...KINDS.map((k) => `count(*) filter (where q.subject_kind = '${k}' and ${where.zone} and ${where.reason})::int as kind_${k}`),
      ...REASONS.map((r) => `count(*) filter (where ${REASON_COLUMN[r]} and ${where.zone} and ${where.kind})::int as reason_${r}`),
    ];
    const { rows } = await this.db.raw(`${sql} select ${columns.join(', ')} from queue q`, bindings);
    const row = rows[0] as Record<string, number>;
    return {
      total: row.total!,
      zone: Object.fromEntries(ZONES.map((z) => [z, row[`zone_${z}`]!])) as Record<Zone, number>,
      kind: Object.fromEntries(KINDS.map((k) => [k, row[`kind_${k}`]!])) as Record<SubjectKind, number>,
      reason: Object.fromEntries(REASONS.map((r) => [r, row[`reason_${r}`]!])) as Record<QueueReason, number>,
    };
  }
}

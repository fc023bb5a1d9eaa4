import type { Knex } from 'knex';
import type { HistoryEvent } from '../../engine/history/index.ts';
import type { PastDecision, PastOutcome } from '../../sdk/index.ts';
import type { CustomerRow } from './CustomerStore.ts';

/** Everything a point-in-time context is built from, for one subject (`contextAt` cuts it at the subject's time). */
export interface ContextMaterial {
  /** The customer's records (for a guest: the order's), all of them; `contextAt` cuts them at the subject's time. */
  events: HistoryEvent[];
  /** RefundSentry's decisions about the customer (guest: the order). */
  past: PastDecision[];
  /** Confirmed outcomes of the customer's subjects. */
  outcomes: PastOutcome[];
  /** The customer's manual override (`CustomerStore.get(...).manual_override`). */
  manualOverride: CustomerRow['manual_override'];
}

/**
 * The scoring worker's reads, each in one round trip: whether a subject is decided together with
 * its stored record, then the raw material of its context (events, earlier decisions, outcomes,
 * the customer's override) as one row of JSON aggregates.
 */
export class ContextStore {
  private readonly db: Knex;
  constructor(db: Knex) {
    this.db = db;
  }

  /**
   * Whether the subject already has a decision (the key `insertOnce` keeps unique: shop, kind, id),
   * and its stored record (as `EventStore.get`).
   */
  async subject<T>(shopId: string, kind: HistoryEvent['type'], subjectId: string): Promise<{ decided: boolean; record: T | undefined }> {
    const { rows } = await this.db.raw(
      `select exists (select 1 from decisions where shop_id = ? and subject_kind = ? and subject_id = ?) as decided,
              (select body from events where shop_id = ? and kind = ? and resource_id = ?) as record`,
      [shopId, kind, subjectId, shopId, kind, subjectId],
    );
    return { decided: rows[0].decided, record: (rows[0].record ?? undefined) as T | undefined };
  }

  async material(shopId: string, customerId: string | null, orderId: string): Promise<ContextMaterial> {
    // Plain parameters (no CTE for the keys), so the planner sees constants: index scans, and
    // a hashed sub-plan for the customer's orders rather than a correlated one.
    const { rows } = await this.db.raw(
      `select
         (select coalesce(json_agg(json_build_object('kind', e.kind, 'body', e.body) order by e.occurred_at), '[]'::json)
            from events e
           where e.shop_id = :shopId
             and (e.order_id = :orderId
                  or (e.kind = 'order' and e.resource_id = :orderId)
                  or (cast(:customerId as text) is not null
                      and (e.customer_id = :customerId
                           or (e.kind = 'customer' and e.resource_id = :customerId)
                           or e.order_id in (select o.resource_id from events o where o.shop_id = :shopId and o.kind = 'order' and o.customer_id = :customerId))))) as events,
         (select coalesce(json_agg(json_build_object('subjectId', d.subject_id, 'kind', d.subject_kind, 'at', d.decided_at, 'score', d.score, 'zone', d.zone) order by d.decided_at), '[]'::json)
            from decisions d
           where d.shop_id = :shopId
             and ((cast(:customerId as text) is not null and d.customer_id = :customerId) or (cast(:customerId as text) is null and d.order_id = :orderId))) as past,
         (select coalesce(json_agg(json_build_object('subjectId', o.subject_id, 'label', o.label, 'at', o.labelled_at, 'source', o.source) order by o.labelled_at), '[]'::json)
            from outcomes o
           where o.shop_id = :shopId and o.customer_id = :customerId) as outcomes,
         (select c.manual_override from customers c where c.shop_id = :shopId and c.id = :customerId) as manual_override`,
      { shopId, customerId, orderId },
    );
    const row = rows[0] as {
      events: { kind: HistoryEvent['type']; body: unknown }[];
      past: (Omit<PastDecision, 'score'> & { score: number | string })[];
      outcomes: PastOutcome[];
      manual_override: CustomerRow['manual_override'];
    };
    return {
      events: row.events.map((e) => ({ type: e.kind, [e.kind]: e.body }) as HistoryEvent),
      past: row.past.map((d) => ({ subjectId: d.subjectId, kind: d.kind, at: isoTime(d.at), score: Number(d.score), zone: d.zone })),
      outcomes: row.outcomes.map((o) => ({ subjectId: o.subjectId, label: o.label, at: isoTime(o.at), source: o.source })),
      manualOverride: row.manual_override ?? null,
    };
  }
}

/** A timestamptz as JSON renders it (`2026-01-02T03:04:05.678901+00:00`) → `Date#toISOString` form, as the row reads give. */
function isoTime(value: string): string {
  return new Date(value).toISOString();
}

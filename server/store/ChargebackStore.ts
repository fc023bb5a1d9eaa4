import type { Knex } from 'knex';
import type { Decision, Zone } from '../../engine/index.ts';

/** Dispute statuses Shopify reports while the money is still in question. */
const OPEN_STATUSES = ['needs_response', 'under_review'];

// The period's dispute summary is the API contract's.
export type { ChargebackSummary } from '../../contract/chargebacks.ts';
import type { ChargebackSummary } from '../../contract/chargebacks.ts';

export interface RepeatOffender {
  customerId: string;
  chargebacks: number;
  amount: number;
  lastAt: string;
}

export interface PredictionRow {
  orderId: string;
  disputedAt: string;
  amount: number;
  /** The order's own decision, made when the order was created (before the dispute). */
  decisionId: string | null;
  score: number | null;
  zone: Zone | null;
}

export interface DoubleDip {
  orderId: string;
  customerId: string | null;
  refunded: number;
  returns: number;
  chargedBack: number;
  firstRefundOrReturnAt: string;
  disputedAt: string;
}

export interface UnshippedOrder {
  orderId: string;
  decisionId: string;
  /** The ruleset version that decided it (its risk figure is that version's calibration). */
  rulesetVersion: number;
  customerId: string | null;
  score: number;
  zone: Zone;
  total: number;
  orderedAt: string;
}

export interface EvidenceMaterial {
  order: { id: string; body: Record<string, unknown>; occurredAt: string; customerId: string | null } | undefined;
  events: { kind: string; resourceId: string; occurredAt: string; body: Record<string, unknown> }[];
  decisions: { id: string; subjectKind: string; subjectId: string; score: number; zone: string; decidedAt: string; trace: Decision }[];
  actions: { id: string; decisionId: string; type: string; status: string; result: unknown; error: string | null; updatedAt: string }[];
  outcomes: { subjectId: string; label: string; source: string; at: string }[];
  /**
   * The customer's earlier orders with the shop (placed before this one, not cancelled): how many,
   * the first one's time, how many were fulfilled, delivered (the carrier said so), refunded and
   * disputed, as known now. Null for a guest checkout.
   */
  customerHistory: { orders: number; firstOrderAt: string | null; fulfilled: number; delivered: number; refunded: number; disputed: number } | null;
}

/** Chargebacks (dispute events) against the orders and decisions they concern: analytics and evidence. */
export class ChargebackStore {
  private readonly db: Knex;

  constructor(db: Knex) {
    this.db = db;
  }

  async summary(shopId: string, from: Date, to: Date): Promise<ChargebackSummary> {
    const base = `from events c where c.shop_id = :shop and c.kind = 'chargeback' and c.occurred_at >= :from and c.occurred_at < :to`;
    const amount = `coalesce(sum((c.body->>'amount')::numeric), 0)`;
    const params = { shop: shopId, from, to, open: OPEN_STATUSES };
    const [totals, statuses, reasons, months] = await Promise.all([
      this.db.raw(
        `select count(*)::int as disputes, ${amount} as amount,
                count(*) filter (where c.body->>'status' is null or c.body->>'status' = any(:open))::int as open_disputes,
                coalesce(sum((c.body->>'amount')::numeric) filter (where c.body->>'status' is null or c.body->>'status' = any(:open)), 0) as open_amount
           ${base}`,
        params,
      ),
      this.db.raw(`select coalesce(c.body->>'status', 'unknown') as key, count(*)::int as disputes, ${amount} as amount ${base} group by 1 order by 2 desc`, params),
      this.db.raw(`select coalesce(c.body->>'reason', 'unknown') as key, count(*)::int as disputes, ${amount} as amount ${base} group by 1 order by 2 desc`, params),
      this.db.raw(`select to_char(date_trunc('month', c.occurred_at at time zone 'UTC'), 'YYYY-MM') as key, count(*)::int as disputes, ${amount} as amount ${base} group by 1 order by 1`, params),
    ]);
    const t = totals.rows[0] as { disputes: number; amount: string; open_disputes: number; open_amount: string };
    const groups = (rows: { key: string; disputes: number; amount: string }[]) => rows.map((r) => ({ key: r.key, disputes: r.disputes, amount: Number(r.amount) }));
    return {
      disputes: t.disputes,
      amount: Number(t.amount),
      open: { disputes: t.open_disputes, amount: Number(t.open_amount) },
      byStatus: groups(statuses.rows).map(({ key, ...g }) => ({ status: key, ...g })),
      byReason: groups(reasons.rows).map(({ key, ...g }) => ({ reason: key, ...g })),
      byMonth: groups(months.rows).map(({ key, ...g }) => ({ month: key, ...g })),
    };
  }

  /**
   * When each of the shop's chargebacks in (from, to] was opened (its dispute's `initiated_at`),
   * oldest first: the rolling counts of the `chargebacks-week` alert rule.
   */
  async openedTimes(shopId: string, from: Date, to: Date, trx: Knex = this.db): Promise<Date[]> {
    return trx('events').where({ shop_id: shopId, kind: 'chargeback' }).where('occurred_at', '>', from).where('occurred_at', '<=', to).orderBy('occurred_at').pluck('occurred_at');
  }

  /** Customers with at least `min` chargebacks up to `to` (over all their orders). */
  async repeatOffenders(shopId: string, to: Date, min = 2, limit = 50): Promise<RepeatOffender[]> {
    const { rows } = await this.db.raw(
      `select o.customer_id, count(*)::int as chargebacks, sum((c.body->>'amount')::numeric) as amount, max(c.occurred_at) as last_at
         from events c join events o on o.shop_id = c.shop_id and o.kind = 'order' and o.resource_id = c.order_id
        where c.shop_id = ? and c.kind = 'chargeback' and c.occurred_at < ? and o.customer_id is not null
        group by o.customer_id having count(*) >= ? order by 2 desc, 3 desc limit ?`,
      [shopId, to, min, limit],
    );
    return (rows as { customer_id: string; chargebacks: number; amount: string; last_at: Date }[]).map((r) => ({ customerId: r.customer_id, chargebacks: r.chargebacks, amount: Number(r.amount), lastAt: r.last_at.toISOString() }));
  }

  /** Each dispute of the period with the order's own decision (made at order time, before any dispute). */
  async predictions(shopId: string, from: Date, to: Date): Promise<PredictionRow[]> {
    const { rows } = await this.db.raw(
      `select c.order_id, c.occurred_at, (c.body->>'amount')::numeric as amount, d.id as decision_id, d.score, d.zone
         from events c
         left join decisions d on d.shop_id = c.shop_id and d.subject_kind = 'order' and d.subject_id = c.order_id and d.decided_at <= c.occurred_at
        where c.shop_id = ? and c.kind = 'chargeback' and c.occurred_at >= ? and c.occurred_at < ?
        order by c.occurred_at`,
      [shopId, from, to],
    );
    return (rows as { order_id: string; occurred_at: Date; amount: string; decision_id: string | null; score: string | null; zone: Zone | null }[]).map((r) => ({
      orderId: r.order_id,
      disputedAt: r.occurred_at.toISOString(),
      amount: Number(r.amount),
      decisionId: r.decision_id,
      score: r.score === null ? null : Number(r.score),
      zone: r.zone,
    }));
  }

  /** Orders disputed in the period that had also been refunded or returned: the customer was paid twice. */
  async doubleDips(shopId: string, from: Date, to: Date, limit = 200): Promise<DoubleDip[]> {
    const { rows } = await this.db.raw(
      `select c.order_id, o.customer_id, min(c.occurred_at) as disputed_at,
              sum((c.body->>'amount')::numeric) as charged_back,
              (select coalesce(sum((r.body->>'amount')::numeric), 0) from events r where r.shop_id = c.shop_id and r.kind = 'refund' and r.order_id = c.order_id) as refunded,
              (select count(*)::int from events r where r.shop_id = c.shop_id and r.kind = 'return' and r.order_id = c.order_id) as returns,
              (select min(r.occurred_at) from events r where r.shop_id = c.shop_id and r.kind in ('refund', 'return') and r.order_id = c.order_id) as first_at
         from events c left join events o on o.shop_id = c.shop_id and o.kind = 'order' and o.resource_id = c.order_id
        where c.shop_id = ? and c.kind = 'chargeback' and c.occurred_at >= ? and c.occurred_at < ?
          and exists (select 1 from events r where r.shop_id = c.shop_id and r.kind in ('refund', 'return') and r.order_id = c.order_id)
        group by c.shop_id, c.order_id, o.customer_id order by disputed_at desc limit ?`,
      [shopId, from, to, limit],
    );
    return (rows as { order_id: string; customer_id: string | null; disputed_at: Date; charged_back: string; refunded: string; returns: number; first_at: Date }[]).map((r) => ({
      orderId: r.order_id,
      customerId: r.customer_id,
      refunded: Number(r.refunded),
      returns: r.returns,
      chargedBack: Number(r.charged_back),
      firstRefundOrReturnAt: r.first_at.toISOString(),
      disputedAt: r.disputed_at.toISOString(),
    }));
  }

  /** Recent orders not fulfilled (nor cancelled) yet, riskiest first: what can still be stopped. */
  async unshipped(shopId: string, since: Date, limit = 25): Promise<UnshippedOrder[]> {
    const { rows } = await this.db.raw(
      `select d.subject_id, d.id, d.customer_id, d.ruleset_version, d.score, d.zone, (o.body->>'totalPrice')::numeric as total, d.decided_at
         from decisions d join events o on o.shop_id = d.shop_id and o.kind = 'order' and o.resource_id = d.subject_id
        where d.shop_id = ? and d.subject_kind = 'order' and d.decided_at >= ?
          and o.body->>'cancelledAt' is null
          and not exists (select 1 from events f where f.shop_id = d.shop_id and f.kind = 'fulfillment' and f.order_id = d.subject_id)
        order by d.score desc, d.decided_at desc limit ?`,
      [shopId, since, limit],
    );
    return (rows as { subject_id: string; id: string; customer_id: string | null; ruleset_version: number; score: string; zone: Zone; total: string; decided_at: Date }[]).map((r) => ({
      orderId: r.subject_id, decisionId: r.id, rulesetVersion: r.ruleset_version, customerId: r.customer_id, score: Number(r.score), zone: r.zone, total: Number(r.total), orderedAt: r.decided_at.toISOString(),
    }));
  }

  /** Everything held about one order, for its dispute evidence. */
  async evidence(shopId: string, orderId: string): Promise<EvidenceMaterial> {
    const [order, events, decisions, actions, outcomes] = await Promise.all([
      this.db('events').where({ shop_id: shopId, kind: 'order', resource_id: orderId }).first('resource_id', 'body', 'occurred_at', 'customer_id'),
      this.db('events').where({ shop_id: shopId, order_id: orderId }).whereNot({ kind: 'order' }).orderBy([{ column: 'occurred_at' }, { column: 'id' }]).select('kind', 'resource_id', 'occurred_at', 'body'),
      this.db('decisions').where({ shop_id: shopId, order_id: orderId }).orderBy([{ column: 'decided_at' }, { column: 'id' }]).select('id', 'subject_kind', 'subject_id', 'score', 'zone', 'decided_at', 'trace'),
      this.db('actions as a').join('decisions as d', 'd.id', 'a.decision_id').where({ 'd.shop_id': shopId, 'd.order_id': orderId }).orderBy('a.id').select('a.id', 'a.decision_id', 'a.type', 'a.status', 'a.result', 'a.error', 'a.updated_at'),
      this.db('outcomes as o').join('decisions as d', function () {
        this.on('d.shop_id', 'o.shop_id').andOn('d.subject_id', 'o.subject_id');
      }).where({ 'o.shop_id': shopId, 'd.order_id': orderId }).select('o.subject_id', 'o.label', 'o.source', 'o.labelled_at'),
    ]);
    const customerHistory = order?.customer_id ? await this.customerHistory(shopId, order.customer_id, orderId, order.occurred_at as Date) : null;
    return {
      order: order ? { id: order.resource_id, body: order.body, occurredAt: (order.occurred_at as Date).toISOString(), customerId: order.customer_id } : undefined,
      events: events.map((e) => ({ kind: e.kind, resourceId: e.resource_id, occurredAt: (e.occurred_at as Date).toISOString(), body: e.body })),
      decisions: decisions.map((d) => ({ id: String(d.id), subjectKind: d.subject_kind, subjectId: d.subject_id, score: Number(d.score), zone: d.zone, decidedAt: (d.decided_at as Date).toISOString(), trace: d.trace })),
      actions: actions.map((a) => ({ id: String(a.id), decisionId: String(a.decision_id), type: a.type, status: a.status, result: a.result, error: a.error, updatedAt: (a.updated_at as Date).toISOString() })),
      outcomes: outcomes.map((o) => ({ subjectId: o.subject_id, label: o.label, source: o.source, at: (o.labelled_at as Date).toISOString() })),
      customerHistory,
    };
  }

  /** `EvidenceMaterial.customerHistory`: the customer's orders placed before `placedAt` (other than `orderId`), not cancelled. */
  private async customerHistory(shopId: string, customerId: string, orderId: string, placedAt: Date): Promise<NonNullable<EvidenceMaterial['customerHistory']>> {
    const has = (kind: string, extra = 'true') => `exists (select 1 from events x where x.shop_id = o.shop_id and x.kind = '${kind}' and x.order_id = o.resource_id and ${extra})`;
    const { rows } = await this.db.raw(
      `select count(*)::int as orders, min(o.occurred_at) as first_order_at,
              count(*) filter (where ${has('fulfillment')})::int as fulfilled,
              count(*) filter (where ${has('fulfillment', `x.body->>'deliveredAt' is not null`)})::int as delivered,
              count(*) filter (where ${has('refund')})::int as refunded,
              count(*) filter (where ${has('chargeback')})::int as disputed
         from events o
        where o.shop_id = :shop and o.kind = 'order' and o.customer_id = :customer and o.resource_id <> :order
          and o.occurred_at < :placedAt and o.body->>'cancelledAt' is null`,
      { shop: shopId, customer: customerId, order: orderId, placedAt },
    );
    const row = rows[0] as { orders: number; first_order_at: Date | null; fulfilled: number; delivered: number; refunded: number; disputed: number };
    return { orders: row.orders, firstOrderAt: row.first_order_at ? row.first_order_at.toISOString() : null, fulfilled: row.fulfilled, delivered: row.delivered, refunded: row.refunded, disputed: row.disputed };
  }
}

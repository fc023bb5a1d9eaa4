import type { Knex } from 'knex';
import type { SignalStatus, SubjectKind } from '../../sdk/index.ts';
import type { Zone } from '../../engine/index.ts';
import type { SubjectFacts } from '../../engine/chargebacks/labels.ts';

/** A decided subject with the facts its label is read from (`engine/chargebacks/labels.ts`). */
export interface DecidedSubject {
  decisionId: string;
  subjectId: string;
  customerId: string | null;
  score: number;
  zone: Zone;
  rulesetVersion: number;
  /** Money at stake: the order total, the return value, the refund amount. */
  value: number;
  facts: SubjectFacts;
  /** The stored signal results of the decision, when asked for. */
  signals?: { id: string; status: SignalStatus; strength: number }[];
}

export interface SubjectQuery {
  /** Subjects decided (subject time) from / before these times. */
  from?: Date;
  to?: Date;
  kind?: SubjectKind;
  /** Only decisions made by these ruleset versions. */
  versions?: readonly number[];
  /** With the decisions' stored signal results (id, status, strength). */
  withSignals?: boolean;
}

/** A subject that aging inference may label: its time and its order's payment facts. */
export interface AgingCandidate {
  id: string;
  kind: SubjectKind;
  subjectId: string;
  customerId: string | null;
  at: string;
  gateways: string[];
  orderTotal: number | null;
}

type Row = {
  id: string; kind: SubjectKind; subject_id: string; customer_id: string | null; at: Date; score: string; zone: Zone; ruleset_version: number;
  value: number | null; gateways: unknown; order_total: number | null;
  disputes: [string, string | null, string | null][]; first_payback: Date | null; merchant: ['fraud' | 'legit', string][];
  signals?: [string, SignalStatus, number | null][] | null;
};

const gatewaysOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((g): g is string => typeof g === 'string') : []);
const iso = (value: string | Date) => new Date(value).toISOString();

/**
 * The reads labels are made of: every decided subject with its order's payment means and disputes,
 * its order's first refund or return, and the merchant's labels (the label itself is computed by
 * `labelAt`, point-in-time); and the writes of aging inference.
 */
export class LabelStore {
  private readonly db: Knex;
  constructor(db: Knex) {
    this.db = db;
  }

  /** The shop's decided subjects (in subject-time order) with the facts of their labels. */
  async subjects(shopId: string, query: SubjectQuery = {}): Promise<DecidedSubject[]> {
    const where = ['d.shop_id = :shopId'];
    const params: Record<string, unknown> = { shopId };
    if (query.from) (where.push('d.decided_at >= :from'), (params.from = query.from));
    if (query.to) (where.push('d.decided_at < :to'), (params.to = query.to));
    if (query.kind) (where.push('d.subject_kind = :kind'), (params.kind = query.kind));
    if (query.versions) (where.push('d.ruleset_version = any(cast(:versions as int[]))'), (params.versions = [...query.versions]));
    const { rows } = await this.db.raw(
      `select d.id::text, d.subject_kind as kind, d.subject_id, d.customer_id, d.decided_at as at, d.score, d.zone, d.ruleset_version,
              case d.subject_kind when 'order' then (s.body->>'totalPrice')::float8 when 'return' then (s.body->>'totalValue')::float8 else (s.body->>'amount')::float8 end as value,
              o.body->'gateways' as gateways, (o.body->>'totalPrice')::float8 as order_total,
              (select coalesce(json_agg(json_build_array(c.occurred_at, c.body->>'reason', c.body->>'type') order by c.occurred_at, c.id), '[]'::json)
                 from events c where c.shop_id = d.shop_id and c.kind = 'chargeback' and c.order_id = d.order_id) as disputes,
              (select min(r.occurred_at) from events r where r.shop_id = d.shop_id and r.kind in ('refund', 'return') and r.order_id = d.order_id) as first_payback,
              (select coalesce(json_agg(json_build_array(x.label, x.labelled_at)), '[]'::json)
                 from outcomes x where x.shop_id = d.shop_id and x.subject_id = d.subject_id and x.source = 'merchant') as merchant
              ${query.withSignals ? `, (select json_agg(json_build_array(g->>'id', g->>'status', (g->>'strength')::float8)) from json_array_elements(d.trace->'signals') g) as signals` : ''}
         from decisions d
         left join events s on s.shop_id = d.shop_id and s.kind = d.subject_kind and s.resource_id = d.subject_id
         left join events o on o.shop_id = d.shop_id and o.kind = 'order' and o.resource_id = d.order_id
        where ${where.join(' and ')}
        order by d.decided_at, d.id`,
      params,
    );
    return (rows as Row[]).map((r) => ({
      decisionId: r.id,
      subjectId: r.subject_id,
      customerId: r.customer_id,
      score: Number(r.score),
      zone: r.zone,
      rulesetVersion: r.ruleset_version,
      value: r.value ?? 0,
      facts: {
        kind: r.kind,
        at: iso(r.at),
        gateways: gatewaysOf(r.gateways),
        orderTotal: r.order_total,
        disputes: r.disputes.map(([at, reason, type]) => ({ at: iso(at), reason, type })),
        firstPaybackAt: r.first_payback ? iso(r.first_payback) : null,
        merchant: r.merchant.map(([label, at]) => ({ label, at: iso(at) })),
      },
      ...(query.withSignals ? { signals: (r.signals ?? []).map(([id, status, strength]) => ({ id, status, strength: strength ?? 0 })) } : {}),
    }));
  }

  /**
   * Subjects (orders, returns, refunds; decided or not) that aging inference may label: in the
   * window, old enough for the shortest window (`minDays`), with no dispute on their order and no
   * aging label yet. A page of them after `afterId` (by event id).
   */
  async agingCandidates(trx: Knex, shopId: string, options: { minDays: number; now: Date; window?: { from: Date; to: Date }; afterId: string | null; limit: number }): Promise<AgingCandidate[]> {
    const { rows } = await trx.raw(
      `select e.id::text, e.kind, e.resource_id, e.customer_id, e.occurred_at, o.body->'gateways' as gateways, (o.body->>'totalPrice')::float8 as order_total
         from events e
         left join events o on o.shop_id = e.shop_id and o.kind = 'order' and o.resource_id = e.order_id
        where e.shop_id = :shopId and e.kind in ('order', 'return', 'refund')
          and e.occurred_at + make_interval(days => :minDays) <= :now
          ${options.window ? 'and e.occurred_at >= :from and e.occurred_at < :to' : ''}
          ${options.afterId ? 'and e.id > cast(:afterId as bigint)' : ''}
          and not exists (select 1 from events c where c.shop_id = e.shop_id and c.kind = 'chargeback' and c.order_id = e.order_id)
          and not exists (select 1 from outcomes x where x.shop_id = e.shop_id and x.subject_id = e.resource_id and x.source = 'aging')
        order by e.id limit :limit`,
      { shopId, minDays: options.minDays, now: options.now, limit: options.limit, ...(options.window ? { from: options.window.from, to: options.window.to } : {}), ...(options.afterId ? { afterId: options.afterId } : {}) },
    );
    return (rows as { id: string; kind: SubjectKind; resource_id: string; customer_id: string | null; occurred_at: Date; gateways: unknown; order_total: number | null }[]).map((r) => ({
      id: r.id, kind: r.kind, subjectId: r.resource_id, customerId: r.customer_id, at: iso(r.occurred_at), gateways: gatewaysOf(r.gateways), orderTotal: r.order_total,
    }));
  }

  /** Aging labels (legit, as known when the subject matured); one per subject, idempotent. Returns how many were new. */
  async insertAging(trx: Knex, shopId: string, labels: readonly { kind: SubjectKind; subjectId: string; customerId: string | null; maturedAt: string; note: string }[]): Promise<number> {
    if (labels.length === 0) return 0;
    const inserted = await trx('outcomes')
      .insert(labels.map((l) => ({ shop_id: shopId, subject_kind: l.kind, subject_id: l.subjectId, customer_id: l.customerId, decision_id: null, label: 'legit', source: 'aging', note: l.note, labelled_at: l.maturedAt })))
      .onConflict(['shop_id', 'subject_id', 'source'])
      .ignore()
      .returning('id');
    return inserted.length;
  }
}

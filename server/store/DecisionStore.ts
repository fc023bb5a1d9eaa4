import type { Knex } from 'knex';
import type { ChosenAction, Decision, Zone } from '../../engine/index.ts';
import type { ActionRow } from './ActionStore.ts';

export interface DecisionRow {
  id: string;
  shop_id: string;
  subject_kind: string;
  subject_id: string;
  order_id: string | null;
  customer_id: string | null;
  ruleset_id: string;
  ruleset_version: number;
  content_hash: string;
  score: string;
  zone: Zone;
  trace: Decision;
  decided_at: Date;
  created_at: Date;
}

/**
 * An action as written with its decision: `pending` for a job to run it, or already settled when
 * nothing external is needed (a review queue entry) or nothing can be done (no store connected).
 */
export interface SettledAction {
  action: ChosenAction;
  status: 'pending' | 'done' | 'skipped';
  result?: Record<string, unknown>;
}

export interface DecisionFilters {
  zone?: Zone;
  kind?: string;
  from?: string;
  to?: string;
  customerId?: string;
  limit: number;
  /** Keyset pagination: decisions decided before this decision id's time. */
  before?: string;
}

/** Decisions with their full trace; one per subject, so a retried job never makes two. */
export class DecisionStore {
  private readonly db: Knex;
  constructor(db: Knex) {
    this.db = db;
  }


  /**
   * The decision, the customer's profile and the chosen actions in ONE statement (so one
   * transaction, and one round trip instead of five): the same rows as `insertOnce`, then
   * `CustomerStore.recordDecision` and `ActionStore.insertForDecision`, written only when the
   * decision is new. A subject already decided gets its stored row back and nothing is written.
   */
  async insertOnceWithEffects(
    shopId: string,
    decision: Decision,
    ids: { orderId: string | null; customerId: string | null },
    actions: readonly SettledAction[],
  ): Promise<{ row: DecisionRow; created: boolean; actions: ActionRow[] }> {
    const unique = [...new Map(actions.map((a) => [`${a.action.ruleId}|${a.action.type}`, a])).values()];
    const { rows } = await this.db.raw(
      `with ins as (
         insert into decisions (shop_id, subject_kind, subject_id, order_id, customer_id, ruleset_id, ruleset_version, content_hash, score, zone, trace, decided_at)
         values (:shopId, :kind, :subjectId, :orderId, :customerId, :rulesetId, :rulesetVersion, :contentHash, :score, :zone, :trace, :decidedAt)
         on conflict (shop_id, subject_kind, subject_id) do nothing
         returning *
       ), profile as (
         insert into customers (shop_id, id, current_zone, last_score, decisions_count)
         select ins.shop_id, ins.customer_id, ins.zone, cast(:score as numeric), 1 from ins where ins.customer_id is not null
         on conflict (shop_id, id) do update set current_zone = excluded.current_zone, last_score = excluded.last_score,
           decisions_count = customers.decisions_count + 1, updated_at = now()
       ), chosen as (
         insert into actions (shop_id, decision_id, rule_id, type, spec, status, result)
         select ins.shop_id, ins.id, a.rule_id, a.type, a.spec, a.status, a.result
           from ins, jsonb_to_recordset(cast(:actions as jsonb)) as a (rule_id text, type text, spec jsonb, status text, result jsonb)
         on conflict (decision_id, rule_id, type) do nothing
         returning *
       )
       select ins.*,
              (select coalesce(json_agg(json_build_object('id', c.id::text, 'shop_id', c.shop_id, 'decision_id', c.decision_id::text, 'rule_id', c.rule_id, 'type', c.type,
                        'spec', c.spec, 'status', c.status, 'attempts', c.attempts, 'result', c.result, 'error', c.error, 'created_at', c.created_at, 'updated_at', c.updated_at)), '[]'::json)
                 from chosen c) as chosen_actions
         from ins`,
      {
        shopId,
        kind: decision.subject.kind,
        subjectId: decision.subject.id,
        orderId: ids.orderId,
        customerId: ids.customerId,
        rulesetId: decision.ruleset.id,
        rulesetVersion: decision.ruleset.version,
        contentHash: decision.ruleset.contentHash,
        score: String(decision.score),
        zone: decision.zone,
        trace: JSON.stringify(decision),
        decidedAt: decision.subject.at,
        actions: JSON.stringify(unique.map((a) => ({ rule_id: a.action.ruleId, type: a.action.type, spec: a.action, status: a.status, result: a.result ?? null }))),
      },
    );
    const inserted = rows[0] as (DecisionRow & { chosen_actions: (Omit<ActionRow, 'created_at' | 'updated_at'> & { created_at: string; updated_at: string })[] }) | undefined;
    if (!inserted) {
      const existing = await this.db<DecisionRow>('decisions').where({ shop_id: shopId, subject_kind: decision.subject.kind, subject_id: decision.subject.id }).first();
      return { row: existing!, created: false, actions: [] };
    }
    const { chosen_actions: chosen, ...row } = inserted;
    return { row, created: true, actions: chosen.map((a) => ({ ...a, created_at: new Date(a.created_at), updated_at: new Date(a.updated_at) })) };
  }

  get(shopId: string, id: string): Promise<DecisionRow | undefined> {
    return this.db<DecisionRow>('decisions').where({ shop_id: shopId, id }).first();
  }

  bySubject(shopId: string, subjectId: string): Promise<DecisionRow | undefined> {
    return this.db<DecisionRow>('decisions').where({ shop_id: shopId, subject_id: subjectId }).first();
  }

  async list(shopId: string, filters: DecisionFilters): Promise<DecisionRow[]> {
    const q = this.db<DecisionRow>('decisions').where({ shop_id: shopId });
    if (filters.zone) q.andWhere('zone', filters.zone);
    if (filters.kind) q.andWhere('subject_kind', filters.kind);
    if (filters.customerId) q.andWhere('customer_id', filters.customerId);
    if (filters.from) q.andWhere('decided_at', '>=', filters.from);
    if (filters.to) q.andWhere('decided_at', '<', filters.to);
    if (filters.before) q.andWhere('id', '<', filters.before);
    return q.orderBy([{ column: 'decided_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(filters.limit);
  }

  /** Every decision about a customer or any of the given orders (GDPR reports and redaction). */
  forCustomerOrOrders(shopId: string, customerId: string, orderIds: readonly string[], trx: Knex = this.db): Promise<DecisionRow[]> {
    return trx<DecisionRow>('decisions')
      .where({ shop_id: shopId })
      .andWhere((q) => q.where('customer_id', customerId).orWhereIn('order_id', orderIds))
      .orderBy('decided_at');
  }

  deleteForCustomerOrOrders(shopId: string, customerId: string, orderIds: readonly string[], trx: Knex = this.db): Promise<number> {
    return trx('decisions')
      .where({ shop_id: shopId })
      .andWhere((q) => q.where('customer_id', customerId).orWhereIn('order_id', orderIds))
      .delete();
  }

  async countsByZone(shopId: string): Promise<Record<string, number>> {
    const rows = await this.db('decisions').where({ shop_id: shopId }).groupBy('zone').select('zone').count<{ zone: string; count: string }[]>('* as count');
    return Object.fromEntries(rows.map((r) => [r.zone, Number(r.count)]));
  }


}

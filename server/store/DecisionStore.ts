import type { Knex } from 'knex';
import type { ChosenAction, Decision, Zone } from '../../engine/index.ts';
import type { SubjectKind } from '../../sdk/index.ts';
import type { ActionRow } from './ActionStore.ts';

export interface DecisionRow {
  id: string;
  shop_id: string;
  subject_kind: SubjectKind;
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
  /** In the holdout sample (a HIGH decision whose actions were not executed). */
  holdout?: boolean;
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

/** One decision to store with its effects. */
export interface DecisionEntry {
  shopId: string;
  decision: Decision;
  orderId: string | null;
  customerId: string | null;
  actions: readonly SettledAction[];
  /** In the holdout sample: a HIGH decision whose actions were deliberately not executed. */
  holdout?: boolean;
}

export interface DecisionFilters {
  zone?: Zone;
  kind?: string;
  from?: string;
  to?: string;
  customerId?: string;
  limit: number;
  /** Keyset pagination: the decisions listed after this one of the shop (decided before it, or at the same time with a lower id); none for an id the shop has not. */
  before?: string;
}

/** Decisions with their full trace; one per subject, so a retried job never makes two. */
export class DecisionStore {
  private readonly db: Knex;
  constructor(db: Knex) {
    this.db = db;
  }


  /**
   * Decisions of a batch, with their customers' profiles and their chosen actions, in ONE
   * statement (so one transaction and one round trip for the whole batch). A subject already
   * decided keeps its stored decision, and nothing is written for it. A customer decided several
   * times in the batch gets its count raised by as many and the zone and score of the latest.
   * The rows come back in the order of `entries`; a new row carries its trace from memory rather
   * than reading the stored copy back.
   */
  async insertManyWithEffects(entries: readonly DecisionEntry[]): Promise<{ row: DecisionRow; created: boolean; actions: ActionRow[] }[]> {
    if (entries.length === 0) return [];
    const input = entries.map(({ shopId, decision, orderId, customerId, actions, holdout }, ord) => ({
      ord,
      shop_id: shopId,
      subject_kind: decision.subject.kind,
      subject_id: decision.subject.id,
      order_id: orderId,
      customer_id: customerId,
      ruleset_id: decision.ruleset.id,
      ruleset_version: decision.ruleset.version,
      content_hash: decision.ruleset.contentHash,
      score: String(decision.score),
      zone: decision.zone,
      decided_at: decision.subject.at,
      holdout: holdout === true,
      actions: [...new Map(actions.map((a) => [`${a.action.ruleId}|${a.action.type}`, a])).values()].map((a) => ({ rule_id: a.action.ruleId, type: a.action.type, spec: a.action, status: a.status, result: a.result ?? null })),
    }));
    // The traces in a power-of-two number of parameter slots (the rest null): a few statement texts,
    // each used often enough for PostgreSQL to keep its plan, instead of one text per batch size.
    const slots = 2 ** Math.ceil(Math.log2(entries.length));
    const { rows } = await this.db.raw(
      // The traces (~9 KB each) travel as parameters of their own, one per decision, and are stored
      // as the json text they are (see the trace_json migration): taken out of the batch's json
      // with json_to_recordset, each cost PostgreSQL ~150 µs more than the rest of its row.
      `with input as (
         select r.*, t.trace
           from json_to_recordset(cast(? as json)) as r (ord int, shop_id text, subject_kind text, subject_id text, order_id text, customer_id text,
                  ruleset_id text, ruleset_version int, content_hash text, score numeric, zone text, decided_at timestamptz, holdout boolean, actions jsonb)
           join unnest(array[${Array.from({ length: slots }, () => 'cast(? as json)').join(', ')}]) with ordinality as t (trace, n) on t.n = r.ord + 1
       ), ins as (
         insert into decisions (shop_id, subject_kind, subject_id, order_id, customer_id, ruleset_id, ruleset_version, content_hash, score, zone, trace, decided_at, holdout)
         select shop_id, subject_kind, subject_id, order_id, customer_id, ruleset_id, ruleset_version, content_hash, score, zone, trace, decided_at, holdout from input order by ord
         on conflict (shop_id, subject_kind, subject_id) do nothing
         returning id, shop_id, subject_kind, subject_id, order_id, customer_id, ruleset_id, ruleset_version, content_hash, score, zone, decided_at, created_at, holdout
       ), profile as (
         insert into customers (shop_id, id, current_zone, last_score, decisions_count)
         select distinct on (shop_id, customer_id) shop_id, customer_id, zone, score, count(*) over (partition by shop_id, customer_id)
           from ins where customer_id is not null
          order by shop_id, customer_id, decided_at desc, id desc
         on conflict (shop_id, id) do update set current_zone = excluded.current_zone, last_score = excluded.last_score,
           decisions_count = customers.decisions_count + excluded.decisions_count, updated_at = now()
       ), chosen as (
         insert into actions (shop_id, decision_id, rule_id, type, spec, status, result)
         select ins.shop_id, ins.id, a.rule_id, a.type, a.spec, a.status, a.result
           from ins join input i on i.shop_id = ins.shop_id and i.subject_kind = ins.subject_kind and i.subject_id = ins.subject_id,
                jsonb_to_recordset(i.actions) as a (rule_id text, type text, spec jsonb, status text, result jsonb)
         on conflict (decision_id, revision, rule_id, type) do nothing
         returning *
       )
       select i.ord, ins.*,
              (select coalesce(json_agg(json_build_object('id', c.id::text, 'shop_id', c.shop_id, 'decision_id', c.decision_id::text, 'rule_id', c.rule_id, 'type', c.type,
                        'spec', c.spec, 'status', c.status, 'attempts', c.attempts, 'result', c.result, 'error', c.error, 'created_at', c.created_at, 'updated_at', c.updated_at) order by c.id), '[]'::json)
                 from chosen c where c.decision_id = ins.id) as chosen_actions
         from input i join ins on i.shop_id = ins.shop_id and i.subject_kind = ins.subject_kind and i.subject_id = ins.subject_id`,
      [JSON.stringify(input), ...entries.map((entry) => JSON.stringify(entry.decision)), ...Array.from({ length: slots - entries.length }, () => null)],
    ).options({ name: `refundsentry_insert_decisions_${slots}` }); // named statements: server/README.md, "Named statements"
    type Inserted = Omit<DecisionRow, 'trace'> & { ord: number; chosen_actions: (Omit<ActionRow, 'created_at' | 'updated_at'> & { created_at: string; updated_at: string })[] };
    const byOrd = new Map((rows as Inserted[]).map((row) => [row.ord, row]));
    return Promise.all(
      entries.map(async (entry, ord) => {
        const inserted = byOrd.get(ord);
        if (!inserted) {
          const { kind, id } = entry.decision.subject;
          const existing = await this.db<DecisionRow>('decisions').where({ shop_id: entry.shopId, subject_kind: kind, subject_id: id }).first();
          return { row: existing!, created: false, actions: [] };
        }
        const { chosen_actions: chosen, ord: _ord, ...row } = inserted;
        return {
          row: { ...row, trace: entry.decision },
          created: true,
          actions: chosen.map((a) => ({ ...a, created_at: new Date(a.created_at), updated_at: new Date(a.updated_at) })),
        };
      }),
    );
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
    // Keyset on the order of the list (decision time, then id): ids follow insertion, not decision
    // time (a late webhook of an older order), so `id < before` skipped and repeated rows.
    if (filters.before) q.andWhereRaw('(decided_at, id) < (select b.decided_at, b.id from decisions b where b.shop_id = ? and b.id = ?)', [shopId, filters.before]);
    return q.orderBy([{ column: 'decided_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(filters.limit);
  }

  /** Every decision about a customer or any of the given orders (GDPR reports and redaction). */
  forCustomerOrOrders(shopId: string, customerId: string, orderIds: readonly string[], trx: Knex = this.db): Promise<DecisionRow[]> {
    return trx<DecisionRow>('decisions')
      .where({ shop_id: shopId })
      .andWhere((q) => q.where('customer_id', customerId).orWhereRaw('order_id = any(?::text[])', [orderIds as string[]]))
      .orderBy('decided_at');
  }

  deleteForCustomerOrOrders(shopId: string, customerId: string, orderIds: readonly string[], trx: Knex = this.db): Promise<number> {
    return trx('decisions')
      .where({ shop_id: shopId })
      .andWhere((q) => q.where('customer_id', customerId).orWhereRaw('order_id = any(?::text[])', [orderIds as string[]]))
      .delete();
  }

  async countsByZone(shopId: string): Promise<Record<string, number>> {
    const rows = await this.db('decisions').where({ shop_id: shopId }).groupBy('zone').select('zone').count<{ zone: string; count: string }[]>('* as count');
    return Object.fromEntries(rows.map((r) => [r.zone, Number(r.count)]));
  }

  /** The signal lines of the shop's decisions since `from` (for instant re-weighting previews), oldest first. */
  async signalsSince(shopId: string, from: Date, limit = 1_000_000): Promise<{ subject_id: string; subject_kind: string; zone: string; score: string; signals: Decision['signals'] }[]> {
    const { rows } = await this.db.raw(
      `select subject_id, subject_kind, zone, score, trace->'signals' as signals from decisions where shop_id = ? and decided_at >= ? order by decided_at, id limit ?`,
      [shopId, from, limit],
    );
    return rows;
  }

  /**
   * Decisions with what became known of their subject (for learned weight suggestions): fraud
   * when the order had a chargeback or the subject was labelled fraud, legit when labelled legit
   * (by the merchant or by aging). The signal lines only, newest first.
   */
  async labelledSignals(shopId: string, limit = 20_000): Promise<{ label: 'fraud' | 'legit'; signals: Decision['signals'] }[]> {
    const { rows } = await this.db.raw(
      `select d.trace->'signals' as signals,
              case when exists (select 1 from events c where c.shop_id = d.shop_id and c.kind = 'chargeback' and c.order_id = d.order_id) then 'fraud'
                   else (select o.label from outcomes o where o.shop_id = d.shop_id and o.subject_id = d.subject_id order by o.labelled_at desc limit 1) end as label
         from decisions d
        where d.shop_id = ?
          and (exists (select 1 from events c where c.shop_id = d.shop_id and c.kind = 'chargeback' and c.order_id = d.order_id)
               or exists (select 1 from outcomes o where o.shop_id = d.shop_id and o.subject_id = d.subject_id))
        order by d.decided_at desc limit ?`,
      [shopId, limit],
    );
    return rows as { label: 'fraud' | 'legit'; signals: Decision['signals'] }[];
  }

  /**
   * A shop's history at a glance (the admin's insights page): signals that fired most (times and
   * points), the customers with the most HIGH decisions, and the refund value decided HIGH and
   * MEDIUM (from the stored refund records).
   */
  async insights(shopId: string, limit = 10): Promise<{
    topSignals: { id: string; fired: number; points: number }[];
    riskyCustomers: { id: string; lastScore: number; zone: Zone; decisions: number; highDecisions: number }[];
    refundValueAtRisk: { high: number; medium: number; refunds: number };
  }> {
    const [signals, customers, refunds] = await Promise.all([
      this.db.raw(
        `select s->>'id' as id, count(*)::int as fired, round(sum((s->>'points')::numeric))::float8 as points
           from decisions d cross join lateral json_array_elements(d.trace->'signals') as s
          where d.shop_id = ? and (s->>'status') = 'hit' and (s->>'points')::numeric > 0
          group by 1 order by fired desc, id limit ?`,
        [shopId, limit],
      ),
      this.db.raw(
        `select d.customer_id as id, count(*)::int as decisions, count(*) filter (where d.zone = 'high')::int as high_decisions,
                (array_agg(d.score order by d.decided_at desc))[1] as last_score, (array_agg(d.zone order by d.decided_at desc))[1] as zone
           from decisions d where d.shop_id = ? and d.customer_id is not null
          group by d.customer_id having count(*) filter (where d.zone = 'high') > 0
          order by high_decisions desc, last_score desc limit ?`,
        [shopId, limit],
      ),
      this.db.raw(
        `select coalesce(sum((e.body->>'amount')::numeric) filter (where d.zone = 'high'), 0) as high,
                coalesce(sum((e.body->>'amount')::numeric) filter (where d.zone = 'medium'), 0) as medium, count(*)::int as refunds
           from decisions d join events e on e.shop_id = d.shop_id and e.kind = 'refund' and e.resource_id = d.subject_id
          where d.shop_id = ? and d.subject_kind = 'refund'`,
        [shopId],
      ),
    ]);
    const r = refunds.rows[0] as { high: string; medium: string; refunds: number };
    return {
      topSignals: signals.rows as { id: string; fired: number; points: number }[],
      riskyCustomers: (customers.rows as { id: string; decisions: number; high_decisions: number; last_score: string; zone: Zone }[]).map((c) => ({
        id: c.id, lastScore: Number(c.last_score), zone: c.zone, decisions: c.decisions, highDecisions: c.high_decisions,
      })),
      refundValueAtRisk: { high: Number(r.high), medium: Number(r.medium), refunds: r.refunds },
    };
  }


}

import type { Knex } from 'knex';
import type { ChosenAction, Decision, Zone } from '../../engine/index.ts';
import type { SubjectKind } from '../../sdk/index.ts';
import type { RevisionTrigger } from '../../contract/decisions.ts';
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
  /** The current revision: 0 for the first decision, then one more for each revision. */
  revision?: number;
  /** What made the current revision (null for the first decision). */
  trigger?: RevisionTrigger | null;
  /** The point in time the current revision saw (null: the subject's own time). */
  known_at?: Date | null;
  revised_at?: Date | null;
}

/** What made a revision (defined once, in the API contract). */
export type { RevisionTrigger };

/** A superseded revision of a decision (`decision_revisions`). */
export interface DecisionRevisionRow {
  decision_id: string;
  revision: number;
  ruleset_id: string;
  ruleset_version: number;
  content_hash: string;
  score: string;
  zone: Zone;
  trace: Decision;
  trigger: RevisionTrigger | null;
  known_at: Date;
  created_at: Date;
  superseded_at: Date;
}

/** A revision to store: the decision it revises (at the revision it was read at), the new decision and its actions. */
export interface RevisionEntry {
  shopId: string;
  decisionId: string;
  /** The revision the new one supersedes: if another worker revised the decision meanwhile, nothing is written. */
  fromRevision: number;
  decision: Decision;
  customerId: string | null;
  trigger: RevisionTrigger;
  knownAt: string;
  actions: readonly SettledAction[];
}

/** A subject whose decision can still be revised, with its order and customer. */
export interface OpenSubject {
  kind: SubjectKind;
  subjectId: string;
  orderId: string | null;
  customerId: string | null;
}

/**
 * An action as written with its decision: `pending` for a job to run it, or already settled when
 * nothing external is needed (a review queue entry) or nothing can be done (no store connected).
 */
export interface SettledAction {
  action: ChosenAction;
  /** `proposed`: only suggested to the merchant (a revision's hold release), never run by the app. */
  status: 'pending' | 'done' | 'skipped' | 'proposed';
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

  /**
   * Stores revisions, each in its own transaction: the current revision moves to
   * `decision_revisions`, the decision row becomes the new one (one more revision, its trigger and
   * point of knowledge), its actions are written keyed by (decision, revision, rule, type), the
   * customer's profile takes the new zone if this is their latest decision, and the audit log
   * records the change. A decision revised by another worker since it was read (`fromRevision`)
   * is left alone (undefined in its place).
   */
  async revise(entries: readonly RevisionEntry[]): Promise<({ row: DecisionRow; actions: ActionRow[] } | undefined)[]> {
    const out: ({ row: DecisionRow; actions: ActionRow[] } | undefined)[] = [];
    for (const entry of entries) {
      out.push(
        await this.db.transaction(async (trx) => {
          const moved = await trx.raw(
            `insert into decision_revisions (shop_id, decision_id, revision, ruleset_id, ruleset_version, content_hash, score, zone, trace, trigger, known_at, created_at)
             select shop_id, id, revision, ruleset_id, ruleset_version, content_hash, score, zone, trace, trigger, coalesce(known_at, decided_at), coalesce(revised_at, created_at)
               from decisions where shop_id = ? and id = ? and revision = ?
             on conflict (decision_id, revision) do nothing`,
            [entry.shopId, entry.decisionId, entry.fromRevision],
          );
          if (moved.rowCount !== 1) return undefined;
          const { decision } = entry;
          const [row] = await trx<DecisionRow>('decisions')
            .where({ shop_id: entry.shopId, id: entry.decisionId, revision: entry.fromRevision })
            .update({
              ruleset_id: decision.ruleset.id,
              ruleset_version: decision.ruleset.version,
              content_hash: decision.ruleset.contentHash,
              score: String(decision.score),
              zone: decision.zone,
              trace: JSON.stringify(decision) as never,
              trigger: JSON.stringify(entry.trigger) as never,
              known_at: entry.knownAt as never,
              revised_at: trx.fn.now() as never,
              revision: entry.fromRevision + 1,
            })
            .returning(['id', 'shop_id', 'subject_kind', 'subject_id', 'order_id', 'customer_id', 'ruleset_id', 'ruleset_version', 'content_hash', 'score', 'zone', 'decided_at', 'created_at', 'holdout', 'revision', 'trigger', 'known_at', 'revised_at']);
          if (!row) return undefined;
          const unique = [...new Map(entry.actions.map((a) => [`${a.action.ruleId}|${a.action.type}`, a])).values()];
          const actions: ActionRow[] =
            unique.length === 0
              ? []
              : await trx<ActionRow>('actions')
                  .insert(unique.map((a) => ({ shop_id: entry.shopId, decision_id: entry.decisionId, revision: row.revision!, rule_id: a.action.ruleId, type: a.action.type, spec: JSON.stringify(a.action) as never, status: a.status, result: a.result === undefined ? null : (JSON.stringify(a.result) as never) })))
                  .onConflict(['decision_id', 'revision', 'rule_id', 'type'])
                  .ignore()
                  .returning('*');
          if (entry.customerId) {
            // The profile shows the customer's latest decision: a revision of an older one leaves it.
            await trx.raw(
              `update customers c set current_zone = ?, last_score = ?, updated_at = now()
                where c.shop_id = ? and c.id = ?
                  and not exists (select 1 from decisions d where d.shop_id = c.shop_id and d.customer_id = c.id and d.decided_at > ?)`,
              [decision.zone, decision.score, entry.shopId, entry.customerId, row.decided_at],
            );
          }
          const before = await trx('decision_revisions').where({ decision_id: entry.decisionId, revision: entry.fromRevision }).first('score', 'zone');
          await trx('audit_log').insert({
            shop_id: entry.shopId,
            actor: 'refundsentry',
            action: 'decision.revise',
            subject: row.subject_id,
            details: JSON.stringify({ decisionId: entry.decisionId, revision: row.revision, from: { score: Number(before.score), zone: before.zone }, to: { score: decision.score, zone: decision.zone }, trigger: entry.trigger }),
          });
          return { row: { ...row, trace: decision }, actions };
        }),
      );
    }
    return out;
  }

  /**
   * The shop's revised decisions, latest revision first (keyset: those revised before the decision
   * `before` was), each with the score and zone of the revision before it.
   */
  async recentlyRevised(shopId: string, limit: number, before?: string): Promise<(DecisionRow & { previous_score: string; previous_zone: Zone })[]> {
    const { rows } = await this.db.raw(
      `select d.id, d.shop_id, d.subject_kind, d.subject_id, d.order_id, d.customer_id, d.score, d.zone, d.revision, d.trigger, d.revised_at,
              p.score as previous_score, p.zone as previous_zone
         from decisions d
         join decision_revisions p on p.decision_id = d.id and p.revision = d.revision - 1
        where d.shop_id = :shopId and d.revision > 0
          and (cast(:before as bigint) is null
               or (d.revised_at, d.id) < (select b.revised_at, b.id from decisions b where b.shop_id = :shopId and b.id = cast(:before as bigint)))
        order by d.revised_at desc, d.id desc
        limit :limit`,
      { shopId, before: before ?? null, limit },
    );
    return rows;
  }

  /** A decision's superseded revisions, oldest first (the current one is the decision row). */
  revisionsOf(shopId: string, decisionId: string): Promise<DecisionRevisionRow[]> {
    return this.db('decision_revisions').where({ shop_id: shopId, decision_id: decisionId }).orderBy('revision') as unknown as Promise<DecisionRevisionRow[]>;
  }

  /**
   * Which of the shop's decided subjects can still be revised: an order until it has a fulfilment
   * or is cancelled; a return until it is closed, declined or canceled; a refund for
   * `refundWindowDays` after it. Chosen by subject, or by customer or order (the customer's or the
   * order's open subjects, newest first, at most `limit`).
   */
  async openSubjects(shopId: string, by: { subjects?: readonly { kind: SubjectKind; id: string }[]; customerIds?: readonly string[]; orderIds?: readonly string[] }, refundWindowDays: number, limit = 50): Promise<OpenSubject[]> {
    const subjects = by.subjects ?? [];
    const customers = by.customerIds ?? [];
    const orders = by.orderIds ?? [];
    if (subjects.length + customers.length + orders.length === 0) return [];
    const { rows } = await this.db.raw(
      `select d.subject_kind as kind, d.subject_id as "subjectId", d.order_id as "orderId", d.customer_id as "customerId"
         from decisions d
         left join events e on e.shop_id = d.shop_id and e.kind = d.subject_kind and e.resource_id = d.subject_id
        where d.shop_id = :shopId
          and ((d.subject_kind, d.subject_id) in (select k, i from json_to_recordset(cast(:subjects as json)) as s (k text, i text))
               or d.customer_id = any(cast(:customers as text[])) or d.order_id = any(cast(:orders as text[])))
          and case d.subject_kind
                when 'order' then e.body->>'cancelledAt' is null
                  and not exists (select 1 from events f where f.shop_id = d.shop_id and f.kind = 'fulfillment' and f.order_id = d.subject_id)
                when 'return' then e.body->>'closedAt' is null and coalesce(e.body->>'status', '') not in ('closed', 'declined', 'canceled')
                else d.decided_at > now() - make_interval(days => :days)
              end
        order by d.decided_at desc, d.id desc
        limit :limit`,
      { shopId, subjects: JSON.stringify(subjects.map((s) => ({ k: s.kind, i: s.id }))), customers: customers as string[], orders: orders as string[], days: refundWindowDays, limit },
    );
    return rows as OpenSubject[];
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

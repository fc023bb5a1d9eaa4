import type { Knex } from 'knex';
import type { Ring, RingBuild, RingComponents } from '../../engine/rings/index.ts';
import type { HistoryEvent } from '../../engine/history/index.ts';
import type { Zone } from '../../engine/index.ts';
import type { IdentifierKind, IdentityHashes } from '../../sdk/index.ts';

export interface RingBuildRow {
  shop_id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  requested_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  stats: RingBuild['stats'] | null;
  error: string | null;
}

export interface RingRow {
  id: string;
  shop_id: string;
  ring_key: string;
  score: number;
  members: number;
  components: RingComponents;
  first_order_at: Date | null;
  last_order_at: Date | null;
  built_at: Date;
}

export interface RingMemberRow {
  member_key: string;
  customer_id: string | null;
  orders: number;
  returned_orders: number;
  chargebacks: number;
  fraud_labels: number;
  first_order_at: Date | null;
  last_order_at: Date | null;
  /** The member's latest zone and score (customers table), when they are a customer with a decision. */
  current_zone: Zone | null;
  last_score: number | null;
}

export interface RingLinkRow {
  source: string;
  target: string;
  kinds: IdentifierKind[];
  identifiers: number;
}

export interface RingAlertRow {
  id: string;
  shop_id: string;
  ring_key: string;
  /** The ring's current id, if it is still there after the latest rebuild. */
  ring_id: string | null;
  order_id: string;
  customer_id: string | null;
  member: boolean;
  matched: IdentifierKind[];
  ring_score: number;
  ring_members: number;
  order_at: Date;
  created_at: Date;
}

/** An order to match against the known rings. */
export interface RingMatchInput {
  orderId: string;
  customerId: string | null;
  at: string;
  identity: IdentityHashes;
}

/** Fraud rings: builds, rings with members/links/identifiers, and alerts. */
export class RingStore {
  private readonly db: Knex;
  constructor(db: Knex) {
    this.db = db;
  }

  /** Marks a rebuild as asked for (the job is sent by the caller). */
  async requestBuild(shopId: string): Promise<void> {
    await this.db('ring_builds')
      .insert({ shop_id: shopId, status: 'queued', requested_at: this.db.fn.now(), error: null })
      .onConflict('shop_id')
      .merge(['status', 'requested_at', 'error']);
  }

  async markRunning(shopId: string): Promise<void> {
    await this.db('ring_builds')
      .insert({ shop_id: shopId, status: 'running', started_at: this.db.fn.now() })
      .onConflict('shop_id')
      .merge(['status', 'started_at']);
  }

  async markFailed(shopId: string, error: string): Promise<void> {
    await this.db('ring_builds').where({ shop_id: shopId }).update({ status: 'failed', finished_at: this.db.fn.now(), error });
  }

  build(shopId: string): Promise<RingBuildRow | undefined> {
    return this.db('ring_builds').where({ shop_id: shopId }).first();
  }

  /** What a ring build reads: the shop's orders, returns and chargebacks, and its fraud/legit labels. */
  async history(shopId: string): Promise<HistoryEvent[]> {
    const rows: { kind: 'order' | 'return' | 'chargeback'; body: unknown }[] = await this.db('events')
      .where({ shop_id: shopId })
      .whereIn('kind', ['order', 'return', 'chargeback'])
      .orderBy('occurred_at')
      .orderBy('id')
      .select('kind', 'body');
    const outcomes: { subject_id: string; label: 'fraud' | 'legit'; labelled_at: Date; source: string }[] = await this.db('outcomes')
      .where({ shop_id: shopId })
      .select('subject_id', 'label', 'labelled_at', 'source');
    return [
      ...rows.map((row) => ({ type: row.kind, [row.kind]: row.body }) as HistoryEvent),
      ...outcomes.map((o): HistoryEvent => ({ type: 'outcome', outcome: { subjectId: o.subject_id, label: o.label, at: o.labelled_at.toISOString(), source: o.source } })),
    ];
  }

  /** Replaces the shop's rings with a new build, in one transaction, and marks the build done. */
  async replace(shopId: string, build: RingBuild): Promise<void> {
    await this.db.transaction(async (trx) => {
      await trx('rings').where({ shop_id: shopId }).delete();
      for (const part of chunks(build.rings, 200)) {
        const ids: { id: string }[] = await trx('rings')
          .insert(part.map((ring) => ringRow(shopId, ring)))
          .returning('id');
        const members = part.flatMap((ring, i) => ring.members.map((m) => ({
          ring_id: ids[i]!.id, shop_id: shopId, member_key: m.key, customer_id: m.customerId, orders: m.orders, returned_orders: m.returnedOrders,
          chargebacks: m.chargebacks, fraud_labels: m.fraudLabels, first_order_at: m.firstOrderAt || null, last_order_at: m.lastOrderAt || null,
        })));
        const links = part.flatMap((ring, i) => ring.links.map((l) => ({ ring_id: ids[i]!.id, source: l.source, target: l.target, kinds: JSON.stringify(l.kinds), identifiers: l.identifiers })));
        const identifiers = part.flatMap((ring, i) => ring.identifiers.map((x) => ({ ring_id: ids[i]!.id, shop_id: shopId, kind: x.kind, hash: x.hash, members: x.members })));
        for (const rows of chunks(members, 2000)) await trx('ring_members').insert(rows);
        for (const rows of chunks(links, 2000)) await trx('ring_links').insert(rows);
        for (const rows of chunks(identifiers, 2000)) await trx('ring_identifiers').insert(rows);
      }
      await trx('ring_builds')
        .insert({ shop_id: shopId, status: 'done', finished_at: trx.fn.now(), stats: JSON.stringify(build.stats), error: null })
        .onConflict('shop_id')
        .merge(['status', 'finished_at', 'stats', 'error']);
    });
  }

  /** The shop's rings, highest score first. */
  list(shopId: string, options: { limit?: number; minScore?: number } = {}): Promise<RingRow[]> {
    return this.db('rings')
      .where({ shop_id: shopId })
      .andWhere('score', '>=', options.minScore ?? 0)
      .orderBy([{ column: 'score', order: 'desc' }, { column: 'members', order: 'desc' }, { column: 'id' }])
      .limit(options.limit ?? 100);
  }

  async count(shopId: string): Promise<number> {
    const row = await this.db('rings').where({ shop_id: shopId }).count('* as n').first();
    return Number(row?.n ?? 0);
  }

  /** One ring with its members (and their latest zone) and links; undefined if it is not this shop's. */
  async get(shopId: string, id: string): Promise<{ ring: RingRow; members: RingMemberRow[]; links: RingLinkRow[] } | undefined> {
    const ring: RingRow | undefined = await this.db('rings').where({ shop_id: shopId, id }).first();
    if (!ring) return undefined;
    const [members, links] = await Promise.all([
      this.db('ring_members as m')
        .leftJoin('customers as c', function join() {
          this.on('c.shop_id', '=', 'm.shop_id').andOn('c.id', '=', 'm.customer_id');
        })
        .where('m.ring_id', id)
        .orderBy('m.first_order_at')
        .select('m.member_key', 'm.customer_id', 'm.orders', 'm.returned_orders', 'm.chargebacks', 'm.fraud_labels', 'm.first_order_at', 'm.last_order_at', 'c.current_zone', 'c.last_score'),
      this.db('ring_links').where({ ring_id: id }).orderBy(['source', 'target']).select('source', 'target', 'kinds', 'identifiers'),
    ]);
    return { ring, members: members.map((m: RingMemberRow) => ({ ...m, last_score: m.last_score === null ? null : Number(m.last_score) })), links };
  }

  /**
   * Records an alert for each (order, ring) where one of the order's identifier hashes is one of
   * the ring's; an order alerts a ring once. Returns the alerts created now.
   */
  async alertMatches(shopId: string, orders: readonly RingMatchInput[]): Promise<RingAlertRow[]> {
    const pairs = orders.flatMap((o) => Object.entries(o.identity ?? {}).filter(([, hash]) => hash).map(([kind, hash]) => ({ order_id: o.orderId, customer_id: o.customerId, at: o.at, kind, hash })));
    if (pairs.length === 0) return [];
    const { rows } = await this.db.raw(
      `with input as (
         select * from jsonb_to_recordset(cast(:pairs as jsonb)) as x (order_id text, customer_id text, at timestamptz, kind text, hash text)
       ), matched as (
         select i.order_id, min(i.customer_id) as customer_id, min(i.at) as order_at, r.id as ring_id, r.ring_key, r.score, r.members,
                jsonb_agg(distinct i.kind) as matched
           from input i
           join ring_identifiers ri on ri.shop_id = :shopId and ri.kind = i.kind and ri.hash = i.hash
           join rings r on r.id = ri.ring_id
          group by i.order_id, r.id, r.ring_key, r.score, r.members
       )
       insert into ring_alerts (shop_id, ring_key, order_id, customer_id, member, matched, ring_score, ring_members, order_at)
       select :shopId, m.ring_key, m.order_id, m.customer_id,
              exists (select 1 from ring_members rm where rm.ring_id = m.ring_id and rm.member_key in ('customer:' || m.customer_id, 'guest:' || m.order_id)),
              m.matched, m.score, m.members, m.order_at
         from matched m
       on conflict (shop_id, order_id, ring_key) do nothing
       returning *`,
      { shopId, pairs: JSON.stringify(pairs) },
    ).options({ name: 'refundsentry_alert_ring_matches' }); // a named statement: planned once per connection (server/README.md, "Named statements")
    return rows as RingAlertRow[];
  }

  /** The shop's alerts, newest first, each with its ring's current id (if the ring is still there). */
  alerts(shopId: string, options: { limit?: number; ringKey?: string } = {}): Promise<RingAlertRow[]> {
    const query = this.db('ring_alerts as a')
      .leftJoin('rings as r', function join() {
        this.on('r.shop_id', '=', 'a.shop_id').andOn('r.ring_key', '=', 'a.ring_key');
      })
      .where('a.shop_id', shopId)
      .orderBy([{ column: 'a.created_at', order: 'desc' }, { column: 'a.id', order: 'desc' }])
      .limit(options.limit ?? 100)
      .select('a.*', 'r.id as ring_id');
    if (options.ringKey) query.andWhere('a.ring_key', options.ringKey);
    return query;
  }

  /**
   * GDPR customer redact: the rings the customer was in are deleted whole (their identifiers
   * cannot be told apart per member; the next build makes them again without the customer's
   * records), and their alerts. Returns the rows deleted.
   */
  async forgetCustomer(shopId: string, customerId: string, trx: Knex = this.db): Promise<number> {
    const rings = await trx('rings').where({ shop_id: shopId }).whereIn('id', trx('ring_members').where({ shop_id: shopId, customer_id: customerId }).select('ring_id')).delete();
    const alerts = await trx('ring_alerts').where({ shop_id: shopId, customer_id: customerId }).delete();
    return rings + alerts;
  }
}

function ringRow(shopId: string, ring: Ring) {
  return {
    shop_id: shopId,
    ring_key: ring.key,
    score: ring.score,
    members: ring.members.length,
    components: JSON.stringify(ring.components),
    first_order_at: ring.firstOrderAt || null,
    last_order_at: ring.lastOrderAt || null,
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

import type { Knex } from 'knex';
import {
  compareRings,
  DEFAULT_MAX_SHARED_WITH,
  isHub,
  linkRings,
  ringChanges,
  type KnownRing,
  type Ring,
  type RingBuild,
  type RingChange,
  type RingComparison,
  type RingComponents,
  type RingOptions,
} from '../../engine/rings/index.ts';
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

/** How the live path links (`RingStore.linkLive`): the rebuild's rules, and how far it may read. */
export interface LiveLinkOptions extends RingOptions {
  /**
   * Most users (customers, guest orders) a neighbourhood may hold besides the orders' own users
   * (default 200): past it nothing is written and the result says `deferred` (the caller asks for a rebuild). A hub identifier never
   * counts its users: it is read `maxSharedWith + 2` users deep, enough to tell it is one.
   */
  maxNeighbourhood?: number;
  /** Store the orders' ring alerts (default true); a rebuild relinking what arrived while it read stores none (they may be a backfill's past orders). */
  alerts?: boolean;
}

/** A ring the live path formed, grew, updated, shrank or dissolved, with its stored id (null when gone). */
export interface LiveRingChange extends RingChange {
  id: string | null;
}

/** What `linkLive` did. */
export interface LiveLink {
  changes: LiveRingChange[];
  /** The alerts stored now (each order once per ring), with their ring's id. */
  alerts: RingAlertRow[];
  /** Users read: the neighbourhood's size. */
  neighbourhood: number;
  /** The neighbourhood was larger than `maxNeighbourhood`: nothing was written. */
  deferred: boolean;
}

/** An order as stored, for linking: its user (`customer:<id>` or `guest:<order id>`) and identity (with its card). */
interface StoredOrder {
  orderId: string;
  customerId: string | null;
  key: string;
  at: string;
  identity: Record<string, string>;
}

const DEFAULT_MAX_NEIGHBOURHOOD = 200;
/** The advisory lock every write of a shop's rings takes (live links, rebuilds, GDPR): one writer at a time per shop. */
const lockRings = (trx: Knex, shopId: string) => trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`rings:${shopId}`]);

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

  /** Marks a rebuild as running; returns when it started (the database's clock). */
  async markRunning(shopId: string): Promise<Date> {
    const [row]: { started_at: Date }[] = await this.db('ring_builds')
      .insert({ shop_id: shopId, status: 'running', started_at: this.db.fn.now() })
      .onConflict('shop_id')
      .merge(['status', 'started_at'])
      .returning('started_at');
    return row!.started_at;
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

  /**
   * Replaces the shop's rings with a new build, in one transaction under the shop's rings lock, and
   * marks the build done. Its stats say what it found against the rings stored before it (the
   * previous build and what the live path did since: `stats.vsStored`); returns that.
   */
  async replace(shopId: string, build: RingBuild): Promise<RingComparison> {
    return this.db.transaction(async (trx) => {
      await lockRings(trx, shopId);
      const vsStored = compareRings(await this.knownRings(trx, shopId), build.rings);
      await trx('rings').where({ shop_id: shopId }).delete();
      for (const part of chunks(build.rings, 200)) {
        const ids: { id: string }[] = await trx('rings')
          .insert(part.map((ring) => ringRow(shopId, ring)))
          .returning('id');
        await insertParts(trx, shopId, part.map((ring, i) => ({ id: ids[i]!.id, ring })));
      }
      await trx('ring_builds')
        .insert({ shop_id: shopId, status: 'done', finished_at: trx.fn.now(), stats: JSON.stringify({ ...build.stats, vsStored }), error: null })
        .onConflict('shop_id')
        .merge(['status', 'finished_at', 'stats', 'error']);
      return vsStored;
    });
  }

  /** The shop's stored rings (all of them, or those holding one of `memberKeys`) with their member keys. */
  private async knownRings(trx: Knex, shopId: string, memberKeys?: readonly string[]): Promise<KnownRing[]> {
    const query = trx('rings as r')
      .join('ring_members as m', 'm.ring_id', 'r.id')
      .where('r.shop_id', shopId)
      .groupBy('r.id')
      .orderBy('r.id')
      .select('r.id', 'r.ring_key', 'r.score', trx.raw('array_agg(m.member_key order by m.member_key) as members'));
    if (memberKeys) {
      const customers = memberKeys.filter((k) => k.startsWith('customer:')).map((k) => k.slice('customer:'.length));
      const guests = memberKeys.filter((k) => k.startsWith('guest:'));
      if (customers.length === 0 && guests.length === 0) return [];
      // The rings of these users: by customer id (an index), guests by key among the shop's guest members.
      query.whereIn(
        'r.id',
        trx('ring_members')
          .where('shop_id', shopId)
          .andWhere((w) => {
            if (customers.length > 0) w.orWhereIn('customer_id', customers);
            if (guests.length > 0) w.orWhere((g) => g.whereNull('customer_id').whereIn('member_key', guests));
          })
          .select('ring_id'),
      );
    }
    const rows: { id: string; ring_key: string; score: number; members: string[] }[] = await query;
    return rows.map((row) => ({ id: String(row.id), key: row.ring_key, score: Number(row.score), members: row.members }));
  }

  /**
   * Orders stored or given their card since `since` (their own row, or a transaction of theirs,
   * received since), at most `limit`: what a rebuild that started reading at `since` may have
   * missed, linked again after it (`RingService.run`).
   */
  async ordersSince(shopId: string, since: Date, limit = 5000): Promise<RingMatchInput[]> {
    const { rows } = await this.db.raw(
      `select o.resource_id as order_id, o.customer_id, o.occurred_at, coalesce(o.body -> 'identity', '{}'::jsonb) as identity
         from events o
        where o.shop_id = :shopId and o.kind = 'order'
          and (o.received_at >= :since
               or exists (select 1 from events t where t.shop_id = o.shop_id and t.order_id = o.resource_id and t.kind = 'transaction' and t.received_at >= :since))
        order by o.occurred_at, o.id
        limit :limit`,
      { shopId, since, limit },
    );
    return (rows as { order_id: string; customer_id: string | null; occurred_at: Date; identity: IdentityHashes }[]).map((row) => ({
      orderId: row.order_id,
      customerId: row.customer_id,
      at: row.occurred_at.toISOString(),
      identity: row.identity,
    }));
  }

  /**
   * The live path: links newly decided orders into the shop's rings without a rebuild, in one
   * transaction under the shop's rings lock (two batches of one shop never make two rings of one
   * component; a rebuild's replace waits for it, and it for the rebuild).
   *
   * It reads only a neighbourhood: starting from the orders' users (as stored: `customer:<id>` or
   * `guest:<order id>`, the identity with the card a transaction gave the order) and the members
   * of the stored rings holding one of the orders' identifiers (a link that became a hub can split
   * them), it follows links through `identity_uses`: each user's identifiers, and each identifier's
   * earliest `maxSharedWith + 2` users (a hub is seen as one and followed no further), breadth
   * first, until closed under links; the stored rings of the users reached join with all their
   * members. Past `maxNeighbourhood` users it stops and writes nothing (`deferred`). With no link
   * and no stored ring in it, that is all. Otherwise it reads the users' orders, the returns and
   * chargebacks of those orders and their outcomes, and `engine/rings` decides the rings of the
   * neighbourhood exactly as a rebuild would (`linkRings`), scored against the latest build's shop
   * return rate (none yet: counted now). The stored rings of the neighbourhood are replaced by
   * those (a ring keeps its row and id while it goes on: same key, else most members in common),
   * and an alert is stored for each order and each ring it links to (the ring holds one of its
   * identifiers that two or more members used; once per shop, order and ring key), `member` saying
   * whether its user was in the ring before.
   */
  async linkLive(shopId: string, orders: readonly RingMatchInput[], options: LiveLinkOptions = {}): Promise<LiveLink> {
    if (orders.length === 0) return { changes: [], alerts: [], neighbourhood: 0, deferred: false };
    const maxSharedWith = options.maxSharedWith ?? DEFAULT_MAX_SHARED_WITH;
    return this.db.transaction(async (trx) => {
      await lockRings(trx, shopId);
      const stored = await this.storedOrders(trx, shopId, orders);
      // The orders' own users never count against the cap: a large batch of unrelated orders is no large neighbourhood.
      const cap = (options.maxNeighbourhood ?? DEFAULT_MAX_NEIGHBOURHOOD) + new Set(stored.map((o) => o.key)).size;
      const pairs = stored.flatMap((o) => Object.entries(o.identity).map(([kind, hash]) => ({ kind, hash })));
      const seeds = new Set(stored.map((o) => o.key));
      if (pairs.length > 0) {
        const { rows } = await trx.raw(
          `select distinct m.member_key
             from (select distinct kind, hash from jsonb_to_recordset(cast(:pairs as jsonb)) as x (kind text, hash text)) p
             join ring_identifiers ri on ri.shop_id = :shopId and ri.kind = p.kind and ri.hash = p.hash
             join ring_members m on m.ring_id = ri.ring_id`,
          { shopId, pairs: JSON.stringify(pairs) },
        );
        for (const row of rows as { member_key: string }[]) seeds.add(row.member_key);
      }
      // Breadth first through identity_uses; then the stored rings of the users reached, whose members join too.
      const usersOf = new Map<string, string[]>();
      const visited = new Set<string>(seeds);
      let frontier = [...seeds];
      let known: KnownRing[] = [];
      while (frontier.length > 0) {
        if (visited.size > cap) return { changes: [], alerts: [], neighbourhood: visited.size, deferred: true };
        const next: string[] = [];
        for (const { identifier, users } of await this.identifierUsers(trx, shopId, frontier, usersOf, maxSharedWith + 2)) {
          usersOf.set(identifier, users);
          if (isHub(users.length, maxSharedWith)) continue;
          for (const user of users) if (!visited.has(user)) (visited.add(user), next.push(user));
        }
        if (next.length === 0) {
          known = await this.knownRings(trx, shopId, [...visited]);
          for (const ring of known) for (const member of ring.members) if (!visited.has(member)) (visited.add(member), next.push(member));
        }
        frontier = next;
      }
      if (visited.size > cap) return { changes: [], alerts: [], neighbourhood: visited.size, deferred: true };
      const linked = [...usersOf.values()].some((users) => users.length >= 2 && !isHub(users.length, maxSharedWith));
      if (!linked && known.length === 0) return { changes: [], alerts: [], neighbourhood: visited.size, deferred: false };

      const rings = linkRings(
        { events: await this.neighbourhoodEvents(trx, shopId, [...visited]), identifiers: usersOf, shopReturnRate: await this.shopReturnRate(trx, shopId) },
        { maxSharedWith, ...(options.minMembers === undefined ? {} : { minMembers: options.minMembers }) },
      );
      const changes = await this.writeChanges(trx, shopId, ringChanges(known, rings));
      const alerts = options.alerts === false ? [] : await this.storeAlerts(trx, shopId, stored, changes);
      return { changes, alerts, neighbourhood: visited.size, deferred: false };
    });
  }

  /** The orders as stored (their user, identity with its card); one not stored is taken as given. */
  private async storedOrders(trx: Knex, shopId: string, orders: readonly RingMatchInput[]): Promise<StoredOrder[]> {
    const rows: { resource_id: string; customer_id: string | null; occurred_at: Date; identity: Record<string, unknown> | null }[] = await trx('events')
      .where({ shop_id: shopId, kind: 'order' })
      .whereIn('resource_id', [...new Set(orders.map((o) => o.orderId))])
      .select('resource_id', 'customer_id', 'occurred_at', trx.raw(`body -> 'identity' as identity`));
    const byId = new Map(rows.map((row) => [row.resource_id, row]));
    const identityOf = (identity: Record<string, unknown> | null | undefined) =>
      Object.fromEntries(Object.entries(identity ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''));
    return [...new Map(orders.map((o) => [o.orderId, o])).values()].map((o) => {
      const row = byId.get(o.orderId);
      const customerId = row ? row.customer_id : o.customerId;
      return {
        orderId: o.orderId,
        customerId,
        key: customerId ? `customer:${customerId}` : `guest:${o.orderId}`,
        at: row ? row.occurred_at.toISOString() : o.at,
        identity: identityOf(row ? row.identity : o.identity),
      };
    });
  }

  /** The identifiers of some users not read yet (`known`), each with its earliest `probe` users (one short range of `identity_uses_earliest`). */
  private async identifierUsers(trx: Knex, shopId: string, users: readonly string[], known: ReadonlyMap<string, unknown>, probe: number): Promise<{ identifier: string; users: string[] }[]> {
    const { rows } = await trx.raw(
      `with ids as (
         select distinct u.kind, u.hash
           from jsonb_array_elements_text(cast(:users as jsonb)) f (user_key)
           cross join lateral (select u.kind, u.hash from identity_uses u where u.shop_id = :shopId and u.user_key = f.user_key offset 0) u
       )
       select i.kind || ':' || i.hash as identifier, array_agg(v.user_key order by v.first_use, v.user_key) as users
         from ids i
         cross join lateral (
           select v.user_key, v.first_use from identity_uses v
            where v.shop_id = :shopId and v.kind = i.kind and v.hash = i.hash
            order by v.first_use, v.user_key
            limit :probe) v
        group by i.kind, i.hash`,
      { shopId, users: JSON.stringify(users), probe },
    );
    return (rows as { identifier: string; users: string[] }[]).filter((row) => !known.has(row.identifier));
  }

  /**
   * The records of a neighbourhood's users, as a rebuild reads them (`history`): their orders, the
   * returns and chargebacks of those orders, in time order, and the outcomes of those subjects.
   */
  private async neighbourhoodEvents(trx: Knex, shopId: string, users: readonly string[]): Promise<HistoryEvent[]> {
    const { rows } = await trx.raw(
      `with users as (
         select value as user_key from jsonb_array_elements_text(cast(:users as jsonb))
       ), orders as (
         select o.resource_id from users u
           cross join lateral (select o.resource_id from events o where o.shop_id = :shopId and o.customer_id = substr(u.user_key, 10) and o.kind = 'order' offset 0) o
          where u.user_key like 'customer:%'
         union
         select o.resource_id from users u
           cross join lateral (select o.resource_id from events o where o.shop_id = :shopId and o.kind = 'order' and o.resource_id = substr(u.user_key, 7) and o.customer_id is null offset 0) o
          where u.user_key like 'guest:%'
       ), records as (
         select e.id, e.kind, e.resource_id, e.occurred_at, e.body from orders o
           cross join lateral (select e.id, e.kind, e.resource_id, e.occurred_at, e.body from events e where e.shop_id = :shopId and e.kind = 'order' and e.resource_id = o.resource_id offset 0) e
         union all
         select e.id, e.kind, e.resource_id, e.occurred_at, e.body from orders o
           cross join lateral (select e.id, e.kind, e.resource_id, e.occurred_at, e.body from events e where e.shop_id = :shopId and e.order_id = o.resource_id and e.kind in ('return', 'chargeback') offset 0) e
       )
       select
         (select coalesce(json_agg(json_build_object('kind', r.kind, 'body', r.body) order by r.occurred_at, r.id), '[]'::json) from records r) as events,
         (select coalesce(json_agg(json_build_object('subjectId', x.subject_id, 'label', x.label, 'at', x.labelled_at, 'source', x.source) order by x.labelled_at, x.id), '[]'::json)
            from (select distinct resource_id from records where kind in ('order', 'return')) s
            cross join lateral (select x.* from outcomes x where x.shop_id = :shopId and x.subject_id = s.resource_id offset 0) x) as outcomes`,
      { shopId, users: JSON.stringify(users) },
    );
    const row = rows[0] as { events: { kind: 'order' | 'return' | 'chargeback'; body: unknown }[]; outcomes: { subjectId: string; label: 'fraud' | 'legit'; at: string; source: string }[] };
    return [
      ...row.events.map((e) => ({ type: e.kind, [e.kind]: e.body }) as HistoryEvent),
      ...row.outcomes.map((o): HistoryEvent => ({ type: 'outcome', outcome: { subjectId: o.subjectId, label: o.label, at: new Date(o.at).toISOString(), source: o.source } })),
    ];
  }

  /** The shop return rate rings are scored against: the latest build's; before any build, counted (orders with a return / orders). */
  private async shopReturnRate(trx: Knex, shopId: string): Promise<number> {
    const build: { rate: string | number | null } | undefined = await trx('ring_builds').where({ shop_id: shopId }).first(trx.raw(`stats ->> 'shopReturnRate' as rate`));
    if (build?.rate !== null && build?.rate !== undefined) return Number(build.rate);
    const { rows } = await trx.raw(
      `select (select count(*) from events where shop_id = :shopId and kind = 'order') as orders,
              (select count(distinct order_id) from events where shop_id = :shopId and kind = 'return') as returned`,
      { shopId },
    );
    const { orders, returned } = rows[0] as { orders: string; returned: string };
    return Number(orders) > 0 ? Math.round((Number(returned) / Number(orders)) * 10_000) / 10_000 : 0;
  }

  /**
   * Writes a neighbourhood's ring changes: a ring that goes on keeps its row (and id) with its
   * figures, members, links and identifiers rewritten; a new one gets a row; stored rings it
   * replaces and dissolved ones are deleted.
   */
  private async writeChanges(trx: Knex, shopId: string, changes: readonly RingChange[]): Promise<LiveRingChange[]> {
    const claimed = new Set<string>();
    const kept = new Map<RingChange, string>();
    // A ring continuing a stored one under the same key claims its row first, then the others in turn.
    for (const change of [...changes].sort((a, b) => Number(b.previous?.key === b.key) - Number(a.previous?.key === a.key))) {
      const id = change.ring && change.previous?.id;
      if (id && !claimed.has(id)) {
        claimed.add(id);
        kept.set(change, id);
      }
    }
    const stale = [...new Set(changes.flatMap((c) => c.replaces.map((r) => r.id!)))].filter((id) => !claimed.has(id));
    if (stale.length > 0) await trx('rings').where({ shop_id: shopId }).whereIn('id', stale).delete();
    const out: LiveRingChange[] = [];
    for (const change of changes) {
      if (!change.ring) {
        out.push({ ...change, id: null });
        continue;
      }
      let id = kept.get(change);
      if (id) {
        await trx('rings').where({ shop_id: shopId, id }).update({ ...ringRow(shopId, change.ring), built_at: trx.fn.now() });
        for (const table of ['ring_members', 'ring_links', 'ring_identifiers']) await trx(table).where({ ring_id: id }).delete();
      } else {
        const [row]: { id: string }[] = await trx('rings').insert(ringRow(shopId, change.ring)).returning('id');
        id = String(row!.id);
      }
      await insertParts(trx, shopId, [{ id, ring: change.ring }]);
      out.push({ ...change, id });
    }
    return out;
  }

  /**
   * An alert for each order and each ring it links to: the ring holds one of its identifiers that
   * two or more of the ring's members used (`matched`: their kinds). Returns those stored now.
   */
  private async storeAlerts(trx: Knex, shopId: string, orders: readonly StoredOrder[], changes: readonly LiveRingChange[]): Promise<RingAlertRow[]> {
    const rows = orders.flatMap((order) =>
      changes.flatMap((change) => {
        const ring = change.ring;
        if (!ring) return [];
        // The kinds through which the order links to the ring's other members (identifiers two or more members used).
        const matched = [...new Set(ring.identifiers.filter((x) => x.members >= 2 && order.identity[x.kind] === x.hash).map((x) => x.kind))].sort();
        if (matched.length === 0) return [];
        return [{
          shop_id: shopId, ring_key: ring.key, order_id: order.orderId, customer_id: order.customerId,
          member: ring.members.some((m) => m.key === order.key) && !change.joined.includes(order.key),
          matched: JSON.stringify(matched), ring_score: ring.score, ring_members: ring.members.length, order_at: order.at,
        }];
      }),
    );
    if (rows.length === 0) return [];
    const inserted: Omit<RingAlertRow, 'ring_id'>[] = await trx('ring_alerts').insert(rows).onConflict(['shop_id', 'order_id', 'ring_key']).ignore().returning('*');
    const idOf = new Map(changes.flatMap((c) => (c.ring && c.id ? [[c.ring.key, c.id] as const] : [])));
    return inserted.map((row) => ({ ...row, ring_id: idOf.get(row.ring_key) ?? null }));
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
    if (trx.isTransaction) await lockRings(trx, shopId);
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

/** A ring's members, links and identifiers under its row's id. */
async function insertParts(trx: Knex, shopId: string, rings: readonly { id: string; ring: Ring }[]): Promise<void> {
  const members = rings.flatMap(({ id, ring }) => ring.members.map((m) => ({
    ring_id: id, shop_id: shopId, member_key: m.key, customer_id: m.customerId, orders: m.orders, returned_orders: m.returnedOrders,
    chargebacks: m.chargebacks, fraud_labels: m.fraudLabels, first_order_at: m.firstOrderAt || null, last_order_at: m.lastOrderAt || null,
  })));
  const links = rings.flatMap(({ id, ring }) => ring.links.map((l) => ({ ring_id: id, source: l.source, target: l.target, kinds: JSON.stringify(l.kinds), identifiers: l.identifiers })));
  const identifiers = rings.flatMap(({ id, ring }) => ring.identifiers.map((x) => ({ ring_id: id, shop_id: shopId, kind: x.kind, hash: x.hash, members: x.members })));
  for (const rows of chunks(members, 2000)) await trx('ring_members').insert(rows);
  for (const rows of chunks(links, 2000)) await trx('ring_links').insert(rows);
  for (const rows of chunks(identifiers, 2000)) await trx('ring_identifiers').insert(rows);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

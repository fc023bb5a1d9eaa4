import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextAt, ShopHistory, type HistoryEvent } from '../../engine/history/index.ts';
import { IDENTITY_RECENT_LIMIT, RING_LIST_LIMIT, type IdentityFacts, type OrderRecord, type RingNeighbourhood } from '../../sdk/index.ts';
import { recentProbesOf } from '../services/ScoringService.ts';
import { generateShop } from '../../scenarios/generateShop.ts';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import type { Knex } from 'knex';
import { ContextStore } from './ContextStore.ts';
import { ProductStore } from './ProductStore.ts';
import { createStores, type Stores } from './index.ts';

let db: TestDatabase;
let stores: Stores;

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
});
afterAll(async () => {
  await db?.drop();
});

/** The ring neighbourhood a context built from `history` gives an order. */
function ringOfOrder(history: ShopHistory, shopId: string, order: OrderRecord): RingNeighbourhood | undefined {
  return contextAt({ kind: 'order', id: order.id, at: order.createdAt, order }, history, { shopId }).derived.ring as RingNeighbourhood | undefined;
}

/** An order record with only what these tests need: its id, customer (null: a guest), time, total and identifier hashes. */
function bareOrder(id: number, customer: number | null, createdAt: string, identity: Record<string, string>, totalPrice = 10): HistoryEvent {
  return {
    type: 'order',
    order: {
      id: `gid://shopify/Order/${id}`,
      customerId: customer === null ? null : `gid://shopify/Customer/${customer}`,
      createdAt,
      totalPrice,
      currency: 'EUR',
      lineItems: [],
      discountCodes: [],
      gateways: [],
      tags: [],
      identity,
    } as unknown as OrderRecord,
  };
}

/** `identity_uses` of a shop, as `kind hash user first-use` lines. */
async function uses(shopId: string): Promise<string[]> {
  const rows = await db.knex('identity_uses').where({ shop_id: shopId }).orderBy(['kind', 'hash', 'user_key']);
  return rows.map((r) => `${r.kind} ${r.hash} ${r.user_key} ${new Date(r.first_use).toISOString()}`);
}

describe('ContextStore.material: ring neighbourhoods', () => {
  it('gives every context the same ring neighbourhood as the whole shop does, with a hub far above the list limit', async () => {
    const shopId = 'hub.myshopify.com';
    const generated = generateShop({ seed: 21, customers: 150, days: 120 });
    // A warehouse address shared by every order of the first 90 customers (a hub), and an email
    // shared by a handful of guests and customers (listed neighbours): beside the generated ring.
    const hubCustomers = new Set([...new Set(generated.events.flatMap((e) => (e.type === 'order' && e.order.customerId ? [e.order.customerId] : [])))].slice(0, 90));
    let sharedEmail = 0;
    const events: HistoryEvent[] = generated.events.map((event) => {
      if (event.type !== 'order') return event;
      const order = event.order;
      const identity = { ...order.identity };
      if (order.customerId && hubCustomers.has(order.customerId)) identity.address = 'hash-of-the-warehouse';
      if (!order.customerId || sharedEmail < 6) {
        if (sharedEmail++ < 12) identity.email = 'hash-of-a-shared-email';
      }
      return { type: 'order', order: { ...order, identity } };
    });
    await stores.shops.install(shopId, '', 'read_orders');
    for (let i = 0; i < events.length; i += 400) await stores.events.upsertAll(shopId, events.slice(i, i + 400).filter((e) => e.type !== 'outcome'));
    const whole = ShopHistory.from((await stores.context.wholeShop(shopId))!.events);
    const orders = events.flatMap((e) => (e.type === 'order' ? [e.order] : [])).sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
    expect(whole.identifiers.get('address:hash-of-the-warehouse')!.length).toBeGreaterThan(RING_LIST_LIMIT + 20);

    let hubSeen = 0;
    let listed = 0;
    // Batches as scoring makes them: consecutive orders, the history cut from `material` with the batch's earliest time.
    for (let i = 0; i < orders.length; i += 25) {
      const batch = orders.slice(i, i + 25);
      const customers = [...new Set(batch.flatMap((o) => (o.customerId ? [o.customerId] : [])))];
      const material = await stores.context.material(shopId, customers, batch.map((o) => o.id), batch[0]!.createdAt);
      const live = ShopHistory.from(material.events);
      for (const use of material.identifierUses ?? []) live.addIdentifierUse(`${use.kind}:${use.hash}`, use.key, Date.parse(use.at));
      for (const order of batch) {
        const expected = ringOfOrder(whole, shopId, order);
        expect(ringOfOrder(live, shopId, order), order.id).toEqual(expected);
        if (expected?.identifiers.some((id) => id.sharedWith > RING_LIST_LIMIT)) hubSeen++;
        listed += expected?.linked.length ?? 0;
      }
    }
    // The cases the comparison is about did occur: hubs, and neighbours listed with their records.
    expect(hubSeen).toBeGreaterThan(50);
    expect(listed).toBeGreaterThan(20);
  });

  it('reads only the earliest users of a hub, not its every order', async () => {
    const shopId = 'big-hub.myshopify.com';
    const base = Date.parse('2026-01-01T00:00:00Z');
    const order = (n: number, customer: number) => bareOrder(n, customer, new Date(base + n * 60_000).toISOString(), { address: 'hash-of-a-pickup-point' });
    await stores.shops.install(shopId, '', 'read_orders');
    await stores.events.upsertAll(shopId, Array.from({ length: 600 }, (_, n) => order(n, n % 300)));
    const material = await stores.context.material(shopId, ['gid://shopify/Customer/299'], ['gid://shopify/Order/599'], new Date(base + 599 * 60_000).toISOString());
    expect(material.identifierUses).toHaveLength(RING_LIST_LIMIT + 2);
    // The hub's users' records are not read: only the batch customer's two orders.
    expect(material.events.map((e) => (e.type === 'order' ? e.order.id : e.type))).toEqual(['gid://shopify/Order/299', 'gid://shopify/Order/599']);
    const history = ShopHistory.from(material.events);
    for (const use of material.identifierUses ?? []) history.addIdentifierUse(`${use.kind}:${use.hash}`, use.key, Date.parse(use.at));
    const ring = ringOfOrder(history, shopId, (material.events[1] as { order: OrderRecord }).order);
    expect(ring).toEqual({ identifiers: [{ kind: 'address', sharedWith: RING_LIST_LIMIT + 1 }], linked: [] });
  });
});

/** The identity facts a context built from `history` gives an order. */
function identityOfOrder(history: ShopHistory, shopId: string, order: OrderRecord): IdentityFacts | undefined {
  return contextAt({ kind: 'order', id: order.id, at: order.createdAt, order }, history, { shopId }).derived.identity as IdentityFacts | undefined;
}

describe('ContextStore.material: identity facts', () => {
  it('gives every order the same identity facts as the whole shop does: bursts past the cap, hubs, shared cards, guests', async () => {
    const shopId = 'identity.myshopify.com';
    const generated = generateShop({ seed: 23, customers: 80, days: 60 });
    const firstDay = Date.parse(generated.events.find((e) => e.type === 'order')!.order.createdAt as string);
    const at = (hours: number) => new Date(firstDay + hours * 3_600_000).toISOString();
    const extra: HistoryEvent[] = [];
    // A burst: fourteen new accounts in ninety minutes on one device and IP, each with its own card;
    // three guest orders among them pay with the first account's card.
    for (let i = 0; i < 14; i++) extra.push(bareOrder(70_000 + i, 9_000 + i, at(240 + i * 0.1), { device: 'burst-device', ip: 'burst-ip', payment: `burst-card-${i}`, email: `burst-email-${i}` }));
    for (let i = 0; i < 3; i++) extra.push(bareOrder(70_100 + i, null, at(240.5 + i * 0.2), { payment: 'burst-card-0', ip: 'burst-ip', email: `guest-email-${i}` }));
    // An office IP: ninety orders of seventy customers in ten hours (past the recent cap and a hub), one customer churning cards.
    for (let i = 0; i < 90; i++) extra.push(bareOrder(71_000 + i, 9_100 + (i % 70), at(500 + i / 9), { ip: 'office-ip', payment: `office-card-${i % 75}`, device: i % 2 ? 'office-browser' : `own-browser-${i}` }));
    // Two orders at the same moment on one card (ties at the cap's edge are broken by order id, both sides).
    extra.push(bareOrder(72_000, 9_200, at(600), { payment: 'twin-card' }), bareOrder(72_001, 9_201, at(600), { payment: 'twin-card' }), bareOrder(72_002, 9_202, at(600.5), { payment: 'twin-card' }));
    const events = [...generated.events, ...extra];
    await stores.shops.install(shopId, '', 'read_orders');
    for (let i = 0; i < events.length; i += 400) await stores.events.upsertAll(shopId, events.slice(i, i + 400).filter((e) => e.type !== 'outcome'));
    const whole = ShopHistory.from((await stores.context.wholeShop(shopId))!.events);
    const orders = events.flatMap((e) => (e.type === 'order' ? [e.order] : [])).sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.id < b.id ? -1 : 1));

    let capped = 0;
    let hourly = 0;
    let manyDeviceCards = 0;
    let guestLinked = 0;
    let hubs = 0;
    for (let i = 0; i < orders.length; i += 25) {
      const batch = orders.slice(i, i + 25);
      const customers = [...new Set(batch.flatMap((o) => (o.customerId ? [o.customerId] : [])))];
      const probes = recentProbesOf(batch.map((order) => ({ kind: 'order' as const, id: order.id, at: order.createdAt, order })));
      const material = await stores.context.material(shopId, customers, batch.map((o) => o.id), batch[0]!.createdAt, probes);
      // As ScoringService builds its history from the material.
      const live = ShopHistory.from(material.events);
      for (const use of material.identifierUses ?? []) live.addIdentifierUse(`${use.kind}:${use.hash}`, use.key, Date.parse(use.at));
      for (const use of material.recentUses ?? []) live.addIdentifierOrder(`${use.kind}:${use.hash}`, use.orderId, Date.parse(use.at), use.card ?? undefined);
      expect((material.recentUses ?? []).length).toBeLessThanOrEqual(probes.length * IDENTITY_RECENT_LIMIT);
      for (const order of batch) {
        const expected = identityOfOrder(whole, shopId, order)!;
        expect(identityOfOrder(live, shopId, order), order.id).toEqual(expected);
        if (expected.identifiers.some((id) => id.lastDay === IDENTITY_RECENT_LIMIT)) capped++;
        if (expected.identifiers.some((id) => id.lastHour >= 3)) hourly++;
        if ((expected.cards.device ?? 0) >= 3) manyDeviceCards++;
        if (expected.guestSharesAccount.length > 0) guestLinked++;
        if (expected.identifiers.some((id) => id.accounts === null)) hubs++;
      }
    }
    // The cases the comparison is about did occur.
    expect(capped).toBeGreaterThan(20);
    expect(hourly).toBeGreaterThan(10);
    expect(manyDeviceCards).toBeGreaterThan(5);
    expect(guestLinked).toBe(3);
    expect(hubs).toBeGreaterThan(5);
  });

  it('a later order never counts, and the day before is cut at 24 hours', async () => {
    const shopId = 'identity-cut.myshopify.com';
    await stores.shops.install(shopId, '', 'read_orders');
    const base = Date.parse('2026-04-01T12:00:00Z');
    const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
    await stores.events.upsertAll(shopId, [
      bareOrder(1, 1, at(-24 * 60 - 1), { device: 'dev', payment: 'card-1' }), // a minute more than a day before: out
      bareOrder(2, 2, at(-24 * 60), { device: 'dev', payment: 'card-2' }), // exactly a day before: in
      bareOrder(3, 3, at(-30), { device: 'dev', payment: 'card-3' }),
      bareOrder(4, 4, at(0), { device: 'dev', payment: 'card-4' }), // the subject
      bareOrder(5, 5, at(1), { device: 'dev', payment: 'card-5' }), // later: never counts
    ]);
    const subject = (await stores.context.subjects<OrderRecord>([{ shopId, kind: 'order', id: 'gid://shopify/Order/4' }]))[0]!.record!;
    const material = await stores.context.material(shopId, [subject.customerId!], [subject.id], subject.createdAt, recentProbesOf([{ kind: 'order', id: subject.id, at: subject.createdAt, order: subject }]));
    expect(material.recentUses!.map((u) => u.orderId).sort()).toEqual(['gid://shopify/Order/2', 'gid://shopify/Order/3']);
    const live = ShopHistory.from(material.events);
    for (const use of material.identifierUses ?? []) live.addIdentifierUse(`${use.kind}:${use.hash}`, use.key, Date.parse(use.at));
    for (const use of material.recentUses ?? []) live.addIdentifierOrder(`${use.kind}:${use.hash}`, use.orderId, Date.parse(use.at), use.card ?? undefined);
    expect(identityOfOrder(live, shopId, subject)).toEqual({
      identifiers: [
        { kind: 'device', sharedWith: 3, accounts: 3, guests: 0, lastHour: 1, lastDay: 2 },
        { kind: 'payment', sharedWith: 0, accounts: 0, guests: 0, lastHour: 0, lastDay: 0 },
      ],
      cards: { customer: 1, device: 3 },
      guestSharesAccount: [],
    });
    // Bad probes are a programmer's error, refused before any SQL.
    await expect(stores.context.material(shopId, [], [], subject.createdAt, [{ kind: 'fax' as never, hash: 'x', at: subject.createdAt }])).rejects.toThrow(/unknown identifier kind/);
    await expect(stores.context.material(shopId, [], [], subject.createdAt, [{ kind: 'ip', hash: 'x', at: 'yesterday' }])).rejects.toThrow(/not an ISO 8601 time/);
    await expect(stores.context.material(shopId, [], [], subject.createdAt, [{ kind: 'ip', hash: '', at: subject.createdAt }])).rejects.toThrow(/1-256 characters/);
  });
});

describe('identity_orders follows every write of orders', () => {
  const shopId = 'identity-orders.myshopify.com';
  const at = (minute: number) => new Date(Date.parse('2026-02-01T00:00:00Z') + minute * 60_000).toISOString();
  const rowsOf = async () =>
    (await db.knex('identity_orders').where({ shop_id: shopId }).orderBy(['kind', 'hash', 'at', 'order_id'])).map((r) => `${r.kind} ${r.hash} ${r.order_id} ${new Date(r.at).toISOString()} ${r.card ?? '-'}`);

  it('adds an order’s identifiers on insert, follows updates (a card arriving later, an identifier dropped) and deletes', async () => {
    await stores.shops.install(shopId, '', 'read_orders');
    await stores.events.upsertAll(shopId, [bareOrder(1, 1, at(1), { email: 'e1', ip: 'i1' }), bareOrder(2, null, at(2), { email: 'e1', ip: '' })]);
    expect(await rowsOf()).toEqual([`email e1 gid://shopify/Order/1 ${at(1)} -`, `email e1 gid://shopify/Order/2 ${at(2)} -`, `ip i1 gid://shopify/Order/1 ${at(1)} -`]);
    // The card becomes known later (a transaction), and the order drops its IP.
    await stores.events.upsertAll(shopId, [bareOrder(1, 1, at(1), { email: 'e1', payment: 'c1' })]);
    expect(await rowsOf()).toEqual([
      `email e1 gid://shopify/Order/1 ${at(1)} c1`,
      `email e1 gid://shopify/Order/2 ${at(2)} -`,
      `payment c1 gid://shopify/Order/1 ${at(1)} c1`,
    ]);
    await stores.events.deleteForCustomer(shopId, 'gid://shopify/Customer/1', ['gid://shopify/Order/1']);
    expect(await rowsOf()).toEqual([`email e1 gid://shopify/Order/2 ${at(2)} -`]);
    await stores.shops.deleteEverything(shopId);
    expect(await rowsOf()).toEqual([]);
  });
});

describe('identity_uses follows every write of orders', () => {
  const shopId = 'uses.myshopify.com';
  const at = (minute: number) => new Date(Date.parse('2026-02-01T00:00:00Z') + minute * 60_000).toISOString();
  const order = (id: number, customer: number | null, minute: number, identity: Record<string, string>) => bareOrder(id, customer, at(minute), identity, 5);

  it('adds uses on insert (earliest first use wins), recomputes on update and delete, and forgets a redacted customer and a deleted shop', async () => {
    await stores.shops.install(shopId, '', 'read_orders');
    await stores.events.upsertAll(shopId, [order(1, 1, 10, { email: 'e1', phone: 'p1' }), order(2, 1, 5, { email: 'e1' }), order(3, null, 7, { email: 'e1', ip: '' })]);
    expect(await uses(shopId)).toEqual([
      `email e1 customer:gid://shopify/Customer/1 ${at(5)}`,
      `email e1 guest:gid://shopify/Order/3 ${at(7)}`,
      `phone p1 customer:gid://shopify/Customer/1 ${at(10)}`,
    ]);
    // An update that drops the email from the earlier order: the use falls back to the later order.
    await stores.events.upsertAll(shopId, [order(2, 1, 5, { phone: 'p1' })]);
    expect(await uses(shopId)).toEqual([
      `email e1 customer:gid://shopify/Customer/1 ${at(10)}`,
      `email e1 guest:gid://shopify/Order/3 ${at(7)}`,
      `phone p1 customer:gid://shopify/Customer/1 ${at(5)}`,
    ]);
    // The guest order turns out to be customer 2's: the guest's use goes, the customer's comes.
    await stores.events.upsertAll(shopId, [order(3, 2, 7, { email: 'e1' })]);
    expect(await uses(shopId)).toContain(`email e1 customer:gid://shopify/Customer/2 ${at(7)}`);
    expect((await uses(shopId)).filter((u) => u.includes('guest:'))).toEqual([]);
    // GDPR: customer 1's records go, and with them every use of theirs.
    await stores.events.deleteForCustomer(shopId, 'gid://shopify/Customer/1', ['gid://shopify/Order/1', 'gid://shopify/Order/2']);
    expect(await uses(shopId)).toEqual([`email e1 customer:gid://shopify/Customer/2 ${at(7)}`]);
    await stores.shops.deleteEverything(shopId);
    expect(await uses(shopId)).toEqual([]);
  });
});

describe('ContextStore.material: plans that do not lean on statistics', () => {
  let fresh: TestDatabase;
  afterAll(async () => {
    await fresh?.drop();
  });

  it('reads only the batch customers’ rows while the statistics still describe a near-empty shop', async () => {
    // A new database whose tables grew faster than autovacuum analyzes them (a new install, a shop's
    // first minutes, the webhook bench): the planner's statistics say the tables are tiny.
    fresh = await createTestDatabase();
    for (const table of ['events', 'identity_uses', 'decisions', 'customers']) await fresh.knex.raw('alter table ?? set (autovacuum_enabled = false)', [table]);
    const freshStores = createStores(fresh.knex);
    const shopId = 'growing.myshopify.com';
    await freshStores.shops.install(shopId, '', 'read_orders');
    await fresh.knex.raw('analyze');
    const base = Date.parse('2026-03-01T00:00:00Z');
    const orders = Array.from({ length: 3000 }, (_, n) =>
      bareOrder(n, n % 1500, new Date(base + n * 1000).toISOString(), { email: `email-of-${n % 1500}`, address: 'hash-of-a-shared-warehouse' }),
    );
    for (let i = 0; i < orders.length; i += 500) await freshStores.events.upsertAll(shopId, orders.slice(i, i + 500));

    // The plan of the material of a batch of 10 orders (10 customers, 2 orders each), run with EXPLAIN ANALYZE.
    let plan: PlanNode | undefined;
    const explaining = {
      raw: (sql: string, bindings: unknown) => {
        const explained = fresh.knex.raw(`explain (analyze, format json) ${sql}`, bindings as Knex.RawBinding).then(({ rows }) => {
          plan = (rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan;
          return { rows: [{ events: [], past: [], outcomes: [], overrides: [], uses: [] }] };
        });
        // As a knex raw query: awaited directly or after `.options()` (the statement's name, not wanted here).
        return Object.assign(explained, { options: () => explained });
      },
    } as unknown as Knex;
    const batch = orders.slice(2990).map((e) => (e as { order: OrderRecord }).order);
    await new ContextStore(explaining, new ProductStore(explaining)).material(shopId, batch.map((o) => o.customerId!), batch.map((o) => o.id), batch[0]!.createdAt);
    const read = rowsRead(plan!);
    // What the batch needs: its customers' 20 orders, plus the earliest users of its identifiers (RING_LIST_LIMIT + 2
    // of the shared warehouse address, and each customer's own email). A scan of the shop reads thousands.
    expect(read.get('events') ?? 0).toBeLessThan(200);
    expect(read.get('identity_uses') ?? 0).toBeLessThan(200);
    // And the real query gives the batch its customers' orders.
    const material = await freshStores.context.material(shopId, batch.map((o) => o.customerId!), batch.map((o) => o.id), batch[0]!.createdAt);
    expect(material.events.filter((e) => e.type === 'order')).toHaveLength(20);
  });
});

interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

/** Rows each table's scans read in an EXPLAIN ANALYZE plan (returned or filtered out, over every loop). */
function rowsRead(node: PlanNode, into = new Map<string, number>()): Map<string, number> {
  if (node['Relation Name']) {
    const read = (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0)) * node['Actual Loops'];
    into.set(node['Relation Name'], (into.get(node['Relation Name']) ?? 0) + read);
  }
  for (const child of node.Plans ?? []) rowsRead(child, into);
  return into;
}

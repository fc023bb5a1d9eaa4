import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRings } from '../../engine/rings/index.ts';
import { variant, type Body } from '../shopify/fixtures/webhookVariants.ts';
import { normalizeWebhook } from '../shopify/normalize/normalizeWebhook.ts';
import type { RingMatchInput } from '../store/RingStore.ts';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { createStores, type Stores } from '../store/index.ts';
import { RingService } from './RingService.ts';

/**
 * The live path of fraud rings (issue 23, item 4) on real PostgreSQL, without the scoring worker:
 * orders are Shopify's orders/create sample and their order_transactions/create, varied per buyer
 * and normalized with the shop's own key (so the device and card hashes are the normalizers'),
 * stored as the webhook routes store them, then linked with `RingService.linkLive` as the scoring
 * worker will once they are decided. Every shop's rebuild must then find nothing new.
 */

let db: TestDatabase;
let stores: Stores;
const requested: string[] = [];
const customerGid = (n: number) => `gid://shopify/Customer/${710000 + n}`;
const orderGid = (n: number) => `gid://shopify/Order/${910000 + n}`;
const service = (options: ConstructorParameters<typeof RingService>[2] = {}) => new RingService(stores, async (shopId) => void requested.push(shopId), options);

/** A buyer's checkout: which browser (a user agent and window width) and card, and where it ships. */
interface Checkout {
  device?: number;
  card?: number;
  address?: string;
}

/** Order `n` of customer `customer` (null: a guest), `hour` hours into the day: its orders/create body and, with a card, its order_transactions/create body. */
function bodies(n: number, customer: number | null, hour: number, checkout: Checkout): { order: Body; transaction?: Body } {
  const at = new Date(Date.parse('2026-03-01T00:00:00Z') + hour * 3_600_000).toISOString();
  const buyer = customer ?? 5000 + n;
  const order = variant('orders_create', (o) => {
    Object.assign(o, {
      id: 910000 + n,
      admin_graphql_api_id: orderGid(n),
      name: `#${1000 + n}`,
      created_at: at,
      processed_at: at,
      updated_at: at,
      cancelled_at: null,
      cancel_reason: null,
      financial_status: 'paid',
      test: false,
      email: `buyer${buyer}@mailbox.example`,
      contact_email: `buyer${buyer}@mailbox.example`,
      phone: null,
      browser_ip: `198.51.100.${buyer % 250}`,
      client_details:
        checkout.device === undefined
          ? { browser_ip: `198.51.100.${buyer % 250}`, user_agent: `Mozilla/5.0 (Buyer ${buyer})`, accept_language: 'en-US', browser_width: 1280 }
          : { browser_ip: `198.51.100.${buyer % 250}`, user_agent: `Mozilla/5.0 (Shared browser ${checkout.device})`, accept_language: 'en-US', browser_width: 390 },
    });
    const street = checkout.address ?? `${buyer} Pine Avenue`;
    for (const address of [o.shipping_address, o.billing_address]) Object.assign(address, { address1: street, address2: null, phone: null });
    if (customer === null) o.customer = null;
    else Object.assign(o.customer, { id: 710000 + customer, admin_graphql_api_id: customerGid(customer), email: `buyer${buyer}@mailbox.example`, phone: null });
  });
  const card = checkout.card;
  if (card === undefined) return { order };
  const transaction = variant('order_transactions_create', (t) => {
    Object.assign(t, { id: 120000 + n, admin_graphql_api_id: `gid://shopify/OrderTransaction/${120000 + n}`, order_id: 910000 + n, kind: 'sale', status: 'success', created_at: at });
    Object.assign(t.payment_details, {
      credit_card_bin: '486745',
      credit_card_number: `•••• •••• •••• ${String(1000 + card).slice(-4)}`,
      credit_card_company: 'Visa',
      credit_card_name: `Card Holder ${card}`,
      credit_card_expiration_month: 11,
      credit_card_expiration_year: 2031,
    });
  });
  return { order, transaction };
}

/** Stores the order (and its transaction: the card becomes the order's `identity.payment`) as the webhook routes do; returns it as the caller of `linkLive` has it. */
async function store(shop: string, n: number, customer: number | null, hour: number, checkout: Checkout = {}): Promise<RingMatchInput> {
  const key = (await stores.shops.get(shop))!.hash_key;
  const { order, transaction } = bodies(n, customer, hour, checkout);
  const normalized = normalizeWebhook('orders/create', JSON.stringify(order), key);
  if (normalized.kind !== 'order') throw new Error(normalized.kind);
  await stores.events.upsert(shop, { type: 'order', order: normalized.order });
  if (transaction) {
    const t = normalizeWebhook('order_transactions/create', JSON.stringify(transaction), key);
    if (t.kind !== 'transaction') throw new Error(t.kind);
    await stores.events.upsert(shop, { type: 'transaction', transaction: t.transaction });
    await stores.events.refreshCheckoutFacts(shop, t.transaction.orderId);
  }
  const stored = (await stores.db('events').where({ shop_id: shop, kind: 'order', resource_id: normalized.order.id }).first('body')).body as { identity: Record<string, string> };
  if (checkout.card !== undefined) expect(stored.identity.payment).toBeTruthy();
  return { orderId: normalized.order.id, customerId: normalized.order.customerId ?? null, at: normalized.order.createdAt, identity: stored.identity };
}

/** The shop's stored rings as member-key sets, by ring key. */
async function ringsOf(shop: string): Promise<Record<string, string[]>> {
  const rows: { ring_key: string; member_key: string }[] = await stores.db('rings as r').join('ring_members as m', 'm.ring_id', 'r.id').where('r.shop_id', shop).orderBy('m.member_key').select('r.ring_key', 'm.member_key');
  const out: Record<string, string[]> = {};
  for (const row of rows) (out[row.ring_key] ??= []).push(row.member_key);
  return out;
}

/** A rebuild must find nothing the live path had not: same rings, same members. */
async function expectRebuildFindsNothingNew(shop: string, options: ConstructorParameters<typeof RingService>[2] = {}) {
  const live = await ringsOf(shop);
  const stats = await service(options).run(shop);
  expect(stats.vsStored).toMatchObject({ ringsNew: 0, ringsChanged: 0, ringsGone: 0, membersNew: 0, membersGone: 0 });
  expect(await ringsOf(shop)).toEqual(live);
  expect((await stores.rings.build(shop))!.stats!.vsStored).toMatchObject({ ringsNew: 0, membersNew: 0 });
}

const SHOPS = ['live-a.myshopify.com', 'live-b.myshopify.com', 'live-hub.myshopify.com', 'live-race.myshopify.com', 'live-cap.myshopify.com', 'live-split.myshopify.com', 'live-relink.myshopify.com'];
beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
  for (const shop of SHOPS) await stores.shops.install(shop, null, null);
});
afterAll(async () => {
  await db?.drop();
});

describe('RingService.linkLive', () => {
  const [A, B] = SHOPS as [string, string];

  it('forms a ring when a third account shares the device of one and the card of another, grows when a fourth uses the card, and stores an alert for each', async () => {
    const rings = service();
    // Account 1 checks out from browser 7, account 2 pays with card 7: no link yet.
    expect(await rings.linkLive(A, [await store(A, 1, 1, 1, { device: 7 })])).toEqual({ alerts: [], changedCustomers: [], changedGuestOrders: [], rings: [], deferred: false });
    expect((await rings.linkLive(A, [await store(A, 2, 2, 2, { card: 7 })])).rings).toEqual([]);
    // Account 3 uses both: one ring of three.
    const third = await store(A, 3, 3, 3, { device: 7, card: 7 });
    const formed = await rings.linkLive(A, [third]);
    const members = [1, 2, 3].map((n) => `customer:${customerGid(n)}`);
    expect(formed.rings).toEqual([{ id: expect.any(String), key: members[0], change: 'formed', members, joined: members }]);
    expect(formed.changedCustomers.sort()).toEqual([1, 2, 3].map(customerGid));
    expect(formed.alerts).toEqual([expect.objectContaining({ shop_id: A, ring_key: members[0], ring_id: formed.rings[0]!.id, order_id: orderGid(3), customer_id: customerGid(3), member: false, matched: ['device', 'payment'], ring_members: 3 })]);
    const detail = (await stores.rings.get(A, formed.rings[0]!.id!))!;
    expect(detail.links.map((l) => [l.source, l.target, l.kinds])).toEqual([
      [members[0], members[2], ['device']],
      [members[1], members[2], ['payment']],
    ]);
    expect(detail.ring).toMatchObject({ ring_key: members[0], members: 3 });

    // Account 4 pays with the same card: the ring grows, keeps its row, and alerts.
    const grown = await rings.linkLive(A, [await store(A, 4, 4, 4, { card: 7 })]);
    expect(grown.rings).toEqual([{ id: formed.rings[0]!.id, key: members[0], change: 'grew', members: [...members, `customer:${customerGid(4)}`], joined: [`customer:${customerGid(4)}`] }]);
    expect(grown.changedCustomers.sort()).toEqual([1, 2, 3, 4].map(customerGid));
    expect(grown.alerts).toEqual([expect.objectContaining({ order_id: orderGid(4), member: false, matched: ['payment'], ring_members: 4, ring_id: formed.rings[0]!.id })]);
    expect((await stores.rings.alerts(A)).map((a) => [a.order_id, a.ring_id])).toEqual([
      [orderGid(4), formed.rings[0]!.id],
      [orderGid(3), formed.rings[0]!.id],
    ]);

    // A member orders again with their card: the ring is updated (no one joined), the order alerts as a member's, once.
    const again = await store(A, 5, 2, 5, { card: 7 });
    const updated = await rings.linkLive(A, [again]);
    expect(updated.rings.map((r) => r.change)).toEqual(['updated']);
    expect(updated.changedCustomers).toEqual([]);
    expect(updated.alerts).toEqual([expect.objectContaining({ order_id: orderGid(5), member: true, matched: ['payment'] })]);
    expect((await rings.linkLive(A, [again])).alerts).toEqual([]);
    expect(await stores.rings.count(A)).toBe(1);
    // A stranger links no one, and alerts nothing.
    expect(await rings.linkLive(A, [await store(A, 6, 6, 6)])).toMatchObject({ rings: [], alerts: [] });
    await expectRebuildFindsNothingNew(A);
  });

  it('merges two rings an order links, takes in guest orders, and tells their order ids apart from customers', async () => {
    const rings = service();
    await rings.linkLive(B, [await store(B, 1, 1, 1, { device: 1 }), await store(B, 2, 2, 2, { device: 1 })]);
    await rings.linkLive(B, [await store(B, 3, null, 3, { card: 3 }), await store(B, 4, 4, 4, { card: 3 })]);
    expect(Object.values(await ringsOf(B)).map((m) => m.length)).toEqual([2, 2]);
    // Customer 2 pays with card 3: the two rings are one; the earlier ring keeps its row.
    const before = await stores.rings.list(B);
    const merged = await rings.linkLive(B, [await store(B, 5, 2, 5, { card: 3 })]);
    expect(merged.rings).toEqual([expect.objectContaining({ key: `customer:${customerGid(1)}`, change: 'grew', joined: [`guest:${orderGid(3)}`, `customer:${customerGid(4)}`] })]);
    expect(merged.rings[0]!.id).toBe(before.find((r) => r.ring_key === `customer:${customerGid(1)}`)!.id);
    expect(merged.changedCustomers.sort()).toEqual([1, 2, 4].map(customerGid));
    expect(merged.changedGuestOrders).toEqual([orderGid(3)]);
    expect(await stores.rings.count(B)).toBe(1);
    await expectRebuildFindsNothingNew(B);
  });

  it('reads a hub identifier only deep enough to tell it is one: a ring beside a warehouse address stays two customers, read from a neighbourhood of two', async () => {
    const HUB = SHOPS[2]!;
    const rings = service();
    // 30 customers ship to one warehouse address (a hub: more than maxSharedWith + 1 = 11 users).
    for (let n = 1; n <= 30; n++) await store(HUB, n, n, n, { address: '1 Warehouse Way' });
    // Linked as one late batch (the live path had not run): the warehouse links no one.
    const batch = await stores.db('events').where({ shop_id: HUB, kind: 'order' }).select('resource_id', 'customer_id', 'occurred_at');
    const all = await rings.linkLive(HUB, batch.map((r) => ({ orderId: r.resource_id, customerId: r.customer_id, at: r.occurred_at.toISOString(), identity: {} })));
    expect(all).toMatchObject({ rings: [], deferred: false });
    // Customers 31 and 32 share a browser, and ship to the warehouse too.
    await rings.linkLive(HUB, [await store(HUB, 31, 31, 31, { address: '1 Warehouse Way', device: 9 })]);
    const link = await stores.rings.linkLive(HUB, [await store(HUB, 32, 32, 32, { address: '1 Warehouse Way', device: 9 })]);
    expect(link.neighbourhood).toBe(2);
    expect(link.changes.map((c) => [c.change, c.ring!.members.map((m) => m.key), c.ring!.identifiers.map((x) => x.kind).sort()])).toEqual([
      ['formed', [`customer:${customerGid(31)}`, `customer:${customerGid(32)}`], ['device', 'email', 'email', 'ip', 'ip']],
    ]);
    await expectRebuildFindsNothingNew(HUB);
    expect((await stores.rings.build(HUB))!.stats).toMatchObject({ hubIdentifiers: 1, rings: 1 });
  });

  it('dissolves a ring whose only link became a hub, as the rebuild does', async () => {
    const SPLIT = SHOPS[5]!;
    const options = { maxSharedWith: 2 };
    const rings = service(options);
    for (let n = 1; n <= 3; n++) await rings.linkLive(SPLIT, [await store(SPLIT, n, n, n, { address: '9 Shared Street' })]);
    expect(Object.values(await ringsOf(SPLIT))).toEqual([[1, 2, 3].map((n) => `customer:${customerGid(n)}`)]);
    // A fourth user makes the address a hub (more than maxSharedWith + 1 = 3 users): no link is left.
    const gone = await rings.linkLive(SPLIT, [await store(SPLIT, 4, 4, 4, { address: '9 Shared Street' })]);
    expect(gone.rings).toEqual([{ id: null, key: `customer:${customerGid(1)}`, change: 'gone', members: [], joined: [] }]);
    expect(gone.alerts).toEqual([]);
    expect(await stores.rings.count(SPLIT)).toBe(0);
    await expectRebuildFindsNothingNew(SPLIT, options);
  });

  it('two batches of one shop linking one component at once make one ring, with every order alerted once', async () => {
    const RACE = SHOPS[3]!;
    // Six accounts on one browser, stored first; then each order's batch links at the same time, through services of their own.
    const orders = [];
    for (let n = 1; n <= 6; n++) orders.push(await store(RACE, n, n, n, { device: 4 }));
    const results = await Promise.all(orders.map((order) => service().linkLive(RACE, [order])));
    expect(await stores.rings.count(RACE)).toBe(1);
    expect(Object.values(await ringsOf(RACE))).toEqual([[1, 2, 3, 4, 5, 6].map((n) => `customer:${customerGid(n)}`)]);
    // The first to take the lock formed it (all six were stored); the others found it as it is.
    expect(results.flatMap((r) => r.rings.map((c) => c.change)).sort()).toEqual(['formed', 'updated', 'updated', 'updated', 'updated', 'updated']);
    expect(results.flatMap((r) => r.alerts.map((a) => a.order_id)).sort()).toEqual(orders.map((o) => o.orderId).sort());
    expect((await stores.rings.alerts(RACE)).length).toBe(6);
    await expectRebuildFindsNothingNew(RACE);
  });

  it('a member linked live while a rebuild read is gone from the build, and linked again after it, without a second alert', async () => {
    const RELINK = SHOPS[6]!;
    const rings = service();
    for (let n = 1; n <= 2; n++) await rings.linkLive(RELINK, [await store(RELINK, n, n, n, { device: 5 })]);
    // What RingService.run does, with an order linked between its read and its replace.
    const startedAt = await stores.rings.markRunning(RELINK);
    const history = await stores.rings.history(RELINK);
    const late = await rings.linkLive(RELINK, [await store(RELINK, 3, 3, 3, { device: 5 })]);
    expect(late.rings.map((r) => [r.change, r.members.length])).toEqual([['grew', 3]]);
    expect(await stores.rings.replace(RELINK, buildRings(history))).toMatchObject({ ringsChanged: 1, membersGone: 1, membersNew: 0, sample: { membersGone: [`customer:${customerGid(3)}`] } });
    expect(Object.values(await ringsOf(RELINK)).map((m) => m.length)).toEqual([2]);
    const missed = await stores.rings.ordersSince(RELINK, new Date(startedAt.getTime() - 60_000));
    expect(missed.map((o) => o.orderId)).toContain(orderGid(3));
    const relinked = await stores.rings.linkLive(RELINK, missed, { alerts: false });
    expect(relinked.changes.map((c) => c.change)).toEqual(['grew']);
    expect(relinked.alerts).toEqual([]);
    expect(Object.values(await ringsOf(RELINK)).map((m) => m.length)).toEqual([3]);
    expect((await stores.rings.alerts(RELINK)).map((a) => a.order_id).sort()).toEqual([orderGid(2), orderGid(3)]);
    await expectRebuildFindsNothingNew(RELINK);
  });

  it('past maxNeighbourhood writes nothing, alerts the matches with the known rings, and asks for a rebuild', async () => {
    const CAP = SHOPS[4]!;
    for (let n = 1; n <= 5; n++) await store(CAP, n, n, n, { device: 2 });
    await service().linkLive(CAP, [await store(CAP, 6, 6, 6, { device: 2 })]);
    expect(await stores.rings.count(CAP)).toBe(1);
    requested.length = 0;
    const capped = await service({ maxNeighbourhood: 3 }).linkLive(CAP, [await store(CAP, 7, 7, 7, { device: 2 })]);
    expect(capped).toMatchObject({ deferred: true, rings: [], changedCustomers: [] });
    expect(capped.alerts).toEqual([expect.objectContaining({ order_id: orderGid(7), member: false, ring_members: 6 })]);
    expect(requested).toEqual([CAP]);
    expect((await stores.rings.build(CAP))!.status).toBe('queued');
    // The rebuild finds the member the live path left to it, and says so.
    const stats = await service().run(CAP);
    expect(stats.vsStored).toMatchObject({ ringsNew: 0, ringsChanged: 1, membersNew: 1, sample: { membersNew: [`customer:${customerGid(7)}`] } });
  });
});

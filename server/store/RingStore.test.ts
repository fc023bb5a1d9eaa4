import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../engine/history/index.ts';
import { buildRings } from '../../engine/rings/index.ts';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { createStores, type Stores } from './index.ts';

// One database for the file; two shops whose customers share identifier hashes in the same
// way, so each builds a ring with the same key: alerts, members and GDPR stay in their shop.
let db: TestDatabase;
let stores: Stores;
const A = 'rings-a.myshopify.com';
const B = 'rings-b.myshopify.com';
const customerId = (n: number) => `gid://shopify/Customer/${n}`;

const order = (n: number, customer: number, identity: Record<string, string>, day: number): HistoryEvent =>
  ({ type: 'order', order: { id: `gid://shopify/Order/${n}`, customerId: customerId(customer), createdAt: `2026-10-${String(day).padStart(2, '0')}T10:00:00.000Z`, totalPrice: 10, currency: 'EUR', lineItems: [], discountCodes: [], gateways: [], tags: [], identity } }) as unknown as HistoryEvent;

async function rebuild(shop: string): Promise<void> {
  await stores.rings.markRunning(shop);
  await stores.rings.replace(shop, buildRings(await stores.rings.history(shop)));
}

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
  for (const shop of [A, B]) await stores.shops.install(shop, 'shpat_test', 'read_orders');
  // Customers 1-2-3 share a device and an address (a ring); customer 4 is alone.
  const history = [
    order(1, 1, { device: 'dev-1', address: 'addr-1' }, 1),
    order(2, 2, { device: 'dev-1', address: 'addr-1' }, 2),
    order(3, 3, { address: 'addr-1', email: 'mail-3' }, 3),
    order(4, 4, { email: 'mail-4' }, 4),
  ];
  await stores.events.upsertAll(A, history);
  await stores.events.upsertAll(B, history.slice(0, 2));
});
afterAll(async () => {
  await db?.drop();
});

describe('RingStore', () => {
  it('tracks a build from request to done, per shop', async () => {
    await stores.rings.requestBuild(A);
    expect(await stores.rings.build(A)).toMatchObject({ status: 'queued', error: null });
    expect(await stores.rings.build(B)).toBeUndefined();
    await stores.rings.markRunning(A);
    await stores.rings.markFailed(A, 'out of memory');
    expect(await stores.rings.build(A)).toMatchObject({ status: 'failed', error: 'out of memory' });
    await rebuild(A);
    await rebuild(B);
    expect(await stores.rings.build(A)).toMatchObject({ status: 'done', error: null, stats: { rings: 1 } });
  });

  it('stores each shop’s rings with their members and links; a ring of one shop is not found in the other', async () => {
    const [ringA] = await stores.rings.list(A);
    const [ringB] = await stores.rings.list(B);
    expect(ringA).toMatchObject({ members: 3 });
    expect(ringB).toMatchObject({ members: 2, ring_key: ringA!.ring_key });
    expect(await stores.rings.count(A)).toBe(1);
    expect(await stores.rings.list(A, { minScore: 101 })).toEqual([]);
    const detail = await stores.rings.get(A, ringA!.id);
    expect(detail!.members.map((member) => member.customer_id)).toEqual([customerId(1), customerId(2), customerId(3)]);
    expect(detail!.links.length).toBeGreaterThanOrEqual(2);
    expect(await stores.rings.get(B, ringA!.id)).toBeUndefined();
  });

  it('a rebuild replaces the shop’s rings only', async () => {
    const before = (await stores.rings.list(B))[0]!.id;
    await rebuild(A);
    expect((await stores.rings.list(B))[0]!.id).toBe(before);
    expect(await stores.rings.count(A)).toBe(1);
  });

  it('alerts a ring once per order that uses one of its identifiers, in the shop that has the ring', async () => {
    const newOrder = { orderId: 'gid://shopify/Order/9', customerId: customerId(9), at: '2026-11-01T10:00:00.000Z', identity: { device: 'dev-1', address: 'addr-1', email: 'mail-9' } };
    const [alert] = await stores.rings.alertMatches(A, [newOrder]);
    expect(alert).toMatchObject({ shop_id: A, order_id: 'gid://shopify/Order/9', member: false, ring_members: 3 });
    expect([...alert!.matched].sort()).toEqual(['address', 'device']);
    expect(await stores.rings.alertMatches(A, [newOrder])).toEqual([]);
    // A member ordering again is flagged as a member; an order matching nothing alerts nothing.
    const [member] = await stores.rings.alertMatches(A, [{ orderId: 'gid://shopify/Order/10', customerId: customerId(2), at: '2026-11-02T10:00:00.000Z', identity: { device: 'dev-1' } }]);
    expect(member).toMatchObject({ member: true });
    expect(await stores.rings.alertMatches(A, [{ orderId: 'gid://shopify/Order/11', customerId: null, at: '2026-11-02T10:00:00.000Z', identity: { email: 'mail-4' } }])).toEqual([]);
    expect((await stores.rings.alerts(A)).map((row) => row.order_id)).toEqual(['gid://shopify/Order/10', 'gid://shopify/Order/9']);
    expect((await stores.rings.alerts(A))[0]!.ring_id).toBe((await stores.rings.list(A))[0]!.id);
    expect(await stores.rings.alerts(B)).toEqual([]);
  });

  it('links a live order into its own shop’s ring only; a rebuild then finds nothing new', async () => {
    // Shop B's ring is customers 1-2 (dev-1, addr-1); customer 3 of shop B now ships to addr-1 too.
    await stores.events.upsertAll(B, [order(3, 3, { address: 'addr-1', email: 'mail-3' }, 3)]);
    const ringsOfA = await stores.rings.list(A);
    const link = await stores.rings.linkLive(B, [{ orderId: 'gid://shopify/Order/3', customerId: customerId(3), at: '2026-10-03T10:00:00.000Z', identity: {} }]);
    expect(link).toMatchObject({ deferred: false, neighbourhood: 3, changes: [{ change: 'grew', joined: [`customer:${customerId(3)}`] }] });
    expect(link.alerts).toEqual([expect.objectContaining({ shop_id: B, order_id: 'gid://shopify/Order/3', member: false, matched: ['address'], ring_members: 3 })]);
    expect(await stores.rings.list(A)).toEqual(ringsOfA);
    await stores.rings.markRunning(B);
    expect(await stores.rings.replace(B, buildRings(await stores.rings.history(B)))).toMatchObject({ ringsNew: 0, ringsChanged: 0, membersNew: 0, membersGone: 0, ringsGone: 0 });
  });

  it('customers/redact deletes the shop’s rings the customer was in, and their alerts', async () => {
    expect(await stores.rings.forgetCustomer(A, customerId(9))).toBe(1);
    expect(await stores.rings.forgetCustomer(A, customerId(2))).toBe(2);
    expect(await stores.rings.count(A)).toBe(0);
    expect(await stores.rings.alerts(A)).toEqual([]);
    expect(await stores.rings.count(B)).toBe(1);
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateShop } from '../../../scenarios/generateShop.ts';
import type { OrderRecord } from '../../../sdk/index.ts';
import { makeOrder } from '../../../sdk/testing/index.ts';
import { startTestApp, type TestApp } from '../../testing/testApp.ts';

const SHOP = 'rings.myshopify.com';
const OTHER = 'rings-other.myshopify.com';
const END = '2025-06-01T00:00:00.000Z';
const shop = generateShop({ seed: 9, customers: 70, start: '2025-01-01', days: 150 });
const ringCustomers = new Set(shop.labels.filter((l) => l.pattern === 'fraud-ring').map((l) => l.customerId));
let app: TestApp;
let dir: string;

async function call(method: 'GET' | 'POST', url: string, as = SHOP) {
  const response = await app.server.inject({ method, url, headers: { authorization: `Bearer ${await app.sessionToken(as)}` } });
  return { status: response.statusCode, body: JSON.parse(response.payload) };
}

/** Stores a new live order and scores it through the real worker; resolves with its decision's trace. */
async function liveOrder(order: OrderRecord) {
  await app.stores.events.upsert(SHOP, { type: 'order', order });
  await app.queue.sendScore({ shopId: SHOP, kind: 'order', subjectId: order.id });
  const row = await app.waitFor(() => app.stores.decisions.bySubject(SHOP, order.id), `the decision of ${order.id}`);
  return row.trace as { signals: { id: string; status: string; strength: number; evidence?: Record<string, unknown> }[] };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'refundsentry-rings-'));
  const path = join(dir, 'history.jsonl');
  await writeFile(path, shop.events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  app = await startTestApp();
  await app.installShop(SHOP);
  await app.installShop(OTHER);
  await app.backfill.start(SHOP, { kind: 'file', path }, { days: 365, to: END });
  await app.waitFor(async () => (await app.backfill.progress(SHOP)).status === 'done', 'the backfill');
  // The finished backfill requests a rings build; the job runs it.
  await app.waitFor(async () => (await app.stores.rings.build(SHOP))?.status === 'done', 'the rings build after the backfill');
});
afterAll(async () => {
  await app?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the fraud rings API', () => {
  it('lists the rings the job found after the backfill: exactly the generated ring, scored with its parts', async () => {
    const list = await call('GET', '/api/rings');
    expect(list.status).toBe(200);
    expect(list.body.build).toMatchObject({ status: 'done', stats: { hubIdentifiers: 0 } });
    expect(list.body.rings.length).toBeGreaterThan(0);
    const members = new Set<string>();
    for (const ring of list.body.rings) {
      const detail = await call('GET', `/api/rings/${ring.id}`);
      expect(detail.status).toBe(200);
      for (const m of detail.body.memberList) members.add(m.customerId);
      const points = ring.components.points as Record<string, number>;
      expect(ring.score).toBeCloseTo(Object.values(points).reduce((a, b) => a + b, 0), 1);
    }
    expect(members).toEqual(ringCustomers);
    // Another shop sees none of it.
    expect((await call('GET', '/api/rings', OTHER)).body).toMatchObject({ rings: [], total: 0, build: { status: 'never' } });
  });

  it('shows one ring: members with their latest zone, links by kind', async () => {
    const [ring] = (await call('GET', '/api/rings')).body.rings;
    const detail = (await call('GET', `/api/rings/${ring.id}`)).body;
    expect(detail.memberList).toHaveLength(ring.members);
    // Every member was scored by the backfill, so each has a zone.
    for (const m of detail.memberList) expect(['low', 'medium', 'high']).toContain(m.zone);
    expect(detail.links.length).toBe((ring.members * (ring.members - 1)) / 2);
    expect(detail.linksByKind).toEqual({ address: detail.links.length, device: detail.links.length, payment: detail.links.length });
    expect(ring.components.chargebacks).toBe(detail.memberList.reduce((s: number, m: { chargebacks: number }) => s + m.chargebacks, 0));
  });

  it('a new order sharing a ring member’s device and payment raises an alert, and the ring signal fires in its decision', async () => {
    const [ring] = (await call('GET', '/api/rings')).body.rings;
    const member = (await call('GET', `/api/rings/${ring.id}`)).body.memberList.find((m: { customerId: string | null }) => m.customerId);
    const theirOrder = shop.events.find((e) => e.type === 'order' && e.order.customerId === member.customerId) as { order: OrderRecord };
    const order = makeOrder({
      id: 'gid://shopify/Order/990001',
      name: '#R990001',
      customerId: 'gid://shopify/Customer/990001',
      createdAt: '2025-06-02T10:00:00Z',
      identity: { device: theirOrder.order.identity.device, payment: theirOrder.order.identity.payment, email: 'fresh-email-hash' },
    });
    const trace = await liveOrder(order);
    const signal = trace.signals.find((s) => s.id === 'customer.fraud-ring')!;
    expect(signal.status).toBe('hit');
    expect(signal.evidence).toMatchObject({ linked: ring.members, kinds: 'device, payment' });
    // The ring alert is stored once the decision is (the live ring link runs right after it, in the same job).
    const alerts = await app.waitFor(async () => {
      const listed = (await call('GET', '/api/rings/alerts')).body.alerts as { orderId: string }[];
      return listed.some((a) => a.orderId === order.id) && listed;
    }, 'the ring alert of the new order');
    expect(alerts).toContainEqual(expect.objectContaining({ orderId: order.id, orderName: '#R990001', ringId: ring.id, member: false, matched: ['device', 'payment'] }));
    expect((await call('GET', `/api/rings/${ring.id}`)).body.alerts.map((a: { orderId: string }) => a.orderId)).toContain(order.id);
  });

  it('an order sharing nothing raises no alert and links no one', async () => {
    const order = makeOrder({ id: 'gid://shopify/Order/990002', customerId: 'gid://shopify/Customer/990002', createdAt: '2025-06-02T11:00:00Z', identity: { device: 'nobody-has-this', email: 'nor-this' } });
    const trace = await liveOrder(order);
    expect(trace.signals.find((s) => s.id === 'customer.fraud-ring')).toMatchObject({ status: 'no_hit', evidence: { linked: 0 } });
    expect((await call('GET', '/api/rings/alerts')).body.alerts.map((a: { orderId: string }) => a.orderId)).not.toContain(order.id);
  });

  it('rebuilds on demand, and refuses bad ids', async () => {
    const before = (await call('GET', '/api/rings')).body.build.finishedAt;
    const started = await call('POST', '/api/rings/rebuild');
    expect(started.status).toBe(202);
    await app.waitFor(async () => {
      const build = (await call('GET', '/api/rings')).body.build;
      return build.status === 'done' && build.finishedAt !== before;
    }, 'the rebuild');
    // The live order that matched has joined the ring (it shares device and payment).
    const ring = (await call('GET', '/api/rings')).body.rings.find((r: { members: number }) => r.members === ringCustomers.size + 1);
    expect(ring).toBeDefined();
    expect((await call('GET', '/api/rings/abc')).status).toBe(400);
    expect((await call('GET', '/api/rings/999999')).status).toBe(404);
    expect((await call('GET', '/api/rings?limit=0')).status).toBe(400);
  });
});

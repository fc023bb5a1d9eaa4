import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateShop } from '../../scenarios/generateShop.ts';
import { startTestApp, DEFAULT_RULESET, type TestApp } from '../testing/testApp.ts';
import { RingService } from './RingService.ts';

/**
 * Issue 23, item 4, done-when: "a ring forms live during a replay without any manual rebuild; the
 * 6-hourly rebuild finds nothing the live path missed". A generated shop (its fraud ring shares a
 * drop address, a browser and a stolen card; honest households share an address, a browser, an IP
 * and sometimes a card) is sent to the app as Shopify would send it: every orders/create,
 * order_transactions/create, fulfilment, return, refund and dispute body, signed, in time order.
 * The scoring worker links each order into the rings once it has decided it (and again when a
 * transaction gives it its card: `ScoringService` → `RingService.linkLive`); a ring alert rule
 * posts to a webhook receiver on loopback. Then the rebuild runs and must find the same rings with
 * the same members.
 */

const SHOP = 'live-replay.myshopify.com';
const generated = generateShop({ seed: 11, customers: 40, days: 90, households: 4, start: '2026-01-01', shopDomain: SHOP });
const ringCustomers = new Set(generated.labels.filter((l) => l.pattern === 'fraud-ring').map((l) => l.customerId));
let app: TestApp;
let rings: RingService;
let server: Server;
const received: { text: string }[] = [];

beforeAll(async () => {
  // Bodies dated months ago are not stale retries here: every delivery is taken.
  app = await startTestApp({ env: { WEBHOOK_STALE_AFTER_HOURS: '100000' } });
  // Not connected to Shopify (no token): nothing is fetched, actions are skipped.
  await app.stores.shops.install(SHOP, null, null);
  await app.stores.rulesets.ensurePublished(SHOP, DEFAULT_RULESET);
  rings = new RingService(app.stores, async () => {
    throw new Error('the test asked for a rebuild');
  });
  // The merchant's webhook receiver, and a rule sending it every ring alert.
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push({ text: body });
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // (Stored directly: the API's session auth wants a connected shop; routes/api/alerts.test.ts covers POST /api/alerts.)
  await app.stores.alerts.addRule(SHOP, { kind: 'ring-alert', minValue: null, threshold: null, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, email: null, secret: 'ring-secret', createdBy: 'test' });
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await new Promise((resolve) => server?.close(resolve));
});

/** The shop's stored rings as sorted member-key lists, by ring key. */
async function storedRings(): Promise<Record<string, string[]>> {
  const rows: { ring_key: string; member_key: string }[] = await app.stores.db('rings as r').join('ring_members as m', 'm.ring_id', 'r.id').where('r.shop_id', SHOP).orderBy('m.member_key').select('r.ring_key', 'm.member_key');
  const out: Record<string, string[]> = {};
  for (const row of rows) (out[row.ring_key] ??= []).push(row.member_key);
  return out;
}

describe('live rings during a replay of signed webhooks', () => {
  it('form as orders are decided, with no rebuild; their alerts reach the receiver; the rebuild then finds nothing new', async () => {
    const { deliveries } = generated;
    let n = 0;
    const send = async (i: number) => {
      const d = deliveries[i]!;
      const response = await app.webhook(d.topic, JSON.stringify(d.body), { shop: SHOP, triggeredAt: d.at, webhookId: `replay-${n}`, eventId: `replay-event-${n++}` });
      expect(response.statusCode, `${d.topic} at ${d.at}: ${response.payload}`).toBe(200);
    };
    for (let i = 0; i < deliveries.length; i++) {
      await send(i);
      if (deliveries[i]!.topic !== 'orders/create') continue;
      const body = deliveries[i]!.body as { id: number | string; admin_graphql_api_id: string };
      // The checkout's transactions come with the order (the card that paid becomes its identity.payment).
      while (deliveries[i + 1]?.topic === 'order_transactions/create' && String((deliveries[i + 1]!.body as { order_id: unknown }).order_id) === String(body.id)) await send(++i);
      // Each order decided before the next is sent, as in the shop's time.
      await app.waitFor(() => app.stores.decisions.bySubject(SHOP, body.admin_graphql_api_id), `the decision of ${body.admin_graphql_api_id}`, 60_000);
    }
    // Every scoring job (and the ring links and revisions it makes) done.
    await app.waitFor(async () => {
      const { rows } = await app.stores.db.raw(`select count(*)::int as n from pgboss.job where name like 'refundsentry-score%' and state in ('created', 'retry', 'active')`);
      return rows[0].n === 0;
    }, 'the scoring queues to be idle', 120_000);
    expect(await app.stores.rings.build(SHOP)).toBeUndefined(); // no rebuild ran
    const live = await storedRings();
    // A ring that formed or grew sent its members' open subjects back for revision (trigger 'ring'):
    // those whose decision changed are revised, and only ring members' are (how many depends on which
    // orders were still open when their ring formed, so no count is asserted).
    const members = new Set(Object.values(live).flat());
    const ringRevised = await app.stores.db('decisions').where({ shop_id: SHOP }).andWhereRaw("trigger->>'kind' = 'ring'").select('customer_id', 'revision');
    for (const row of ringRevised) expect(members.has(`customer:${row.customer_id}`)).toBe(true);
    // The generated fraud ring is one of the live rings, whole.
    expect(Object.values(live)).toContainEqual([...ringCustomers].map((id) => `customer:${id}`).sort());
    expect(Object.keys(live).length).toBeGreaterThan(1);
    // Every live ring's alerts were stored, for the orders that linked it.
    const alerts = await app.stores.rings.alerts(SHOP, { limit: 500 });
    for (const key of Object.keys(live)) expect(alerts.some((a) => a.ring_key === key)).toBe(true);
    // The ring alerts reached the merchant's receiver (the alert queue's jobs, within seconds).
    await app.waitFor(async () => received.length > 0, 'a ring alert at the receiver');
    expect(received.some((r) => r.text.includes('ring'))).toBe(true);

    const stats = await rings.run(SHOP);
    expect(stats.vsStored).toMatchObject({ ringsNew: 0, ringsChanged: 0, ringsGone: 0, membersNew: 0, membersGone: 0 });
    expect(await storedRings()).toEqual(live);
    expect((await app.stores.rings.build(SHOP))!.stats).toMatchObject({ rings: Object.keys(live).length, vsStored: { ringsNew: 0, membersNew: 0 } });
  }, 600_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateShop } from '../../scenarios/generateShop.ts';
import type { IdentityHashes } from '../../sdk/index.ts';
import { startTestApp, DEFAULT_RULESET, type TestApp } from '../testing/testApp.ts';
import { RingService } from './RingService.ts';

/**
 * Issue 23, item 4, done-when: "a ring forms live during a replay without any manual rebuild; the
 * 6-hourly rebuild finds nothing the live path missed". A generated shop (its fraud ring shares a
 * drop address, a browser and a stolen card; honest households share an address, a browser, an IP
 * and sometimes a card) is sent to the app as Shopify would send it: every orders/create,
 * order_transactions/create, fulfilment, return, refund and dispute body, signed, in time order.
 * Each order is linked (`RingService.linkLive`) once the scoring worker has decided it, as the
 * worker's caller will. Then the rebuild runs and must find the same rings with the same members.
 */

const SHOP = 'live-replay.myshopify.com';
const generated = generateShop({ seed: 11, customers: 40, days: 90, households: 4, start: '2026-01-01', shopDomain: SHOP });
const ringCustomers = new Set(generated.labels.filter((l) => l.pattern === 'fraud-ring').map((l) => l.customerId));
let app: TestApp;
let rings: RingService;

beforeAll(async () => {
  // Bodies dated months ago are not stale retries here: every delivery is taken.
  app = await startTestApp({ env: { WEBHOOK_STALE_AFTER_HOURS: '100000' } });
  // Not connected to Shopify (no token): nothing is fetched, actions are skipped.
  await app.stores.shops.install(SHOP, null, null);
  await app.stores.rulesets.ensurePublished(SHOP, DEFAULT_RULESET);
  rings = new RingService(app.stores, async () => {
    throw new Error('the live path asked for a rebuild');
  });
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

/** The shop's stored rings as sorted member-key lists, by ring key. */
async function storedRings(): Promise<Record<string, string[]>> {
  const rows: { ring_key: string; member_key: string }[] = await app.stores.db('rings as r').join('ring_members as m', 'm.ring_id', 'r.id').where('r.shop_id', SHOP).orderBy('m.member_key').select('r.ring_key', 'm.member_key');
  const out: Record<string, string[]> = {};
  for (const row of rows) (out[row.ring_key] ??= []).push(row.member_key);
  return out;
}

describe('live rings during a replay of signed webhooks', () => {
  it('form and grow as orders are decided, with no rebuild; the rebuild then finds nothing new', async () => {
    const { deliveries } = generated;
    let n = 0;
    const send = async (i: number) => {
      const d = deliveries[i]!;
      const response = await app.webhook(d.topic, JSON.stringify(d.body), { shop: SHOP, triggeredAt: d.at, webhookId: `replay-${n}`, eventId: `replay-event-${n++}` });
      expect(response.statusCode, `${d.topic} at ${d.at}: ${response.payload}`).toBe(200);
    };
    let formed = 0;
    let grew = 0;
    for (let i = 0; i < deliveries.length; i++) {
      await send(i);
      if (deliveries[i]!.topic !== 'orders/create') continue;
      const body = deliveries[i]!.body as { id: number | string; admin_graphql_api_id: string };
      // The checkout's transactions come with the order (the card that paid becomes its identity.payment).
      while (deliveries[i + 1]?.topic === 'order_transactions/create' && String((deliveries[i + 1]!.body as { order_id: unknown }).order_id) === String(body.id)) await send(++i);
      const orderId = body.admin_graphql_api_id;
      await app.waitFor(() => app.stores.decisions.bySubject(SHOP, orderId), `the decision of ${orderId}`, 60_000);
      const stored = await app.stores.db('events').where({ shop_id: SHOP, kind: 'order', resource_id: orderId }).first('customer_id', 'occurred_at', 'body');
      const identity = (stored.body as { identity: IdentityHashes }).identity;
      const link = await rings.linkLive(SHOP, [{ orderId, customerId: stored.customer_id, at: stored.occurred_at.toISOString(), identity }]);
      expect(link.deferred).toBe(false);
      formed += link.rings.filter((r) => r.change === 'formed').length;
      grew += link.rings.filter((r) => r.change === 'grew').length;
    }
    expect(await app.stores.rings.build(SHOP)).toBeUndefined(); // no rebuild ran
    const live = await storedRings();
    expect(formed).toBeGreaterThanOrEqual(Object.keys(live).length);
    expect(grew).toBeGreaterThan(0);
    // The generated fraud ring is one of the live rings, whole.
    expect(Object.values(live)).toContainEqual([...ringCustomers].map((id) => `customer:${id}`).sort());
    expect(Object.keys(live).length).toBeGreaterThan(1);
    // Every live ring's alerts were stored, for the orders that linked it.
    const alerts = await app.stores.rings.alerts(SHOP, { limit: 500 });
    for (const key of Object.keys(live)) expect(alerts.some((a) => a.ring_key === key)).toBe(true);

    const stats = await rings.run(SHOP);
    expect(stats.vsStored).toMatchObject({ ringsNew: 0, ringsChanged: 0, ringsGone: 0, membersNew: 0, membersGone: 0 });
    expect(await storedRings()).toEqual(live);
    expect((await app.stores.rings.build(SHOP))!.stats).toMatchObject({ rings: Object.keys(live).length, vsStored: { ringsNew: 0, membersNew: 0 } });
  }, 600_000);
});

import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChosenAction, Decision } from '../../engine/index.ts';
import { loadConfig } from '../config.ts';
import { createStores, type Stores } from '../store/index.ts';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { adminSchemaAvailable, startShopifyDouble, type ShopifyDouble } from '../testing/shopifyDouble.ts';
import { ActionRunner } from './ActionRunner.ts';

// The runner against real Postgres and the Shopify Admin API double (every document validated
// against the 2026-07 schema): one database and one double for the file.
let db: TestDatabase;
let stores: Stores;
let shopify: ShopifyDouble;
let runner: ActionRunner;
const unauthorized: string[] = [];
const retries: { shopId: string; actionId: string; attempt: number; delay: number }[] = [];

const A = 'runner-a.myshopify.com';
const B = 'runner-b.myshopify.com';
const gone = 'runner-gone.myshopify.com';
const TOKEN = 'shpat_runner';
const customer = 'gid://shopify/Customer/1';

beforeAll(async () => {
  if (!adminSchemaAvailable()) return;
  db = await createTestDatabase();
  stores = createStores(db.knex);
  shopify = await startShopifyDouble({ accessToken: TOKEN });
  await stores.shops.install(A, TOKEN, 'write_orders,write_customers');
  await stores.shops.install(B, 'shpat_revoked', 'write_orders,write_customers');
  await stores.shops.install(gone, TOKEN, 'write_orders');
  await stores.shops.markUninstalled(gone);
  const config = loadConfig({ SHOPIFY_API_KEY: 'key', SHOPIFY_API_SECRET: 'secret-0123456789', SHOPIFY_APP_URL: 'https://refundsentry.test', DATABASE_URL: db.url, LOG_LEVEL: 'silent', SHOPIFY_ADMIN_ORIGIN: shopify.origin });
  runner = new ActionRunner({
    stores,
    config,
    log: pino({ level: 'silent' }),
    onUnauthorized: async (shopId) => {
      unauthorized.push(shopId);
    },
    retryLater: async (shopId, actionId, attempt, delay) => {
      retries.push({ shopId, actionId, attempt, delay });
    },
    sleep: async () => {},
    retryBaseSeconds: 30,
  });
});
afterAll(async () => {
  await shopify?.close();
  await db?.drop();
});

let orderN = 0;
/** A HIGH order decision of the shop with these actions pending; returns the action ids by type. */
async function decided(shopId: string, actions: ChosenAction[]): Promise<Record<string, string>> {
  const id = `gid://shopify/Order/${++orderN}`;
  const decision = { schema: 'refundsentry.decision/1', shopId, subject: { kind: 'order', id, at: '2026-11-01T10:00:00.000Z' }, ruleset: { id: 'default', version: 1, contentHash: 'h' }, score: 88, zone: 'high', signals: [], derived: {}, actionRules: [], actions } as unknown as Decision;
  const [written] = await stores.decisions.insertManyWithEffects([{ shopId, decision, orderId: id, customerId: customer, actions: actions.map((action) => ({ action, status: 'pending' as const })) }]);
  return Object.fromEntries(written!.actions.map((action) => [action.type, action.id]));
}
const action = (type: string, extra: Record<string, unknown> = {}) => ({ ruleId: `rule-${type}`, type, ...extra }) as unknown as ChosenAction;
const row = (shopId: string, id: string) => stores.actions.get(shopId, id);

describe.skipIf(!adminSchemaAvailable())('ActionRunner', () => {
  it('tags the customer with the zone through the Admin API, once: a done action is not run again', async () => {
    shopify.state.addCustomer({ id: customer, tags: ['vip', 'refundsentry:low-risk'] });
    const ids = await decided(A, [action('customer.tag')]);
    await runner.run(A, ids['customer.tag']!);
    expect(shopify.state.customers.get(customer)!.tags.sort()).toEqual(['refundsentry:high-risk', 'vip']);
    expect(await row(A, ids['customer.tag']!)).toMatchObject({ status: 'done', attempts: 1 });
    const calls = shopify.requests.length;
    await runner.run(A, ids['customer.tag']!);
    expect(shopify.requests.length).toBe(calls);
  });

  it('holds an order’s fulfilment, and releases only the holds it placed, audited', async () => {
    const ids = await decided(A, [action('fulfillment.hold')]);
    const orderId = `gid://shopify/Order/${orderN}`;
    shopify.state.addOrder({ id: orderId, fulfillmentOrders: [{ id: 'gid://shopify/FulfillmentOrder/1' }] });
    await runner.run(A, ids['fulfillment.hold']!);
    const held = await row(A, ids['fulfillment.hold']!);
    expect(held).toMatchObject({ status: 'done', result: { holds: [{ fulfillmentOrderId: 'gid://shopify/FulfillmentOrder/1' }] } });
    expect(shopify.state.fulfillmentOrder('gid://shopify/FulfillmentOrder/1')!.status).toBe('ON_HOLD');
    const { released } = await runner.release(A, ids['fulfillment.hold']!, 'staff@a');
    expect(released).toHaveLength(1);
    expect(shopify.state.fulfillmentOrder('gid://shopify/FulfillmentOrder/1')!.status).toBe('OPEN');
    expect(await row(A, ids['fulfillment.hold']!)).toMatchObject({ status: 'released', result: { releasedBy: 'staff@a' } });
    expect((await stores.audit.list(A)).map((line) => [line.action, line.subject])).toEqual([['hold.release', ids['fulfillment.hold']]]);
  });

  it('settles without the API what needs none or cannot be done, and never runs another shop’s action', async () => {
    const ids = await decided(A, [action('review.queue', { queue: 'fraud-team' }), action('customer.tag')]);
    const calls = shopify.requests.length;
    await runner.run(A, ids['review.queue']!);
    expect(await row(A, ids['review.queue']!)).toMatchObject({ status: 'done', result: { queue: 'fraud-team' } });
    // A job naming A's action under B: nothing happens to it.
    await runner.run(B, ids['customer.tag']!);
    expect(await row(A, ids['customer.tag']!)).toMatchObject({ status: 'pending', attempts: 0 });
    const ofGone = await decided(gone, [action('customer.tag')]);
    await runner.run(gone, ofGone['customer.tag']!);
    expect(await row(gone, ofGone['customer.tag']!)).toMatchObject({ status: 'skipped', result: { reason: 'shop is uninstalled: no access token' } });
    expect(shopify.requests.length).toBe(calls);
  });

  it('a refused token fails the action with the reason and asks for a reconnect', async () => {
    const ids = await decided(B, [action('customer.tag')]);
    await runner.run(B, ids['customer.tag']!);
    expect(unauthorized).toEqual([B]);
    expect((await row(B, ids['customer.tag']!))!.status).toBe('failed');
    expect((await row(B, ids['customer.tag']!))!.error).toMatch(/reconnect the app/);
  });

  it('a transient failure after the client’s own retries runs the action again later, visibly, with a doubling delay', async () => {
    const ids = await decided(A, [action('customer.tag')]);
    const id = ids['customer.tag']!;
    shopify.throttleNext(1000, '503');
    await runner.run(A, id);
    expect(await row(A, id)).toMatchObject({ status: 'pending', attempts: 1 });
    expect((await row(A, id))!.error).toMatch(/^attempt 1: /);
    await runner.run(A, id);
    expect(retries.filter((retry) => retry.actionId === id).map((retry) => [retry.attempt, retry.delay])).toEqual([[1, 30], [2, 60]]);
    shopify.throttleNext(0, '503');
    await runner.run(A, id);
    expect(await row(A, id)).toMatchObject({ status: 'done', attempts: 3 });
  });
});

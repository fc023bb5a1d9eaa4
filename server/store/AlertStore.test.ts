import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { createStores, type Stores } from './index.ts';

let db: TestDatabase;
let stores: Stores;
const A = 'alert-store-a.myshopify.com';
const B = 'alert-store-b.myshopify.com';

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
  for (const shop of [A, B]) await stores.shops.install(shop, 'shpat_test', 'read_orders');
});
afterAll(async () => {
  await db?.drop();
});

describe('AlertStore', () => {
  it('records an event once per rule, scoped by shop, and logs attempts', async () => {
    const rule = await stores.alerts.addRule(A, { kind: 'high-order-value', minValue: 250, url: 'https://hooks.example/a', email: null, secret: 's'.repeat(64), createdBy: 'staff@a' });
    const ring = await stores.alerts.addRule(A, { kind: 'ring-alert', minValue: null, url: 'https://hooks.example/r', email: null, secret: 'r'.repeat(64), createdBy: 'staff@a' });
    expect((await stores.alerts.enabledRulesCached(A)).map((r) => [r.kind, r.min_value])).toEqual([['high-order-value', '250.00'], ['ring-alert', null]]);
    expect(await stores.alerts.enabledRulesCached(B)).toEqual([]);
    const event = { ruleId: rule.id, eventKey: 'order:gid://shopify/Order/1', facts: { orderId: 'gid://shopify/Order/1' } };
    const first = await stores.alerts.recordDeliveries(A, [event, { ...event, ruleId: ring.id }]);
    expect(first).toHaveLength(2);
    // The same event for the same rule again: nothing new.
    expect(await stores.alerts.recordDeliveries(A, [event])).toEqual([]);
    const id = first[0]!.id;
    expect(await stores.alerts.delivery(B, id)).toBeUndefined();
    await stores.alerts.recordAttempt(A, id, { ok: false, responseStatus: 502, error: 'the receiver answered HTTP 502', final: false });
    expect((await stores.alerts.delivery(A, id))!.delivery).toMatchObject({ status: 'retrying', attempts: 1, response_status: 502, last_error: 'the receiver answered HTTP 502', sent_at: null });
    await stores.alerts.recordAttempt(A, id, { ok: true, responseStatus: 204, error: null, final: false });
    expect((await stores.alerts.delivery(A, id))!.delivery).toMatchObject({ status: 'sent', attempts: 2, response_status: 204, last_error: 'the receiver answered HTTP 502', sent_at: expect.any(Date) });
    await stores.alerts.recordAttempt(A, first[1]!.id, { ok: false, responseStatus: null, error: 'not delivered: ECONNREFUSED', final: true });
    expect((await stores.alerts.deliveries(A)).map((d) => [d.rule_id, d.status, d.attempts])).toEqual([[ring.id, 'failed', 1], [rule.id, 'sent', 2]]);
    expect(await stores.alerts.deliveries(B)).toEqual([]);
    // Deleting a rule (only in its shop) takes its log with it; the live path's cache is forgotten by the caller.
    expect(await stores.alerts.deleteRule(B, rule.id)).toBe(false);
    expect(await stores.alerts.deleteRule(A, rule.id)).toBe(true);
    stores.alerts.forget(A);
    expect((await stores.alerts.enabledRulesCached(A)).map((r) => r.id)).toEqual([ring.id]);
    expect((await stores.alerts.deliveries(A)).map((d) => d.rule_id)).toEqual([ring.id]);
  });
});

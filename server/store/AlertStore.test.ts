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
    const rule = await stores.alerts.addRule(A, { kind: 'high-order-value', minValue: 250, threshold: null, url: 'https://hooks.example/a', email: null, secret: 's'.repeat(64), createdBy: 'staff@a' });
    const ring = await stores.alerts.addRule(A, { kind: 'ring-alert', minValue: null, threshold: null, url: 'https://hooks.example/r', email: null, secret: 'r'.repeat(64), createdBy: 'staff@a' });
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

  it('claims a delivery for one attempt at a time, and finds those recorded but never queued', async () => {
    const rule = await stores.alerts.addRule(A, { kind: 'ring-alert', minValue: null, threshold: null, url: 'https://hooks.example/c', email: null, secret: 'c'.repeat(64), createdBy: 'staff@a' });
    const [row] = await stores.alerts.recordDeliveries(A, [{ ruleId: rule.id, eventKey: 'ring-alert:claims', facts: {} }]);
    expect(row).toMatchObject({ status: 'pending', queued_at: null, lease_until: null });
    // Not yet a minute old: not the sweeper's; at 0 s it is.
    expect((await stores.alerts.unqueued(60)).map((d) => d.id)).not.toContain(row!.id);
    expect(await stores.alerts.unqueued(0)).toContainEqual({ id: row!.id, shop_id: A });
    await stores.alerts.markQueued([row!.id]);
    expect((await stores.alerts.unqueued(0)).map((d) => d.id)).not.toContain(row!.id);
    // One attempt holds it; a second job of the same delivery gets nothing, nor another shop.
    expect(await stores.alerts.claim(B, row!.id, 30_000)).toBeUndefined();
    const claimed = await stores.alerts.claim(A, row!.id, 30_000);
    expect(claimed?.rule.id).toBe(rule.id);
    expect(claimed?.delivery.lease_until).toBeInstanceOf(Date);
    expect(await stores.alerts.claim(A, row!.id, 30_000)).toBeUndefined();
    // The attempt's result frees it; a retry claims it again; a sent delivery is never claimed.
    await stores.alerts.recordAttempt(A, row!.id, { ok: false, responseStatus: 503, error: 'the receiver answered HTTP 503', final: false });
    expect((await stores.alerts.delivery(A, row!.id))!.delivery.lease_until).toBeNull();
    expect(await stores.alerts.claim(A, row!.id, 30_000)).toBeDefined();
    await stores.alerts.recordAttempt(A, row!.id, { ok: true, responseStatus: 200, error: null, final: false });
    expect(await stores.alerts.claim(A, row!.id, 30_000)).toBeUndefined();
    // An attempt that died holding it (its lease run out) is claimed again.
    const [other] = await stores.alerts.recordDeliveries(A, [{ ruleId: rule.id, eventKey: 'ring-alert:lapsed', facts: {} }]);
    expect(await stores.alerts.claim(A, other!.id, 1)).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await stores.alerts.claim(A, other!.id, 30_000)).toBeDefined();
  });

  it('turns rules on and off within their shop, forgetting their breaches; lists the shops to check', async () => {
    const rule = await stores.alerts.addRule(A, { kind: 'chargebacks-week', minValue: null, threshold: 3, url: null, email: 'ops@a.example', secret: 'w'.repeat(64), createdBy: 'staff@a' });
    expect(rule.threshold).toBe(3);
    expect(await stores.alerts.shopsWithRules(['chargebacks-week', 'sku-return-rate'])).toEqual([A]);
    await stores.db.transaction((trx) => stores.alerts.startBreaches(A, rule.id, [''], new Date('2026-12-01T00:00:00Z'), trx));
    expect((await stores.alerts.breaches(rule.id)).map((b) => [b.subject, b.since.toISOString()])).toEqual([['', '2026-12-01T00:00:00.000Z']]);
    expect(await stores.alerts.setEnabled(B, rule.id, false)).toBeUndefined();
    expect(await stores.alerts.setEnabled(A, rule.id, false)).toMatchObject({ id: rule.id, enabled: false });
    expect(await stores.alerts.breaches(rule.id)).toEqual([]);
    expect(await stores.alerts.shopsWithRules(['chargebacks-week', 'sku-return-rate'])).toEqual([]);
    expect(await stores.alerts.setEnabled(A, rule.id, true)).toMatchObject({ enabled: true });
    // An uninstalled shop is not checked.
    await stores.shops.markUninstalled(A);
    expect(await stores.alerts.shopsWithRules(['chargebacks-week'])).toEqual([]);
  });
});

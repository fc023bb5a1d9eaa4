import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateShop } from '../../../scenarios/generateShop.ts';
import type { RefundRecord } from '../../../sdk/index.ts';
import { readWebhookFixture } from '../../shopify/fixtures/readWebhookFixture.ts';
import { DEFAULT_RULESET, startTestApp, type TestApp } from '../../testing/testApp.ts';

const SHOP = 'lists.myshopify.com';
const OTHER = 'lists-other.myshopify.com';
const STRICT = 'lists-holdout.myshopify.com';
const HISTORY = 'lists-history.myshopify.com';
const CUSTOMER = 'gid://shopify/Customer/115310627314723954';
let app: TestApp;
let dir: string;
let nextId = 900_000_000_000_000_000n;

type Line = { id: string; status: string; points: number; strength: number; message: string; evidence: Record<string, unknown>; snoozed?: Record<string, unknown> };

async function call(method: string, url: string, shop: string, payload?: unknown) {
  const response = await app.server.inject({ method, url, payload: payload as object, headers: { authorization: `Bearer ${await app.sessionToken(shop)}` } });
  return { status: response.statusCode, body: response.headers['content-type']?.toString().includes('json') ? JSON.parse(response.payload) : response.payload, headers: response.headers };
}

/** Shopify's sample order as a new order (fresh id) by `email`, created at `createdAt`. */
function order(options: { email?: string; createdAt?: string } = {}): { id: string; body: string } {
  const id = String(nextId++);
  const body = readWebhookFixture('orders_create')
    .replaceAll('820982911946154508', id)
    .replaceAll('jon@example.com', options.email ?? 'jon@example.com')
    .replace('"created_at": "2021-12-31T19:00:00-05:00"', `"created_at": "${options.createdAt ?? new Date().toISOString()}"`);
  return { id: `gid://shopify/Order/${id}`, body };
}

async function decide(shop: string, options: { email?: string; createdAt?: string } = {}) {
  const o = order(options);
  expect((await app.webhook('orders/create', o.body, { shop })).statusCode).toBe(200);
  const decision = await app.waitFor(() => app.stores.decisions.bySubject(shop, o.id), `the decision of ${o.id}`);
  const lines = new Map((decision.trace.signals as Line[]).map((s) => [s.id, s]));
  return { decision, lines, orderId: o.id };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'refundsentry-lists-'));
  app = await startTestApp();
  await app.installShop(SHOP);
  await app.installShop(OTHER);
  // Every order is HIGH here, so that the holdout sample has something to hold out.
  await app.installShop(STRICT, { ...DEFAULT_RULESET, zones: { medium: 0.5, high: 1 } });
  await app.installShop(HISTORY);
  const path = join(dir, 'history.jsonl');
  await writeFile(path, generateShop({ seed: 11, customers: 60, start: '2025-01-01', days: 150 }).events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  await app.backfill.start(HISTORY, { kind: 'file', path }, { days: 365, to: '2025-06-01T00:00:00Z' });
  await app.waitFor(async () => (await app.backfill.progress(HISTORY)).status === 'done', 'the backfill');
}, 120_000);
afterAll(async () => {
  await app?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('block and allow lists', () => {
  it('refuses bad entries with a status and a message naming the problem', async () => {
    expect((await call('POST', '/api/lists', SHOP, { list: 'blocked', kind: 'fax', value: 'x' })).body.message).toMatch(/\/kind must be one of email, phone/);
    expect((await call('POST', '/api/lists', SHOP, { list: 'blocked', kind: 'email' })).body.message).toMatch(/exactly one of "value"/);
    expect((await call('POST', '/api/lists', SHOP, { list: 'blocked', kind: 'email', value: 'a@b.c', hash: 'a'.repeat(64) })).status).toBe(400);
    expect((await call('POST', '/api/lists', SHOP, { list: 'blocked', kind: 'email', value: 'not-an-email' })).body.message).toBe('/value is not an email address');
    expect((await call('POST', '/api/lists', SHOP, { list: 'blocked', kind: 'device', value: 'Mozilla/5.0' })).body.message).toMatch(/only known as a hash/);
    expect((await call('POST', '/api/lists', SHOP, { list: 'allowed', kind: 'email', value: 'a@b.c', nonOverridable: true })).body.message).toBe('/nonOverridable applies to block entries only');
    expect((await call('DELETE', `/api/lists/blocked/email/${'0'.repeat(64)}`, SHOP)).status).toBe(404);
    expect((await call('GET', '/api/lists', SHOP)).body.entries).toEqual([]);
  });

  it('blocks an order by a raw email hashed at once; an allow entry overrides it; a non-overridable block wins', async () => {
    const added = await call('POST', '/api/lists', SHOP, { list: 'blocked', kind: 'email', value: '  Blocked.Buyer@Example.com ', note: 'chargeback 2025' });
    expect(added.status).toBe(201);
    expect(added.body.entry).toMatchObject({ list: 'blocked', kind: 'email', nonOverridable: false, note: 'chargeback 2025' });
    expect(added.body.entry.hash).toMatch(/^[0-9a-f]{64}$/);
    // Never stored raw: the lists table and the audit log hold the hash only.
    const stored = JSON.stringify(await app.stores.db('lists').select('*')) + JSON.stringify(await app.stores.db('audit_log').select('*'));
    expect(stored.toLowerCase()).not.toContain('blocked.buyer');
    expect((await call('GET', '/api/lists', OTHER)).body.entries).toEqual([]);

    const blocked = await decide(SHOP, { email: 'blocked.buyer@example.com' });
    expect(blocked.lines.get('order.blocklist-match')).toMatchObject({ status: 'hit', strength: 1, points: 35, evidence: { kinds: ['email'] } });
    const clean = await decide(SHOP, { email: 'someone.else@example.com' });
    expect(clean.lines.get('order.blocklist-match')!.status).toBe('no_hit');

    // The customer of the sample order is trusted by their phone: allow beats an ordinary block.
    const allowed = await call('POST', '/api/lists', SHOP, { list: 'allowed', kind: 'phone', value: '555-555-SHIP' });
    expect(allowed.status).toBe(201);
    const overridden = await decide(SHOP, { email: 'blocked.buyer@example.com' });
    expect(overridden.lines.get('order.blocklist-match')).toMatchObject({ status: 'no_hit', points: 0, evidence: { kinds: ['email'], overriddenBy: ['phone'] } });
    expect(overridden.lines.get('order.allowlist-match')).toMatchObject({ status: 'hit' });
    expect(Number(overridden.decision.score)).toBeLessThan(Number(blocked.decision.score));

    // The same block made non-overridable: it wins over the allow entry.
    const locked = await call('POST', '/api/lists', SHOP, { list: 'blocked', kind: 'email', value: 'blocked.buyer@example.com', nonOverridable: true });
    expect(locked.body.entry).toMatchObject({ hash: added.body.entry.hash, nonOverridable: true });
    const wins = await decide(SHOP, { email: 'blocked.buyer@example.com' });
    expect(wins.lines.get('order.blocklist-match')).toMatchObject({ status: 'hit', points: 35, evidence: { nonOverridable: ['email'], allowlisted: ['phone'] } });
    expect(wins.lines.get('order.allowlist-match')).toMatchObject({ status: 'no_hit', points: 0, evidence: { lockedBy: ['email'] } });

    const list = (await call('GET', '/api/lists?list=blocked', SHOP)).body.entries;
    expect(list).toHaveLength(1);
    expect((await call('DELETE', `/api/lists/blocked/email/${added.body.entry.hash}`, SHOP)).body).toEqual({ removed: true });
    expect((await decide(SHOP, { email: 'blocked.buyer@example.com' })).lines.get('order.blocklist-match')!.status).toBe('no_hit');
    expect((await call('DELETE', `/api/lists/allowed/phone/${allowed.body.entry.hash}`, SHOP)).status).toBe(200);
  });
});

describe('listing the identifiers of a decision', () => {
  it("lists the identifiers behind a decided order, as the hashes stored with it, and the next order with them is blocked", async () => {
    const shop = 'lists-from-decision.myshopify.com';
    await app.installShop(shop);
    const first = await decide(shop, { email: 'card.owner@example.com' });
    expect((await call('POST', '/api/lists/from-decision', shop, { decisionId: first.decision.id, list: 'allowed', nonOverridable: true })).body.message).toBe('/nonOverridable applies to block entries only');
    expect((await call('POST', '/api/lists/from-decision', shop, { decisionId: '999999', list: 'blocked' })).status).toBe(404);
    expect((await call('POST', '/api/lists/from-decision', OTHER, { decisionId: first.decision.id, list: 'blocked' })).status).toBe(404);
    const order = await app.stores.events.get<{ identity: Record<string, string> }>(shop, 'order', first.orderId);
    const added = await call('POST', '/api/lists/from-decision', shop, { decisionId: first.decision.id, list: 'blocked', kinds: ['email', 'phone'] });
    expect(added.status).toBe(201);
    const entries = added.body.entries as { kind: string; hash: string; note: string }[];
    expect(entries.map((e) => e.kind).sort()).toEqual(['email', 'phone'].filter((k) => order!.identity[k]).sort());
    for (const e of entries) expect(e.hash).toBe(order!.identity[e.kind]);
    expect(entries[0]!.note).toBe(`from decision ${first.decision.id}`);
    // Another order by the same email is blocked now.
    const next = await decide(shop, { email: 'card.owner@example.com' });
    expect(next.lines.get('order.blocklist-match')).toMatchObject({ status: 'hit', evidence: { kinds: expect.arrayContaining(['email']) } });
  });
});

describe('snoozes', () => {
  it('refuses an unknown signal, a past or missing expiry', async () => {
    expect((await call('POST', '/api/snoozes', SHOP, { customerId: CUSTOMER, signalId: 'no.such-signal', days: 3 })).body.message).toMatch(/no\.such-signal is not a known signal/);
    expect((await call('POST', '/api/snoozes', SHOP, { customerId: CUSTOMER, signalId: 'order.high-value', until: '2020-01-01T00:00:00Z' })).body.message).toBe('/until must be in the future');
    expect((await call('POST', '/api/snoozes', SHOP, { customerId: CUSTOMER, signalId: 'order.high-value' })).body.message).toMatch(/exactly one of "days"/);
    expect((await call('POST', '/api/snoozes', SHOP, { customerId: 'Customer/1', signalId: 'order.high-value', days: 1 })).body.message).toMatch(/\/customerId must be a GID like gid:\/\/shopify\/Customer\/123/);
  });

  it("scores a snoozed signal 0 for that customer, in force only between its start and expiry", async () => {
    await call('POST', '/api/lists', SHOP, { list: 'blocked', kind: 'email', value: 'snoozed.buyer@example.com' });
    const before = await decide(SHOP, { email: 'snoozed.buyer@example.com' });
    expect(before.lines.get('order.blocklist-match')!.points).toBe(35);
    const snooze = await call('POST', '/api/snoozes', SHOP, { customerId: CUSTOMER, signalId: 'order.blocklist-match', days: 7, reason: 'verified by phone' });
    expect(snooze.status).toBe(201);
    expect(snooze.body.snooze).toMatchObject({ customerId: CUSTOMER, signalId: 'order.blocklist-match', active: true, createdBy: expect.any(String), reason: 'verified by phone' });
    const after = await decide(SHOP, { email: 'snoozed.buyer@example.com' });
    const line = after.lines.get('order.blocklist-match')!;
    expect(line).toMatchObject({ status: 'hit', points: 0, snoozed: { until: new Date(snooze.body.snooze.expiresAt).toISOString(), reason: 'verified by phone' } });
    // The trace still adds up to the score, with nothing from the snoozed signal.
    expect([...after.lines.values()].reduce((sum, l) => sum + l.points, 0)).toBeCloseTo(Number(after.decision.score), 2);
    // Point-in-time: an order from before the snooze began is judged without it.
    const earlier = await decide(SHOP, { email: 'snoozed.buyer@example.com', createdAt: new Date(Date.now() - 3_600_000).toISOString() });
    expect(earlier.lines.get('order.blocklist-match')).toMatchObject({ status: 'hit', points: 35 });
    expect(earlier.lines.get('order.blocklist-match')!.snoozed).toBeUndefined();
    // An expired snooze is ignored.
    await app.stores.db('snoozes').where({ id: snooze.body.snooze.id }).update({ starts_at: new Date(Date.now() - 7_200_000), expires_at: new Date(Date.now() - 60_000) });
    const expired = await decide(SHOP, { email: 'snoozed.buyer@example.com' });
    expect(expired.lines.get('order.blocklist-match')).toMatchObject({ status: 'hit', points: 35 });
    expect((await call('GET', `/api/snoozes?customerId=${encodeURIComponent(CUSTOMER)}`, SHOP)).body.snoozes[0]).toMatchObject({ id: snooze.body.snooze.id, active: false });
    expect((await call('GET', '/api/snoozes?active=true', SHOP)).body.snoozes).toEqual([]);
    expect((await call('DELETE', `/api/snoozes/${snooze.body.snooze.id}`, OTHER)).status).toBe(404);
    expect((await call('DELETE', `/api/snoozes/${snooze.body.snooze.id}`, SHOP)).body).toEqual({ removed: true });
  });
});

describe('holdout', () => {
  it('holds out a deterministic share of HIGH decisions: actions skipped as holdout, decision marked, outcomes compared', async () => {
    expect((await call('PUT', '/api/holdout', STRICT, { percent: 25 })).body.message).toMatch(/\/percent must be <= 20/);
    expect((await call('GET', '/api/holdout', STRICT)).body.percent).toBe(0);
    expect((await call('PUT', '/api/holdout', STRICT, { percent: 20 })).body).toEqual({ percent: 20 });
    const decided = [];
    for (let i = 0; i < 30; i++) decided.push(await decide(STRICT, { email: `buyer${i}@example.com` }));
    const inSample = (id: string) => createHash('sha256').update(`${STRICT}|${id}`).digest().readUInt32BE(0) / 2 ** 32 < 0.2;
    const expected = decided.filter((d) => inSample(d.orderId)).map((d) => d.orderId);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(30);
    for (const d of decided) {
      expect(d.decision.zone).toBe('high');
      const row = await app.stores.db('decisions').where({ shop_id: STRICT, subject_id: d.orderId }).first('id', 'holdout');
      expect(row.holdout).toBe(expected.includes(d.orderId));
      const actions = await app.stores.actions.forDecision(STRICT, String(row.id));
      expect(actions.length).toBeGreaterThan(0);
      for (const a of actions.filter((x) => x.type !== 'review.queue')) {
        if (row.holdout) expect(a).toMatchObject({ status: 'skipped', result: { reason: 'holdout' } });
        else expect(a.result).not.toMatchObject({ reason: 'holdout' });
      }
    }
    // A later refund on one held-out order and one acted-on order, and a chargeback on the held-out one.
    const held = expected[0]!;
    const acted = decided.find((d) => !expected.includes(d.orderId))!.orderId;
    const later = new Date(Date.now() + 60_000).toISOString();
    const refund = (orderId: string, n: number): RefundRecord => ({ id: `gid://shopify/Refund/${n}`, orderId, createdAt: later, amount: 40, method: 'original_payment', lineItems: [] });
    await app.stores.events.upsertAll(STRICT, [
      { type: 'refund', refund: refund(held, 1) },
      { type: 'refund', refund: refund(acted, 2) },
      { type: 'chargeback', chargeback: { id: 'gid://shopify/ShopifyPaymentsDispute/1', orderId: held, initiatedAt: later, amount: 40 } },
    ]);
    const report = (await call('GET', '/api/holdout', STRICT)).body;
    expect(report.percent).toBe(20);
    const [holdout, actedGroup] = report.report.groups;
    expect(holdout).toMatchObject({ group: 'holdout', decisions: expected.length, withRefund: 1, withChargeback: 1, refundedValue: 40 });
    expect(holdout.chargebackRate).toBeCloseTo(1 / expected.length, 4);
    expect(actedGroup).toMatchObject({ group: 'acted', decisions: 30 - expected.length, withRefund: 1, withChargeback: 0, chargebackRate: 0 });
    // With the share at 0 nothing is held out.
    await call('PUT', '/api/holdout', STRICT, { percent: 0 });
    const none = await decide(STRICT, { email: 'after@example.com' });
    expect((await app.stores.db('decisions').where({ shop_id: STRICT, subject_id: none.orderId }).first('holdout')).holdout).toBe(false);
  });
});

describe('refund methods', () => {
  it('counts refunds and money per method, the preservation rate, and the split by zone, as the stored refunds say; CSV too', async () => {
    const from = '2025-02-01T00:00:00Z';
    const to = '2025-06-01T00:00:00Z';
    const response = await call('GET', `/api/refund-methods?from=${from}&to=${to}`, HISTORY);
    expect(response.status).toBe(200);
    const report = response.body;
    // The same figures from the stored refunds and decisions.
    const refunds = (await app.stores.db('events').where({ shop_id: HISTORY, kind: 'refund' }).andWhere('occurred_at', '>=', from).andWhere('occurred_at', '<', to).select('resource_id', 'order_id', 'body')) as { resource_id: string; order_id: string; body: RefundRecord }[];
    const zones = new Map((await app.stores.db('decisions').where({ shop_id: HISTORY }).select('subject_id', 'zone')).map((d) => [d.subject_id, d.zone]));
    const valueOf = (r: RefundRecord) => (r.method === 'exchange' ? Math.max(r.amount, r.lineItems.reduce((s, l) => s + l.subtotal, 0)) : r.amount);
    expect(refunds.length).toBeGreaterThan(10);
    expect(report.total.count).toBe(refunds.length);
    const methods = new Set(refunds.map((r) => r.body.method));
    expect(methods.size).toBeGreaterThan(1);
    for (const method of methods) {
      const mine = refunds.filter((r) => r.body.method === method);
      const line = report.byMethod.find((m: { method: string }) => m.method === method);
      expect(line.count).toBe(mine.length);
      expect(line.amount).toBeCloseTo(mine.reduce((s, r) => s + r.body.amount, 0), 1);
    }
    const preserving = new Set(['store_credit', 'gift_card', 'exchange']);
    const value = refunds.reduce((s, r) => s + valueOf(r.body), 0);
    const kept = refunds.filter((r) => preserving.has(r.body.method)).reduce((s, r) => s + valueOf(r.body), 0);
    expect(report.preservationRate).toBeCloseTo(kept / value, 3);
    for (const zone of ['low', 'medium', 'high']) {
      const mine = refunds.filter((r) => zones.get(r.resource_id) === zone);
      const split = report.byRefundZone.find((z: { zone: string }) => z.zone === zone);
      expect(split.count).toBe(mine.length);
      const byOrder = refunds.filter((r) => zones.get(r.order_id) === zone);
      expect(report.byOrderZone.find((z: { zone: string }) => z.zone === zone).count).toBe(byOrder.length);
    }
    const csv = await call('GET', `/api/refund-methods.csv?from=${from}&to=${to}`, HISTORY);
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = parse(csv.body as string, { columns: true }) as Record<string, string>[];
    expect(rows.filter((r) => r.split === 'all').reduce((s, r) => s + Number(r.count), 0)).toBe(refunds.length);
    expect((await call('GET', '/api/refund-methods?from=2025-06-01&to=2025-01-01', HISTORY)).body.message).toBe('"from" must be before "to"');
    expect((await call('GET', '/api/refund-methods?from=yesterday', HISTORY)).status).toBe(400);
    expect((await call('GET', '/api/refund-methods', OTHER)).body.total.count).toBe(0);
  });

  it('splits the money of a refund paid partly to store credit and partly back to the card, counting the refund once', async () => {
    const shop = 'lists-split.myshopify.com';
    await app.installShop(shop);
    const at = '2025-03-01T10:00:00Z';
    const base = { orderId: 'gid://shopify/Order/1', createdAt: at, lineItems: [] };
    await app.stores.events.upsertAll(shop, [
      { type: 'refund', refund: { ...base, id: 'gid://shopify/Refund/1', amount: 50, method: 'store_credit', methodAmounts: { store_credit: 30, original_payment: 20 } } },
      { type: 'refund', refund: { ...base, id: 'gid://shopify/Refund/2', amount: 70, method: 'original_payment' } },
    ]);
    const report = (await call('GET', '/api/refund-methods', shop)).body;
    const line = (method: string) => report.byMethod.find((m: { method: string }) => m.method === method);
    expect(report.total).toMatchObject({ count: 2, amount: 120, preservedValue: 30, preservedCount: 1 });
    expect(line('store_credit')).toMatchObject({ count: 1, amount: 30 });
    expect(line('original_payment')).toMatchObject({ count: 1, amount: 90 });
    expect(report.preservationRate).toBeCloseTo(30 / 120, 4);
    expect(report.byRefundZone.find((z: { zone: string }) => z.zone === 'undecided')).toMatchObject({ count: 2, value: 120, preservedValue: 30 });
  });
});

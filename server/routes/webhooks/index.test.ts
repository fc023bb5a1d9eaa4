import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Ruleset } from '../../../engine/index.ts';
import { readWebhookFixture } from '../../shopify/fixtures/readWebhookFixture.ts';
import { startShopifyDouble, type ShopifyDouble } from '../../testing/shopifyDouble.ts';
import { DEFAULT_RULESET, startTestApp, type TestApp } from '../../testing/testApp.ts';

const SHOP = 'shop-a.myshopify.com';
const ORDER_ID = 'gid://shopify/Order/820982911946154508';
const CUSTOMER_ID = 'gid://shopify/Customer/115310627314723954';
const orderBody = readWebhookFixture('orders_create');

/** Zones so low that Shopify's sample order lands in HIGH, with every action on HIGH. */
const STRICT_RULESET: Ruleset = {
  ...DEFAULT_RULESET,
  zones: { medium: 1, high: 2 },
  actions: [
    {
      id: 'hold-high-risk-orders',
      on: ['order'],
      conditions: { all: [{ fact: 'zone', operator: 'equal', value: 'high' }] },
      do: [
        { type: 'fulfillment.hold', reason: 'HIGH_RISK_OF_FRAUD' },
        { type: 'customer.tag', tag: 'refundsentry:{{zone}}-risk' },
        { type: 'risk.assessment', riskLevel: 'auto' },
        { type: 'flow.trigger', handle: 'high-risk-order' },
      ],
    },
  ],
};

let app: TestApp;
let double: ShopifyDouble;

beforeAll(async () => {
  double = await startShopifyDouble();
  app = await startTestApp({ adminOrigin: double.origin });
});
afterAll(async () => {
  await app?.stop();
  await double?.close();
});

async function resetShop(ruleset: Ruleset = STRICT_RULESET): Promise<void> {
  // The previous test's jobs (decisions, revisions, ring links, actions) first: a truncate racing their writes deadlocks.
  await app.idle();
  await app.stores.db.raw('truncate shops, webhook_deliveries cascade');
  await app.installShop(SHOP, ruleset);
  double.state.orders.clear();
  double.state.customers.clear();
  double.state.flowTriggers.length = 0;
  double.requests.length = 0;
  double.state.addOrder({ id: ORDER_ID, fulfillmentOrders: [{ id: 'gid://shopify/FulfillmentOrder/1046000001' }] });
  double.state.addCustomer({ id: CUSTOMER_ID, tags: ['vip', 'refundsentry:low-risk'] });
  double.state.flowTriggerHandles.add('high-risk-order');
}

/** Shopify's sample order with its own order id and one of a few customers. */
function orderVariant(i: number, customer: number): { body: string; orderId: string } {
  const orderNumber = String(900000000000000000n + BigInt(i));
  return {
    body: orderBody.replaceAll('820982911946154508', orderNumber).replaceAll('115310627314723954', String(700000000000000000n + BigInt(customer))),
    orderId: `gid://shopify/Order/${orderNumber}`,
  };
}

const decisionCount = async () => Number((await app.stores.db('decisions').count('* as n').first())!.n);
const actionsDone = async () => {
  const rows = await app.stores.db('actions').orderBy('id');
  return rows.length === 4 && rows.every((r) => !['pending', 'running'].includes(r.status)) ? rows : undefined;
};

describe('POST /webhooks → decision → actions', () => {
  beforeEach(() => resetShop());

  it('scores a signed orders/create, stores the decision, and holds, tags, assesses and triggers Flow', async () => {
    const response = await app.webhook('orders/create', orderBody);
    expect(response.statusCode).toBe(200);
    const decision = await app.waitFor(() => app.stores.decisions.bySubject(SHOP, ORDER_ID), 'the decision');
    expect(decision.zone).toBe('high');
    expect(decision.customer_id).toBe(CUSTOMER_ID);
    expect(decision.trace.signals.length).toBeGreaterThan(10);
    const actions = await app.waitFor(actionsDone, 'the actions');
    expect(Object.fromEntries(actions.map((a) => [a.type, a.status]))).toEqual({
      'fulfillment.hold': 'done',
      'customer.tag': 'done',
      'risk.assessment': 'done',
      'flow.trigger': 'done',
    });
    const fulfillmentOrder = double.state.fulfillmentOrder('gid://shopify/FulfillmentOrder/1046000001')!;
    expect(fulfillmentOrder.holds.map((h) => [h.handle, h.reason])).toEqual([['refundsentry', 'HIGH_RISK_OF_FRAUD']]);
    expect(double.state.customers.get(CUSTOMER_ID)!.tags.sort()).toEqual(['refundsentry:high-risk', 'vip']);
    expect(double.state.orders.get(ORDER_ID)!.riskAssessments[0].riskLevel).toBe('HIGH');
    expect(double.state.flowTriggers.map((t) => t.handle)).toEqual(['high-risk-order']);
    // Every operation the app sent was valid against the 2026-07 schema.
    expect(double.requests.every((r) => r.outcome === 'ok')).toBe(true);
  });

  it('releases its own hold with one call, audited, leaving nothing else released', async () => {
    await app.webhook('orders/create', orderBody);
    const actions = await app.waitFor(actionsDone, 'the actions');
    const hold = actions.find((a) => a.type === 'fulfillment.hold')!;
    const token = await app.sessionToken(SHOP);
    const response = await app.server.inject({ method: 'POST', url: `/api/actions/${hold.id}/release`, headers: { authorization: `Bearer ${token}` } });
    expect(response.statusCode).toBe(200);
    expect(double.state.fulfillmentOrder('gid://shopify/FulfillmentOrder/1046000001')!.holds).toEqual([]);
    expect((await app.stores.actions.get(SHOP, hold.id))!.status).toBe('released');
    const audit = await app.stores.audit.list(SHOP);
    expect(audit.some((entry) => entry.action === 'hold.release')).toBe(true);
    const release = double.requests.find((r) => r.rootFields.includes('fulfillmentOrderReleaseHold'))!;
    expect(release.variables.holdIds).toHaveLength(1);
  });

  it('retries the Admin API through THROTTLED, 429 and 503 answers and still completes', async () => {
    double.throttleNext(3, 'throttled-200');
    await app.webhook('orders/create', orderBody);
    const actions = await app.waitFor(actionsDone, 'the actions');
    expect(actions.every((a) => a.status === 'done')).toBe(true);
    expect(double.requests.filter((r) => r.outcome === 'throttled-200')).toHaveLength(3);
  });

  it('gives up visibly on an Admin API that keeps failing', async () => {
    double.throttleNext(200, '503');
    await app.webhook('orders/create', orderBody);
    const failed = await app.waitFor(
      async () => {
        const rows = await app.stores.db('actions').whereIn('status', ['failed']);
        return rows.length === 4 ? rows : undefined;
      },
      'the actions to fail',
      60_000,
    );
    expect(failed[0].error).toMatch(/^gave up after 5 attempt\(s\): Shopify answered HTTP 503/);
    expect(failed.every((a) => a.attempts === 5)).toBe(true);
    double.throttleNext(0, '503');
  });

  it('makes one decision for a delivery sent twice, and for the same event from two subscriptions', async () => {
    const first = await app.webhook('orders/create', orderBody, { webhookId: 'delivery-1', eventId: 'event-1' });
    const again = await app.webhook('orders/create', orderBody, { webhookId: 'delivery-1', eventId: 'event-1' });
    const otherSubscription = await app.webhook('orders/create', orderBody, { webhookId: 'delivery-2', eventId: 'event-1' });
    expect(JSON.parse(first.payload)).toEqual({ ok: true });
    expect(JSON.parse(again.payload)).toEqual({ ok: true, duplicate: 'duplicate-delivery' });
    expect(JSON.parse(otherSubscription.payload)).toEqual({ ok: true, duplicate: 'duplicate-effect' });
    await app.waitFor(() => app.stores.decisions.bySubject(SHOP, ORDER_ID), 'the decision');
    // A later update of the same order (new event) stores the change but never decides again.
    await app.webhook('orders/updated', readWebhookFixture('orders_updated'), { webhookId: 'delivery-3', eventId: 'event-2' });
    await app.waitFor(actionsDone, 'the actions');
    expect(await decisionCount()).toBe(1);
  });

  it('writes a burst of order webhooks in batches: each new one decided once, duplicates within the burst caught', async () => {
    await resetShop(DEFAULT_RULESET);
    await app.stores.shops.install(SHOP, '', 'read_orders'); // no store connection: actions settle at decision time
    const orders = Array.from({ length: 40 }, (_, i) => orderVariant(i, i % 5));
    const before = { ...app.intake.stats };
    const responses = await Promise.all([
      ...orders.map((o, i) => app.webhook('orders/create', o.body, { webhookId: `burst-${i}`, eventId: `burst-event-${i}` })),
      // The same delivery again, the same event from a second subscription, and a later update, all in the same burst.
      app.webhook('orders/create', orders[0]!.body, { webhookId: 'burst-0', eventId: 'burst-event-0' }),
      app.webhook('orders/create', orders[1]!.body, { webhookId: 'burst-1-other-subscription', eventId: 'burst-event-1' }),
      app.webhook('orders/updated', orders[2]!.body, { webhookId: 'burst-2-update', eventId: 'burst-event-2-update' }),
    ]);
    expect(responses.map((r) => r.statusCode)).toEqual(responses.map(() => 200));
    const verdicts = responses.map((r) => JSON.parse(r.payload).duplicate ?? 'new');
    expect(verdicts.slice(0, 40)).toEqual(orders.map(() => 'new'));
    expect(verdicts.slice(40)).toEqual(['duplicate-delivery', 'duplicate-effect', 'new']);
    expect(app.intake.stats.largestBatch).toBeGreaterThan(1);
    expect(app.intake.stats.deliveries - before.deliveries).toBe(43);
    await app.waitFor(async () => (await decisionCount()) === 40, 'a decision per order');
    const stored = await app.stores.db('events').where({ shop_id: SHOP }).select('kind').count('* as n').groupBy('kind').orderBy('kind');
    expect(stored).toEqual([{ kind: 'customer', n: '5' }, { kind: 'order', n: '40' }]);
    const deliveries = await app.stores.db('webhook_deliveries').where({ shop_id: SHOP }).select('status').count('* as n').groupBy('status').orderBy('status');
    expect(deliveries).toEqual([{ status: 'duplicate-effect', n: '1' }, { status: 'enqueued', n: '41' }]);
    const profiles = await app.stores.db('customers').where({ shop_id: SHOP }).orderBy('id').select('decisions_count');
    expect(profiles.map((p) => p.decisions_count)).toEqual([8, 8, 8, 8, 8]);
  });

  it('refuses a bad HMAC with 401 and stores nothing', async () => {
    const response = await app.webhook('orders/create', orderBody, { secret: 'not-the-secret' });
    expect(response.statusCode).toBe(401);
    expect(await app.stores.db('events').count('* as n').first()).toEqual({ n: '0' });
    expect(await app.stores.db('webhook_deliveries').count('* as n').first()).toEqual({ n: '0' });
  });

  it('answers 400 for missing headers or a malformed body, 413 for an oversize one', async () => {
    const noId = await app.webhook('orders/create', orderBody, { omitHeaders: ['x-shopify-webhook-id'] });
    expect(noId.statusCode).toBe(400);
    const notJson = await app.webhook('orders/create', '{"id": 1,');
    expect(notJson.statusCode).toBe(400);
    const wrongShape = await app.webhook('orders/create', JSON.stringify({ id: 1, line_items: 'none' }));
    expect(wrongShape.statusCode).toBe(400);
    expect(JSON.parse(wrongShape.payload).message).toMatch(/orders/);
    const huge = await app.webhook('orders/create', JSON.stringify({ padding: 'x'.repeat(app.config.webhook.maxBytes) }));
    expect(huge.statusCode).toBe(413);
    expect(await app.stores.db('events').count('* as n').first()).toEqual({ n: '0' });
  });

  it('acknowledges unknown topics and stale retries without acting on them', async () => {
    const unknown = await app.webhook('products/create', '{"id": 1}');
    expect(unknown.statusCode).toBe(200);
    expect(JSON.parse(unknown.payload).ignored).toBeDefined();
    const stale = await app.webhook('orders/create', orderBody, { triggeredAt: '2020-01-01T00:00:00Z' });
    expect(JSON.parse(stale.payload)).toEqual({ ok: true, ignored: 'stale retry' });
    expect(await app.stores.db('events').count('* as n').first()).toEqual({ n: '0' });
  });
});

describe('privacy and GDPR', () => {
  beforeEach(() => resetShop(DEFAULT_RULESET));

  const rawPii = ['jon@example.com', 'John', 'Smith', '123 Shipping Street', '123 Billing Street', 'Shipping Company', '555-625-1199', 'Shippington', 'Billsburg'];

  it('stores no raw email, phone, name or street address from the sample payloads', async () => {
    for (const [topic, fixture] of [
      ['orders/create', 'orders_create'],
      ['fulfillments/create', 'fulfillments_create'],
      ['refunds/create', 'refunds_create'],
      ['disputes/create', 'disputes_create'],
      ['returns/request', 'returns_request'],
    ] as const) {
      expect((await app.webhook(topic, readWebhookFixture(fixture))).statusCode).toBe(200);
    }
    await app.waitFor(() => app.stores.decisions.bySubject(SHOP, ORDER_ID), 'the decision');
    const tables = ['shops', 'events', 'customers', 'decisions', 'actions', 'audit_log', 'webhook_deliveries'];
    const dump = JSON.stringify(await Promise.all(tables.map((t) => app.stores.db(t).select('*'))));
    for (const value of rawPii) expect(dump, `found "${value}" in the database`).not.toContain(value);
  });

  it('customers/redact deletes every row about the customer; data_request reports ids and aggregates', async () => {
    await app.webhook('orders/create', orderBody);
    await app.waitFor(() => app.stores.decisions.bySubject(SHOP, ORDER_ID), 'the decision');
    // The samples name another customer: point them at the sample order's customer (ids as text: beyond 2^53).
    const forOurCustomer = (raw: string) => raw.replace(/"id": [0-9]+,\n(\s+)"email"/, '"id": 115310627314723954,\n$1"email"').replaceAll('{shop}.myshopify.com', SHOP);
    const redactBody = forOurCustomer(readWebhookFixture('customers_redact'));
    const requestBody = forOurCustomer(readWebhookFixture('customers_data_request'));
    expect(redactBody).toContain('115310627314723954');
    expect((await app.webhook('customers/data_request', requestBody)).statusCode).toBe(200);
    const report = (await app.stores.audit.list(SHOP)).find((a) => a.action === 'gdpr.data_request');
    expect(report?.details).toMatchObject({ decisions: 1 });
    // A simulator report that lists the customer among its zone changes, and one that does not.
    const flip = (customerId: string) => ({ subjectId: ORDER_ID, kind: 'order', at: '2026-01-01T00:00:00Z', customerId, before: {}, after: {}, label: null, immature: false });
    const simulationRow = (customerId: string) => ({ shop_id: SHOP, version: 1, against_version: 1, window_from: '2026-01-01', window_to: '2026-02-01', report: JSON.stringify({ flips: [flip(customerId)] }), duration_ms: 1 });
    const [naming] = await app.stores.db('simulations').insert(simulationRow(CUSTOMER_ID)).returning('id');
    const [other] = await app.stores.db('simulations').insert(simulationRow('gid://shopify/Customer/1')).returning('id');
    expect((await app.webhook('customers/redact', redactBody)).statusCode).toBe(200);
    expect(await app.stores.db('simulations').where({ id: naming.id }).first()).toBeUndefined();
    expect(await app.stores.db('simulations').where({ id: other.id }).first()).toBeDefined();
    expect(await app.stores.db('decisions').where({ customer_id: CUSTOMER_ID }).count('* as n').first()).toEqual({ n: '0' });
    expect(await app.stores.db('events').where({ customer_id: CUSTOMER_ID }).count('* as n').first()).toEqual({ n: '0' });
    expect(await app.stores.db('events').where({ resource_id: ORDER_ID }).count('* as n').first()).toEqual({ n: '0' });
    expect(await app.stores.customers.get(SHOP, CUSTOMER_ID)).toBeUndefined();
  });

  it('app/uninstalled stops the shop; shop/redact deletes all of its rows', async () => {
    await app.webhook('orders/create', orderBody);
    await app.waitFor(() => app.stores.decisions.bySubject(SHOP, ORDER_ID), 'the decision');
    // Shopify's sample names no shop (myshopify_domain null): a real Shop object names its own.
    const uninstall = readWebhookFixture('app_uninstalled').replace('"myshopify_domain": null', `"myshopify_domain": "${SHOP}"`);
    expect((await app.webhook('app/uninstalled', uninstall)).statusCode).toBe(200);
    expect((await app.stores.shops.get(SHOP))!.status).toBe('uninstalled');
    const shopRedact = readWebhookFixture('shop_redact').replaceAll('{shop}.myshopify.com', SHOP);
    expect((await app.webhook('shop/redact', shopRedact)).statusCode).toBe(200);
    for (const table of ['shops', 'events', 'customers', 'decisions', 'actions', 'rulesets', 'webhook_deliveries']) {
      expect(await app.stores.db(table).count('* as n').first(), table).toEqual({ n: '0' });
    }
  });
});

describe('sweepers', () => {
  beforeEach(() => resetShop(DEFAULT_RULESET));

  it('re-enqueues a stored subject whose scoring job was lost', async () => {
    const { sweepUnscoredSubjects } = await import('../../jobs/startWorkers.ts');
    // A stored order with no decision and no job: as after a crash between commit and send.
    const { normalizeWebhook } = await import('../../shopify/normalize/index.ts');
    const shop = (await app.stores.shops.get(SHOP))!;
    const normalized = normalizeWebhook('orders/create', orderBody, shop.hash_key);
    if (normalized.kind !== 'order') throw new Error('expected an order');
    await app.stores.events.upsert(SHOP, { type: 'order', order: normalized.order });
    expect(await sweepUnscoredSubjects({ queue: app.queue, stores: app.stores }, 0)).toBe(1);
    await app.waitFor(() => app.stores.decisions.bySubject(SHOP, ORDER_ID), 'the swept decision');
    expect(await sweepUnscoredSubjects({ queue: app.queue, stores: app.stores }, 0)).toBe(0);
  });
});

describe('score batch jobs (one job per group commit of order webhooks)', () => {
  beforeEach(() => resetShop(DEFAULT_RULESET));

  it('decides the subjects that are ready and hands one that is not to its own retried job', async () => {
    await app.stores.shops.install(SHOP, '', 'read_orders');
    const ready = orderVariant(500, 1);
    const shop = (await app.stores.shops.get(SHOP))!;
    const { normalizeWebhook } = await import('../../shopify/normalize/index.ts');
    const normalized = normalizeWebhook('orders/create', ready.body, shop.hash_key);
    if (normalized.kind !== 'order') throw new Error('expected an order');
    await app.stores.events.upsert(SHOP, { type: 'order', order: normalized.order });
    const late = orderVariant(501, 2);
    await app.queue.sendScoreBatch([
      { shopId: SHOP, kind: 'order', subjectId: ready.orderId },
      { shopId: SHOP, kind: 'order', subjectId: late.orderId },
    ]);
    await app.waitFor(() => app.stores.decisions.bySubject(SHOP, ready.orderId), 'the ready subject decided');
    // The batch job completed; the subject that was not stored went to a `score` job of its own.
    const jobs = async () => (await app.stores.db.raw(`select name, state, data from pgboss.job where name in ('refundsentry-score', 'refundsentry-score-batch') order by created_on`)).rows as { name: string; state: string; data: { subjectId?: string; subjects?: { subjectId: string }[] } }[];
    const ours = (j: { data: { subjects?: { subjectId: string }[] } }) => j.data.subjects?.some((s) => s.subjectId === ready.orderId);
    await app.waitFor(async () => (await jobs()).some((j) => j.name === 'refundsentry-score-batch' && ours(j) && j.state === 'completed'), 'the batch job completed');
    const single = (await jobs()).filter((j) => j.name === 'refundsentry-score' && [ready.orderId, late.orderId].includes(j.data.subjectId!));
    expect(single.map((j) => j.data.subjectId)).toEqual([late.orderId]);
    expect(await app.stores.decisions.bySubject(SHOP, late.orderId)).toBeUndefined();
    // Once its order arrives, the retried job decides it.
    const lateOrder = normalizeWebhook('orders/create', late.body, shop.hash_key);
    if (lateOrder.kind !== 'order') throw new Error('expected an order');
    await app.stores.events.upsert(SHOP, { type: 'order', order: lateOrder.order });
    await app.waitFor(() => app.stores.decisions.bySubject(SHOP, late.orderId), 'the late subject decided by its retried job', 30_000);
  });
});

describe('a shop with no store connection (demo mode, or awaiting reconnection)', () => {
  it('records its Admin API actions as skipped at decision time, and settles review entries, without jobs', async () => {
    await app.idle();
    await app.stores.db.raw('truncate shops, webhook_deliveries cascade');
    const withReview: Ruleset = {
      ...STRICT_RULESET,
      appliesTo: ['order', 'return', 'refund'],
      actions: [...STRICT_RULESET.actions!, { id: 'review', on: ['order'], conditions: { all: [] }, do: [{ type: 'review.queue', queue: 'orders' }] }],
    };
    await app.installShop(SHOP, withReview, '');
    double.requests.length = 0;
    await app.webhook('orders/create', orderBody);
    const decision = await app.waitFor(() => app.stores.decisions.bySubject(SHOP, ORDER_ID), 'the decision');
    const actions = await app.stores.actions.forDecision(SHOP, decision.id);
    expect(actions.map((a) => [a.type, a.status])).toEqual([
      ['fulfillment.hold', 'skipped'],
      ['customer.tag', 'skipped'],
      ['risk.assessment', 'skipped'],
      ['flow.trigger', 'skipped'],
      ['review.queue', 'done'],
    ]);
    expect(actions[0].result).toMatchObject({ reason: expect.stringMatching(/no Shopify store connected/) });
    expect(double.requests).toEqual([]);
  });
});

describe('hostile deliveries (issue 19): the signed body decides, every bad value is a 4xx', () => {
  beforeEach(() => resetShop(DEFAULT_RULESET));

  const count = async (table: string, where: Record<string, string> = {}) => Number((await app.stores.db(table).where(where).count('* as n').first())!.n);
  /** Rows of every table a webhook writes, to check a refusal wrote (and deleted) nothing. */
  const snapshot = async () => Object.fromEntries(await Promise.all(['webhook_deliveries', 'events', 'customers', 'decisions', 'actions', 'shops', 'rulesets'].map(async (t) => [t, await count(t)] as const)));
  const OTHER_SHOP = 'shop-c.myshopify.com';
  /** The webhook route's deps (hapi keeps a plugin's options): its logger, to see the refusals it logs. */
  const webhookDeps = () => (app.server.registrations as Record<string, { options: unknown }>)['refundsentry-webhooks']!.options as { log: { warn: (...args: unknown[]) => void } };
  const withWarnings = async (run: () => Promise<void>) => {
    const log = webhookDeps().log;
    const spy = vi.spyOn(log, 'warn');
    try {
      await run();
      return spy.mock.calls;
    } finally {
      spy.mockRestore();
    }
  };

  /** A stored order (with its decision), so a wrongful delete or uninstall would show. */
  async function storedOrder() {
    expect((await app.webhook('orders/create', orderBody)).statusCode).toBe(200);
    await app.waitFor(() => app.stores.decisions.bySubject(SHOP, ORDER_ID), 'the decision');
    return snapshot();
  }

  it('refuses a signed orders/create body resent as app/uninstalled: 400, the shop stays active', async () => {
    const before = await storedOrder();
    const response = await app.webhook('app/uninstalled', orderBody);
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.payload).message).toMatch(/app\/uninstalled payload/);
    expect((await app.stores.shops.get(SHOP))!.status).toBe('active');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a signed customers/redact body resent as shop/redact: 400, nothing deleted', async () => {
    const before = await storedOrder();
    const body = readWebhookFixture('customers_redact').replaceAll('{shop}.myshopify.com', SHOP);
    const response = await app.webhook('shop/redact', body);
    expect(response.statusCode).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses compliance and uninstall bodies naming another shop than the delivery: 403, nothing deleted, logged', async () => {
    const before = await storedOrder();
    const bodies: [string, string][] = [
      ['shop/redact', readWebhookFixture('shop_redact').replaceAll('{shop}.myshopify.com', OTHER_SHOP)],
      ['customers/redact', readWebhookFixture('customers_redact').replaceAll('{shop}.myshopify.com', OTHER_SHOP).replace('"id": 191167', '"id": 115310627314723954')],
      ['customers/data_request', readWebhookFixture('customers_data_request').replaceAll('{shop}.myshopify.com', OTHER_SHOP)],
      ['app/uninstalled', readWebhookFixture('app_uninstalled').replace('"myshopify_domain": null', `"myshopify_domain": "${OTHER_SHOP}"`)],
      // Shopify's own sample names no shop: it cannot be checked against the delivery, so it is refused too.
      ['app/uninstalled', readWebhookFixture('app_uninstalled')],
    ];
    const warnings = await withWarnings(async () => {
      for (const [topic, body] of bodies) {
        const response = await app.webhook(topic, body);
        expect(response.statusCode, topic).toBe(403);
        expect(JSON.parse(response.payload).message, topic).toContain(SHOP);
      }
    });
    expect((await app.stores.shops.get(SHOP))!.status).toBe('active');
    expect(await snapshot()).toEqual(before);
    expect(await app.stores.audit.list(SHOP)).toEqual([]);
    const refusals = warnings.filter(([fields]) => (fields as { bodyShop?: unknown }).bodyShop !== undefined);
    expect(refusals.map(([fields]) => fields)).toEqual([
      { shop: SHOP, topic: 'shop/redact', bodyShop: OTHER_SHOP },
      { shop: SHOP, topic: 'customers/redact', bodyShop: OTHER_SHOP },
      { shop: SHOP, topic: 'customers/data_request', bodyShop: OTHER_SHOP },
      { shop: SHOP, topic: 'app/uninstalled', bodyShop: OTHER_SHOP },
      { shop: SHOP, topic: 'app/uninstalled', bodyShop: null },
    ]);
  });

  it('acts on compliance and uninstall bodies naming the delivery\'s own shop', async () => {
    await storedOrder();
    const uninstall = readWebhookFixture('app_uninstalled').replace('"myshopify_domain": null', `"myshopify_domain": "${SHOP}"`);
    expect((await app.webhook('app/uninstalled', uninstall)).statusCode).toBe(200);
    expect((await app.stores.shops.get(SHOP))!.status).toBe('uninstalled');
    expect((await app.webhook('shop/redact', readWebhookFixture('shop_redact').replaceAll('{shop}.myshopify.com', SHOP))).statusCode).toBe(200);
    expect(await count('events')).toBe(0);
  });

  it('stores text with NUL and lone surrogates as U+FFFD instead of failing with 500', async () => {
    const body = orderBody
      .replace('"title": "Aviator sunglasses"', '"title": "Aviator\\u0000sunglasses"')
      .replace('"sku": "SKU2006-020"', '"sku": "SKU\\uD800-020"')
      .replace('"name": "#9999"', '"name": "#99\\udfff99"');
    const response = await app.webhook('orders/create', body);
    expect(response.statusCode).toBe(200);
    const stored = await app.stores.events.get<{ name: string; lineItems: { title?: string; sku?: string }[] }>(SHOP, 'order', ORDER_ID);
    expect(stored!.lineItems.map((l) => l.title)).toContain('Aviator\uFFFDsunglasses');
    expect(stored!.lineItems.map((l) => l.sku)).toContain('SKU\uFFFD-020');
    expect(stored!.name).toBe('#99\uFFFD99');
    await app.waitFor(() => app.stores.decisions.bySubject(SHOP, ORDER_ID), 'the decision');
    // A return note (kept as evidence) too, through the returns normalizer.
    const ret = JSON.stringify({ ...JSON.parse(readWebhookFixture('returns_close')), status: 'closed', order_id: 1 }).replace('"closed"', '"clo\\u0000sed"');
    expect((await app.webhook('returns/close', ret)).statusCode).toBe(400); // status must be letters: refused, not a 500
  });

  it('refuses a bad X-Shopify-Triggered-At with 400 naming the header, storing nothing', async () => {
    for (const triggeredAt of ['not-a-date', '0000-01-01T00:00:00Z', '2023-02-30T00:00:00Z', '2999-01-01T00:00:00Z']) {
      const response = await app.webhook('orders/create', orderBody, { triggeredAt });
      expect(response.statusCode, triggeredAt).toBe(400);
      expect(JSON.parse(response.payload).message, triggeredAt).toMatch(/X-Shopify-Triggered-At/);
    }
    const returns = await app.webhook('returns/close', readWebhookFixture('returns_close'), { triggeredAt: 'not-a-date' });
    expect(returns.statusCode).toBe(400);
    expect(await count('webhook_deliveries')).toBe(0);
    expect(await count('events')).toBe(0);
  });

  it('refuses a return body with no timestamp when the delivery has no X-Shopify-Triggered-At: 400, not 500', async () => {
    const response = await app.webhook('returns/close', readWebhookFixture('returns_close'), { omitHeaders: ['x-shopify-triggered-at'] });
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.payload).message).toMatch(/X-Shopify-Triggered-At/);
    expect(await count('webhook_deliveries')).toBe(0);
  });

  it('refuses webhook and event ids over 255 characters, and a shop domain that is not *.myshopify.com, with 400 naming the header', async () => {
    const cases: [string, Parameters<TestApp['webhook']>[2], RegExp][] = [
      // Random (incompressible) ids: PostgreSQL compresses a repeated character under the btree row limit.
      ['webhook id', { webhookId: randomBytes(3000).toString('hex') }, /X-Shopify-Webhook-Id/],
      ['event id', { eventId: randomBytes(3000).toString('hex') }, /X-Shopify-Event-Id/],
      ['shop', { shop: 'shop-a.example.com' }, /X-Shopify-Shop-Domain/],
      ['shop', { shop: `${'s'.repeat(6000)}.myshopify.com` }, /X-Shopify-Shop-Domain/],
    ];
    for (const [what, options, message] of cases) {
      for (const topic of ['orders/create', 'products/create']) {
        const response = await app.webhook(topic, orderBody, options);
        expect(response.statusCode, `${what} ${topic}`).toBe(400);
        expect(JSON.parse(response.payload).message, what).toMatch(message);
      }
    }
    expect(await count('webhook_deliveries')).toBe(0);
    expect(await count('events')).toBe(0);
  });

  it('refuses out-of-range numbers and over-long ids in the body with 400 naming the field, storing nothing', async () => {
    const cases: [string, string, string][] = [
      ['orders/create', orderBody.replace(/"quantity": 1,(\s+"requires_shipping")/, '"quantity": 2147483648,$1'), '/line_items/0/quantity'],
      ['orders/create', orderBody.replace(/"quantity": 1,(\s+"requires_shipping")/, '"quantity": 1e300,$1'), '/line_items/0/quantity'],
      ['orders/create', orderBody.replace(/"total_price": "[0-9.]+"/, `"total_price": "1${'0'.repeat(400)}"`), '/total_price'],
      ['orders/create', orderBody.replaceAll('820982911946154508', '8'.repeat(6000)), '/id'],
      ['orders/create', orderBody.replace('"created_at": "2021-12-31T19:00:00-05:00"', '"created_at": "0000-01-01T00:00:00Z"'), '/created_at'],
      ['orders/create', orderBody.replace('"created_at": "2021-12-31T19:00:00-05:00"', '"created_at": "2021-02-30T19:00:00-05:00"'), '/created_at'],
      ['fulfillments/create', readWebhookFixture('fulfillments_create').replace('"quantity": 1', '"quantity": 4294967296'), '/line_items/0/quantity'],
      ['refunds/create', readWebhookFixture('refunds_create').replace('"quantity": 1', '"quantity": 2147483648'), '/refund_line_items/0/quantity'],
      ['disputes/create', readWebhookFixture('disputes_create').replace('"id": 285332461850802063', `"id": 1${'0'.repeat(30)}`), '/id'],
    ];
    for (const [topic, body, pointer] of cases) {
      const response = await app.webhook(topic, body);
      expect(response.statusCode, pointer).toBe(400);
      expect(JSON.parse(response.payload).message, pointer).toContain(`at ${pointer}:`);
    }
    expect(await count('webhook_deliveries')).toBe(0);
    expect(await count('events')).toBe(0);
  });
});

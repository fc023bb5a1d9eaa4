import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminGraphqlClient } from '../shopify/AdminGraphqlClient.ts';
import { BACKFILL_REFUND_DETAILS, BACKFILL_RETURN_DETAILS, BULK_OPERATION_RUN_QUERY, BULK_OPERATION_STATUS } from '../shopify/operations.ts';
import type { HistoryEvent } from '../../engine/history/index.ts';
import { generateShop } from '../../scenarios/generateShop.ts';
import { graphqlHistory } from '../testing/graphqlHistory.ts';
import { adminSchemaAvailable, startShopifyDouble, type ShopifyDouble } from '../testing/shopifyDouble.ts';
import { startTestApp, type TestApp } from '../testing/testApp.ts';
import { bulkQueryFor } from './bulk/bulkQueries.ts';
import { validateBulkQuery } from '../testing/bulkOperationsDouble.ts';
import { adminSchema } from '../testing/shopifyDouble.ts';
import { FETCH_STAGES } from './HistorySource.ts';

const END = '2025-07-01T00:00:00.000Z';
const DAY = 86_400_000;
const { events } = generateShop({ seed: 33, customers: 70, start: '2025-01-01', days: 170 });
const TOKEN = 'shpat_bulk_token';

/** What a record keeps through Shopify's GraphQL: identity hashes differ (raw values are made up), and some facts are webhook-only. */
function comparable(event: HistoryEvent): unknown {
  const record = structuredClone((event as Record<string, unknown>)[event.type]) as Record<string, unknown>;
  delete record.identity;
  delete record.emailDomainDisposable;
  // The browser IP's facts: the double's IPs are made up from the hashes (private addresses, placed nowhere).
  for (const key of ['browserIpCountryCode', 'browserIpAsn', 'browserIpHosting', 'browserIpNetwork', 'browserIpShippingMinKm', 'browserIpBillingMinKm']) delete record[key];
  for (const key of ['shippingAddress', 'billingAddress'] as const) {
    const address = record[key] as Record<string, unknown> | undefined;
    if (address) delete address.hash;
  }
  if (event.type === 'order') {
    // Neither webhooks nor the bulk query carry the product type or the compare-at price of the time.
    for (const line of record.lineItems as Record<string, unknown>[]) {
      delete line.productType;
      delete line.compareAtPrice;
    }
    for (const line of record.shippingLines as Record<string, unknown>[]) delete line.speed; // inferred again from the title
    // GraphQL always has processedAt (the generator leaves it out when it is the creation time) and a null cancelledAt.
    if (record.processedAt === record.createdAt) delete record.processedAt;
    if (record.cancelledAt === null) delete record.cancelledAt;
  }
  if (event.type === 'return' && record.closedAt === null) delete record.closedAt;
  if (event.type === 'refund' && record.manual === false) delete record.manual; // the generator leaves out the default
  if (event.type === 'fulfillment') record.lineItems = []; // a connection inside a list: not in a bulk query
  return record;
}

const inWindow = (event: HistoryEvent, from: number, to: number) => {
  if (event.type === 'customer' || event.type === 'outcome') return false;
  const record = (event as unknown as Record<string, Record<string, string>>)[event.type];
  const at = Date.parse(record.createdAt ?? record.initiatedAt);
  return at >= from && at < to;
};

let double: ShopifyDouble;
let app: TestApp;

beforeAll(async () => {
  double = await startShopifyDouble({ accessToken: TOKEN });
  double.state.history = graphqlHistory(events);
  app = await startTestApp({ adminOrigin: double.origin, backfill: { pageSize: 50, scorePageSize: 40, maxAttempts: 3, bulk: { pollMs: 20, detailsBatch: 10 } } });
});
afterAll(async () => {
  await app?.stop();
  await double?.close();
});

async function untilSettled(shop: string) {
  return app.waitFor(async () => {
    const progress = await app.backfill.progress(shop);
    return progress.status === 'done' || progress.status === 'failed' || progress.status === 'paused' ? progress : undefined;
  }, `the backfill of ${shop}`, 60_000);
}

async function stored(shop: string, kind: string): Promise<Map<string, unknown>> {
  const rows = await app.stores.db('events').where({ shop_id: shop, kind }).select('resource_id', 'body');
  return new Map(rows.map((r) => [r.resource_id as string, r.body]));
}

/** Every record of the generated history is stored once for the shop, as the source had it. */
async function expectEveryRecordAsGenerated(shop: string): Promise<void> {
  for (const type of ['order', 'fulfillment', 'return', 'refund', 'chargeback'] as const) {
    const expected = events.filter((e) => e.type === type);
    const got = await stored(shop, type);
    expect(got.size, type).toBe(expected.length);
    for (const event of expected) {
      const id = ((event as unknown as Record<string, { id: string }>)[type]).id;
      expect(comparable({ type, [type]: got.get(id) } as HistoryEvent), `${type} ${id}`).toEqual(comparable(event));
    }
  }
}

describe.skipIf(!adminSchemaAvailable())('backfill through Shopify bulk operations (the double validates every query against the 2026-07 schema)', () => {
  it("each stage's bulk query passes Shopify's bulk-query rules", () => {
    const window = { from: '2025-01-01T00:00:00.000Z', to: END };
    for (const stage of FETCH_STAGES) expect(validateBulkQuery(adminSchema(), bulkQueryFor(stage, window)), stage).toEqual([]);
    // The validator is real: the captured rejections come back for queries that break the rules.
    expect(validateBulkQuery(adminSchema(), '{ orders { nodes { id } } }')[0].message).toMatch(/must select their contents using 'edges' > 'node'/);
    expect(validateBulkQuery(adminSchema(), '{ orders { edges { node { id fulfillments { events { edges { node { id } } } } } } } }')[0].message).toBe(
      'Queries that contain a connection field within a list field are not currently supported.',
    );
  });

  it('runs all seven stages and the scoring from bulk results: every record as the shop has it, every subject decided', async () => {
    const shop = 'bulk-a.myshopify.com';
    await app.installShop(shop, undefined, TOKEN);
    const before = double.requests.length;
    expect(await app.backfill.start(shop, { kind: 'bulk' }, { days: 365, to: END })).toBe(true);
    const progress = await untilSettled(shop);
    expect(progress.stages.map((s) => [s.stage, s.status, s.error])).toEqual(
      ['orders', 'fulfillments', 'returns', 'refunds', 'chargebacks', 'aging', 'baseline', 'scoring'].map((s) => [s, 'done', null]),
    );
    const requests = double.requests.slice(before);
    expect(requests.filter((r) => r.outcome !== 'ok')).toEqual([]);
    expect(requests.filter((r) => r.rootFields.includes('bulkOperationRunQuery'))).toHaveLength(5);
    expect(requests.some((r) => r.rootFields.includes('bulkOperation'))).toBe(true);
    expect(requests.filter((r) => r.rootFields.includes('nodes')).length).toBeGreaterThan(0);

    await expectEveryRecordAsGenerated(shop);
    // The same buyer is the same hash on every order (made-up raw values, one per original hash).
    const orders = [...(await stored(shop, 'order')).values()] as { customerId: string; identity: { email?: string } }[];
    const hashesByCustomer = new Map<string, Set<string>>();
    for (const o of orders) if (o.customerId && o.identity.email) hashesByCustomer.set(o.customerId, (hashesByCustomer.get(o.customerId) ?? new Set()).add(o.identity.email));
    expect([...hashesByCustomer.values()].every((hashes) => hashes.size === 1)).toBe(true);

    const subjects = events.filter((e) => e.type === 'order' || e.type === 'return' || e.type === 'refund').length;
    expect(Number((await app.stores.db('decisions').where({ shop_id: shop }).count('* as n').first())!.n)).toBe(subjects);
  });

  it('rides out throttling and a bulk operation that times out, without duplicates', async () => {
    const shop = 'bulk-b.myshopify.com';
    await app.installShop(shop, undefined, TOKEN);
    double.state.failNextBulk.push('TIMEOUT');
    double.throttleNext(3, '429');
    expect(await app.backfill.start(shop, { kind: 'bulk' }, { days: 365, to: END })).toBe(true);
    const progress = await untilSettled(shop);
    expect(progress.status).toBe('done');
    const failed = [...double.state.bulkOperations.values()].filter((op) => op.status === 'FAILED');
    expect(failed.map((op) => op.errorCode)).toContain('TIMEOUT');
    const expected = events.filter((e) => e.type === 'order').length;
    expect((await stored(shop, 'order')).size).toBe(expected);
    expect(Number((await app.stores.db('events').where({ shop_id: shop, kind: 'order' }).count('* as n').first())!.n)).toBe(expected);
  });

  it('pauses when the token is refused and resumes from its checkpoint after the shop reconnects', async () => {
    const shop = 'bulk-c.myshopify.com';
    await app.installShop(shop, undefined, 'shpat_revoked');
    await app.backfill.start(shop, { kind: 'bulk' }, { days: 365, to: END });
    const paused = await untilSettled(shop);
    expect(paused.status).toBe('paused');
    expect(paused.next).toBe('reconnect');
    expect(paused.stages[0].error).toMatch(/refused \(HTTP 401\); reconnect/);
    await app.installShop(shop, undefined, TOKEN); // re-auth stores a working token
    const token = await app.sessionToken(shop);
    const retry = await app.server.inject({ method: 'POST', url: '/api/backfill/retry', headers: { authorization: `Bearer ${token}` } });
    expect(retry.statusCode).toBe(200);
    expect((await untilSettled(shop)).status).toBe('done');
    expect((await stored(shop, 'refund')).size).toBe(events.filter((e) => e.type === 'refund').length);
  });

  it('fails a stage whose bulk query Shopify denies (ACCESS_DENIED), naming why, and retries it on request', async () => {
    const shop = 'bulk-d.myshopify.com';
    await app.installShop(shop, undefined, TOKEN);
    double.state.failNextBulk.push('ACCESS_DENIED');
    await app.backfill.start(shop, { kind: 'bulk' }, { days: 365, to: END });
    const failed = await untilSettled(shop);
    expect(failed.status).toBe('failed');
    expect(failed.next).toBe('retry');
    expect(failed.stages[0]).toMatchObject({ stage: 'orders', status: 'failed' });
    expect(failed.stages[0].error).toMatch(/ACCESS_DENIED/);
    expect(await app.backfill.resume(shop)).toBe(true);
    expect((await untilSettled(shop)).status).toBe('done');
  });

  it('extending the window from 60 days to 12 months fetches and scores only the gap', async () => {
    const shop = 'bulk-e.myshopify.com';
    await app.installShop(shop, undefined, TOKEN);
    await app.backfill.start(shop, { kind: 'bulk' }, { days: 60, to: END });
    expect((await untilSettled(shop)).status).toBe('done');
    const end = Date.parse(END);
    const firstFrom = end - 60 * DAY;
    const firstPass = events.filter((e) => inWindow(e, firstFrom, end));
    expect((await stored(shop, 'order')).size).toBe(firstPass.filter((e) => e.type === 'order').length);
    const decisionsBefore = await app.stores.db('decisions').where({ shop_id: shop }).orderBy('id').select('id', 'subject_id', 'score');

    const token = await app.sessionToken(shop);
    const denied = await app.server.inject({ method: 'POST', url: '/api/backfill/extend', headers: { authorization: `Bearer ${token}` }, payload: { days: 365 } });
    expect(denied.statusCode).toBe(403);
    expect(denied.payload).toMatch(/read_all_orders/);
    await app.stores.db('shops').where({ id: shop }).update({ scopes: `${app.config.shopify.scopes.join(',')},read_all_orders` });
    app.stores.shops.forget(shop);
    const before = double.requests.length;
    const extend = await app.server.inject({ method: 'POST', url: '/api/backfill/extend', headers: { authorization: `Bearer ${token}` }, payload: { days: 365 } });
    expect(extend.statusCode, extend.payload).toBe(202);
    const progress = await untilSettled(shop);
    expect(progress.status).toBe('done');
    expect(progress.window).toEqual({ from: new Date(end - 365 * DAY).toISOString(), to: END });
    expect(progress.pass).toEqual({ from: new Date(end - 365 * DAY).toISOString(), to: new Date(firstFrom).toISOString() });

    // Only the gap was asked for: the orders query ends where the first pass began.
    const runs = double.requests.slice(before).filter((r) => r.rootFields.includes('bulkOperationRunQuery')).map((r) => String(r.variables.query));
    expect(runs).toHaveLength(5);
    expect(runs[0]).toContain(`created_at:<'${new Date(firstFrom).toISOString()}'`);
    const gap = events.filter((e) => inWindow(e, end - 365 * DAY, firstFrom));
    // The orders stage's records: the gap's orders and their payment transactions.
    const gapOrders = new Set(gap.flatMap((e) => (e.type === 'order' ? [e.order.id] : [])));
    const gapTransactions = events.filter((e) => e.type === 'transaction' && gapOrders.has(e.transaction.orderId)).length;
    expect(progress.stages.find((s) => s.stage === 'orders')!.processed).toBe(gapOrders.size + gapTransactions);
    // Everything is there once; the first pass's decisions are untouched; the gap's subjects are decided.
    for (const type of ['order', 'return', 'refund', 'chargeback'] as const) {
      expect((await stored(shop, type)).size, type).toBe(events.filter((e) => e.type === type).length);
    }
    const decisionsAfter = await app.stores.db('decisions').where({ shop_id: shop }).orderBy('id').select('id', 'subject_id', 'score');
    const after = new Map(decisionsAfter.map((d) => [d.id, d]));
    expect(decisionsBefore.map((d) => after.get(d.id))).toEqual(decisionsBefore);
    const gapSubjects = gap.filter((e) => e.type === 'order' || e.type === 'return' || e.type === 'refund').length;
    expect(decisionsAfter.length - decisionsBefore.length).toBe(gapSubjects);

    // Asking for what is already covered changes nothing.
    const again = await app.server.inject({ method: 'POST', url: '/api/backfill/extend', headers: { authorization: `Bearer ${token}` }, payload: { days: 200 } });
    expect(again.statusCode).toBe(200);
    expect(JSON.parse(again.payload)).toMatchObject({ extended: false });
    const bad = await app.server.inject({ method: 'POST', url: '/api/backfill/extend', headers: { authorization: `Bearer ${token}` }, payload: { days: 'lots' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.payload).toMatch(/days/);
  });

  it('the file source reads the same shapes: bulk results and nodes answers saved to files give the same records', async () => {
    // Export the history as Shopify gives it: each stage's bulk result, and the lines of returns and refunds.
    const dir = await mkdtemp(join(tmpdir(), 'refundsentry-bulk-files-'));
    const client = new AdminGraphqlClient({ shop: 'export.myshopify.com', accessToken: TOKEN, origin: double.origin });
    const window = { from: new Date(Date.parse(END) - 365 * DAY).toISOString(), to: END };
    for (const stage of FETCH_STAGES) {
      const run = await client.request<{ bulkOperationRunQuery: { bulkOperation: { id: string } } }>(BULK_OPERATION_RUN_QUERY, { query: bulkQueryFor(stage, window) });
      let url: string | null = null;
      for (let i = 0; i < 10 && !url; i++) {
        url = (await client.request<{ bulkOperation: { url: string | null } }>(BULK_OPERATION_STATUS, { id: run.data.bulkOperationRunQuery.bulkOperation.id })).data.bulkOperation.url;
      }
      await writeFile(join(dir, `${stage}.jsonl`), url ? await (await fetch(url)).text() : '');
    }
    for (const [stage, document, type] of [['returns', BACKFILL_RETURN_DETAILS, 'return'], ['refunds', BACKFILL_REFUND_DETAILS, 'refund']] as const) {
      const ids = events.filter((e) => e.type === type).map((e) => (e as unknown as Record<string, { id: string }>)[type].id);
      const { data } = await client.request<{ nodes: unknown[] }>(document, { ids });
      await writeFile(join(dir, `${stage}.details.jsonl`), data.nodes.map((n) => JSON.stringify(n)).join('\n') + '\n');
    }
    try {
      const shop = 'bulk-files.myshopify.com';
      await app.installShop(shop, undefined, TOKEN);
      await app.backfill.start(shop, { kind: 'bulk-files', dir }, { days: 365, to: END });
      const progress = await untilSettled(shop);
      expect(progress.stages.map((s) => [s.stage, s.status, s.error])).toEqual(
        ['orders', 'fulfillments', 'returns', 'refunds', 'chargebacks', 'aging', 'baseline', 'scoring'].map((s) => [s, 'done', null]),
      );
      await expectEveryRecordAsGenerated(shop);
      // A damaged file fails its stage with the file and line.
      await writeFile(join(dir, 'orders.jsonl'), '{"id":"gid://shopify/Order/1","createdAt":"2025-06-01T00:00:00Z"}\n{"id": oops}\n');
      const broken = 'bulk-files-broken.myshopify.com';
      await app.installShop(broken, undefined, TOKEN);
      await app.backfill.start(broken, { kind: 'bulk-files', dir }, { days: 365, to: END });
      const failed = await untilSettled(broken);
      expect(failed.status).toBe('failed');
      expect(failed.stages[0].error).toMatch(/orders\.jsonl line 2: not JSON/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a bulk_operations/finish webhook wakes a waiting backfill', async () => {
    const shop = 'bulk-f.myshopify.com';
    await app.installShop(shop, undefined, TOKEN);
    const response = await app.webhook('bulk_operations/finish', JSON.stringify({ admin_graphql_api_id: 'gid://shopify/BulkOperation/1', completed_at: END, created_at: END, error_code: null, status: 'completed', type: 'query' }), { shop });
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.payload)).toEqual({ ok: true, woken: false }); // nothing under way
  });
});

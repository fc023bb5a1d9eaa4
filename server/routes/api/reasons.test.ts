import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReturnRecord } from '../../../sdk/index.ts';
import { generateShop } from '../../../scenarios/generateShop.ts';
import { LlmLabeler } from '../../services/LlmLabeler.ts';
import { ReasonService } from '../../services/ReasonService.ts';
import { startTestApp, type TestApp } from '../../testing/testApp.ts';

const SHOP = 'reasons.myshopify.com';
const BACKFILLED = 'reasons-backfill.myshopify.com';
const OTHER = 'reasons-other.myshopify.com';
const LLM_KEY = 'sk-test-reasons';
let app: TestApp;
let dir: string;

/** An OpenAI-compatible chat-completions test double: answers, fails, or hangs, as told. */
let llmMode: 'ok' | 'fail' | 'slow' = 'ok';
const llmCalls: { auth: string | undefined; body: { model: string; messages: { role: string; content: string }[] } }[] = [];
let llm: Server;

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}

async function call(method: 'GET' | 'POST', url: string, shop: string) {
  const response = await app.server.inject({ method, url, headers: { authorization: `Bearer ${await app.sessionToken(shop)}` } });
  return { status: response.statusCode, body: JSON.parse(response.payload) };
}

async function refreshAndWait(shop: string) {
  const before = (await app.stores.reasons.latest(shop)).last?.id ?? '0';
  expect((await call('POST', '/api/reasons/refresh', shop)).status).toBe(202);
  return app.waitFor(async () => {
    const { last } = await app.stores.reasons.latest(shop);
    return last && last.id !== before && last.status !== 'running' ? (await call('GET', '/api/reasons?products=200', shop)).body : undefined;
  }, 'the reason clusters', 60_000);
}

const history = generateShop({ seed: 2026, customers: 400, start: '2025-01-01', days: 178 });
const returns = history.events.flatMap((e) => (e.type === 'return' ? [e.return] : []));
const noted = returns.flatMap((r) => r.lineItems.filter((li) => li.reasonNote).map((li) => ({ ret: r, li })));
/** The returned orders, stored too: their lines give the products their titles (the latest order's line). */
const returnedOrders = history.events.flatMap((e) => (e.type === 'order' && returns.some((r) => r.orderId === e.order.id) ? [e.order] : []));
const titleOf = new Map<string, string>();
for (const order of [...returnedOrders].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt))) for (const li of order.lineItems) if (li.productId && li.title) titleOf.set(li.productId, li.title);

beforeAll(async () => {
  llm = createServer(async (req, res) => {
    const body = JSON.parse(await readBody(req));
    llmCalls.push({ auth: req.headers.authorization, body });
    if (req.url !== '/v1/chat/completions') return void res.writeHead(404).end();
    if (llmMode === 'fail') return void res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"overloaded"}');
    if (llmMode === 'slow') await new Promise((resolve) => setTimeout(resolve, 3_000));
    // A label made from the prompt, so the test can tell where it came from.
    const words = /Top words: ([^,\n]+)/.exec(body.messages[1].content)?.[1] ?? '?';
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: `{"label": "Returns about ${words}"}` } }] }));
  });
  await new Promise<void>((resolve) => llm.listen(0, '127.0.0.1', resolve));
  const llmUrl = `http://127.0.0.1:${(llm.address() as AddressInfo).port}/v1`;
  app = await startTestApp({ env: { LLM_BASE_URL: llmUrl, LLM_MODEL: 'test-model', LLM_API_KEY: LLM_KEY, LLM_TIMEOUT_MS: '400' } });
  await app.installShop(SHOP);
  await app.installShop(BACKFILLED);
  await app.installShop(OTHER);
  // The reason job reads the stored returns; they are stored as the backfill would.
  await app.stores.events.upsertAll(SHOP, [...returnedOrders.map((o) => ({ type: 'order' as const, order: o })), ...returns.map((r) => ({ type: 'return' as const, return: r }))]);
  dir = await mkdtemp(join(tmpdir(), 'refundsentry-reasons-'));
});
afterAll(async () => {
  await app?.stop();
  await new Promise((resolve) => llm?.close(resolve));
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('return-reason clusters', () => {
  it('are computed by a job once a backfill finishes', async () => {
    const path = join(dir, 'history.jsonl');
    await writeFile(path, generateShop({ seed: 9, customers: 40, start: '2025-01-01', days: 120 }).events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    await app.backfill.start(BACKFILLED, { kind: 'file', path }, { days: 365, to: '2025-05-01T00:00:00Z' });
    const row = await app.waitFor(async () => {
      const { last } = await app.stores.reasons.latest(BACKFILLED);
      return last?.status === 'done' ? last : undefined;
    }, 'the clusters after the backfill', 60_000);
    expect(row.trigger).toBe('backfill');
    const stored = await app.stores.reasons.returnNotes(BACKFILLED);
    expect(stored.length).toBeGreaterThan(0);
    expect(row.report!.notes).toBe(stored.length);
  });

  it('GET /api/reasons: clusters with counts, examples, top products and SKUs, coordinated notes, LLM-refined names', async () => {
    expect((await call('GET', '/api/reasons', SHOP)).body).toEqual({ status: 'none', lastRun: null, report: null, productTitles: {} });
    const callsBefore = llmCalls.length;
    const body = await refreshAndWait(SHOP);
    expect(body.status).toBe('done');
    const report = body.report;
    // Every noted line item is counted once, in exactly one category.
    expect(report.notes).toBe(noted.length);
    expect(report.returns).toBe(new Set(noted.map((n) => n.ret.id)).size);
    expect(report.categories.reduce((s: number, c: { count: number }) => s + c.count, 0)).toBe(noted.length);
    expect(report.clusters.reduce((s: number, c: { size: number }) => s + c.size, 0)).toBeLessThanOrEqual(noted.length);
    const notes = new Set(noted.map((n) => n.li.reasonNote));
    for (const category of report.categories) {
      if (category.count === 0) continue;
      expect(category.examples.length).toBeGreaterThan(0);
      for (const example of category.examples) expect(notes.has(example)).toBe(true);
      const productCounts = category.topProducts.map((p: { count: number }) => p.count);
      expect(productCounts).toEqual([...productCounts].sort((a, b) => b - a));
      expect(category.topSkus.length).toBeGreaterThan(0);
    }
    // Coordinated: the pasted refund script from several customers, and nothing else.
    expect(report.coordinated.length).toBeGreaterThan(0);
    const scriptedReturns = new Set(noted.filter((n) => n.li.reasonNote!.startsWith('Item arrived')).map((n) => n.ret.id));
    for (const group of report.coordinated) {
      expect(group.customers).toBeGreaterThanOrEqual(3);
      expect(group.returnIds.every((id: string) => scriptedReturns.has(id))).toBe(true);
    }
    const suspicious = report.categories.find((c: { category: string }) => c.category === 'suspicious');
    expect(suspicious.count).toBe(report.coordinated.reduce((s: number, g: { returnIds: string[] }) => s + noted.filter((n) => g.returnIds.includes(n.ret.id)).length, 0));
    // The LLM double named every cluster from its top words; the key and model were sent.
    expect(report.llm).toEqual({ configured: true, model: 'test-model', refined: report.clusters.length, failed: 0, error: null });
    for (const cluster of report.clusters) {
      expect(cluster.refined).toBe(true);
      expect(cluster.refinedLabel).toBe(`Returns about ${cluster.terms[0]}`);
      expect(cluster.label).toMatch(/: /);
    }
    expect(llmCalls.length - callsBefore).toBe(report.clusters.length);
    expect(llmCalls.every((c) => c.auth === `Bearer ${LLM_KEY}` && c.body.model === 'test-model')).toBe(true);
    // Products: per product, per SKU, counts add up.
    expect(body.report.productCount).toBeGreaterThan(0);
    for (const product of report.products) {
      expect(Object.values(product.categories as Record<string, number>).reduce((s, n) => s + n, 0)).toBe(product.notes);
      expect(product.skus.reduce((s: number, k: { notes: number }) => s + k.notes, 0)).toBe(product.notes);
      // Each by its title, as the shop's order lines name it (the admin shows no GID).
      expect(body.productTitles[product.productId]).toBe(titleOf.get(product.productId));
    }
    // Another shop sees nothing of it.
    expect((await call('GET', '/api/reasons', OTHER)).body.report).toBeNull();
  });

  it('asks the LLM again only for new prompts (answers are cached)', async () => {
    const calls = llmCalls.length;
    const body = await refreshAndWait(SHOP);
    expect(body.report.llm.refined).toBe(body.report.clusters.length);
    expect(llmCalls.length).toBe(calls);
  });

  it('keeps the offline names when the LLM fails or is too slow, and says so', async () => {
    await app.stores.db('llm_label_cache').delete();
    llmMode = 'fail';
    const failed = (await refreshAndWait(SHOP)).report;
    expect(failed.llm).toMatchObject({ configured: true, refined: 0, failed: failed.clusters.length, error: 'LLM answered HTTP 500' });
    expect(failed.clusters.every((c: { refined: boolean; refinedLabel?: string; label: string }) => !c.refined && c.refinedLabel === undefined && c.label.length > 0)).toBe(true);
    llmMode = 'slow';
    const started = Date.now();
    const slow = (await refreshAndWait(SHOP)).report;
    expect(slow.llm).toMatchObject({ refined: 0, failed: slow.clusters.length, error: 'LLM did not answer within 400 ms' });
    // One timeout, not one per cluster.
    expect(Date.now() - started).toBeLessThan(slow.clusters.length * 400);
    expect(slow.categories).toEqual(failed.categories);
    llmMode = 'ok';
  });

  it('works without an LLM configured', async () => {
    const service = new ReasonService(app.stores, null, pino({ level: 'silent' }), async () => {});
    const report = await service.compute(await app.stores.reasons.returnNotes(SHOP));
    expect(report.llm).toEqual({ configured: false, model: null, refined: 0, failed: 0, error: null });
    expect(report.clusters.every((c) => !c.refined)).toBe(true);
    expect(report.notes).toBe(noted.length);
    // A labeler pointed at a closed port fails fast and is reported, not thrown.
    const dead = new LlmLabeler({ baseUrl: 'http://127.0.0.1:9/v1', model: 'm', timeoutMs: 500 }, app.stores.reasons);
    expect(await dead.label({ category: 'sizing', terms: ['small'], examples: ['too small'] })).toMatchObject({ error: expect.stringMatching(/^LLM call failed/) });
  });

  it('one product or SKU, and refuses bad queries with a message', async () => {
    const { body } = await call('GET', '/api/reasons', SHOP);
    const top = body.report.products[0];
    const product = await call('GET', `/api/reasons/product?productId=${encodeURIComponent(top.productId)}`, SHOP);
    expect(product.status).toBe(200);
    expect(product.body.product).toEqual(top);
    const sku = await call('GET', `/api/reasons/product?sku=${encodeURIComponent(top.skus[0].sku)}`, SHOP);
    expect(sku.body).toMatchObject({ productId: top.productId, sku: top.skus[0] });
    const expected = noted.filter((n) => n.li.sku === top.skus[0].sku).length;
    expect(sku.body.sku.notes).toBe(expected);
    const bad = await call('GET', '/api/reasons/product?productId=nope', SHOP);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/productId/);
    expect((await call('GET', `/api/reasons/product?productId=${encodeURIComponent(top.productId)}&sku=x`, SHOP)).status).toBe(400);
    expect((await call('GET', '/api/reasons/product?sku=NO-SUCH-SKU', SHOP)).body.message).toMatch(/no return notes for SKU NO-SUCH-SKU/);
    expect((await call('GET', '/api/reasons?products=500', SHOP)).status).toBe(400);
    expect((await call('GET', '/api/reasons/product?sku=x', OTHER)).status).toBe(404);
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '../../engine/index.ts';
import { sortEvents, type HistoryEvent } from '../../engine/history/index.ts';
import { generateShop } from '../../scenarios/generateShop.ts';
import { builtinSignals } from '../../signals/index.ts';
import { ScoringService } from '../services/ScoringService.ts';
import type { BackfillSource } from '../store/index.ts';
import { startTestApp, type TestApp } from '../testing/testApp.ts';
import { FileHistorySource } from './FileHistorySource.ts';
import { SourceAuthError, type FetchStage, type HistorySource, type HistoryWindow } from './HistorySource.ts';

/** The history ends on this day; windows are counted back from it. */
const END = '2025-07-01T00:00:00.000Z';
const { events } = generateShop({ seed: 21, customers: 80, start: '2025-01-01', days: 170 });
const subjectCount = events.filter((e) => e.type === 'order' || e.type === 'return' || e.type === 'refund').length;

/**
 * The file source with faults a test can arm: a transient failure of some page (as a rate limit
 * or a dropped connection would), or a revoked token.
 */
class FaultySource implements HistorySource {
  readonly description = 'faulty test source';
  private readonly inner: FileHistorySource;
  transientFailures = new Map<FetchStage, number>();
  authLost = false;
  reads: { stage: FetchStage; cursor: string | null }[] = [];

  constructor(path: string) {
    this.inner = new FileHistorySource(path);
  }

  async readPage(stage: FetchStage, cursor: string | null, window: HistoryWindow, pageSize: number) {
    this.reads.push({ stage, cursor });
    if (this.authLost) throw new SourceAuthError('the shop revoked the access token (401)');
    const failures = this.transientFailures.get(stage) ?? 0;
    if (failures > 0 && cursor !== null) {
      this.transientFailures.set(stage, failures - 1);
      throw new Error('Throttled: 429 Too Many Requests');
    }
    return this.inner.readPage(stage, cursor, window, pageSize);
  }
}

let app: TestApp;
let dir: string;
let historyPath: string;
const sources = new Map<string, FaultySource>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'refundsentry-backfill-'));
  historyPath = join(dir, 'history.jsonl');
  await writeFile(historyPath, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  app = await startTestApp({
    backfill: {
      pageSize: 40,
      scorePageSize: 30,
      maxAttempts: 3,
      openSource: (source: BackfillSource, shopId: string) => {
        if (source.kind !== 'file') throw new Error('file sources only in this test');
        if (!sources.has(shopId)) sources.set(shopId, new FaultySource(source.path));
        return sources.get(shopId)!;
      },
    },
  });
});
afterAll(async () => {
  await app?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function untilSettled(shop: string) {
  return app.waitFor(async () => {
    const progress = await app.backfill.progress(shop);
    return progress.status === 'done' || progress.status === 'failed' || progress.status === 'paused' ? progress : undefined;
  }, `the backfill of ${shop}`, 60_000);
}

const countOf = async (table: string, where: Record<string, unknown>) => Number((await app.stores.db(table).where(where).count('* as n').first())!.n);

describe('backfill from a history file, through pg-boss and real PostgreSQL', () => {
  it('runs all stages in order: stores every record once, ages orders, returns and refunds, builds the baseline, decides every subject without acting', async () => {
    const shop = 'backfill-a.myshopify.com';
    await app.installShop(shop); // connected (it has a token): still, history is never acted on
    expect(await app.backfill.start(shop, { kind: 'file', path: historyPath }, { days: 365, to: END })).toBe(true);
    expect(await app.backfill.start(shop, { kind: 'file', path: historyPath }, { days: 365, to: END })).toBe(false);
    const progress = await untilSettled(shop);
    expect(progress.status).toBe('done');
    expect(progress.stages.map((s) => [s.stage, s.status])).toEqual(
      ['orders', 'fulfillments', 'returns', 'refunds', 'chargebacks', 'aging', 'baseline', 'scoring'].map((s) => [s, 'done']),
    );
    for (const type of ['order', 'fulfillment', 'return', 'refund', 'chargeback', 'customer'] as const) {
      expect(await countOf('events', { shop_id: shop, kind: type }), type).toBe(events.filter((e) => e.type === type).length);
    }
    const orders = progress.stages.find((s) => s.stage === 'orders')!;
    expect(orders.processed).toBe(orders.total);
    // The orders stage's records: the orders and their payment transactions (buyers are not counted).
    expect(orders.total).toBe(events.filter((e) => e.type === 'order' || e.type === 'transaction').length);
    expect(orders.pages).toBe(Math.ceil(events.filter((e) => e.type === 'order' || e.type === 'transaction' || e.type === 'customer').length / 40));
    expect(await countOf('decisions', { shop_id: shop })).toBe(subjectCount);
    const actions = await app.stores.db('actions').where({ shop_id: shop }).select('status', 'result');
    expect(actions.every((a) => a.status === 'skipped' && /historical/.test(a.result.reason))).toBe(true);
    // Aging: orders, returns and refunds (paid through Shopify Payments) more than 120 days before
    // now with no dispute on their order are legit, known from the day their window closed.
    const chargebackOrders = new Set(events.filter((e) => e.type === 'chargeback').map((e) => (e as Extract<HistoryEvent, { type: 'chargeback' }>).chargeback.orderId));
    const subjects = events.flatMap((e) => (e.type === 'order' ? [{ id: e.order.id, orderId: e.order.id, at: e.order.createdAt }] : e.type === 'return' ? [{ id: e.return.id, orderId: e.return.orderId, at: e.return.createdAt }] : e.type === 'refund' ? [{ id: e.refund.id, orderId: e.refund.orderId, at: e.refund.createdAt }] : []));
    const aged = subjects.filter((s) => !chargebackOrders.has(s.orderId));
    const stored = await app.stores.db('outcomes').where({ shop_id: shop, source: 'aging', label: 'legit' }).select('subject_id', 'labelled_at');
    expect(stored.length).toBe(aged.length);
    const maturedAt = new Map(stored.map((o) => [o.subject_id, (o.labelled_at as Date).toISOString()]));
    for (const s of aged) expect(maturedAt.get(s.id), s.id).toBe(new Date(Date.parse(s.at) + 120 * 86_400_000).toISOString());
  });

  it('decides each event as live scoring would have at that moment (future records not yet stored)', async () => {
    const shop = 'backfill-b.myshopify.com';
    await app.installShop(shop);
    await app.backfill.start(shop, { kind: 'file', path: historyPath }, { days: 365, to: END, agingDays: 100_000 });
    expect((await untilSettled(shop)).status).toBe('done');
    // Live: each record stored as it happens, each subject scored right after, with the same baseline.
    const live = 'live-b.myshopify.com';
    await app.installShop(live);
    const scoring = new ScoringService(app.stores, createRegistry(builtinSignals));
    const baseline = await new ScoringService(app.stores, createRegistry(builtinSignals)).baselineFor(shop, true);
    scoring.pinBaseline(live, baseline);
    // In time order, an order's checkout transactions with it (`sortEvents`): the order is scored once its payment is in.
    const inOrder = sortEvents(events);
    for (const event of inOrder) {
      await app.stores.events.upsert(live, event);
      if (event.type === 'order' || event.type === 'return' || event.type === 'refund') {
        await scoring.score(live, event.type, (event as unknown as Record<string, { id: string }>)[event.type]!.id);
      }
    }
    const decisions = async (shopId: string) =>
      (await app.stores.db('decisions').where({ shop_id: shopId }).orderBy(['subject_kind', 'subject_id']).select('subject_id', 'score', 'zone', 'trace')).map((d) => ({
        subject: d.subject_id,
        score: d.score,
        zone: d.zone,
        signals: d.trace.signals.filter((s: { status: string }) => s.status !== 'quiet').map((s: { id: string; status: string; points: number }) => `${s.id}:${s.status}:${s.points}`),
      }));
    const backfilled = await decisions(shop);
    expect(backfilled).toHaveLength(subjectCount);
    expect(backfilled).toEqual(await decisions(live));
    // The identity facts (store reads of recent uses live, the whole shop in the backfill) were part of what matched.
    const identityHits = backfilled.flatMap((d) => d.signals.filter((s: string) => /^(order\.shared-identifier|order\.identifier-velocity|customer\.card-churn):hit:/.test(s)));
    expect(identityHits.length).toBeGreaterThan(0);
  });

  it('retries a throttled page from its checkpoint, with no record twice and none missing', async () => {
    const shop = 'backfill-c.myshopify.com';
    await app.installShop(shop);
    sources.set(shop, new FaultySource(historyPath));
    sources.get(shop)!.transientFailures.set('orders', 2);
    await app.backfill.start(shop, { kind: 'file', path: historyPath }, { days: 365, to: END });
    const progress = await untilSettled(shop);
    expect(progress.status).toBe('done');
    const reads = sources.get(shop)!.reads.filter((r) => r.stage === 'orders').map((r) => r.cursor);
    // The failed page was asked for again from the same cursor; every cursor was read to completion once.
    expect(reads.length).toBe(progress.stages[0]!.pages + 2);
    expect(new Set(reads).size).toBe(progress.stages[0]!.pages);
    expect(await countOf('events', { shop_id: shop, kind: 'order' })).toBe(events.filter((e) => e.type === 'order').length);
    expect(progress.stages[0]!.processed).toBe(progress.stages[0]!.total);
  });

  it('pauses on a lost token with a reconnect state, and resumes from the checkpoint after re-auth', async () => {
    const shop = 'backfill-d.myshopify.com';
    await app.installShop(shop);
    const source = new FaultySource(historyPath);
    sources.set(shop, source);
    source.authLost = true;
    await app.backfill.start(shop, { kind: 'file', path: historyPath }, { days: 365, to: END });
    const paused = await untilSettled(shop);
    expect(paused).toMatchObject({ status: 'paused', next: 'reconnect' });
    expect(paused.stages[0]).toMatchObject({ stage: 'orders', status: 'paused', error: expect.stringMatching(/revoked/) });
    source.authLost = false;
    const token = await app.sessionToken(shop);
    const retried = await app.server.inject({ method: 'POST', url: '/api/backfill/retry', headers: { authorization: `Bearer ${token}` } });
    expect(retried.statusCode).toBe(200);
    expect((await untilSettled(shop)).status).toBe('done');
    expect(await countOf('decisions', { shop_id: shop })).toBe(subjectCount);
  });

  it('fails a stage visibly after bounded retries, and the progress API offers the retry', async () => {
    const shop = 'backfill-e.myshopify.com';
    await app.installShop(shop);
    const source = new FaultySource(historyPath);
    sources.set(shop, source);
    source.transientFailures.set('returns', 100);
    await app.backfill.start(shop, { kind: 'file', path: historyPath }, { days: 365, to: END });
    const failed = await untilSettled(shop);
    expect(failed).toMatchObject({ status: 'failed', next: 'retry' });
    expect(failed.stages.find((s) => s.stage === 'returns')).toMatchObject({ status: 'failed', attempts: 3, error: expect.stringMatching(/429/) });
    expect(failed.stages.find((s) => s.stage === 'fulfillments')!.status).toBe('done');
    const token = await app.sessionToken(shop);
    const api = await app.server.inject({ method: 'GET', url: '/api/backfill', headers: { authorization: `Bearer ${token}` } });
    expect(JSON.parse(api.payload)).toMatchObject({ status: 'failed', next: 'retry' });
    source.transientFailures.set('returns', 0);
    await app.server.inject({ method: 'POST', url: '/api/backfill/retry', headers: { authorization: `Bearer ${token}` } });
    expect((await untilSettled(shop)).status).toBe('done');
    expect(await countOf('events', { shop_id: shop, kind: 'return' })).toBe(events.filter((e) => e.type === 'return').length);
  });

  it('fails the orders stage with the line number of a bad history line, storing nothing of it; retry without a backfill is a 404', async () => {
    const shop = 'backfill-f.myshopify.com';
    await app.installShop(shop);
    const badPath = join(dir, 'bad-history.jsonl');
    await writeFile(badPath, `${JSON.stringify(events.find((e) => e.type === 'order'))}\n{"type":"order","order":{"id":820982911946154508}}\n`);
    sources.set(shop, new FaultySource(badPath));
    await app.backfill.start(shop, { kind: 'file', path: badPath }, { days: 365, to: END });
    const failed = await untilSettled(shop);
    expect(failed).toMatchObject({ status: 'failed', next: 'retry' });
    expect(failed.stages[0]).toMatchObject({ stage: 'orders', status: 'failed', attempts: 1, error: expect.stringMatching(/line 2: order\.id must be a string/) });
    expect(await countOf('events', { shop_id: shop })).toBe(0);
    const other = 'backfill-none.myshopify.com';
    await app.installShop(other);
    const token = await app.sessionToken(other);
    const retry = await app.server.inject({ method: 'POST', url: '/api/backfill/retry', headers: { authorization: `Bearer ${token}` } });
    expect(retry.statusCode).toBe(404);
    expect(JSON.parse(retry.payload).message).toMatch(/no backfill/);
  });
});

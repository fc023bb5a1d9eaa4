import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../../engine/history/index.ts';
import { generateShop } from '../../../scenarios/generateShop.ts';
import { DEFAULT_RULESET, startTestApp, type TestApp } from '../../testing/testApp.ts';

/** Analytics over a backfilled generated shop, every figure recomputed from the history itself. */
const SHOP = 'analytics.myshopify.com';
const DAY_MS = 86_400_000;
const now = Date.now();
let app: TestApp;
let dir: string;
let events: HistoryEvent[];

async function call(method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) {
  const response = await app.server.inject({ method, url, payload: payload as object, headers: { authorization: `Bearer ${await app.sessionToken(SHOP)}` } });
  return { status: response.statusCode, body: response.headers['content-type']?.toString().includes('json') ? JSON.parse(response.payload) : response.payload };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'refundsentry-analytics-'));
  events = generateShop({ seed: 21, customers: 120, start: new Date(now - 240 * DAY_MS).toISOString().slice(0, 10), days: 238 }).events;
  const path = join(dir, 'history.jsonl');
  await writeFile(path, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  app = await startTestApp();
  await app.installShop(SHOP, { ...DEFAULT_RULESET, actions: [] });
  await app.backfill.start(SHOP, { kind: 'file', path }, { days: 365, to: new Date(now).toISOString() });
  await app.waitFor(async () => (await app.backfill.progress(SHOP)).status === 'done', 'the backfill', 90_000);
}, 120_000);
afterAll(async () => {
  await app?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The history's own figures for [from, to). */
function expected(from: number, to: number) {
  const inside = (iso: string) => Date.parse(iso) >= from && Date.parse(iso) < to;
  const orders = events.flatMap((e) => (e.type === 'order' && inside(e.order.createdAt) ? [e.order] : []));
  const returns = events.flatMap((e) => (e.type === 'return' && inside(e.return.createdAt) ? [e.return] : []));
  const refunds = events.flatMap((e) => (e.type === 'refund' && inside(e.refund.createdAt) ? [e.refund] : []));
  const chargebacks = events.flatMap((e) => (e.type === 'chargeback' && inside(e.chargeback.initiatedAt) ? [e.chargeback] : []));
  return { orders, returns, refunds, chargebacks, sum: (xs: number[]) => xs.reduce((s, x) => s + x, 0) };
}

describe('analytics', () => {
  it('compares a custom period with the one before it, from the history', async () => {
    const from = new Date(now - 60 * DAY_MS).toISOString().slice(0, 10);
    const to = new Date(now).toISOString().slice(0, 10);
    const { status, body } = await call('GET', `/api/analytics?from=${from}&to=${to}`);
    expect(status).toBe(200);
    const [f, t] = [Date.parse(from), Date.parse(to)];
    const cur = expected(f, t);
    const prev = expected(f - (t - f), f);
    expect(body.current).toMatchObject({ orders: cur.orders.length, returns: cur.returns.length, refunds: cur.refunds.length, chargebacks: cur.chargebacks.length });
    expect(body.current.refundedValue).toBeCloseTo(cur.sum(cur.refunds.map((r) => r.amount)), 2);
    expect(body.previous).toMatchObject({ orders: prev.orders.length, returns: prev.returns.length, refunds: prev.refunds.length });
    expect(body.previousWindow).toEqual({ from: new Date(f - (t - f)).toISOString(), to: new Date(f).toISOString() });
    const returnsChange = body.changes.find((c: { metric: string }) => c.metric === 'returns');
    expect(returnsChange.changePct).toBeCloseTo((cur.returns.length - prev.returns.length) / prev.returns.length, 4);
    expect(body.current.returnRate).toBeCloseTo(cur.returns.length / cur.orders.length, 4);
    expect(body.currency).toBe('USD'); // the shop's, from its orders
    // The decisions of the period, by zone, are the stored ones.
    const zones = await app.stores.db('decisions').where({ shop_id: SHOP }).andWhere('decided_at', '>=', new Date(f)).andWhere('decided_at', '<', new Date(t)).select('zone');
    expect(body.current.decisions.high).toBe(zones.filter((z) => z.zone === 'high').length);
    // Without comparison there is no previous period.
    expect((await call('GET', `/api/analytics?from=${from}&to=${to}&compare=false`)).body).toMatchObject({ previous: null, previousWindow: null });
  });

  it('shows the SKUs returned most, with sold units and returns per week', async () => {
    const from = now - 120 * DAY_MS;
    const { body } = await call('GET', `/api/analytics/skus?from=${new Date(from).toISOString()}&to=${new Date(now).toISOString()}&bucket=week`);
    const cur = expected(from, now);
    const returnedBySku = new Map<string, number>();
    for (const r of cur.returns) for (const l of r.lineItems) if (l.sku) returnedBySku.set(l.sku, (returnedBySku.get(l.sku) ?? 0) + l.quantity);
    const top = body.skus[0];
    expect(top.returned).toBe(Math.max(...returnedBySku.values()));
    expect(top.returned).toBe(returnedBySku.get(top.sku));
    expect(top.sold).toBe(cur.orders.reduce((s, o) => s + o.lineItems.filter((l) => l.sku === top.sku).reduce((n, l) => n + l.quantity, 0), 0));
    expect(top.series.reduce((s: number, b: { returned: number }) => s + b.returned, 0)).toBe(top.returned);
    // Every week of the period is there, Monday to Monday.
    const weeks = top.series.map((b: { bucket: string }) => Date.parse(b.bucket));
    for (let i = 1; i < weeks.length; i++) expect(weeks[i] - weeks[i - 1]).toBe(7 * DAY_MS);
    expect(new Date(weeks[0]).getUTCDay()).toBe(1);
    expect(weeks.length).toBeGreaterThanOrEqual(17);
    const csv = parse((await call('GET', `/api/analytics/skus.csv?from=${new Date(from).toISOString()}&bucket=week`)).body as string, { columns: true }) as Record<string, string>[];
    expect(csv[0]).toMatchObject({ sku: top.sku, returned: String(top.returned) });
  });

  it('tracks a fraud-reduction goal against the period before it', async () => {
    const day = (offset: number) => new Date(now + offset * DAY_MS).toISOString().slice(0, 10);
    const created = await call('POST', '/api/goals', { metric: 'chargebackAmount', reduceByPct: 50, startsOn: day(-60), endsOn: day(29), note: 'Q4 push' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const start = Date.parse(`${day(-60)}T00:00:00Z`);
    const length = Date.parse(`${day(29)}T00:00:00Z`) + DAY_MS - start;
    const before = expected(start - length, start);
    const since = expected(start, now);
    const baseline = before.sum(before.chargebacks.map((c) => c.amount)) / (length / DAY_MS);
    const current = since.sum(since.chargebacks.map((c) => c.amount)) / ((now - start) / DAY_MS);
    expect(created.body).toMatchObject({ metric: 'chargebackAmount', reduceByPct: 50, startsOn: day(-60), endsOn: day(29), note: 'Q4 push' });
    expect(created.body.baseline).toBeCloseTo(baseline, 4);
    expect(created.body.current).toBeCloseTo(current, 2);
    expect(created.body.target).toBeCloseTo(baseline / 2, 4);
    expect(created.body.status).toBe(current <= baseline / 2 ? 'on track' : 'behind');
    const list = (await call('GET', '/api/goals')).body;
    expect(list.goals.map((g: { id: string }) => g.id)).toEqual([created.body.id]);
    const csv = parse((await call('GET', '/api/analytics/goals.csv')).body as string, { columns: true }) as Record<string, string>[];
    expect(csv).toEqual([expect.objectContaining({ metric: 'chargebackAmount', status: created.body.status })]);
    // Bad goals are refused by name; a goal is deleted once.
    expect((await call('POST', '/api/goals', { metric: 'happiness', reduceByPct: 10, startsOn: day(0), endsOn: day(10) })).body.message).toMatch(/\/metric must be one of chargebackAmount/);
    expect((await call('POST', '/api/goals', { metric: 'chargebacks', reduceByPct: 10, startsOn: day(10), endsOn: day(0) })).body.message).toMatch(/endsOn .* must not be before startsOn/);
    expect((await call('POST', '/api/goals', { metric: 'chargebacks', reduceByPct: 0, startsOn: day(0), endsOn: day(10) })).status).toBe(400);
    expect((await call('DELETE', `/api/goals/${created.body.id}`)).status).toBe(200);
    expect((await call('DELETE', `/api/goals/${created.body.id}`)).status).toBe(404);
    expect((await app.stores.audit.list(SHOP)).map((a) => a.action)).toEqual(expect.arrayContaining(['goal.add', 'goal.delete']));
  });

  it('refuses a period that ends before it starts', async () => {
    const response = await call('GET', '/api/analytics?from=2026-05-01&to=2026-04-01');
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/from .* must be before to/);
  });
});

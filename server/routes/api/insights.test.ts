import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateShop } from '../../../scenarios/generateShop.ts';
import { startTestApp, type TestApp } from '../../testing/testApp.ts';

const SHOP = 'insights.myshopify.com';
const OTHER = 'insights-other.myshopify.com';
let app: TestApp;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'refundsentry-insights-'));
  const path = join(dir, 'history.jsonl');
  await writeFile(path, generateShop({ seed: 5, customers: 60, start: '2025-01-01', days: 150 }).events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  app = await startTestApp();
  await app.installShop(SHOP);
  await app.installShop(OTHER);
  await app.backfill.start(SHOP, { kind: 'file', path }, { days: 365, to: '2025-06-01T00:00:00Z' });
  await app.waitFor(async () => (await app.backfill.progress(SHOP)).status === 'done', 'the backfill');
});
afterAll(async () => {
  await app?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('GET /api/insights', () => {
  it("sums the shop's history: zones, signals that fired most, riskiest customers, refund value decided high/medium", async () => {
    const response = await app.server.inject({ url: '/api/insights', headers: { authorization: `Bearer ${await app.sessionToken(SHOP)}` } });
    expect(response.statusCode).toBe(200);
    const insights = JSON.parse(response.payload);
    // The same figures computed here from the stored decisions and refunds.
    const decisions = await app.stores.db('decisions').where({ shop_id: SHOP }).select('zone', 'customer_id', 'subject_kind', 'subject_id', 'trace');
    const zones: Record<string, number> = {};
    const fired = new Map<string, number>();
    for (const d of decisions) {
      zones[d.zone] = (zones[d.zone] ?? 0) + 1;
      for (const s of d.trace.signals) if (s.status === 'hit' && s.points > 0) fired.set(s.id, (fired.get(s.id) ?? 0) + 1);
    }
    expect(insights.zones).toEqual(zones);
    const top = [...fired.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10);
    expect(insights.topSignals.map((s: { id: string; fired: number }) => [s.id, s.fired])).toEqual(top);
    const refunds = new Map((await app.stores.db('events').where({ shop_id: SHOP, kind: 'refund' }).select('resource_id', 'body')).map((r) => [r.resource_id, Number(r.body.amount)]));
    const atRisk = (zone: string) => decisions.filter((d) => d.subject_kind === 'refund' && d.zone === zone).reduce((sum, d) => sum + refunds.get(d.subject_id)!, 0);
    expect(insights.refundValueAtRisk.high).toBeCloseTo(atRisk('high'), 2);
    expect(insights.refundValueAtRisk.medium).toBeCloseTo(atRisk('medium'), 2);
    expect(insights.refundValueAtRisk.high).toBeGreaterThan(0);
    // In the shop's currency: its orders'.
    expect(insights.currency).toBe('USD');
    const highs = insights.riskyCustomers.map((c: { highDecisions: number }) => c.highDecisions);
    expect(highs.length).toBeGreaterThan(0);
    expect(highs).toEqual([...highs].sort((a: number, b: number) => b - a));
    const first = insights.riskyCustomers[0];
    expect(first.highDecisions).toBe(decisions.filter((d) => d.customer_id === first.id && d.zone === 'high').length);
  });

  it("shows another shop nothing of this one's", async () => {
    const response = await app.server.inject({ url: '/api/insights', headers: { authorization: `Bearer ${await app.sessionToken(OTHER)}` } });
    expect(JSON.parse(response.payload)).toEqual({ zones: {}, topSignals: [], riskyCustomers: [], refundValueAtRisk: { high: 0, medium: 0, refunds: 0 }, currency: null });
  });
});

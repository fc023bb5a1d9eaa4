import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateShop } from '../../../scenarios/generateShop.ts';
import { compileRuleset, createRegistry, simulate } from '../../../engine/index.ts';
import { builtinSignals } from '../../../signals/index.ts';
import { ScoringService } from '../../services/ScoringService.ts';
import { SimulationService } from '../../services/SimulationService.ts';
import { readWebhookFixture } from '../../shopify/fixtures/readWebhookFixture.ts';
import { DEFAULT_RULESET, startTestApp, type TestApp } from '../../testing/testApp.ts';

const SHOP = 'simulate.myshopify.com';
const OTHER = 'simulate-other.myshopify.com';
const END = '2025-06-01T00:00:00.000Z';
let app: TestApp;
let dir: string;

async function call(method: 'GET' | 'POST' | 'DELETE', url: string, shop: string, payload?: unknown) {
  const response = await app.server.inject({ method, url, payload: payload as object, headers: { authorization: `Bearer ${await app.sessionToken(shop)}` } });
  return { status: response.statusCode, body: response.headers['content-type']?.toString().includes('json') ? JSON.parse(response.payload) : response.payload, headers: response.headers };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'refundsentry-simulate-'));
  const path = join(dir, 'history.jsonl');
  await writeFile(path, generateShop({ seed: 9, customers: 70, start: '2025-01-01', days: 150 }).events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  app = await startTestApp();
  await app.installShop(SHOP);
  await app.installShop(OTHER);
  await app.backfill.start(SHOP, { kind: 'file', path }, { days: 365, to: END });
  await app.waitFor(async () => (await app.backfill.progress(SHOP)).status === 'done', 'the backfill');
});
afterAll(async () => {
  await app?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the simulator API', () => {
  it('replays a draft against the live ruleset over the window, stores the report, and exports its flips as CSV', async () => {
    const draft = await call('POST', '/api/rulesets', SHOP, { body: { ...DEFAULT_RULESET, zones: { medium: 31, high: 85 } }, baseVersion: 1 });
    expect(draft.status).toBe(201);
    // From the history's start: its first weeks are old enough (120 days before the end) for their labels to count.
    const started = await call('POST', `/api/rulesets/${draft.body.version}/simulate`, SHOP, { from: '2025-01-01T00:00:00Z', to: END });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(started.body).toMatchObject({ version: draft.body.version, againstVersion: 1, status: 'running' });
    // It runs as a job: polled until done.
    const run = await app.waitFor(async () => {
      const current = await call('GET', `/api/simulations/${started.body.id}`, SHOP);
      return current.body.status === 'done' ? current : undefined;
    }, 'the simulation');
    expect(run.body.progress).toBe(1);
    const report = run.body.report;
    // The live side is what the backfill decided for the window (same history, same ruleset, point-in-time).
    const stored = await app.stores.db('decisions').where({ shop_id: SHOP }).andWhere('decided_at', '>=', '2025-01-01T00:00:00Z').andWhere('decided_at', '<', END).select('zone');
    const zones = { low: 0, medium: 0, high: 0 };
    for (const d of stored) zones[d.zone as 'low']++;
    expect(report.zones.before).toEqual(zones);
    expect(report.flips.length).toBeGreaterThan(0);
    expect(report.zones.after.high).toBeLessThan(report.zones.before.high);
    // Calibration, AUC and money in HIGH, over the labelled subjects precision and recall count.
    const { labelled, truePositives, falseNegatives } = report.quality.before;
    expect(labelled).toBeGreaterThan(0);
    const sum = (rows: Record<string, number>[], key: string) => rows.reduce((n, r) => n + r[key], 0);
    for (const side of ['before', 'after'] as const) {
      expect(report.calibration[side]).toHaveLength(10);
      expect(sum(report.calibration[side], 'rows')).toBe(labelled);
      expect(sum(report.calibration[side], 'positives')).toBe(truePositives + falseNegatives);
      const auc = report.auc[side];
      if (truePositives + falseNegatives > 0 && truePositives + falseNegatives < labelled) expect(auc).toBeGreaterThan(0);
      else expect(auc).toBeNull();
    }
    expect(sum(report.money.rows, 'subjects') + report.money.unvalued).toBe(labelled);
    // A higher HIGH threshold (and, fed forward, lower scores) only takes money out of HIGH.
    for (const row of report.money.rows) expect(row.after).toBeLessThanOrEqual(row.before);
    // Reopened as stored; listed; exported.
    const again = await call('GET', `/api/simulations/${run.body.id}`, SHOP);
    expect(again.body.report).toEqual(report);
    expect((await call('GET', '/api/simulations', SHOP)).body.simulations.map((s: { id: string }) => s.id)).toContain(run.body.id);
    const csv = await call('GET', `/api/simulations/${run.body.id}/flips.csv`, SHOP);
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = parse(csv.body as string, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(report.flips.length);
    expect(rows[0]).toMatchObject({ subject: report.flips[0].subjectId, zone_before: report.flips[0].before.zone, zone_after: report.flips[0].after.zone });
  });

  it('suggests weights from the settled labels (chargebacks, aging legit), with their evidence', async () => {
    const response = await call('GET', '/api/suggestions', SHOP);
    expect(response.status).toBe(200);
    const { labelled, fraud, suggestions, version } = response.body;
    expect(version).toBeGreaterThanOrEqual(1);
    // The labels the fit and the calibration use (GET /api/labels): settled fraud and legit of every kind.
    const kinds = (await call('GET', '/api/labels', SHOP)).body.kinds as Record<string, { positive: number; negative: number }>;
    expect(labelled).toBe(Object.values(kinds).reduce((s, k) => s + k.positive + k.negative, 0));
    expect(fraud).toBe(Object.values(kinds).reduce((s, k) => s + k.positive, 0));
    expect(fraud).toBeGreaterThan(0);
    for (const s of suggestions) {
      expect(s.support).toBeGreaterThanOrEqual(10);
      expect(Math.abs(s.suggestedWeight - s.currentWeight)).toBeGreaterThanOrEqual(2);
      expect(s.evidence).toMatch(/^It fired on [\d,]+ (order, return or refund|orders, returns and refunds) whose outcome is known/);
    }
    expect((await call('GET', '/api/suggestions', OTHER)).body).toMatchObject({ labelled: 0, suggestions: [] });
  });

  it('shadow mode: a draft decides new live events beside the live version, without acting, and reports the difference', async () => {
    const draft = await call('POST', '/api/rulesets', SHOP, { body: { ...DEFAULT_RULESET, zones: { medium: 5, high: 10 }, customSignals: [{ id: 'custom.any-paid-order', appliesTo: ['order'], when: 'order.totalPrice > 0', weight: 20 }] }, baseVersion: (await call('GET', '/api/rulesets', SHOP)).body.versions[0].version });
    expect(draft.status).toBe(201);
    expect((await call('POST', '/api/rulesets/1/shadow', SHOP)).status).toBe(409); // published, not a draft
    const started = await call('POST', `/api/rulesets/${draft.body.version}/shadow`, SHOP);
    expect(started.body.shadowVersion).toBe(draft.body.version);
    app.stores.rulesets.forget(SHOP);
    const actionsBefore = Number((await app.stores.db('actions').where({ shop_id: SHOP }).count('* as n').first())!.n);
    // A new live order arrives.
    await app.webhook('orders/create', readWebhookFixture('orders_create'), { shop: SHOP });
    const ORDER = 'gid://shopify/Order/820982911946154508';
    const live = await app.waitFor(() => app.stores.decisions.bySubject(SHOP, ORDER), 'the live decision');
    const shadowRow = await app.waitFor(() => app.stores.db('shadow_decisions').where({ shop_id: SHOP, subject_id: ORDER }).first(), 'the shadow decision');
    expect(shadowRow.ruleset_version).toBe(draft.body.version);
    expect(Number(shadowRow.score)).toBe(Number(live.score) + 20); // the same signals and weights, plus the custom one; other zones
    const actionsAfter = Number((await app.stores.db('actions').where({ shop_id: SHOP }).count('* as n').first())!.n);
    expect(actionsAfter - actionsBefore).toBe(Number((await app.stores.db('actions').where({ decision_id: live.id }).count('* as n').first())!.n)); // only the live decision's actions
    const report = await call('GET', '/api/shadow', SHOP);
    expect(report.body.shadowVersion).toBe(draft.body.version);
    expect(report.body.report.subjects).toBe(1);
    expect(report.body.report.zones.after[shadowRow.zone]).toBe(1);
    // What is known of the subject shows in the report: the merchant confirms it as fraud.
    expect(live.zone).not.toBe('high');
    expect(shadowRow.zone).toBe('high');
    expect(report.body.report.newlyFlagged).toMatchObject({ subjects: 1, fraud: 0 });
    expect((await call('POST', `/api/decisions/${live.id}/outcome`, SHOP, { label: 'fraud' })).status).toBe(200);
    const labelled = (await call('GET', '/api/shadow', SHOP)).body.report;
    expect(labelled.newlyFlagged).toMatchObject({ subjects: 1, fraud: 1, legit: 0 });
    // (Shopify's sample order is dated 2022, so it is old enough to count in precision and recall.)
    expect(labelled.quality.before).toMatchObject({ labelled: 1, truePositives: 0, falseNegatives: 1 });
    expect(labelled.quality.after).toMatchObject({ labelled: 1, truePositives: 1, falseNegatives: 0, precision: 1, recall: 1 });
    // The shadow report has the calibration (one fraud subject, in the band of each side's score), no AUC with one class, and its money.
    const band = (score: number) => Math.min(9, Math.floor(score / 10));
    expect(labelled.calibration.before[band(Number(live.score))]).toMatchObject({ rows: 1, positives: 1 });
    expect(labelled.calibration.after[band(Number(shadowRow.score))]).toMatchObject({ rows: 1, positives: 1 });
    expect(labelled.auc).toEqual({ before: null, after: null });
    const orderTotal = Number(JSON.parse(readWebhookFixture('orders_create')).total_price); // shop money (USD, as presented)
    expect(labelled.money).toEqual({ rows: [{ kind: 'order', label: 'fraud', subjects: 1, value: orderTotal, before: 0, after: orderTotal }], unvalued: 0 });
    expect(labelled.flips).toEqual([expect.objectContaining({ subjectId: ORDER, label: 'fraud', before: expect.objectContaining({ zone: live.zone }), after: expect.objectContaining({ zone: 'high' }) })]);
    expect((await call('DELETE', '/api/rulesets/shadow', SHOP)).body).toEqual({ shadowVersion: null });
    expect((await call('GET', '/api/shadow', SHOP)).body).toEqual({ shadowVersion: null, report: null });
  });

  it('previews an edited body instantly by re-weighting the stored signal results', async () => {
    const window = { days: 730 };
    const same = await call('POST', '/api/rulesets/preview', SHOP, { body: DEFAULT_RULESET, ...window });
    expect(same.status).toBe(200);
    expect(same.body.events).toBeGreaterThan(100);
    expect(same.body.preview).toEqual(same.body.live); // the live ruleset gives back the stored zones
    expect(same.body.changed).toBe(0);
    const stricter = await call('POST', '/api/rulesets/preview', SHOP, { body: { ...DEFAULT_RULESET, zones: { medium: 31, high: 85 } }, ...window });
    expect(stricter.body.preview.high).toBeLessThan(stricter.body.live.high);
    expect(stricter.body.preview.low).toBe(stricter.body.live.low);
    expect(stricter.body.changed).toBe(stricter.body.live.high - stricter.body.preview.high);
    expect(stricter.body.mode).toBe('reweighted');
    // A changed param: the changed signal re-runs over the history (and what reads changed
    // verdicts), exactly as the full replay of the draft gives it.
    const draftBody = { ...DEFAULT_RULESET, signals: { ...DEFAULT_RULESET.signals, 'velocity.return-rate': { ...DEFAULT_RULESET.signals['velocity.return-rate'], params: { minOrders: 2 } } } };
    const rescored = await call('POST', '/api/rulesets/preview', SHOP, { body: draftBody, ...window });
    expect(rescored.status, JSON.stringify(rescored.body)).toBe(200);
    expect(rescored.body).toMatchObject({ mode: 'rescored', rescore: { exact: true, changed: [{ id: 'velocity.return-rate' }] } });
    expect(rescored.body.rescore.recomputed['velocity.return-rate']).toBeGreaterThan(0);
    const registry = createRegistry(builtinSignals);
    const material = (await app.stores.context.wholeShop(SHOP))!;
    const events = [...material.events, ...material.outcomes.map((outcome) => ({ type: 'outcome' as const, outcome }))];
    const since = Date.now() - 730 * 86_400_000;
    const replay = simulate(events, compileRuleset(DEFAULT_RULESET, registry), compileRuleset(draftBody, registry), {
      shopId: SHOP,
      window: { from: new Date(since - 60_000).toISOString(), to: new Date().toISOString() },
      lists: await app.stores.lists.forShopCached(SHOP),
      baseline: await new ScoringService(app.stores, registry).baselineFor(SHOP),
    });
    expect(rescored.body.live).toEqual(replay.zones.before);
    expect(rescored.body.preview).toEqual(replay.zones.after);
    expect(rescored.body.changed).toBe(replay.flips.length);
    const broken = await call('POST', '/api/rulesets/preview', SHOP, { body: { ...DEFAULT_RULESET, zones: { medium: 80, high: 20 } } });
    // As saving a draft answers: 422 with every problem's JSON pointer.
    expect(broken.status).toBe(422);
    expect(broken.body.problems).toEqual([expect.objectContaining({ pointer: '/zones/high', code: 'zones-order' })]);
  });

  it('a simulation asked to stop stops at its next progress report, with no report', async () => {
    const scoring = new ScoringService(app.stores, createRegistry(builtinSignals));
    const service = new SimulationService(app.stores, scoring.rulesets, scoring, async () => {});
    const row = await service.start(SHOP, 1, { from: new Date('2025-01-01T00:00:00Z'), to: new Date(END) }, 'test');
    const cancelled = await call('POST', `/api/simulations/${row.id}/cancel`, SHOP);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelling');
    await service.run(SHOP, row.id);
    const after = await call('GET', `/api/simulations/${row.id}`, SHOP);
    expect(after.body).toMatchObject({ status: 'cancelled', report: null });
    expect((await call('POST', `/api/simulations/${row.id}/cancel`, SHOP)).status).toBe(409);
    expect((await call('GET', `/api/simulations/${row.id}/flips.csv`, SHOP)).status).toBe(409);
  });

  it('refuses what it cannot do, by name; another shop sees none of it', async () => {
    expect((await call('POST', '/api/rulesets/99/simulate', SHOP, {})).status).toBe(404);
    const bad = await call('POST', '/api/rulesets/1/simulate', SHOP, { from: 'yesterday' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/from/);
    const backwards = await call('POST', '/api/rulesets/1/simulate', SHOP, { from: END, to: '2025-01-01T00:00:00Z' });
    expect(backwards.status).toBe(400);
    const mine = (await call('GET', '/api/simulations', SHOP)).body.simulations[0];
    expect((await call('GET', `/api/simulations/${mine.id}`, OTHER)).status).toBe(404);
    expect((await call('GET', '/api/simulations', OTHER)).body.simulations).toEqual([]);
  });
});

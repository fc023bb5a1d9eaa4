import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ruleset } from '../../../engine/index.ts';
import { generateShop } from '../../../scenarios/generateShop.ts';
import { readWebhookFixture } from '../../shopify/fixtures/readWebhookFixture.ts';
import { DEFAULT_RULESET, startTestApp, type TestApp } from '../../testing/testApp.ts';

/**
 * Plugins in the real server: loaded from PLUGINS at start (broken ones reported, the server
 * starts anyway), listed in the catalog, run for live webhooks in their workers, and used by the
 * simulator job the same way.
 */
const SHOP = 'plugins.myshopify.com';
const HISTORY_SHOP = 'plugins-history.myshopify.com';
const END = '2025-06-01T00:00:00.000Z';
const root = new URL('../../../', import.meta.url).pathname;
const example = join(root, 'examples/high-risk-postcodes');
const fixture = (name: string) => join(root, 'plugins/fixtures', name);
let app: TestApp;
let dir: string;

async function call(method: 'GET' | 'POST', url: string, shop: string, payload?: unknown) {
  const response = await app.server.inject({ method, url, payload: payload as object, headers: { authorization: `Bearer ${await app.sessionToken(shop)}` } });
  return { status: response.statusCode, body: JSON.parse(response.payload) };
}

const withSignals = (signals: Ruleset['signals']): Ruleset => ({ ...DEFAULT_RULESET, signals: { ...DEFAULT_RULESET.signals, ...signals } });
/** This shop acts on nothing (no Admin API here): the decisions are what is tested. */
const withoutActions = (ruleset: Ruleset): Ruleset => ({ ...ruleset, actions: [] });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'refundsentry-plugins-'));
  app = await startTestApp({ env: { PLUGINS: [example, fixture('misbehaving'), fixture('clashing'), fixture('bad-manifest'), fixture('incompatible-sdk')].join(','), PLUGIN_TIME_BUDGET_MS: '300' } });
  await app.installShop(SHOP, withoutActions(withSignals({
    'acme.high-risk-postcode': { weight: 25, params: { areas: [{ country: 'US', prefix: '400' }] } },
    'misbehaving.hangs': { weight: 5 },
    'misbehaving.throws': { weight: 5 },
    'misbehaving.well-behaved': { weight: 5 },
  })));
});
afterAll(async () => {
  await app?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('signal plugins in the server', () => {
  it('starts with the good plugins, reports the broken ones, and lists plugin signals in the catalog', async () => {
    const plugins = await call('GET', '/api/plugins', SHOP);
    expect(plugins.status).toBe(200);
    expect(plugins.body.plugins.map((p: { status: string; name?: string }) => [p.name, p.status])).toEqual([
      ['@acme/refundsentry-high-risk-postcodes', 'loaded'],
      ['fixture-misbehaving', 'loaded'],
      ['fixture-clashing', 'failed'],
      ['fixture-bad-manifest', 'failed'],
      ['fixture-incompatible-sdk', 'failed'],
    ]);
    expect(plugins.body.plugins[2].error).toMatch(/velocity\.return-rate is already registered by a built-in signal/);
    expect(plugins.body.plugins[3].error).toMatch(/fixtures\/bad-manifest\/package\.json: the "refundsentry" manifest is not valid: refundsentry: missing "sdk"/);
    expect(plugins.body.plugins[4].error).toBe('fixture-incompatible-sdk needs @refundsentry/sdk ^2.0.0; this RefundSentry provides sdk 1.0.0');
    expect(plugins.body.problems.notLoaded).toBe(3);
    const catalog = await call('GET', '/api/signals', SHOP);
    const postcode = catalog.body.signals.find((s: { id: string }) => s.id === 'acme.high-risk-postcode');
    expect(postcode).toMatchObject({ plugin: { name: '@acme/refundsentry-high-risk-postcodes', version: '1.0.0' }, defaultWeight: 20, params: { properties: { areas: { type: 'array' } } } });
    expect(catalog.body.signals.find((s: { id: string }) => s.id === 'velocity.return-rate').plugin).toBeUndefined();
    // A ruleset may weight plugin signals; bad params for them are refused like any other.
    const bad = await call('POST', '/api/rulesets/validate', SHOP, { body: withSignals({ 'acme.high-risk-postcode': { weight: 10, params: { areas: 'E1' } } }) });
    expect(JSON.stringify(bad.body)).toMatch(/\/signals\/acme\.high-risk-postcode\/params\/areas/);
  });

  it('decides a live order with the plugin signals, a hung and a throwing plugin signal becoming errors in the trace', async () => {
    const body = readWebhookFixture('orders_create').replace('"tags": "tag1, tag2"', '"tags": "hangs, throws"');
    expect((await app.webhook('orders/create', body, { shop: SHOP })).statusCode).toBe(200);
    const orderId = `gid://shopify/Order/${/"id":\s*(\d+)/.exec(body)![1]}`;
    const decision = await app.waitFor(() => app.stores.decisions.bySubject(SHOP, orderId), 'the decision');
    const lines = new Map(decision.trace.signals.map((s) => [s.id, s]));
    expect(lines.get('acme.high-risk-postcode')).toMatchObject({ status: 'hit', points: 25, evidence: { country: 'US', postcode: '400', prefix: '400' } });
    expect(lines.get('misbehaving.hangs')).toMatchObject({ status: 'error', points: 0 });
    expect(lines.get('misbehaving.hangs')!.message).toMatch(/no answer within 300 ms/);
    expect(lines.get('misbehaving.throws')).toMatchObject({ status: 'error', message: 'RangeError: boom in plugin code' });
    expect(lines.get('misbehaving.well-behaved')).toMatchObject({ status: 'hit', points: 2.5 });
    expect(Number(decision.score)).toBeGreaterThanOrEqual(27.5);
    // Repeated failures are surfaced for the admin banner.
    const plugins = await call('GET', '/api/plugins', SHOP);
    expect(plugins.body.problems.failingSignals.sort()).toEqual(['misbehaving.hangs', 'misbehaving.throws']);
    const misbehaving = plugins.body.plugins.find((p: { name?: string }) => p.name === 'fixture-misbehaving');
    expect(misbehaving.restarts).toBe(1);
    expect(misbehaving.signals.find((s: { id: string }) => s.id === 'misbehaving.hangs')).toMatchObject({ failures: 1, failuresByKind: { timeout: 1 } });
  });

  it('lets the simulator weigh a plugin signal over backfilled history, point-in-time, in its job', async () => {
    const path = join(dir, 'history.jsonl');
    const { events } = generateShop({ seed: 5, customers: 50, start: '2025-01-01', days: 150 });
    await writeFile(path, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    await app.installShop(HISTORY_SHOP);
    await app.backfill.start(HISTORY_SHOP, { kind: 'file', path }, { days: 365, to: END });
    await app.waitFor(async () => (await app.backfill.progress(HISTORY_SHOP)).status === 'done', 'the backfill', 60_000);
    // List the US postcode area the generated shop's orders of 150 or more ship to most, for orders of 150 or more.
    const areas = new Map<string, number>();
    for (const e of events) if (e.type === 'order' && e.order.totalPrice >= 150 && e.order.shippingAddress?.postcodePrefix) areas.set(e.order.shippingAddress.postcodePrefix, (areas.get(e.order.shippingAddress.postcodePrefix) ?? 0) + 1);
    const prefix = [...areas].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
    const draft = await call('POST', '/api/rulesets', HISTORY_SHOP, { body: withSignals({ 'acme.high-risk-postcode': { weight: 40, params: { areas: [{ country: 'US', prefix }], minOrderValue: 150 } } }), baseVersion: 1 });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    const started = await call('POST', `/api/rulesets/${draft.body.version}/simulate`, HISTORY_SHOP, { from: '2025-01-01T00:00:00Z', to: END });
    expect(started.status).toBe(202);
    const run = await app.waitFor(async () => {
      const current = await call('GET', `/api/simulations/${started.body.id}`, HISTORY_SHOP);
      return current.body.status === 'done' || current.body.status === 'failed' ? current : undefined;
    }, 'the simulation', 60_000);
    expect(run.body.status, run.body.error).toBe('done');
    const report = run.body.report;
    const hits = report.signals.find((s: { id: string }) => s.id === 'acme.high-risk-postcode');
    expect(hits.before).toBe(0);
    expect(hits.after).toBeGreaterThan(0);
    // Orders of 150+ flip because of the plugin signal; later events may follow (own verdicts fed forward), all upwards.
    const pluginFlips = report.flips.filter((flip: { after: { signals: { id: string; status: string; points: number }[] } }) =>
      flip.after.signals.some((s) => s.id === 'acme.high-risk-postcode' && s.status === 'hit' && s.points === 40));
    expect(pluginFlips.length).toBeGreaterThan(0);
    for (const flip of report.flips) expect(flip.after.score).toBeGreaterThan(flip.before.score);
  });
});

import { createHmac, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRefundSentry, type RunningApp } from '../../server/main.ts';
import { readWebhookFixture } from '../../server/shopify/fixtures/readWebhookFixture.ts';
import { createTestDatabase, type TestDatabase } from '../../server/testing/testDatabase.ts';
import { buildAdmin } from '../build.ts';

/**
 * Signal plugins seen from the admin, in Chromium, against the real server started with
 * PLUGINS: the example plugin and a misbehaving one load, a clashing one does not; the banner
 * says so on every page, Settings lists them with their health, and the rule editor completes
 * the plugin's signal id.
 */
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
const root = new URL('../../', import.meta.url).pathname;

let db: TestDatabase;
let app: RunningApp;
let dataDir: string;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
async function api<T>(path: string, init?: { method: string; body?: unknown }): Promise<T> {
  const response = await fetch(`${app.url}${path}`, init ? { method: init.method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body ?? {}) } : undefined);
  expect(response.status, path).toBeLessThan(300);
  return (await response.json()) as T;
}

beforeAll(async () => {
  await buildAdmin({ ifStale: true });
  await mkdir(SHOTS, { recursive: true });
  db = await createTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'refundsentry-admin-plugins-'));
  await chmod(dataDir, 0o755);
  const plugins = [join(root, 'examples/high-risk-postcodes'), join(root, 'plugins/fixtures/misbehaving'), join(root, 'plugins/fixtures/clashing')];
  app = await startRefundSentry({ DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DEMO_HISTORY: 'none', LOG_LEVEL: 'silent', PLUGINS: plugins.join(','), PLUGIN_TIME_BUDGET_MS: '2000' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 120_000);

afterAll(async () => {
  expect(pageErrors).toEqual([]);
  await browser?.close();
  await app?.stop();
  await db?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe.skipIf(!existsSync(CHROMIUM))('signal plugins in the admin (Chromium, real server)', () => {
  it('warns on every page about a plugin that did not load, then about a plugin signal that keeps failing', async () => {
    await page.goto(`${app.url}/app/`);
    const banner = page.locator('.Polaris-Banner', { hasText: 'signal plugin not loaded' });
    await banner.waitFor();
    expect(await banner.innerText()).toContain('fixture-clashing refused: velocity.return-rate is already registered by a built-in signal');
    await shot('plugins-banner-not-loaded');

    // Publish a ruleset that weights the plugin signals, then an order whose tag makes one throw.
    const published = await api<{ versions: { version: number; status: string }[] }>('/api/rulesets');
    const live = published.versions.find((v) => v.status === 'published')!;
    const body = (await api<{ body: { signals: Record<string, unknown> } }>(`/api/rulesets/${live.version}`)).body;
    body.signals['acme.high-risk-postcode'] = { weight: 25, params: { areas: [{ country: 'US', prefix: '400' }] } };
    body.signals['misbehaving.throws'] = { weight: 5 };
    const draft = await api<{ version: number }>('/api/rulesets', { method: 'POST', body: { body, baseVersion: live.version } });
    await api(`/api/rulesets/${draft.version}/publish`, { method: 'POST' });
    const order = readWebhookFixture('orders_create').replace('"tags": "tag1, tag2"', '"tags": "throws"');
    const sent = await fetch(`${app.url}/webhooks`, {
      method: 'POST',
      body: order,
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'orders/create',
        'x-shopify-hmac-sha256': createHmac('sha256', 'refundsentry-demo-secret').update(order, 'utf8').digest('base64'),
        'x-shopify-shop-domain': app.config.demoShop,
        'x-shopify-api-version': '2026-07',
        'x-shopify-webhook-id': randomUUID(),
        'x-shopify-event-id': randomUUID(),
        'x-shopify-triggered-at': new Date().toISOString(),
      },
    });
    expect(sent.status).toBe(200);
    await expect.poll(async () => (await api<{ problems: { failingSignals: string[] } }>('/api/plugins')).problems.failingSignals, { timeout: 30_000 }).toEqual(['misbehaving.throws']);

    // The decision's trace: the plugin hit scored, the throwing signal an error with its reason.
    const decisions = await api<{ decisions: { id: string }[] }>('/api/decisions?limit=1');
    await page.goto(`${app.url}/app/decisions/${decisions.decisions[0]!.id}`);
    await page.getByText('Ships to US 400, listed as high risk (400).').waitFor();
    await page.getByText('RangeError: boom in plugin code').first().waitFor();
    await shot('plugins-decision-trace');

    await page.goto(`${app.url}/app/`);
    await page.locator('.Polaris-Banner', { hasText: '1 plugin signal failing' }).waitFor();
    expect(await page.locator('.Polaris-Banner').first().innerText()).toMatch(/misbehaving\.throws: 1 of 1 calls failed \(last: RangeError: boom in plugin code\)/);
    await shot('plugins-banner-failing');
  });

  it('lists the plugins with their status and signal health in Settings', async () => {
    await page.goto(`${app.url}/app/settings`);
    const card = page.locator('#plugins');
    await card.getByText('@acme/refundsentry-high-risk-postcodes@1.0.0').waitFor();
    const text = await card.innerText();
    expect(text).toMatch(/fixture-misbehaving@0\.0\.1\s+(Success\s+)?Loaded/);
    expect(text).toMatch(/fixture-clashing@0\.0\.1\s+(Critical\s+)?Not loaded/);
    expect(text).toMatch(/misbehaving\.throws\s+1\s+1\s+RangeError: boom in plugin code/);
    expect(text).toMatch(/acme\.high-risk-postcode\s+1\s+0/);
    await card.scrollIntoViewIfNeeded();
    await shot('plugins-settings');
  });

  it('completes the plugin signal id in the rule editor, with its description', async () => {
    const LIVE_EDITOR = `(window.refundsentryMonaco.editor.getEditors().find((e) => e.getModel() && e.getModel().uri.toString() === 'inmemory://refundsentry/ruleset.json'))`;
    await page.goto(`${app.url}/app/rules`);
    await page.locator('[data-testid="ruleset-editor"] .monaco-editor').waitFor();
    await page.waitForFunction(`Boolean(${LIVE_EDITOR})`);
    await page.locator('#problem-count', { hasText: 'No problems' }).waitFor();
    const lines = ((await page.evaluate(`${LIVE_EDITOR}.getModel().getValue()`)) as string).split('\n');
    const signalsLine = lines.findIndex((l) => l.includes('"signals": {')) + 1;
    await page.evaluate(`(() => { const e = ${LIVE_EDITOR}; e.focus(); e.setPosition({ lineNumber: ${signalsLine}, column: ${lines[signalsLine - 1]!.length + 1} }); })()`);
    await page.waitForTimeout(300);
    await page.keyboard.press('Enter');
    await page.keyboard.type('"acme.', { delay: 60 });
    await page.keyboard.press('Control+Space');
    await page.locator('.suggest-widget .monaco-list-row', { hasText: 'acme.high-risk-postcode' }).first().waitFor({ timeout: 10_000 });
    await shot('plugins-editor-completion');
    await page.keyboard.press('Escape');
  });
});

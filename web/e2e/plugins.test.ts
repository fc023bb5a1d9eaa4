import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { type DemoServer, HAS_CHROMIUM, launchChromium, sendDemoWebhook, SHOTS, startDemoServer } from './harness.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../server/main.ts';
import { readWebhookFixture } from '../../server/shopify/fixtures/readWebhookFixture.ts';
import type { TestDatabase } from '../../server/testing/testDatabase.ts';

/**
 * Signal plugins seen from the admin, in Chromium, against the real server started with
 * PLUGINS: the example plugin and a misbehaving one load, a clashing one does not; the banner
 * says so on every page, Settings lists them with their health, and the rule editor completes
 * the plugin's signal id.
 */
const root = new URL('../../', import.meta.url).pathname;

let db: TestDatabase;
let app: RunningApp;
let server: DemoServer;
let dataDir: string;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
async function api<T>(path: string, init?: { method: string; body?: unknown }): Promise<T> {
  const response = await fetch(`${app.url}${path}`, init ? { method: init.method, headers: { 'content-type': 'application/json', origin: app.url }, body: JSON.stringify(init.body ?? {}) } : undefined);
  expect(response.status, path).toBeLessThan(300);
  return (await response.json()) as T;
}

beforeAll(async () => {
  const plugins = [join(root, 'examples/high-risk-postcodes'), join(root, 'plugins/fixtures/misbehaving'), join(root, 'plugins/fixtures/clashing')];
  server = await startDemoServer('admin-plugins', { DEMO_HISTORY: 'none', PLUGINS: plugins.join(','), PLUGIN_TIME_BUDGET_MS: '2000' });
  ({ db, dataDir, app } = server);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 120_000);

afterAll(async () => {
  expect(pageErrors).toEqual([]);
  await browser?.close();
  await server?.stop();
});

describe.skipIf(!HAS_CHROMIUM)('signal plugins in the admin (Chromium, real server)', () => {
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
    const sent = await sendDemoWebhook(app, 'orders/create', order);
    expect(sent.status).toBe(200);
    await expect.poll(async () => (await api<{ problems: { failingSignals: string[] } }>('/api/plugins')).problems.failingSignals, { timeout: 30_000 }).toEqual(['misbehaving.throws']);

    // The decision's trace: the plugin hit scored, the throwing signal an error with its reason.
    // The plugin's failure is counted while the decision is being made, before it is stored: wait for the decision itself.
    let decisions: { decisions: { id: string }[] } = { decisions: [] };
    await expect.poll(async () => (decisions = await api<{ decisions: { id: string }[] }>('/api/decisions?limit=1')).decisions.length, { timeout: 30_000 }).toBe(1);
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
    // The published ruleset weights the plugin signal: take it out first, so that the schema (which
    // leaves out keys the object has), not the document's words, offers it.
    const body = JSON.parse((await page.evaluate(`${LIVE_EDITOR}.getModel().getValue()`)) as string) as { signals: Record<string, unknown> };
    delete body.signals['acme.high-risk-postcode'];
    await page.evaluate(`${LIVE_EDITOR}.getModel().setValue(${JSON.stringify(JSON.stringify(body, null, 2))})`);
    const lines = ((await page.evaluate(`${LIVE_EDITOR}.getModel().getValue()`)) as string).split('\n');
    expect(lines.join('\n')).not.toContain('acme.high-risk-postcode');
    const signalsLine = lines.findIndex((l) => l.includes('"signals": {')) + 1;
    await page.evaluate(`(() => { const e = ${LIVE_EDITOR}; e.focus(); e.setPosition({ lineNumber: ${signalsLine}, column: ${lines[signalsLine - 1]!.length + 1} }); })()`);
    await page.waitForTimeout(300);
    await page.keyboard.press('Enter');
    await page.keyboard.type('"acme.', { delay: 60 });
    await page.keyboard.press('Control+Space');
    const offered = page.locator('.suggest-widget .monaco-list-row', { hasText: 'acme.high-risk-postcode' }).first();
    await offered.waitFor({ timeout: 10_000 });
    expect(await offered.locator('.codicon-symbol-property').count()).toBe(1);
    await shot('plugins-editor-completion');
    await page.keyboard.press('Escape');
  });
});

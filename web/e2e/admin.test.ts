import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { type DemoServer, HAS_CHROMIUM, launchChromium, sendDemoWebhook, SHOTS, startDemoServer } from './harness.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateShop } from '../../scenarios/generateShop.ts';
import type { RunningApp } from '../../server/main.ts';
import { readWebhookFixture } from '../../server/shopify/fixtures/readWebhookFixture.ts';
import type { TestDatabase } from '../../server/testing/testDatabase.ts';

/**
 * The admin in Debian's Chromium against the real server in demo mode (embedded-style start:
 * migrations, pg-boss workers, the demo shop backfilled from a generated history) on the test
 * database. Screenshots of each page go to web/e2e/screenshots/ (look at them).
 */

let db: TestDatabase;
let app: RunningApp;
let server: DemoServer;
let dataDir: string;
let browser: Browser;
let page: Page;
/** Uncaught errors in the page: a test fails if any appear. */
const pageErrors: string[] = [];

async function shot(name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function apiGet<T>(path: string): Promise<T> {
  const response = await fetch(`${app.url}${path}`);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

beforeAll(async () => {
  // The demo shop starts empty: the first test starts its backfill with the page open.
  server = await startDemoServer('admin', { DEMO_HISTORY: 'none' });
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

describe.skipIf(!HAS_CHROMIUM)('the admin in Chromium (demo shop, real server and PostgreSQL)', () => {
  it('shows the backfill advancing stage by stage, then done', { timeout: 150_000 }, async () => {
    await page.goto(`${app.url}/app/backfill`);
    await page.getByText('No backfill has been started for this shop.').waitFor();
    await shot('backfill-not-started');
    // The demo's generated history (a little smaller), backfilled as npm start does it: big enough
    // that the page sees stages under way (a tiny one is done between two polls).
    const start = new Date(Date.now() - 180 * 86_400_000).toISOString().slice(0, 10);
    const historyPath = join(dataDir, 'history.jsonl');
    await writeFile(historyPath, generateShop({ seed: 2026, customers: 300, start, days: 178 }).events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    expect(await app.backfill.start(app.config.demoShop, { kind: 'file', path: historyPath }, { days: 365 })).toBe(true);
    const seen = new Set<string>();
    const deadline = Date.now() + 140_000;
    let shotWhileRunning = false;
    for (;;) {
      const statuses = await page.locator('[data-stage]').evaluateAll((nodes) => nodes.map((n) => `${n.getAttribute('data-stage')}:${n.getAttribute('data-status')}`));
      for (const s of statuses) seen.add(s);
      if (!shotWhileRunning && statuses.some((s) => s.endsWith(':running'))) {
        await shot('backfill-running');
        shotWhileRunning = true;
      }
      if (page.url().endsWith('/app/insights')) break; // done: the page moves on to the insights welcome
      if (statuses.length === 8 && statuses.every((s) => s.endsWith(':done'))) await shot('backfill-done');
      if (Date.now() > deadline) throw new Error(`the backfill did not finish; saw ${[...seen].join(', ')}`);
      await page.waitForTimeout(200);
    }
    // The page polled its way through: stages were seen running or pending before all were done.
    expect([...seen].filter((s) => !s.endsWith(':done')).length).toBeGreaterThan(0);
    await page.getByText('Welcome: what your history shows', { exact: true }).waitFor();
    expect((await apiGet<{ status: string }>('/api/backfill')).status).toBe('done');
    await shot('insights-welcome');
  });

  it('dashboard: counts per zone, decisions with top signals, filtering by zone', async () => {
    const api = await apiGet<{ counts: Record<string, number>; decisions: unknown[] }>('/api/decisions?limit=25');
    await page.goto(`${app.url}/app/decisions`);
    await page.getByRole('button', { name: /^High \(/ }).waitFor();
    // The chips render at once; the counts arrive with the list.
    for (const zone of ['high', 'medium', 'low']) await expect.poll(() => page.locator(`#count-${zone}`).innerText()).toBe((api.counts[zone] ?? 0).toLocaleString('en'));
    await expect.poll(() => page.locator('tbody tr').count()).toBe(api.decisions.length);
    // Orders by their names, signals by their catalog titles with whole points, no raw GID; "1 decision", "2 decisions".
    const rows = (await apiGet<{ decisions: { orderName: string | null }[] }>('/api/decisions?limit=25')).decisions;
    expect(await page.locator('tbody tr').first().innerText()).toContain(rows[0]!.orderName!);
    expect(await page.locator('main, body').first().innerText()).not.toContain('gid://');
    expect(await page.locator('tbody').innerText()).not.toMatch(/\+\d+\.\d/);
    for (const zone of ['high', 'medium', 'low']) expect(await page.locator(`#count-${zone} + p`).innerText()).toBe(api.counts[zone] === 1 ? 'decision' : 'decisions');
    await shot('dashboard');
    await page.getByRole('button', { name: /^High \(/ }).click();
    await page.waitForURL(/zone=high/);
    await expect.poll(async () => {
      const zones = await page.locator('tbody [data-zone]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-zone')));
      return zones.length > 0 && zones.every((z) => z === 'high');
    }).toBe(true);
    await shot('dashboard-high');
  });

  it('decision detail: every signal with status and points; labelling an outcome stores it', async () => {
    await page.locator('tbody tr').first().click();
    await page.waitForURL(/\/app\/decisions\/\d+/);
    const id = page.url().split('/').pop()!;
    const detail = await apiGet<{ trace: { signals: unknown[] }; score: number; risk: { probability: number | null; explanation: string } }>(`/api/decisions/${id}`);
    await page.getByText(/^Why [\d.]+:/).waitFor({ timeout: 10_000 }).catch(async (error) => {
      await shot('decision-detail-failed');
      throw new Error(`${(error as Error).message}; page errors: ${pageErrors.join(' | ')}`);
    });
    // The calibrated fraud risk of its score, beside it: the figure, or "not enough outcomes yet", with the server's words.
    const risk = page.locator('#fraud-risk');
    await risk.waitFor();
    expect(await risk.innerText()).toContain(detail.risk.explanation);
    expect(await risk.innerText()).toMatch(detail.risk.probability === null ? /^Fraud risk\s+Not enough outcomes yet: / : new RegExp(`^Fraud risk ${Math.round(detail.risk.probability * 1000) / 10}%`));
    expect(await page.getByText('No chargeback risk calibrated', { exact: false }).count()).toBe(0);
    // Every signal is there: the fired ones listed, the failed ones in a banner, the quiet and no-data ones behind the disclosure.
    const statuses = detail.trace.signals as { status: string }[];
    const count = (status: string) => statuses.filter((s) => s.status === status).length;
    expect(await page.locator('#fired-signals [data-signal]').count()).toBe(count('hit'));
    expect(await page.locator('#failed-signals [data-signal]').count()).toBe(count('error'));
    if (count('no_hit') + count('insufficient_data') > 0) {
      await page.getByRole('button', { name: /^Show / }).click();
      await expect.poll(() => page.locator('#quiet-signals [data-status="insufficient_data"]').count()).toBe(count('insufficient_data'));
      expect(await page.locator('#quiet-signals [data-status="no_hit"]').count()).toBe(count('no_hit'));
    }
    await shot('decision-detail');
    // Labelling is asked for first.
    await page.getByRole('button', { name: 'Label fraud' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Label fraud' }).click();
    await page.getByText('Labelled fraud').waitFor();
    await page.getByText('Fraud (merchant)').waitFor();
    const stored = await apiGet<{ outcomes: { label: string; source: string }[] }>(`/api/decisions/${id}`);
    expect(stored.outcomes).toEqual([expect.objectContaining({ label: 'fraud', source: 'merchant' })]);
    // A return's page shows its own calibrated risk too (every subject kind, not only orders).
    const [aReturn] = (await apiGet<{ decisions: { id: string }[] }>('/api/decisions?kind=return&limit=1')).decisions;
    expect(aReturn).toBeDefined();
    const returnRisk = (await apiGet<{ kind: string; risk: { kind: string; explanation: string } }>(`/api/decisions/${aReturn!.id}`)).risk;
    expect(returnRisk.kind).toBe('return');
    await page.goto(`${app.url}/app/decisions/${aReturn!.id}`);
    await page.locator('#fraud-risk', { hasText: returnRisk.explanation }).waitFor();
    await shot('decision-detail-return');
  });

  it('releases a held order from the dashboard', async () => {
    // A hold as the action runner leaves it once Shopify placed it (demo mode has no store to hold in).
    const decision = (await db.knex('decisions').where({ subject_kind: 'order' }).orderBy('score', 'desc').first('id', 'shop_id'))!;
    const [action] = await db.knex('actions')
      .insert({ shop_id: decision.shop_id, decision_id: decision.id, rule_id: 'hold-high', type: 'fulfillment.hold', spec: { type: 'fulfillment.hold', ruleId: 'hold-high' }, status: 'done', result: { holds: [] } })
      .onConflict(['decision_id', 'revision', 'rule_id', 'type']).merge(['status', 'result'])
      .returning('id');
    await page.goto(`${app.url}/app/decisions`);
    const name = (await apiGet<{ holds: { decisionId: string; orderName: string | null }[] }>('/api/holds')).holds.find((h) => h.decisionId === String(decision.id))!.orderName;
    expect(name).toMatch(/^#\d+$/);
    const release = page.getByRole('button', { name: `Release the hold on order ${name}` });
    await page.getByRole('button', { name: `Order ${name}`, exact: true }).waitFor();
    await release.waitFor();
    await shot('dashboard-hold');
    await release.click();
    await page.getByText('No order is on hold.').waitFor();
    expect((await db.knex('actions').where({ id: action.id }).first('status')).status).toBe('released');
  });

  it('customer profile: aggregate, trajectory and a chart of scores over time', async () => {
    const customer = (await db.knex('customers').orderBy('decisions_count', 'desc').first('id'))!;
    await page.goto(`${app.url}/app/customers/${encodeURIComponent(customer.id)}`);
    await page.getByText('Scores over time').waitFor();
    await page.locator('[data-testid="score-chart"] svg').first().waitFor();
    const profile = await apiGet<{ decisionsCount: number; trajectory: string }>(`/api/customers/${encodeURIComponent(customer.id)}`);
    await page.getByText(profile.trajectory, { exact: true }).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(profile.decisionsCount);
    // The history by order names, whole scores, no raw GID.
    const history = (await apiGet<{ history: { orderName: string | null }[] }>(`/api/customers/${encodeURIComponent(customer.id)}`)).history;
    for (const h of history) if (h.orderName) await page.locator('tbody').getByText(h.orderName, { exact: true }).first().waitFor();
    expect(await page.locator('body').innerText()).not.toContain('gid://');
    await shot('customer-profile');
  });

  it('insights: zone mix, top signals, riskiest customers, refund value at risk', async () => {
    const insights = await apiGet<{ refundValueAtRisk: { high: number; medium: number }; currency: string }>('/api/insights');
    expect(insights.currency).toBe('USD'); // the generated shop's orders'
    await page.goto(`${app.url}/app/insights`);
    await page.getByText('Signals that fired most').waitFor();
    // Money in the shop's currency as the browser writes it, in words rather than a bare "a / b".
    const whole = (n: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0, minimumFractionDigits: 0 }).format(n);
    const value = await page.locator('#value-at-risk').innerText();
    expect(value.replace(/\n+/g, '\n')).toBe(`${whole(insights.refundValueAtRisk.high)} in HIGH-risk refunds\n${whole(insights.refundValueAtRisk.medium)} in MEDIUM-risk refunds`);
    expect(await page.locator('body').innerText()).not.toContain('gid://');
    await shot('insights');
  });

  it('settings: a new zone threshold is saved as a ruleset draft, under the rule editor\'s conflict rule', async () => {
    type Versions = { versions: { version: number; status: string }[] };
    const headers = { 'content-type': 'application/json', origin: app.url };
    /** Saves the published body as a draft through the API, as another tab of the editor would. */
    const saveElsewhere = async () => {
      const { versions } = await apiGet<Versions>('/api/rulesets');
      const live = versions.find((v) => v.status === 'published')!;
      const { body } = await apiGet<{ body: unknown }>(`/api/rulesets/${live.version}`);
      const response = await fetch(`${app.url}/api/rulesets`, { method: 'POST', headers, body: JSON.stringify({ body, baseVersion: Math.max(...versions.map((v) => v.version)) }) });
      expect(response.status).toBe(201);
      return ((await response.json()) as { version: number }).version;
    };
    // A draft newer than the published version exists before the page loads: no conflict (it was a 409 before).
    const newer = await saveElsewhere();
    await page.goto(`${app.url}/app/settings`);
    const high = page.getByLabel('High from score');
    await high.waitFor();
    // Signals grouped by the catalog's categories, by title with their description; a search narrows them.
    const catalog = await apiGet<{ signals: { id: string; title: string; description: string; category: string }[] }>('/api/signals');
    const newAccount = catalog.signals.find((s) => s.id === 'customer.new-account')!;
    const row = page.locator('[data-category="customer"] [data-signal="customer.new-account"]');
    await row.getByText(newAccount.title, { exact: true }).waitFor();
    await row.getByText(newAccount.description).waitFor();
    expect(await page.locator('[data-category]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-category')))).toEqual(['order', 'customer', 'velocity', 'pattern']);
    expect(await page.locator('[data-signal]').count()).toBe(Object.keys((await apiGet<{ body: { signals: object } }>(`/api/rulesets/${newer}`)).body.signals).length);
    await shot('settings-grouped');
    await page.getByLabel('Search signals').fill('new account');
    await expect.poll(() => page.locator('[data-signal]').count()).toBeLessThan(5);
    expect(await page.locator('[data-signal="customer.new-account"]').count()).toBe(1);
    await page.getByText(/^\d+ signals? of \d+ match$/).waitFor();
    await shot('settings-search');
    await page.getByLabel('Search signals').fill('');
    // Nothing changed: Save is off (no version without a change); a change turns it on, undoing it turns it off again.
    const saveButton = page.getByRole('button', { name: 'Save as draft' });
    expect(await saveButton.isDisabled()).toBe(true);
    await page.getByText('No changes to save').waitFor();
    const before = await high.inputValue();
    await high.fill('70');
    await page.getByText('1 change not saved yet').waitFor();
    expect(await saveButton.isDisabled()).toBe(false);
    await high.fill(before);
    await page.getByText('No changes to save').waitFor();
    expect(await saveButton.isDisabled()).toBe(true);
    await high.fill('70');
    await saveButton.click();
    await page.getByText(`Saved as draft version ${newer + 1}. Publish it from the rule editor to make it score.`).waitFor();
    // Saved: nothing left to save, and no second version from a second click.
    await page.getByText('No changes to save').waitFor();
    expect(await saveButton.isDisabled()).toBe(true);
    const body = await apiGet<{ status: string; body: { zones: { high: number } } }>(`/api/rulesets/${newer + 1}`);
    expect(body.status).toBe('draft');
    expect(body.body.zones.high).toBe(70);
    await shot('settings');

    // A version saved after the page loaded is a conflict, as in the editor: the server's message, nothing saved.
    const since = await saveElsewhere();
    expect(since).toBe(newer + 2);
    await high.fill('72');
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await page.getByText(new RegExp(`version ${since} was saved after version \\d+, which this draft started from`)).waitFor();
    await shot('settings-conflict');
    expect(Math.max(...(await apiGet<Versions>('/api/rulesets')).versions.map((v) => v.version))).toBe(since);
  });

  it('a failing API shows a banner with the server message, not a blank page', async () => {
    await page.route('**/api/decisions?**', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ statusCode: 503, error: 'Service Unavailable', message: 'the database is restarting' }) }));
    await page.goto(`${app.url}/app/decisions`);
    await page.getByText('The decisions could not be loaded').waitFor();
    await page.getByText('the database is restarting').waitFor();
    await shot('dashboard-error');
    await page.unroute('**/api/decisions?**');
  });
});

describe.skipIf(!HAS_CHROMIUM)('the rule editor in Chromium', () => {
  type EditorWindow = Window & {
    refundsentryMonaco: { editor: { getModelMarkers(f: { owner?: string }): { message: string; startLineNumber: number }[] } };
  };
  /** The live ruleset editor, from Monaco's own list (never a disposed one). */
  const LIVE_EDITOR = `(window.refundsentryMonaco.editor.getEditors().find((e) => e.getModel() && e.getModel().uri.toString() === 'inmemory://refundsentry/ruleset.json'))`;
  const editorText = () => page.evaluate(`${LIVE_EDITOR}.getModel().getValue()`) as Promise<string>;
  const setEditorText = async (text: string) => {
    await page.waitForFunction(`Boolean(${LIVE_EDITOR})`);
    await page.evaluate(`${LIVE_EDITOR}.getModel().setValue(${JSON.stringify(text)})`);
  };
  /** Waits until the editor shows this version (after a save or rollback it reloads and remounts). */
  const editorShows = async (version: number) => {
    await page.getByText(new RegExp(`^Version ${version} \\((draft|published|archived)\\)$`)).waitFor();
    await page.waitForFunction(`Boolean(${LIVE_EDITOR})`);
  };
  const caretAtEndOf = (line: number, column: number) => page.evaluate(`(() => { const e = ${LIVE_EDITOR}; e.focus(); e.setPosition({ lineNumber: ${line}, column: ${column} }); })()`);

  it('edits the ruleset with schema completion and server markers; saves, diffs, publishes, rolls back; refuses a stale save', async () => {
    await page.goto(`${app.url}/app/rules`);
    await page.locator('[data-testid="ruleset-editor"] .monaco-editor').waitFor();
    await page.waitForFunction(`Boolean(${LIVE_EDITOR})`);
    await page.locator('#problem-count', { hasText: 'No problems' }).waitFor();
    const published = JSON.parse(await editorText());

    // Completion of a signal id from the catalog inside "signals": one the document does not hold
    // (taken out first), so that neither the document's words nor a key already there offer it —
    // the schema's completion leaves out keys the object has.
    const without = structuredClone(published);
    delete without.signals['velocity.return-rate'];
    await setEditorText(JSON.stringify(without, null, 2));
    const lines = (await editorText()).split('\n');
    expect(lines.join('\n')).not.toContain('velocity.return-rate');
    const signalsLine = lines.findIndex((l) => l.includes('"signals": {')) + 1;
    await caretAtEndOf(signalsLine, lines[signalsLine - 1].length + 1);
    await page.waitForTimeout(300);
    await page.keyboard.press('Enter');
    await page.keyboard.type('"velocity.retu', { delay: 60 });
    await page.keyboard.press('Control+Space');
    const offered = page.locator('.suggest-widget .monaco-list-row', { hasText: 'velocity.return-rate' }).first();
    await offered.waitFor({ timeout: 10_000 }).catch(async (error) => {
      await shot('rules-completion-failed');
      throw error;
    });
    expect(await offered.locator('.codicon-symbol-property').count()).toBe(1);
    await shot('rules-completion');
    await page.keyboard.press('Escape');

    // An unknown signal and zones out of order: the server's validator marks them where they are.
    const broken = structuredClone(published);
    broken.signals['no.such-signal'] = { weight: 5 };
    broken.zones = { medium: 80, high: 40 };
    await setEditorText(JSON.stringify(broken, null, 2));
    await page.locator('#problem-count', { hasText: /[1-9]\d* problems?/ }).waitFor();
    // The server's problems, not the syntax errors the half-typed completion above left: the list names the unknown signal.
    await page.getByText('/signals/no.such-signal: ', { exact: false }).first().waitFor();
    const markers = await page.evaluate(() => (window as unknown as EditorWindow).refundsentryMonaco.editor.getModelMarkers({ owner: 'refundsentry' }));
    const text = JSON.stringify(broken, null, 2).split('\n');
    const unknown = markers.find((m) => /no\.such-signal/.test(m.message) || /unknown-signal/.test(m.message));
    expect(unknown, JSON.stringify(markers)).toBeDefined();
    expect(text[unknown!.startLineNumber - 1]).toContain('no.such-signal');
    expect(markers.some((m) => /zones/.test(m.message) || text[m.startLineNumber - 1].includes('"medium"') || text[m.startLineNumber - 1].includes('"zones"'))).toBe(true);
    await shot('rules-markers');
    expect(await page.getByRole('button', { name: 'Save as draft' }).isDisabled()).toBe(true);

    // A valid change saved as a draft, compared, published.
    const changed = structuredClone(published);
    changed.zones = { ...published.zones, high: 72 };
    await setEditorText(JSON.stringify(changed, null, 2));
    await page.locator('#problem-count', { hasText: 'No problems' }).waitFor();
    // The instant preview re-weights the stored results with the edited zones.
    await page.locator('[data-testid="instant-preview"]', { hasText: /HIGH \d+ → \d+/ }).waitFor();
    await page.getByRole('button', { name: 'Save as draft' }).click();
    const saved = await page.getByText(/Saved as draft version \d+\./).innerText();
    const draft = Number(/version (\d+)/.exec(saved)![1]);
    await page.getByRole('button', { name: 'Show the difference' }).click();
    await page.locator('[data-testid="ruleset-diff"] .monaco-diff-editor').waitFor();
    await shot('rules-diff');
    // Simulate the draft on the shop's history: the report, a zone change opened side by side. Over
    // 12 months, so that subjects old enough for their outcomes to count are in it.
    await page.getByLabel('Window', { exact: true }).selectOption('365');
    await page.getByRole('button', { name: `Simulate version ${draft}` }).click();
    await page.locator('[data-testid="simulation-report"]').waitFor();
    const simulations = await apiGet<{ simulations: { id: string; version: number }[] }>('/api/simulations');
    expect(simulations.simulations[0].version).toBe(draft);
    type Bands = { from: number; to: number; rows: number; positives: number }[];
    const stored = await apiGet<{
      report: { flips: unknown[]; zones: { before: { high: number }; after: { high: number } }; quality: { before: { labelled: number } }; calibration: { before: Bands; after: Bands }; auc: { before: number | null; after: number | null } };
    }>(`/api/simulations/${simulations.simulations[0].id}`);
    expect(stored.report.zones.after.high).toBeLessThanOrEqual(stored.report.zones.before.high);
    await page.getByText(`Zone changes (${stored.report.flips.length})`).waitFor();
    // The calibration of the labelled subjects, live and this version side by side: a row per score band either has a subject in.
    const { calibration, auc, quality } = stored.report;
    expect(quality.before.labelled).toBeGreaterThan(0);
    expect(calibration.before.reduce((n, b) => n + b.rows, 0)).toBe(quality.before.labelled);
    const table = page.locator('[data-testid="simulation-report"] [data-testid="calibration-table"]');
    await table.waitFor();
    expect(await table.isVisible()).toBe(true);
    const bandRows = calibration.before.filter((b, i) => b.rows + calibration.after[i]!.rows > 0);
    expect((await table.locator('tbody tr').allInnerTexts()).map((r) => r.split('\t')[0]!.trim())).toEqual(bandRows.map((b) => `${b.from}–${b.to}`));
    await table.scrollIntoViewIfNeeded();
    await table.screenshot({ path: join(SHOTS, 'rules-simulation-calibration.png') });
    // AUC in the quality table, as a percentage (or "—" without both fraud and legit subjects).
    const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
    const aucRow = page.locator('[data-testid="simulation-report"] tr', { hasText: 'AUC (fraud scored above legit)' });
    expect((await aucRow.innerText()).split('\t').map((c) => c.trim())).toEqual(['AUC (fraud scored above legit)', pct(auc.before), pct(auc.after)]);
    if (stored.report.flips.length > 0) {
      await page.locator('[data-testid="simulation-flips"] tbody tr').first().click();
      await page.getByText('why the zone changes').waitFor();
      await shot('rules-simulation-flip');
      await page.getByRole('button', { name: 'Close' }).click();
    }
    await shot('rules-simulation');
    await page.getByRole('button', { name: `Publish version ${draft}` }).click();
    await page.getByText(`Version ${draft} is live.`).waitFor();
    const afterPublish = await apiGet<{ versions: { version: number; status: string }[] }>('/api/rulesets');
    expect(afterPublish.versions.find((v) => v.status === 'published')!.version).toBe(draft);
    expect((await apiGet<{ body: { zones: { high: number } } }>(`/api/rulesets/${draft}`)).body.zones.high).toBe(72);

    // Roll back to the first version: its rules live again as a new version.
    await page.getByRole('button', { name: 'Roll back to version 1' }).click();
    const rolled = Number(/as version (\d+)/.exec(await page.getByText(/live again as version \d+/).innerText())![1]);
    const live = await apiGet<{ versions: { version: number; status: string }[] }>('/api/rulesets');
    expect(live.versions.find((v) => v.status === 'published')!.version).toBe(rolled);
    expect((await apiGet<{ body: { zones: { high: number } } }>(`/api/rulesets/${rolled}`)).body.zones).toEqual(published.zones);

    // Someone else saves meanwhile: this editor's save is refused with the reason.
    await editorShows(rolled);
    await fetch(`${app.url}/api/rulesets`, { method: 'POST', headers: { 'content-type': 'application/json', origin: app.url }, body: JSON.stringify({ body: published, baseVersion: rolled }) });
    await setEditorText(JSON.stringify(changed, null, 2));
    await page.locator('#problem-count', { hasText: 'No problems' }).waitFor();
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await page.getByText(/was saved after version/).waitFor();
    await shot('rules-conflict');
  });

  it('weight suggestions learned from outcomes become a draft in one click', async () => {
    type Preview = { window: { before: Record<string, number>; after: Record<string, number> }; labelled: { high: { caught: { before: number; after: number }; falseAlarms: { before: number; after: number } } } };
    type Proposal = { signalId: string; suggestedWeight: number; evidence: string; behind: { fraud: Record<string, number>; legit: Record<string, number> }; preview: Preview };
    const list = await apiGet<{ suggestions: Proposal[]; labelled: number; note?: string; preview: Preview | null }>('/api/suggestions');
    const signals = await apiGet<{ signals: { id: string; title: string }[] }>('/api/signals');
    await page.goto(`${app.url}/app/rules`);
    await page.getByText(`Learned from ${list.labelled.toLocaleString('en')} labelled outcome`, { exact: false }).waitFor();
    if (list.suggestions.length === 0) {
      await shot('rules-suggestions');
      await page.getByText(list.note ?? 'nothing to suggest', { exact: false }).waitFor();
      return;
    }
    // Each proposal with its evidence in words, the labels behind it and what accepting it alone changes.
    const first = list.suggestions[0]!;
    const title = signals.signals.find((s) => s.id === first.signalId)?.title ?? first.signalId;
    const proposal = page.locator(`[data-signal="${first.signalId}"]`);
    await proposal.getByText(first.evidence).waitFor();
    await proposal.getByText(/^Labels behind it — fraud: /).waitFor();
    const { high } = first.preview.labelled;
    expect(await proposal.getByTestId('proposal-preview').innerText()).toContain(`fraud caught at HIGH ${high.caught.before} → ${high.caught.after}, false alarms ${high.falseAlarms.before} → ${high.falseAlarms.after}`);
    // Nothing chosen: what accepting all of them together changes, said so.
    const together = page.getByTestId('suggestions-preview');
    await together.getByText(list.suggestions.length === 1 ? 'If you accept it' : `If you accept all ${list.suggestions.length} together`).waitFor();
    const highRow = async () => (await together.locator('tbody tr').first().innerText()).split('\t').map((c) => c.trim()).slice(0, 3);
    expect(await highRow()).toEqual(['HIGH', list.preview!.window.before.high.toLocaleString('en'), list.preview!.window.after.high.toLocaleString('en')]);
    await shot('rules-suggestions');
    const card = page.getByTestId('suggestions-card');
    await page.setViewportSize({ width: 390, height: 900 });
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: join(SHOTS, 'rules-suggestions-390.png') });
    await page.setViewportSize({ width: 1280, height: 900 });
    // One chosen: its own preview, live.
    await proposal.getByRole('checkbox').check();
    await together.getByText(list.suggestions.length === 1 ? `Accepting ${title}` : `Accepting ${title} alone`).waitFor();
    await expect.poll(highRow).toEqual(['HIGH', first.preview.window.before.high.toLocaleString('en'), first.preview.window.after.high.toLocaleString('en')]);
    await card.screenshot({ path: join(SHOTS, 'rules-suggestions-chosen.png') });
    // Some but not all chosen: the server previews no such combination, and the card says so rather than guess.
    if (list.suggestions.length > 2) {
      const second = page.locator(`[data-signal="${list.suggestions[1]!.signalId}"]`).getByRole('checkbox');
      await second.check();
      await together.getByText('Your 2 chosen together are not previewed here', { exact: false }).waitFor();
      await together.getByText(`For comparison: all ${list.suggestions.length} together`).waitFor();
      await second.uncheck();
      await together.getByText(`Accepting ${title} alone`).waitFor();
    }
    // The draft is made by the server in one call with the chosen signal.
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.url().endsWith('/api/suggestions/accept') && r.method() === 'POST'),
      page.getByRole('button', { name: 'Make a draft with 1 accepted' }).click(),
    ]);
    expect(request.postDataJSON()).toEqual({ signalIds: [first.signalId] });
    const notice = await page.getByText(/as draft version \d+: simulate it/).innerText();
    const version = Number(/draft version (\d+)/.exec(notice)![1]);
    const draft = await apiGet<{ status: string; body: { signals: Record<string, { weight: number }> }; note: { kind: string; accepted: { signalId: string }[] } | null }>(`/api/rulesets/${version}`);
    expect(draft.status).toBe('draft');
    expect(draft.body.signals[first.signalId].weight).toBe(first.suggestedWeight);
    expect(draft.note).toMatchObject({ kind: 'suggestions', accepted: [expect.objectContaining({ signalId: first.signalId })] });
    // The editor opens the new draft; the choice is cleared.
    await page.getByText(`Version ${version} (draft)`).waitFor();
    expect(await page.getByRole('button', { name: 'Make a draft with 0 accepted' }).isDisabled()).toBe(true);
  });

  it('runs a draft in shadow: a new live order is decided by both, the shadow report shows it', async () => {
    const versions = await apiGet<{ versions: { version: number; status: string }[] }>('/api/rulesets');
    const draft = versions.versions.find((v) => v.status === 'draft')!;
    await page.goto(`${app.url}/app/rules`);
    await page.getByRole('button', { name: `Run version ${draft.version} in shadow` }).click();
    await page.getByText(`Version ${draft.version} now decides every new event in shadow`).waitFor();
    await page.getByText('No new event has been decided since shadow mode started.').waitFor();
    // A live order arrives (Shopify's sample, signed with the demo secret).
    const body = readWebhookFixture('orders_create');
    const response = await sendDemoWebhook(app, 'orders/create', body);
    expect(response.status).toBe(200);
    await expect.poll(async () => (await apiGet<{ report: { subjects: number } | null }>('/api/shadow')).report?.subjects ?? 0, { timeout: 30_000 }).toBe(1);
    await page.reload();
    await page.locator('[data-testid="shadow-report"]').waitFor();
    await shot('rules-shadow');
    await page.getByRole('button', { name: 'Stop shadow' }).click();
    await page.getByText('Shadow mode stopped.').waitFor();
    expect((await apiGet<{ shadowVersion: number | null }>('/api/shadow')).shadowVersion).toBeNull();
  });

  it('a published version whose custom expressions keep exceeding their budget is flagged, with the version decisions fall back to', async () => {
    const versions = await apiGet<{ versions: { version: number; status: string }[] }>('/api/rulesets');
    const live = versions.versions.find((v) => v.status === 'published')!;
    const body = (await apiGet<{ body: Record<string, unknown> }>(`/api/rulesets/${live.version}`)).body;
    // A million array elements per decision: ten times a decision's budget.
    const hundred = `[${Array.from({ length: 100 }, (_, i) => i).join(',')}]`;
    const heavy = { ...body, customSignals: [{ id: 'custom.cubic', when: `$count(${hundred}.(${hundred}.(${hundred}))) > 0`, weight: 10 }] };
    const headers = { 'content-type': 'application/json', origin: app.url };
    const latest = Math.max(...versions.versions.map((v) => v.version));
    const draft = await fetch(`${app.url}/api/rulesets`, { method: 'POST', headers, body: JSON.stringify({ body: heavy, baseVersion: latest }) });
    expect(draft.status).toBe(201);
    const { version } = (await draft.json()) as { version: number };
    expect((await fetch(`${app.url}/api/rulesets/${version}/publish`, { method: 'POST', headers })).status).toBe(200);
    // Five orders decided with it, each out of budget: the version is marked.
    const sample = readWebhookFixture('orders_create');
    for (let i = 0; i < 5; i++) expect((await sendDemoWebhook(app, 'orders/create', sample.replaceAll('820982911946154508', String(930000000000000000n + BigInt(i))))).status).toBe(200);
    await expect
      .poll(async () => (await apiGet<{ scoringWith: { version: number } | null }>('/api/rulesets')).scoringWith?.version, { timeout: 30_000 })
      .toBe(live.version);
    await page.goto(`${app.url}/app/rules`);
    const warning = page.locator('[data-testid="over-budget"]');
    await warning.waitFor();
    expect(await warning.innerText()).toMatch(new RegExp(`used up the per-decision budget .* scored with version ${live.version}\\.`));
    await shot('rules-over-budget');
  });
});

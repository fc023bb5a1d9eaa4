import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateShop } from '../../scenarios/generateShop.ts';
import type { RunningApp } from '../../server/main.ts';
import { type DemoServer, HAS_CHROMIUM, launchChromium, SHOTS, startDemoServer } from './harness.ts';

/**
 * Fitting a version to the shop's outcomes from the rule editor (issue 21), in Chromium against
 * the real server in demo mode: a generated year backfilled through its history file (Shopify's
 * payload shapes), the merchant labelling the abusive returns through the API; then in the page
 * the label counts, "Fit weights and zones" with its progress, the fitted draft as a diff of
 * weights, curves and zones with its held-out report and calibration beside the live version's,
 * the simulator replaying the draft against live, publishing in one click and rolling back.
 */
const DAY = 86_400_000;

let app: RunningApp;
let server: DemoServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
async function api<T>(path: string, init?: { method: string; body?: unknown }): Promise<T> {
  const response = await fetch(`${app.url}${path}`, init ? { method: init.method, headers: { 'content-type': 'application/json', origin: app.url }, body: JSON.stringify(init.body ?? {}) } : undefined);
  expect(response.status, `${path}: ${response.status}`).toBeLessThan(300);
  return (await response.json()) as T;
}

type Versions = { versions: { version: number; status: string; body?: { zones: { byKind?: Record<string, unknown> } } }[] };

beforeAll(async () => {
  if (!HAS_CHROMIUM) return;
  server = await startDemoServer('fit', { DEMO_HISTORY: 'none' });
  app = server.app;
  const shop = generateShop({ seed: 11, customers: 160, start: new Date(Date.now() - 364 * DAY).toISOString().slice(0, 10), days: 330 });
  const path = join(server.dataDir, 'history.jsonl');
  await writeFile(path, shop.events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  expect(await app.backfill.start(app.config.demoShop, { kind: 'file', path }, { days: 365 })).toBe(true);
  for (const deadline = Date.now() + 200_000; (await api<{ status: string }>('/api/backfill')).status !== 'done'; ) {
    if (Date.now() > deadline) throw new Error('the backfill did not finish');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  // The merchant labels the abusive returns the generator planted (wardrobing, bracketing, serial returning).
  const abusive = new Set(shop.labels.filter((l) => l.kind === 'return' && l.target && l.pattern !== 'double-dipper').map((l) => l.subjectId));
  let before: string | null = null;
  let labelled = 0;
  do {
    const list: { decisions: { id: string; subjectId: string }[]; next: string | null } = await api(`/api/decisions?kind=return&limit=200${before ? `&before=${before}` : ''}`);
    for (const d of list.decisions) {
      if (!abusive.has(d.subjectId)) continue;
      await api(`/api/decisions/${d.id}/outcome`, { method: 'POST', body: { label: 'fraud' } });
      labelled++;
    }
    before = list.next;
  } while (before);
  expect(labelled).toBeGreaterThanOrEqual(20);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 240_000);

afterAll(async () => {
  expect(pageErrors).toEqual([]);
  await browser?.close();
  await server?.stop();
});

describe.skipIf(!HAS_CHROMIUM)('fitting weights and zones to the shop\'s outcomes, from the rule editor', () => {
  it('shows the labels, fits a draft with its diff and held-out report, simulates it, publishes it in one click and rolls back', { timeout: 240_000 }, async () => {
    const counts = await api<{ kinds: Record<string, { positive: number; negative: number; fittable: boolean }> }>('/api/labels');
    expect(counts.kinds.return!.fittable).toBe(true);
    await page.goto(`${app.url}/app/rules`);
    const labels = page.getByTestId('fit-labels');
    await labels.waitFor();
    // The counts the API gives, per kind, in the page.
    const returnsRow = await labels.locator('tr', { hasText: 'Returns' }).innerText();
    expect(returnsRow).toContain(counts.kinds.return!.positive.toLocaleString('en'));
    expect(returnsRow).toContain('Yes');

    await page.getByRole('button', { name: 'Fit weights and zones' }).click();
    const report = page.getByTestId('fit-report');
    await report.waitFor({ timeout: 120_000 });
    const fits = await api<{ fits: { id: string; status: string; draftVersion: number }[] }>('/api/fits');
    expect(fits.fits[0]).toMatchObject({ status: 'done' });
    const fit = await api<{ draftVersion: number; report: { kinds: { kind: string; zones?: { medium: number; high: number }; weights?: Record<string, number>; current?: Record<string, number>; unobserved?: string[] }[]; heldOut: Record<string, { fitted: { auc: number | null } } | undefined> } }>(`/api/fits/${fits.fits[0]!.id}`);
    const draft = fit.draftVersion;
    await page.getByText(`Draft version ${draft}, fitted from version 1`).waitFor();
    // The editor opened the draft.
    await page.getByText(`Version ${draft} (draft)`, { exact: true }).waitFor();

    // The diff: the returns' zones from the live ones to the fitted ones, the weights that moved.
    const returns = fit.report.kinds.find((k) => k.kind === 'return')!;
    const zones = await page.getByTestId('fit-zones-return').innerText();
    expect(zones).toContain(`HIGH from 66 → ${returns.zones!.high.toLocaleString("en", { maximumFractionDigits: 2 })}`);
    const weights = page.getByTestId('fit-weights-return');
    const moved = Object.entries(returns.weights!).filter(([id, w]) => w !== returns.current![id] && !returns.unobserved!.includes(id)).sort((a, b) => Math.abs(b[1] - returns.current![b[0]]!) - Math.abs(a[1] - returns.current![a[0]]!));
    expect(moved.length).toBeGreaterThan(0);
    expect(await weights.innerText()).toContain(moved[0]![0]);
    // The held-out report: AUC of both versions and the calibration side by side.
    const kindReport = await page.getByTestId('fit-kind-return').innerText();
    expect(kindReport).toContain('ROC AUC');
    expect(kindReport).toContain(fit.report.heldOut.return!.fitted.auc!.toFixed(3));
    await page.getByTestId('fit-kind-return').getByTestId('calibration-table').waitFor();
    expect(await page.getByTestId('fit-kind-return').getByTestId('calibration-table').innerText()).toMatch(/Live: fraud rate[\s\S]*Fitted: fraud rate/);
    // Orders had too few labels: said, not fitted.
    await page.getByText(/Orders not fitted:/).waitFor();
    await report.screenshot({ path: join(SHOTS, 'fit-report.png') });
    await shot('rules-fitted-draft');

    // The simulator replays the draft against the live version.
    await page.getByRole('button', { name: `Simulate version ${draft} against live` }).click();
    await page.getByTestId('simulation-report').waitFor({ timeout: 120_000 });
    await page.getByText(`Simulated version ${draft} against live version 1.`).waitFor();

    // Publishing is one click; the fitted zones decide from then on.
    await page.getByRole('button', { name: `Publish version ${draft}` }).first().click();
    await page.getByText(`Version ${draft} is live.`).waitFor();
    let versions = await api<Versions>('/api/rulesets');
    expect(versions.versions.find((v) => v.status === 'published')!.version).toBe(draft);
    expect((await api<{ body: { zones: { byKind?: Record<string, { high: number }> } } }>(`/api/rulesets/${draft}`)).body.zones.byKind?.return?.high).toBe(returns.zones!.high);
    await page.getByTestId('fit-report').getByText('published', { exact: true }).waitFor();
    await shot('rules-fitted-published');

    // Rolling back: version 1's rules are live again, as a new version.
    await page.getByRole('button', { name: 'Roll back to version 1' }).click();
    const notice = await page.getByText(/Version 1's rules are live again as version \d+\./).innerText();
    const rolled = Number(/as version (\d+)/.exec(notice)![1]);
    versions = await api<Versions>('/api/rulesets');
    expect(versions.versions.find((v) => v.status === 'published')!.version).toBe(rolled);
    const [one, now] = await Promise.all([api<{ body: Record<string, unknown> }>('/api/rulesets/1'), api<{ body: Record<string, unknown> }>(`/api/rulesets/${rolled}`)]);
    expect({ ...now.body, version: 0 }).toEqual({ ...one.body, version: 0 });
  });
});

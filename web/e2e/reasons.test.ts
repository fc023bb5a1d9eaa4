import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { type DemoServer, HAS_CHROMIUM, launchChromium, SHOTS, startDemoServer } from './harness.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReasonsResponse } from '../src/api.ts';
import type { RunningApp } from '../../server/main.ts';
import type { TestDatabase } from '../../server/testing/testDatabase.ts';

/**
 * Return reasons on the demo shop, in Chromium, against the real server in demo mode: the shop's
 * generated history is backfilled as `npm start` does it, the reason job runs when the backfill
 * finishes, and the page shows the clusters the API reports, the per-product view, and a
 * recompute on request.
 */

let db: TestDatabase;
let app: RunningApp;
let server: DemoServer;
let dataDir: string;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
async function apiGet<T>(path: string): Promise<T> {
  const response = await fetch(`${app.url}${path}`);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}
async function waitFor<T>(check: () => Promise<T | undefined>, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

beforeAll(async () => {
  // Demo mode with the generated history, as `npm start` runs it (400 customers).
  server = await startDemoServer('admin-reasons');
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

describe.skipIf(!HAS_CHROMIUM)('return reasons in the admin (Chromium, real server, demo shop)', () => {
  it('shows the clusters the reason job computed after the demo backfill', async () => {
    const reasons = await waitFor(async () => {
      const r = await apiGet<ReasonsResponse>('/api/reasons');
      return r.status === 'done' ? r : undefined;
    }, 'the reason clusters after the demo backfill', 240_000);
    expect(reasons.lastRun!.trigger).toBe('backfill');
    const report = reasons.report!;
    expect(report.notes).toBeGreaterThan(20);
    expect(report.llm.configured).toBe(false);
    // Half the demo's serial returners paste one refund script: found as coordinated notes.
    expect(report.coordinated.length).toBeGreaterThan(0);
    expect(report.coordinated[0]!.customers).toBeGreaterThanOrEqual(3);

    await page.goto(`${app.url}/app/reasons`);
    await page.getByRole('heading', { name: 'Return reasons' }).waitFor();
    const summary = page.locator('#reasons-summary');
    await summary.waitFor();
    const count = (n: number, one: string) => `${n.toLocaleString('en')} ${n === 1 ? one : `${one}s`}`;
    expect(await summary.innerText()).toContain(`${count(report.notes, 'note')} on ${count(report.returns, 'return')} · ${count(report.clusters.length, 'cluster')}`);
    await page.getByText('Offline names (no LLM configured)').waitFor();
    // The categories table: one row per non-empty category, with the API's counts.
    const table = page.locator('.Polaris-DataTable').first();
    const rows = await table.locator('tbody tr').allInnerTexts();
    const nonEmpty = report.categories.filter((c) => c.count > 0);
    expect(rows).toHaveLength(nonEmpty.length);
    for (const category of nonEmpty) {
      const row = rows.find((r) => r.split('\t')[0]!.includes(category.label));
      expect(row, category.label).toBeDefined();
      expect(row).toContain(`\t${category.count}\t`);
    }
    // Every cluster is listed with its name and size.
    for (const cluster of report.clusters) await page.getByText(cluster.label, { exact: true }).first().waitFor();
    // Coordinated notes: the banner exactly when the API found some.
    const banner = page.locator('.Polaris-Banner', { hasText: 'near-identical notes from different customers' });
    expect(await banner.count()).toBe(report.coordinated.length > 0 ? 1 : 0);
    // In words: "2 groups", "5 returns from 3 customers, … 76% alike"; products by their titles; no GID, no "(s)".
    const g = report.coordinated[0]!;
    await banner.getByText(`${count(report.coordinated.length, 'group')} of near-identical notes`, { exact: false }).waitFor();
    await banner.getByText(`${count(g.returnIds.length, 'return')} from ${count(g.customers, 'customer')}`, { exact: false }).first().waitFor();
    await banner.getByText(`${Math.round(g.similarity * 100)}% alike`, { exact: false }).first().waitFor();
    const text = await page.locator('body').innerText();
    expect(text).not.toContain('gid://');
    expect(text).not.toContain('(s)');
    expect(text).not.toMatch(/similarity 0\./);
    const top = report.categories.find((c) => c.count > 0 && c.topProducts.length > 0)!.topProducts[0]!;
    expect(reasons.productTitles[top.key]).toBeTruthy();
    await page.getByText(`${reasons.productTitles[top.key]} (${count(top.count, 'note')})`, { exact: true }).first().waitFor();
    await shot('reasons-clusters');

    // Per product: the selected product's categories add up to its notes.
    const second = report.products[1] ?? report.products[0]!;
    await page.getByLabel('Product').selectOption(second.productId);
    const perProduct = page.locator('#product-categories');
    await page.waitForFunction(
      ([total]) => {
        const text = document.querySelector('#product-categories')?.textContent ?? '';
        return (text.match(/\d+/g) ?? []).reduce((s, n) => s + Number(n), 0) === total;
      },
      [second.notes],
    );
    expect(await perProduct.innerText()).toBeTruthy();
    await shot('reasons-product');
  }, 300_000);

  it('recomputes on request and shows the new run', async () => {
    const before = await apiGet<ReasonsResponse>('/api/reasons');
    await page.getByRole('button', { name: 'Recompute' }).click();
    const after = await waitFor(async () => {
      const r = await apiGet<ReasonsResponse>('/api/reasons');
      return r.status === 'done' && r.lastRun!.trigger === 'request' ? r : undefined;
    }, 'the recomputed clusters', 60_000);
    expect(after.report!.computedAt).not.toBe(before.report!.computedAt);
    expect(after.report!.notes).toBe(before.report!.notes);
    // The page polls until the run it asked for is done, then shows it.
    await page.locator(`#reasons-summary[data-computed-at="${after.report!.computedAt}"]`).waitFor({ timeout: 30_000 });
    expect(await page.locator('#reasons-summary').innerText()).toContain(`${after.report!.notes.toLocaleString('en')} notes on ${after.report!.returns.toLocaleString('en')} returns`);
    // …and stops polling: the button leaves its loading (disabled) state.
    await page.waitForFunction(() => {
      const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.includes('Recompute'));
      return !!button && !button.disabled && button.getAttribute('aria-disabled') !== 'true' && button.getAttribute('aria-busy') !== 'true';
    }, undefined, { timeout: 10_000 });
    await shot('reasons-recomputed');
  }, 120_000);
});

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { type DemoServer, HAS_CHROMIUM, launchChromium, SHOTS, startDemoServer } from './harness.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateShop } from '../../scenarios/generateShop.ts';
import type { RunningApp } from '../../server/main.ts';
import type { TestDatabase } from '../../server/testing/testDatabase.ts';
import type { ChargebackReport } from '../../contract/index.ts';

/**
 * The report pages in Chromium on the demo shop, backfilled from ten months of generated
 * history: chargebacks (figures as the API computes them, an evidence report printable in a new
 * tab, CSV) and analytics (period over period, SKU return trends, goals, CSV).
 */
const DAY_MS = 86_400_000;

let db: TestDatabase;
let app: RunningApp;
let server: DemoServer;
let dataDir: string;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const day = (offset: number) => new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10);

const shot = (p: Page, name: string) => p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
async function apiGet<T>(path: string): Promise<T> {
  const response = await fetch(`${app.url}${path}`);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

beforeAll(async () => {
  server = await startDemoServer('admin-reports', { DEMO_HISTORY: 'none' });
  ({ db, dataDir, app } = server);
  const historyPath = join(dataDir, 'history.jsonl');
  const start = new Date(Date.now() - 300 * DAY_MS).toISOString().slice(0, 10);
  await writeFile(historyPath, generateShop({ seed: 2026, customers: 120, start, days: 298 }).events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  await app.backfill.start(app.config.demoShop, { kind: 'file', path: historyPath }, { days: 365 });
  const deadline = Date.now() + 120_000;
  while ((await apiGet<{ status: string }>('/api/backfill')).status !== 'done') {
    if (Date.now() > deadline) throw new Error('the backfill did not finish');
    await new Promise((r) => setTimeout(r, 250));
  }
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 180_000);

afterAll(async () => {
  expect(pageErrors).toEqual([]);
  await browser?.close();
  await server?.stop();
});

describe.skipIf(!HAS_CHROMIUM)('the chargebacks page (Chromium, demo shop)', () => {
  it('shows the period\'s disputes, prediction accuracy and double dips as the API computes them', async () => {
    const report = await apiGet<ChargebackReport>('/api/chargebacks');
    expect(report.summary.disputes).toBeGreaterThan(0);
    await page.goto(`${app.url}/app/chargebacks`);
    await page.locator('#disputes').waitFor();
    expect(await page.locator('#disputes').innerText()).toBe(String(report.summary.disputes));
    expect(await page.locator('#double-dips').innerText()).toBe(String(report.doubleDips.orders));
    expect(await page.locator('#accuracy').innerText()).toBe(report.prediction.accuracy === null ? '—' : `${(report.prediction.accuracy * 100).toFixed(1)}%`);
    await page.getByText(`${report.prediction.flagged} of ${report.prediction.scored} scored disputed orders`, { exact: false }).waitFor();
    // The orders' calibration in the contract's terms (it read fields the API never sent: "undefined matured orders").
    const calibration = report.calibration;
    expect(calibration?.baseRate).not.toBeNull();
    await page.getByText(`Chargeback risk calibrated on ${calibration!.labelled.toLocaleString('en')} orders with a known outcome (${calibration!.positives.toLocaleString('en')} fraud, ${(calibration!.baseRate! * 100).toFixed(1)}%).`).waitFor();
    // Money in the shop's currency (its orders': USD) as the browser writes it; orders by name; no raw GID.
    expect(report.currency).toBe('USD');
    const usd = (n: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(n);
    expect(await page.locator('#exposure').innerText()).toBe(usd(report.summary.open.amount));
    await page.getByText(`${usd(report.summary.amount)} disputed`).waitFor();
    const dip = report.doubleDips.rows[0]!;
    expect(dip.orderName).toMatch(/^#\d+$/);
    await page.getByRole('button', { name: `Evidence report for order ${dip.orderName}` }).first().waitFor();
    expect(await page.locator('body').innerText()).not.toContain('gid://');
    await shot(page, 'chargebacks');
  });

  it('opens a double dip\'s evidence report, printable, in a new tab', async () => {
    const report = await apiGet<{ doubleDips: { rows: { orderId: string; orderName: string }[] } }>('/api/chargebacks');
    const first = report.doubleDips.rows[0]!;
    const [tab] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('button', { name: `Evidence report for order ${first.orderName}` }).first().click()]);
    await tab.waitForLoadState();
    await tab.getByRole('heading', { name: `Dispute evidence: order ${first.orderName}` }).waitFor();
    await tab.locator('#double-dip').waitFor();
    // For the bank: the facts, none of RefundSentry's scoring, no raw GID.
    expect(await tab.locator('h2').allInnerTexts()).toEqual(['Order', 'Customer history', 'Fulfilment and delivery', 'Returns and refunds', 'Dispute', 'Timeline']);
    const text = await tab.locator('body').innerText();
    expect(text).not.toContain('gid://');
    expect(text).not.toMatch(/\bpoints\b|\bweight\b|\bruleset\b|\/ 100|Fraud risk/i);
    await shot(tab, 'chargebacks-evidence');
    await tab.close();
  });

  it('shows an order decision\'s chargeback risk and opens its evidence report from the decision page', async () => {
    const report = await apiGet<{ prediction: { rows: { orderId: string; decisionId: string | null }[] } }>('/api/chargebacks');
    const disputed = report.prediction.rows.find((r) => r.decisionId)!;
    const card = await apiGet<{ chargebackRisk: { explanation: string } | null }>(`/api/orders/${disputed.orderId.split('/').pop()}/risk`);
    expect(card.chargebackRisk).not.toBeNull();
    await page.goto(`${app.url}/app/decisions/${disputed.decisionId}`);
    // The order's calibrated risk (the card's) is the decision's own fraud risk, shown beside its score.
    await page.locator('#fraud-risk').waitFor();
    expect(await page.locator('#fraud-risk').innerText()).toContain(card.chargebackRisk!.explanation);
    const [tab] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('button', { name: 'Dispute evidence report' }).click()]);
    await tab.waitForLoadState();
    await tab.getByRole('heading', { name: /^Dispute evidence: order / }).waitFor();
    expect(await tab.getByRole('table').first().isVisible()).toBe(true);
    await tab.close();
    await shot(page, 'decision-chargeback-risk');
  });

  it('exports the double dips as CSV', async () => {
    await page.goto(`${app.url}/app/chargebacks`);
    await page.locator('#disputes').waitFor();
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV of double dips' }).click()]);
    expect(file.suggestedFilename()).toBe('chargebacks-double-dips.csv');
    const text = await readFile((await file.path())!, 'utf8');
    const report = await apiGet<{ doubleDips: { rows: { orderId: string }[] } }>('/api/chargebacks');
    expect(text.trim().split('\n')).toHaveLength(report.doubleDips.rows.length + 1);
    expect(text.split('\n')[0]).toBe('order,customer,refunded,returns,charged_back,first_refund_or_return_at,disputed_at');
  });
});

describe.skipIf(!HAS_CHROMIUM)('the analytics page (Chromium, demo shop)', () => {
  it('compares the last 60 days with the 60 before, as the API does', async () => {
    const query = `from=${day(-60)}&to=${day(0)}`;
    const report = await apiGet<{ changes: { metric: string; current: number | null; previous: number | null; changePct: number | null }[] }>(`/api/analytics?${query}`);
    await page.goto(`${app.url}/app/analytics?${query}`);
    await page.locator('#metric-returns').waitFor();
    const returns = report.changes.find((c) => c.metric === 'returns')!;
    expect(await page.locator('#metric-returns').innerText()).toBe(returns.current!.toLocaleString('en'));
    const orders = report.changes.find((c) => c.metric === 'orders')!;
    if (orders.changePct !== null) expect(await page.locator('#change-orders').innerText()).toMatch(new RegExp(`^${orders.changePct > 0 ? '\\+' : ''}${(orders.changePct * 100).toFixed(1).replace('.', '\\.')}% \\(`));
    // A rate's change in percentage points, not as a ratio of two rates; amounts in the shop's currency.
    const rate = report.changes.find((c) => c.metric === 'returnRate')!;
    if (rate.current !== null && rate.previous !== null) {
      const diff = Math.round((rate.current - rate.previous) * 1000) / 10;
      expect(await page.locator('#change-returnRate').innerText()).toBe(`${diff === 0 ? 'no change' : `${diff > 0 ? '+' : '−'}${Math.abs(diff).toFixed(1)} pts`} (from ${(rate.previous * 100).toFixed(1)}%)`);
    }
    const refunded = report.changes.find((c) => c.metric === 'refundedValue')!;
    expect(await page.locator('#metric-refundedValue').innerText()).toBe(new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0, minimumFractionDigits: 0 }).format(refunded.current!));
    const skus = await apiGet<{ skus: { sku: string; returned: number }[] }>(`/api/analytics/skus?${query}`);
    await page.locator('[data-testid="sku-trend-chart"] svg').first().waitFor();
    expect(await page.locator('tbody tr').first().locator('td, th').first().innerText()).toBe(skus.skus[0]!.sku);
    await shot(page, 'analytics');
  });

  it('adds a fraud-reduction goal with its progress, then deletes it', async () => {
    await page.getByLabel('Reduce').selectOption('chargebacks');
    await page.getByLabel('By (%)').fill('30');
    await page.getByLabel('From', { exact: true }).last().fill(day(-45));
    await page.getByLabel('Until').fill(day(45));
    await page.getByLabel('Note').fill('Holiday season');
    await page.getByRole('button', { name: 'Add goal' }).click();
    const goal = page.locator('[data-goal="chargebacks"]');
    await goal.waitFor();
    const api = await apiGet<{ goals: { status: string; reduceByPct: number; note: string }[] }>('/api/goals');
    expect(api.goals).toEqual([expect.objectContaining({ reduceByPct: 30, note: 'Holiday season' })]);
    expect(await goal.innerText()).toContain(api.goals[0]!.status);
    expect(await goal.innerText()).toContain('Chargebacks −30%');
    await shot(page, 'analytics-goal');
    await goal.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No goal yet.').waitFor();
    expect((await apiGet<{ goals: unknown[] }>('/api/goals')).goals).toEqual([]);
  });

  it('exports the SKU trends as CSV', async () => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV of SKUs returned most' }).click()]);
    expect(file.suggestedFilename()).toBe('skus.csv');
    const header = (await readFile((await file.path())!, 'utf8')).split('\n')[0]!;
    expect(header).toMatch(/^sku,title,sold,returned,\d{4}-\d{2}-\d{2}/);
  });
});

/**
 * The README's screenshots (`npm run screenshots`): the review queue, a decision, a customer,
 * Settings and the rule editor at 1440 and 390 px wide, written to docs/screenshots/ as
 * `<page>-<width>.png`. The app runs as `npm start` runs it in demo mode (embedded PostgreSQL in a
 * temporary folder, the admin built if stale), on a generated history backfilled from a file, so
 * the pages have data: the queue's first HIGH order's decision, the customer with the most HIGH
 * decisions.
 *
 * Each page is captured whole when it is at most about two screens tall, else as the first
 * screen: a full 65-signal Settings page would be a 12,000-pixel PNG nobody reads.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { generateShop } from '../../scenarios/generateShop.ts';
import { startRefundSentry } from '../../server/main.ts';
import { freePorts } from '../../server/testing/freePort.ts';
import { buildAdmin } from '../build.ts';
import { launchChromium } from './harness.ts';

const OUT = new URL('../../docs/screenshots/', import.meta.url).pathname;
const WIDTHS = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
] as const;
/** Whole page up to this many screens tall, else the first screen. */
const MAX_SCREENS = 2.2;

async function until<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Waits for the page's data to be drawn (its marker, then no loading skeleton left), the fonts and a quiet network. */
async function settle(page: Page, marker: string): Promise<void> {
  await page.locator(marker).first().waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => !document.querySelector('[class*="SkeletonBodyText"], [class*="SkeletonDisplayText"]'), undefined, { timeout: 60_000 });
  await page.evaluate(() => document.fonts.ready);
  await page.waitForLoadState('networkidle');
}

async function capture(page: Page, name: string, width: number, height: number): Promise<void> {
  const tall = await page.evaluate(() => document.documentElement.scrollHeight);
  const fullPage = tall <= height * MAX_SCREENS;
  const path = join(OUT, `${name}-${width}.png`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage, animations: 'disabled', caret: 'hide' });
  console.log(`${path} (${fullPage ? `full page, ${tall} px` : `first screen of ${tall} px`})`);
}

async function main(): Promise<void> {
  await buildAdmin({ ifStale: true });
  await mkdir(OUT, { recursive: true });
  const dataDir = await mkdtemp(join(tmpdir(), 'refundsentry-screenshots-'));
  await chmod(dataDir, 0o755); // the embedded PostgreSQL's own user reads it
  const [port, pgPort] = await freePorts(2);
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', EMBEDDED_PG_PORT: String(pgPort), DATA_DIR: dataDir, DEMO_HISTORY: 'none', LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  delete env.SHOPIFY_API_KEY;
  const app = await startRefundSentry(env);
  const browser = await launchChromium();
  try {
    // Half a year of a generated shop, backfilled as the demo does it.
    const history = generateShop({ seed: 2026, customers: 150, start: new Date(Date.now() - 180 * 86_400_000).toISOString().slice(0, 10), days: 178 });
    const historyPath = join(dataDir, 'history.jsonl');
    await writeFile(historyPath, history.events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    await app.backfill.start(app.config.demoShop, { kind: 'file', path: historyPath }, { days: 365 });
    await until(async () => (await app.backfill.progress(app.config.demoShop)).status === 'done', 'the backfill');
    const api = async <T>(path: string) => (await (await fetch(`${app.url}${path}`)).json()) as T;
    // The queue's first HIGH order (the most money at risk) and the customer with the most HIGH decisions (a history to show).
    type Queue = { items: { decisionId: string }[] };
    const high = await api<Queue>('/api/queue?kind=order&zone=high&limit=1');
    const first = high.items[0] ?? (await api<Queue>('/api/queue?kind=order&limit=1')).items[0];
    if (!first) throw new Error('the review queue has no order: nothing to show');
    const customer = (await api<{ riskyCustomers: { id: string }[] }>('/api/insights')).riskyCustomers[0];
    const pages = [
      { name: 'queue', path: '/app/', marker: '[data-testid="queue-value"]' },
      { name: 'decision', path: `/app/decisions/${first.decisionId}`, marker: '#verdict' },
      ...(customer ? [{ name: 'customer', path: `/app/customers/${encodeURIComponent(customer.id)}`, marker: '[data-testid="score-chart"] svg' }] : []),
      { name: 'settings', path: '/app/settings', marker: '[data-signal]' },
      { name: 'rules', path: '/app/rules', marker: '.monaco-editor .view-lines' },
    ];
    for (const { width, height } of WIDTHS) {
      const context = await browser.newContext({ viewport: { width, height }, locale: 'en-US' });
      const page = await context.newPage();
      for (const p of pages) {
        await page.goto(`${app.url}${p.path}`);
        await settle(page, p.marker);
        await capture(page, p.name, width, height);
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await app.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();

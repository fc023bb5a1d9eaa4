import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { type DemoServer, HAS_CHROMIUM, launchChromium, SHOTS, startDemoServer } from './harness.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateShop } from '../../scenarios/generateShop.ts';
import type { RunningApp } from '../../server/main.ts';
import type { TestDatabase } from '../../server/testing/testDatabase.ts';

/**
 * Fraud rings in Debian's Chromium against the real server in demo mode: a generated history
 * (with its labelled fraud ring) is backfilled as `npm start` does, the backfill's end triggers
 * the rings job, then the ring list, one ring's network and a click through to a member's profile.
 * Screenshots in web/e2e/screenshots/rings-*.png.
 */

let db: TestDatabase;
let app: RunningApp;
let server: DemoServer;
let dataDir: string;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const history = generateShop({ seed: 2026, customers: 80, start: new Date(Date.now() - 180 * 86_400_000).toISOString().slice(0, 10), days: 178 });
const ringCustomers = new Set(history.labels.filter((l) => l.pattern === 'fraud-ring').map((l) => l.customerId));

async function shot(name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function apiGet<T>(path: string): Promise<T> {
  const response = await fetch(`${app.url}${path}`);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

async function until<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  server = await startDemoServer('rings', { DEMO_HISTORY: 'none' });
  ({ db, dataDir, app } = server);
  const historyPath = join(dataDir, 'history.jsonl');
  await writeFile(historyPath, history.events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  await app.backfill.start(app.config.demoShop, { kind: 'file', path: historyPath }, { days: 365 });
  await until(async () => (await app.backfill.progress(app.config.demoShop)).status === 'done', 'the backfill');
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 180_000);

afterAll(async () => {
  expect(pageErrors).toEqual([]);
  await browser?.close();
  await server?.stop();
});

interface Ring { id: string; score: number; members: number }

describe.skipIf(!HAS_CHROMIUM)('fraud rings in the admin (demo shop, real server, PostgreSQL and Chromium)', () => {
  it('lists the rings the job built after the backfill', async () => {
    const list = await until(async () => {
      const body = await apiGet<{ rings: Ring[]; build: { status: string } }>('/api/rings');
      return body.build.status === 'done' && body;
    }, 'the rings build that the backfill’s end requests');
    expect(list.rings.length).toBeGreaterThan(0);
    await page.goto(`${app.url}/app/rings`);
    await page.locator('[data-ring-id]').first().waitFor();
    await page.getByTestId('ring-build').waitFor();
    expect(await page.locator('[data-ring-id]').count()).toBe(list.rings.length);
    // Highest score first, as the API lists them, each row showing its score.
    const top = list.rings[0]!;
    expect(await page.locator('[data-ring-id]').first().getAttribute('data-ring-id')).toBe(top.id);
    await expect.poll(() => page.getByText(String(Math.round(top.score)), { exact: true }).count()).toBeGreaterThan(0);
    // In words: no "(s)" plural, no raw GID.
    const text = await page.locator('body').innerText();
    expect(text).not.toContain('(s)');
    expect(text).not.toContain('gid://');
    expect(text).toMatch(/\d+ linked customers? · \d+ hub identifiers? ignored/);
    await shot('rings-list');
  });

  it('shows a ring as a network: one node per member, coloured by risk; clicking one opens their profile', async () => {
    const { rings } = await apiGet<{ rings: Ring[] }>('/api/rings');
    const ring = await apiGet<{ memberList: { key: string; customerId: string | null; zone: string | null }[]; links: unknown[] }>(`/api/rings/${rings[0]!.id}`);
    // The generator's ring is what was found.
    for (const m of ring.memberList) expect(ringCustomers.has(m.customerId!)).toBe(true);
    await page.locator(`[data-ring-id="${rings[0]!.id}"]`).click();
    await page.waitForURL(`**/app/rings/${rings[0]!.id}`);
    const network = page.getByTestId('ring-network');
    await network.locator('canvas').first().waitFor();
    const nodes = await until(async () => {
      const raw = await network.getAttribute('data-nodes');
      const parsed = raw ? (JSON.parse(raw) as { key: string; x: number; y: number }[]) : [];
      return parsed.length === ring.memberList.length && parsed;
    }, 'the network layout', 15_000);
    expect(new Set(nodes.map((n) => n.key))).toEqual(new Set(ring.memberList.map((m) => m.key)));
    await page.getByText('Why this score').waitFor();
    // Titled "Ring of 5 members around Customer 123", points as "12 of 30 points", no raw GID.
    await page.getByRole('heading', { name: new RegExp(`^Ring of ${ring.memberList.length} members? around (Customer \\d+|Guest order #\\d+)$`) }).waitFor();
    await page.getByText(/^\d+ of \d+ points$/).first().waitFor();
    expect(await page.locator('body').innerText()).not.toContain('gid://');
    await shot('rings-network');
    // A real click on the canvas where cytoscape drew the member goes to their profile.
    const target = nodes.find((n) => ring.memberList.find((m) => m.key === n.key)?.customerId)!;
    const box = (await network.boundingBox())!;
    await page.mouse.click(box.x + target.x, box.y + target.y);
    const customerId = ring.memberList.find((m) => m.key === target.key)!.customerId!;
    await page.waitForURL(`**/app/customers/${encodeURIComponent(customerId)}`);
    await page.getByText('Aggregate risk').waitFor();
    await shot('rings-member-profile');
  });
});

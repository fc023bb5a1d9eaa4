import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { type DemoServer, HAS_CHROMIUM, launchChromium, sendDemoWebhook, startDemoServer } from '../../web/e2e/harness.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../server/main.ts';
import { readWebhookFixture } from '../../server/shopify/fixtures/readWebhookFixture.ts';
import type { TestDatabase } from '../../server/testing/testDatabase.ts';
import { buildOrderRiskCard } from './build.ts';

/**
 * The order-details block as built for Shopify admin, run in Chromium against the real server:
 * the bundle's default export is called as Shopify calls it, with the `shopify` global of the
 * target (`data.selected`: the order being viewed), on a page of the app's origin, so its fetch
 * reaches the app's API as Shopify's extension sandbox makes it do. The Polaris web components
 * are Shopify admin's: here they are plain elements, and the test reads what the card says.
 */
const SHOTS = new URL('../../web/e2e/screenshots/', import.meta.url).pathname;
const ORDER = '820982911946154508';

let db: TestDatabase;
let app: RunningApp;
let server: DemoServer;
let dataDir: string;
let bundle: string;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

/** Opens a page of the app's origin that runs the extension for `orderGid`. */
async function renderCard(orderGid: string): Promise<string> {
  await page.route(`${app.url}/extension-harness`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html><body><script type="module">
        globalThis.shopify = { data: { selected: [{ id: ${JSON.stringify(orderGid)} }] } };
        const extension = await import('/extension-harness/order-risk-card.js');
        await extension.default();
      </script></body></html>`,
    }),
  );
  await page.route(`${app.url}/extension-harness/order-risk-card.js`, (route) => route.fulfill({ contentType: 'text/javascript', body: bundle }));
  await page.goto(`${app.url}/extension-harness`);
  await page.waitForFunction(() => document.body.querySelector('s-admin-block') && !document.body.querySelector('s-spinner'));
  return page.evaluate(() => document.body.innerText);
}

beforeAll(async () => {
  server = await startDemoServer('card', { DEMO_HISTORY: 'none' });
  ({ db, dataDir, app } = server);
  bundle = await readFile(await buildOrderRiskCard(join(dataDir, 'dist')), 'utf8');
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 480, height: 640 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 120_000);

afterAll(async () => {
  expect(pageErrors).toEqual([]);
  await browser?.close();
  await server?.stop();
});

describe.skipIf(!HAS_CHROMIUM)('the order-details block (admin UI extension) in Chromium', () => {
  it('says when RefundSentry has not seen the order', async () => {
    expect(await renderCard(`gid://shopify/Order/${ORDER}`)).toContain('RefundSentry has not seen this order yet.');
  });

  it('shows the score, zone, top signals, customer history and recommended action from the app\'s API', async () => {
    const body = readWebhookFixture('orders_create');
    const sent = await sendDemoWebhook(app, 'orders/create', body);
    expect(sent.status).toBe(200);
    let card: { decision: { score: number; zone: string } | null; topSignals: { points: number; message: string }[]; recommendation: string; customer: { orders: number } } | undefined;
    // The order is stored at once and decided by a job a moment later.
    for (let i = 0; i < 200 && !card?.decision; i++) {
      const response = await fetch(`${app.url}/api/orders/${ORDER}/risk`);
      if (response.status === 200) card = await response.json();
      if (!card?.decision) await new Promise((r) => setTimeout(r, 100));
    }
    expect(card?.decision).toBeTruthy();
    const text = await renderCard(`gid://shopify/Order/${ORDER}`);
    expect(text).toContain(`${card!.decision!.zone.toUpperCase()} risk`);
    expect(text).toContain(`${card!.decision!.score} / 100`);
    expect(text).toContain(card!.recommendation);
    for (const s of card!.topSignals) expect(text).toContain(`+${s.points} ${s.message}`);
    expect(text).toContain(`Customer: ${card!.customer.orders} order(s)`);
    expect(await page.locator('s-badge').getAttribute('tone')).toBe({ low: 'success', medium: 'warning', high: 'critical' }[card!.decision!.zone]);
    await page.screenshot({ path: join(SHOTS, 'order-risk-card.png') });
  });

  it('shows the server\'s message when the API refuses', async () => {
    await page.route(`${app.url}/api/orders/*/risk`, (route) => route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ statusCode: 503, message: 'the database is restarting' }) }));
    expect(await renderCard(`gid://shopify/Order/${ORDER}`)).toContain('the database is restarting');
    await page.unroute(`${app.url}/api/orders/*/risk`);
  });
});

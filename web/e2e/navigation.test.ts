import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateShop } from '../../scenarios/generateShop.ts';
import type { RunningApp } from '../../server/main.ts';
import { type DemoServer, HAS_CHROMIUM, launchChromium, SHOTS, startDemoServer } from './harness.ts';

/**
 * The admin's frame in Debian's Chromium against the real server in demo mode, on a generated
 * history backfilled as `npm start` does (so there are decisions, customers and a ring to open):
 * at 390×844 the top bar's menu button opens the sidebar and a page is reached through it, the
 * dashboard does not scroll sideways, the icon the page links is served; every page of the
 * navigation has a title and no back arrow, the detail pages (decision, customer, ring) have one;
 * embedded (App Bridge present, as the app decides it) the page declares App Bridge's navigation
 * menu and draws neither the sidebar nor the top bar. Screenshots nav-* at 1440 and 390 wide.
 */

let app: RunningApp;
let server: DemoServer;
let browser: Browser;
const pageErrors: string[] = [];
const history = generateShop({ seed: 2026, customers: 80, start: new Date(Date.now() - 180 * 86_400_000).toISOString().slice(0, 10), days: 178 });

/** The pages of the navigation, as main.tsx lists them (read from the sidebar, not repeated here). */
let topLevel: { label: string; path: string }[] = [];
/** A decision, a customer and a ring of the backfilled shop: the detail pages. */
let details: { label: string; path: string }[] = [];

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

async function newPage(width: number, height: number, init?: (context: BrowserContext) => Promise<void>): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } });
  await init?.(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return page;
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

/** The page's title (Polaris Page's h1) once it is drawn. */
async function pageTitle(page: Page): Promise<string> {
  const h1 = page.locator('main h1').first();
  await h1.waitFor();
  return (await h1.innerText()).trim();
}

/** Polaris Page's back arrow (its backAction), counted once the page's header is drawn. */
async function backArrows(page: Page): Promise<number> {
  await pageTitle(page);
  return page.locator('.Polaris-Page-Header__BreadcrumbWrapper button, .Polaris-Page-Header__BreadcrumbWrapper a').count();
}

beforeAll(async () => {
  server = await startDemoServer('navigation', { DEMO_HISTORY: 'none' });
  app = server.app;
  const historyPath = join(server.dataDir, 'history.jsonl');
  await writeFile(historyPath, history.events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  await app.backfill.start(app.config.demoShop, { kind: 'file', path: historyPath }, { days: 365 });
  await until(async () => (await app.backfill.progress(app.config.demoShop)).status === 'done', 'the backfill');
  const rings = await until(async () => {
    const body = await apiGet<{ rings: { id: string }[]; build: { status: string } }>('/api/rings');
    return body.build.status === 'done' && body.rings;
  }, 'the rings build that the backfill’s end requests');
  const { decisions } = await apiGet<{ decisions: { id: string; customerId: string | null }[] }>('/api/decisions?limit=20');
  const customerId = decisions.find((d) => d.customerId)?.customerId;
  expect(decisions.length && customerId && rings.length).toBeTruthy();
  details = [
    { label: 'decision', path: `/app/decisions/${decisions[0]!.id}` },
    { label: 'customer', path: `/app/customers/${encodeURIComponent(customerId!)}` },
    { label: 'ring', path: `/app/rings/${rings[0]!.id}` },
  ];
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  expect(pageErrors).toEqual([]);
  await browser?.close();
  await server?.stop();
});

describe.skipIf(!HAS_CHROMIUM)('the admin frame: navigation, narrow layout, headers, icon (demo shop, real server, Chromium)', () => {
  it('at 1440 wide: the sidebar and the top bar beside the page, the linked icon served', async () => {
    const page = await newPage(1440, 900);
    const icons: Response[] = [];
    page.on('response', (response) => {
      if (/favicon/.test(response.url())) icons.push(response);
    });
    await page.goto(`${app.url}/app/`);
    await pageTitle(page);
    const sidebar = page.locator('nav.Polaris-Navigation');
    await sidebar.waitFor();
    expect((await sidebar.boundingBox())!.width).toBeGreaterThan(200);
    // The page links its icon; the browser's request for it is answered with an image.
    const links = await page.locator('link[rel="icon"]').evaluateAll((nodes) => nodes.map((n) => (n as HTMLLinkElement).href));
    expect(links.map((l) => new URL(l).pathname)).toEqual(['/app/favicon.ico', '/app/favicon.svg']);
    const icon = await until(async () => icons[0], 'the browser’s request for the icon', 15_000);
    expect(icon.status(), icon.url()).toBe(200);
    expect(icon.headers()['content-type']).toMatch(/^image\//);
    for (const link of links) expect((await page.request.get(link)).status(), link).toBe(200);
    topLevel = await sidebar.locator('a.Polaris-Navigation__Item').evaluateAll((nodes) => nodes.map((n) => ({ label: (n.textContent ?? '').trim(), path: n.getAttribute('href')! })));
    expect(topLevel.length).toBeGreaterThanOrEqual(10);
    expect(topLevel[0]!.path).toBe('/app');
    await shot(page, 'nav-dashboard-1440');
    await page.goto(`${app.url}${details[0]!.path}`);
    await pageTitle(page);
    await shot(page, 'nav-decision-1440');
    await page.context().close();
  });

  it('at 390×844: the menu button opens the navigation, a page is reached through it, nothing scrolls sideways', async () => {
    const page = await newPage(390, 844);
    const icons: Response[] = [];
    page.on('response', (response) => {
      if (/favicon/.test(response.url())) icons.push(response);
    });
    await page.goto(`${app.url}/app/`);
    await pageTitle(page);
    await page.locator('.Polaris-IndexTable, .Polaris-DataTable, .Polaris-EmptyState').first().waitFor();
    // No horizontal scroll: the document is no wider than the screen, the page's content fits it.
    const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, view: window.innerWidth }));
    expect(widths.doc, JSON.stringify(widths)).toBeLessThanOrEqual(widths.view);
    expect(widths.body, JSON.stringify(widths)).toBeLessThanOrEqual(widths.view);
    const main = (await page.locator('main').boundingBox())!;
    expect(main.x).toBeGreaterThanOrEqual(0);
    expect(main.width).toBeGreaterThan(350);
    expect(main.x + main.width).toBeLessThanOrEqual(390);
    await shot(page, 'nav-dashboard-390');
    // The navigation is off screen until the top bar's menu button opens it.
    const sidebar = page.locator('nav.Polaris-Navigation');
    const toggle = page.getByRole('button', { name: 'Toggle menu' });
    await toggle.waitFor();
    expect(await sidebar.isVisible()).toBe(false);
    await toggle.click();
    await sidebar.waitFor({ state: 'visible' });
    // It slides in: wait until it is drawn whole, from the screen's left edge.
    const drawn = await until(async () => {
      const box = await sidebar.boundingBox();
      return box !== null && box.x >= 0 ? box : undefined;
    }, 'the navigation to slide in', 10_000);
    expect(drawn.width).toBeGreaterThan(200);
    expect(drawn.x + drawn.width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SHOTS, 'nav-open-390.png') });
    // Choosing a page goes there and closes the navigation.
    await sidebar.getByRole('link', { name: 'Fraud rings' }).click();
    await page.waitForURL(/\/app\/rings$/);
    expect(await pageTitle(page)).toBe('Fraud rings');
    await sidebar.waitFor({ state: 'hidden' });
    // Opened again, it closes without a choice too (Escape, as the backdrop does).
    await toggle.click();
    await sidebar.waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await sidebar.waitFor({ state: 'hidden' });
    await shot(page, 'nav-rings-390');
    for (const detail of details) {
      await page.goto(`${app.url}${detail.path}`);
      await pageTitle(page);
      const w = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
      expect(w.doc, `${detail.label}: ${JSON.stringify(w)}`).toBeLessThanOrEqual(w.view);
      await shot(page, `nav-${detail.label}-390`);
    }
    await page.goto(`${app.url}/app/settings`);
    await pageTitle(page);
    await shot(page, 'nav-settings-390');
    // The browser asked for the icon the page links, and got it.
    const icon = await until(async () => icons[0], 'the browser’s request for the icon', 15_000);
    expect(icons.map((r) => r.status())).not.toContain(404);
    expect(icon.status()).toBe(200);
    await page.context().close();
  });

  it('every page of the navigation has a title and no back arrow; a decision, a customer and a ring have one', async () => {
    expect(topLevel.length).toBeGreaterThan(0);
    const page = await newPage(1440, 900);
    for (const { label, path } of topLevel) {
      await page.goto(`${app.url}${path}`);
      expect((await pageTitle(page)).length, label).toBeGreaterThan(0);
      expect(await backArrows(page), `${label} (${path})`).toBe(0);
    }
    for (const { label, path } of details) {
      await page.goto(`${app.url}${path}`);
      expect(await backArrows(page), `${label} (${path})`).toBe(1);
    }
    // The back arrow leads to the page the detail belongs to (a ring: the rings).
    await page.locator('.Polaris-Page-Header__BreadcrumbWrapper button').click();
    await page.waitForURL(/\/app\/rings$/);
    await page.context().close();
  });

  it('embedded (App Bridge present): App Bridge’s navigation menu, no sidebar and no top bar', async () => {
    // What the App Bridge script defines in Shopify admin; the demo server has no app secret to
    // check a session token with, so the API calls go without one, as in demo mode.
    const page = await newPage(1440, 900, async (context) => {
      await context.addInitScript(() => {
        (window as unknown as { shopify: unknown }).shopify = { idToken: async () => 'test-session-token' };
      });
      await context.route('**/api/**', (route) => {
        const headers = { ...route.request().headers() };
        delete headers.authorization;
        return route.continue({ headers });
      });
    });
    await page.goto(`${app.url}/app/rings`);
    expect(await pageTitle(page)).toBe('Fraud rings');
    const menu = await page.locator('ui-nav-menu a').evaluateAll((nodes) => nodes.map((n) => ({ label: (n.textContent ?? '').trim(), path: n.getAttribute('href')!, rel: n.getAttribute('rel') })));
    expect(menu.map(({ label, path }) => ({ label, path }))).toEqual(topLevel);
    expect(menu[0]!.rel).toBe('home');
    expect(menu.slice(1).every((m) => m.rel === null)).toBe(true);
    expect(await page.locator('ui-nav-menu').count()).toBe(1);
    expect(await page.locator('nav.Polaris-Navigation').count()).toBe(0);
    expect(await page.locator('.Polaris-TopBar').count()).toBe(0);
    // The frame gives the page the whole width (no room kept for a sidebar).
    expect((await page.locator('main').boundingBox())!.x).toBe(0);
    await shot(page, 'nav-embedded-1440');
    // App Bridge clicks a menu link when the merchant chooses it in Shopify admin's sidebar: the
    // router goes there in the page, without reloading the frame.
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 1;
    });
    await page.locator('ui-nav-menu a[href="/app/settings"]').evaluate((a) => (a as HTMLAnchorElement).click());
    await page.waitForURL(/\/app\/settings$/);
    expect(await pageTitle(page)).toBe('Settings');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
    await page.context().close();
  });
});

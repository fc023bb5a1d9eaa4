import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecisionList, QueuePage } from '../../contract/index.ts';
import { generateShop } from '../../scenarios/generateShop.ts';
import type { RunningApp } from '../../server/main.ts';
import { type DemoServer, HAS_CHROMIUM, launchChromium, SHOTS, startDemoServer } from './harness.ts';

/**
 * Accessibility as a test (issue 24, item 5), in Debian's Chromium against the real server in demo
 * mode on a generated history backfilled as `npm start` does (decisions, customers, rings, charts
 * with data): every page of the admin — the routes of web/src/main.tsx, and a decision (an order
 * and a return), a customer and a ring — at 1440×900 and at 390×844, checked by axe-core injected
 * into the page once its data is drawn. Any serious or critical violation fails, printed with its
 * rule id, impact, the target selectors and axe's help. Then the keyboard: every clickable table
 * row holds a real link or button, and a decision opens from the Decisions table, a customer's
 * history and the rings' table with Tab and Enter alone. The findings of a run are written to
 * web/e2e/screenshots/a11y-report.json; screenshots a11y-<page>-<width>.
 */

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let app: RunningApp;
let server: DemoServer;
let browser: Browser;
const pageErrors: string[] = [];
const history = generateShop({ seed: 2026, customers: 80, start: new Date(Date.now() - 180 * 86_400_000).toISOString().slice(0, 10), days: 178 });

/** Every page of the admin: the routes of main.tsx; the detail pages' paths are found after the backfill. */
const PAGES: { label: string; path: string }[] = [
  { label: 'queue', path: '/app/' },
  { label: 'decisions', path: '/app/decisions' },
  { label: 'decision', path: '' },
  { label: 'return-decision', path: '' },
  { label: 'customer', path: '' },
  { label: 'insights', path: '/app/insights' },
  { label: 'chargebacks', path: '/app/chargebacks' },
  { label: 'analytics', path: '/app/analytics' },
  { label: 'settings', path: '/app/settings' },
  { label: 'rules', path: '/app/rules' },
  { label: 'backfill', path: '/app/backfill' },
  { label: 'rings', path: '/app/rings' },
  { label: 'ring', path: '' },
  { label: 'reasons', path: '/app/reasons' },
  { label: 'refund-methods', path: '/app/refund-methods' },
  { label: 'lists', path: '/app/lists' },
  { label: 'alerts', path: '/app/alerts' },
  { label: 'audit', path: '/app/audit' },
];
const pathOf = (label: string) => PAGES.find((p) => p.label === label)!.path;

interface Finding {
  page: string;
  width: number;
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  targets: string[];
}
const findings: Finding[] = [];

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
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const contexts: BrowserContext[] = [];
async function newPage(width: number, height: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'en-US' });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return page;
}

/**
 * Opens `path` and waits until its data is drawn: the title, no loading bar, spinner or skeleton,
 * the rule editor's Monaco or a ring's network in place, and the page's markup unchanged between
 * two looks.
 */
async function open(page: Page, path: string): Promise<void> {
  await page.goto(`${app.url}${path}`);
  await page.locator('main h1').first().waitFor();
  if (path.endsWith('/rules')) await page.locator('.monaco-editor').first().waitFor({ timeout: 60_000 });
  if (/\/rings\/./.test(path)) await page.locator('main canvas').first().waitFor({ timeout: 60_000 });
  let last = '';
  await until(async () => {
    const state = await page.evaluate(() => {
      // An IndexTable keeps a spinner in its loading panel, shown only while the panel is entered.
      const spinners = [...document.querySelectorAll('main .Polaris-Spinner')].filter((s) => !s.closest('.Polaris-IndexTable__LoadingPanel:not(.Polaris-IndexTable__LoadingPanelEntered)'));
      const busy = spinners.length > 0 || document.querySelector('.Polaris-Frame-Loading, main [class*="Polaris-Skeleton"]');
      return busy ? null : document.querySelector('main')!.innerHTML;
    });
    if (state === null) return false;
    const settled = state === last;
    last = state;
    return settled;
  }, `${path} drawn`, 60_000);
}

/** axe-core on the whole document (frame, navigation, page); its violations of every impact. */
async function axe(page: Page): Promise<{ id: string; impact: string | null; help: string; helpUrl: string; nodes: { target: unknown[] }[] }[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: never[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  });
}

function describeFinding(f: Finding): string {
  return `${f.page} @${f.width}: ${f.id} (${f.impact}) — ${f.help}\n    ${f.targets.slice(0, 8).join('\n    ')}${f.targets.length > 8 ? `\n    … and ${f.targets.length - 8} more` : ''}`;
}

beforeAll(async () => {
  server = await startDemoServer('a11y', { DEMO_HISTORY: 'none' });
  app = server.app;
  const historyPath = join(server.dataDir, 'history.jsonl');
  await writeFile(historyPath, history.events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  await app.backfill.start(app.config.demoShop, { kind: 'file', path: historyPath }, { days: 365 });
  await until(async () => (await app.backfill.progress(app.config.demoShop)).status === 'done', 'the backfill');
  const rings = await until(async () => {
    const body = await apiGet<{ rings: { id: string }[]; build: { status: string } }>('/api/rings');
    return body.build.status === 'done' && body.rings;
  }, 'the rings build that the backfill’s end requests');
  const queue = await apiGet<QueuePage>('/api/queue?limit=5');
  const returns = await apiGet<DecisionList>('/api/decisions?kind=return&limit=20');
  const decision = queue.items[0]!;
  const customerId = decision.customerId ?? returns.decisions.find((d) => d.customerId)?.customerId;
  expect(rings.length && returns.decisions.length && customerId).toBeTruthy();
  Object.assign(PAGES.find((p) => p.label === 'decision')!, { path: `/app/decisions/${decision.decisionId}` });
  Object.assign(PAGES.find((p) => p.label === 'return-decision')!, { path: `/app/decisions/${returns.decisions[0]!.id}` });
  Object.assign(PAGES.find((p) => p.label === 'customer')!, { path: `/app/customers/${encodeURIComponent(customerId!)}` });
  Object.assign(PAGES.find((p) => p.label === 'ring')!, { path: `/app/rings/${rings[0]!.id}` });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await writeFile(join(SHOTS, 'a11y-report.json'), JSON.stringify(findings, null, 2));
  const serious = findings.filter((f) => f.impact === 'serious' || f.impact === 'critical');
  const other = findings.filter((f) => !serious.includes(f));
  if (other.length) console.log(`axe, moderate and minor (not failing):\n${other.map(describeFinding).join('\n')}`);
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.stop();
  expect(pageErrors).toEqual([]);
});

describe.skipIf(!HAS_CHROMIUM)('accessibility: axe on every page, keyboard-only tables (demo shop, real server, Chromium)', () => {
  for (const [width, height] of [[1440, 900], [390, 844]] as const) {
    describe(`at ${width} wide`, () => {
      let page: Page;
      beforeAll(async () => {
        page = await newPage(width, height);
      });

      for (const { label } of PAGES) {
        it(`${label}: no serious or critical axe violation`, async () => {
          const path = pathOf(label);
          await open(page, path);
          await page.screenshot({ path: join(SHOTS, `a11y-${label}-${width}.png`), fullPage: true });
          const violations = await axe(page);
          const found = violations.map((v) => ({ page: label, width, id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, targets: v.nodes.map((n) => n.target.map(String).join(' ')) }));
          findings.push(...found);
          const failing = found.filter((f) => f.impact === 'serious' || f.impact === 'critical');
          if (failing.length) console.log(`axe on ${path} at ${width}:\n${failing.map(describeFinding).join('\n')}`);
          expect(failing.map(describeFinding)).toEqual([]);
          // A table row that opens something on click holds a real link or button for the keyboard.
          const rows = await page.locator('.Polaris-IndexTable__TableRow:not(.Polaris-IndexTable__TableRow--unclickable)').evaluateAll((nodes) =>
            nodes.filter((n) => !n.querySelector('a[href], button')).map((n) => (n.textContent ?? '').slice(0, 60)),
          );
          expect(rows, `${label}: clickable rows without a link or button`).toEqual([]);
        }, 120_000);
      }
    });
  }

  it('opens a decision, a customer’s decision and a ring with the keyboard alone (Tab, Enter)', async () => {
    const page = await newPage(1440, 900);
    /** From the top of the page, Tab until the first table row's link has the focus, then Enter. */
    async function tabIntoFirstRow(expected: RegExp) {
      const first = page.locator('main .Polaris-IndexTable__TableRow').first().locator('a[href]').first();
      const href = await first.getAttribute('href');
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      let reached = false;
      for (let i = 0; i < 100 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = await first.evaluate((a) => a === document.activeElement);
      }
      expect(reached, `${page.url()}: the first row's link reached by Tab`).toBe(true);
      await page.keyboard.press('Enter');
      await page.waitForURL(expected);
      expect(new URL(page.url()).pathname).toBe(href);
    }
    await open(page, '/app/decisions');
    await tabIntoFirstRow(/\/app\/decisions\/[^/]+$/);
    await open(page, pathOf('customer'));
    await tabIntoFirstRow(/\/app\/decisions\/[^/]+$/);
    await open(page, '/app/rings');
    await tabIntoFirstRow(/\/app\/rings\/[^/]+$/);
  }, 120_000);
});

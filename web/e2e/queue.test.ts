import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecisionDetail, DecisionList, QueuePage } from '../../contract/index.ts';
import { variant, type Body } from '../../server/shopify/fixtures/webhookVariants.ts';
import { type DemoServer, HAS_CHROMIUM, launchChromium, sendDemoWebhook, SHOTS, startDemoServer } from './harness.ts';

/**
 * The review queue, the admin's home (issue 24, item 1), in Debian's Chromium against the real
 * server in demo mode: orders in EUR arrive as signed orders/create webhooks (Shopify's sample,
 * varied), scored by a published ruleset of custom signals (above 100 MEDIUM, above 1,000 HIGH);
 * one HIGH order's hold is marked placed (demo mode has no store to hold in), one order is labelled
 * through the admin's API. Then: the rows by money at risk with EUR amounts as the browser's
 * Intl.NumberFormat writes them, the counts of each filter following the others, page 2 loaded by
 * cursor after new orders arrived (none skipped, none repeated), a search by email, a decision
 * opened with the keyboard alone (Tab to the row's link, Enter), the 390 px layout. Screenshots
 * queue-* at 1440 and 390 wide in web/e2e/screenshots/.
 */

const DAY = 86_400_000;
const T0 = Date.now() - 10 * DAY;
const at = (days: number) => new Date(Math.round(T0 + days * DAY)).toISOString().replace(/\.\d{3}Z$/, 'Z');
const EUR = (amount: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' }).format(amount);

let server: DemoServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

/** Order `n` (`#200n`) of its own customer, `total` EUR, placed `day` days after T0, at its own address. */
function order(n: number, total: number, day: number) {
  const number = String(970000000000000000n + BigInt(n));
  const customer = String(770000000000000000n + BigInt(n));
  const body = variant('orders_create', (o) => {
    Object.assign(o, { id: number, admin_graphql_api_id: `gid://shopify/Order/${number}`, name: `#${2000 + n}`, order_number: 2000 + n, currency: 'EUR', presentment_currency: 'EUR' });
    Object.assign(o, { created_at: at(day), processed_at: at(day), updated_at: at(day), cancelled_at: null, cancel_reason: null, phone: null });
    o.email = o.contact_email = `buyer${n}@example.org`;
    o.total_price = total.toFixed(2);
    for (const money of ['shop_money', 'presentment_money']) o.total_price_set[money] = { amount: total.toFixed(2), currency_code: 'EUR' };
    Object.assign(o.customer, { id: customer, admin_graphql_api_id: `gid://shopify/Customer/${customer}`, email: `buyer${n}@example.org`, phone: null });
    for (const key of ['shipping_address', 'billing_address']) Object.assign(o[key], { address1: `${n} Own Street`, phone: null });
    if (o.customer.default_address) Object.assign(o.customer.default_address, { address1: `${n} Own Street`, phone: null });
  });
  return { body: json(body), id: `gid://shopify/Order/${number}`, name: `#${2000 + n}`, total, email: `buyer${n}@example.org` };
}

function json(body: Body): string {
  return JSON.stringify(body).replace(/"(id|order_id|customer_id|product_id|variant_id|line_item_id)":"(\d+)"/g, '"$1":$2');
}

async function shot(name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function until<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function apiGet<T>(path: string): Promise<T> {
  const response = await fetch(`${server.app.url}${path}`);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

/** A same-origin JSON call from the page (demo mode takes state changes only from its own admin). */
async function pageJson<T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  return page.evaluate(async ({ method, path, body }) => {
    const response = await fetch(path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, json: await response.json() };
  }, { method, path, body });
}

/** Sends the orders and waits for their decisions. */
async function place(...orders: ReturnType<typeof order>[]): Promise<Map<string, string>> {
  for (const o of orders) {
    const response = await sendDemoWebhook(server.app, 'orders/create', o.body);
    expect(response.status, await response.text()).toBe(200);
  }
  return until(async () => {
    const list = await apiGet<DecisionList>('/api/decisions?kind=order&limit=200');
    const ids = new Map(list.decisions.map((d) => [d.subjectId, d.id]));
    return orders.every((o) => ids.has(o.id)) ? ids : undefined;
  }, 'the orders decided');
}

/** The decision ids of the table's rows, top to bottom. */
const rowIds = () => page.locator('[data-decision]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-decision')!));

const orders = [order(1, 50, 0), order(2, 1500, 1), order(3, 250, 2), order(4, 400, 3), order(5, 180, 4), order(6, 1200, 5), order(7, 120, 6)];
const [low, highHeld, , labelled, , high] = orders;

beforeAll(async () => {
  server = await startDemoServer('queue', { DEMO_HISTORY: 'none' });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 120_000);

afterAll(async () => {
  expect(pageErrors).toEqual([]);
  await browser?.close();
  await server?.stop();
});

describe.skipIf(!HAS_CHROMIUM)('the review queue (Chromium, real server)', () => {
  it('lists what needs a decision by money at risk, in the shop’s currency; filters count under each other', async () => {
    await page.goto(`${server.app.url}/app/`);
    await page.getByText('Nothing needs a decision').waitFor();
    // Scored by custom signals alone: above 100 MEDIUM, above 1,000 HIGH (HIGH orders held by the published actions).
    const versions = (await pageJson<{ versions: { version: number; status: string }[] }>('GET', '/api/rulesets')).json.versions;
    const published = versions.find((v) => v.status === 'published')!;
    const current = (await pageJson<{ body: Record<string, unknown> }>('GET', `/api/rulesets/${published.version}`)).json.body;
    const ruleset = {
      ...current,
      signals: {},
      customSignals: [
        { id: 'custom.big-order', appliesTo: ['order'], when: 'order.totalPrice > 100', weight: 40, message: 'Order above 100' },
        { id: 'custom.huge-order', appliesTo: ['order'], when: 'order.totalPrice > 1000', weight: 40, message: 'Order above 1,000' },
      ],
    };
    const draft = await pageJson<{ version: number }>('POST', '/api/rulesets', { body: ruleset, baseVersion: Math.max(...versions.map((v) => v.version)) });
    expect(draft.status, JSON.stringify(draft.json)).toBe(201);
    expect((await pageJson('POST', `/api/rulesets/${draft.json.version}/publish`, {})).status).toBe(200);

    const ids = await place(...orders);
    // The hold of the 1,500 order as the action runner leaves it once Shopify placed it.
    const held = await apiGet<DecisionDetail>(`/api/decisions/${ids.get(highHeld.id)}`);
    const hold = held.actions.find((a) => a.type === 'fulfillment.hold')!;
    await server.db.knex('actions').where({ id: hold.id }).update({ status: 'done', result: JSON.stringify({ holds: [] }) });
    // The 400 order is labelled legit: it leaves the queue.
    expect((await pageJson('POST', `/api/decisions/${ids.get(labelled.id)}/outcome`, { label: 'legit' })).status).toBe(200);

    const api = await apiGet<QueuePage>('/api/queue?limit=100');
    expect(api.items.map((i) => i.orderName)).toEqual(['#2002', '#2006', '#2003', '#2005', '#2007']);
    await page.goto(`${server.app.url}/app/`);
    await page.locator('[data-decision]').first().waitFor();
    expect(await rowIds()).toEqual(api.items.map((i) => i.decisionId));
    expect(await rowIds()).not.toContain(ids.get(low.id));
    // Money as the browser's Intl.NumberFormat writes EUR for en-US.
    expect(await page.getByTestId('queue-value').allInnerTexts()).toEqual([1500, 1200, 250, 180, 120].map(EUR));
    expect(EUR(1500)).toBe('€1,500.00');
    const first = page.locator('.Polaris-IndexTable__TableRow').first();
    const text = await first.innerText();
    for (const part of ['#2002', 'High 80', 'Order above 100', 'Review, then release the hold or cancel', 'Not labelled', 'On hold']) expect(text).toContain(part);
    await page.getByRole('button', { name: 'High (2)' }).waitFor();
    await page.getByRole('button', { name: 'Medium (3)' }).waitFor();
    await page.getByRole('button', { name: 'On hold (1)' }).waitFor();
    await page.getByRole('button', { name: 'Not labelled (5)' }).waitFor();
    await shot('queue-1440');

    // HIGH only: the rows follow; the reasons and types count within HIGH, the zones still count every zone.
    await page.getByRole('button', { name: 'High (2)' }).click();
    await page.waitForURL(/zone=high/);
    await until(async () => (await rowIds()).length === 2, 'the HIGH rows');
    expect(await rowIds()).toEqual([ids.get(highHeld.id), ids.get(high.id)]);
    await page.getByRole('button', { name: 'Orders (2)' }).waitFor();
    await page.getByRole('button', { name: 'On hold (1)' }).waitFor();
    await page.getByRole('button', { name: 'Not labelled (2)' }).waitFor();
    await page.getByRole('button', { name: 'Medium (3)' }).waitFor();
    // And held: the zones now count what is on hold.
    await page.getByRole('button', { name: 'On hold (1)' }).click();
    await page.waitForURL(/reason=held/);
    await until(async () => (await rowIds()).length === 1, 'the held HIGH row');
    await page.getByRole('button', { name: 'Medium (0)' }).waitFor();
    await page.getByRole('button', { name: 'High (1)' }).waitFor();
    await shot('queue-high-held-1440');
  }, 180_000);

  it('loads page 2 by cursor after new orders arrived: none skipped, none repeated', async () => {
    await page.goto(`${server.app.url}/app/?limit=2`);
    await until(async () => (await rowIds()).length === 2, 'page 1', 20_000).catch(async (error) => {
      await shot('queue-page1-failed');
      throw new Error(`${(error as Error).message}: rows ${JSON.stringify(await rowIds())}, url ${page.url()}, errors ${pageErrors.join(' | ')}, text ${(await page.locator('main').innerText()).slice(0, 600)}`);
    });
    const page1 = await rowIds();
    const before = await apiGet<QueuePage>('/api/queue?limit=100');
    expect(page1).toEqual(before.items.slice(0, 2).map((i) => i.decisionId));
    // While the merchant looks at page 1: an order worth more than all (it belongs to page 1) and one worth less.
    const richer = order(8, 5000, 7);
    const cheaper = order(9, 110, 8);
    const ids = await place(richer, cheaper);
    await page.getByRole('button', { name: 'Load more' }).click();
    await until(async () => (await rowIds()).length === 4, 'page 2');
    await page.getByRole('button', { name: 'Load more' }).click();
    await until(async () => (await rowIds()).length === 6, 'page 3');
    await until(async () => (await page.getByRole('button', { name: 'Load more' }).count()) === 0, 'the last page');
    const shown = await rowIds();
    expect(new Set(shown).size).toBe(shown.length);
    // Every row that was after page 1, and the cheaper newcomer in its place; the richer one is not repeated below.
    expect(shown).toEqual([...page1, ...before.items.slice(2).map((i) => i.decisionId), ids.get(cheaper.id)]);
    expect(shown.slice(2)).toEqual(expect.arrayContaining(before.items.slice(2).map((i) => i.decisionId)));
    expect(shown).toContain(ids.get(cheaper.id));
    expect(shown).not.toContain(ids.get(richer.id));
    expect(await page.locator('#queue-shown').innerText()).toBe('Showing 6 of 7');
    await shot('queue-page2-1440');
    // From the top again, the richer order leads.
    await page.goto(`${server.app.url}/app/?limit=2`);
    await until(async () => (await rowIds())[0] === ids.get(richer.id), 'the new order on page 1');
  }, 120_000);

  it('finds a buyer by email, and opens a decision with the keyboard alone', async () => {
    await page.goto(`${server.app.url}/app/`);
    await page.locator('[data-decision]').first().waitFor();
    await page.getByLabel('Search').fill(high.email.toUpperCase());
    await page.keyboard.press('Enter');
    await page.waitForURL(/q=BUYER6/);
    await until(async () => (await rowIds()).length === 1, 'the buyer’s row');
    expect(await page.locator('.Polaris-IndexTable__TableRow').first().innerText()).toContain('#2006');

    // Keyboard only: from the top of the page, Tab until a row's link has the focus, then Enter.
    await page.goto(`${server.app.url}/app/`);
    const firstRow = await until(async () => (await rowIds())[0], 'the rows');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    let focused: string | null = null;
    for (let i = 0; i < 80 && !focused; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.closest('[data-decision]')?.getAttribute('data-decision') ?? null);
    }
    expect(focused).toBe(firstRow);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toMatch(/^Open the decision on #\d+/);
    await shot('queue-row-focused-1440');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/app/decisions/${firstRow}$`));
  }, 60_000);

  it('reads at 390 px: one column per row, nothing scrolls sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.app.url}/app/`);
    await page.locator('[data-decision]').first().waitFor();
    const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
    expect(widths.doc, JSON.stringify(widths)).toBeLessThanOrEqual(widths.view);
    const firstRow = page.locator('.Polaris-IndexTable__TableRow').first();
    const text = await firstRow.innerText();
    expect(text).toContain(EUR(5000));
    expect(text).toContain('Next: ');
    await shot('queue-390');
    await page.setViewportSize({ width: 1440, height: 900 });
  }, 60_000);
});

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { type DemoServer, HAS_CHROMIUM, launchChromium, sendDemoWebhook, SHOTS, startDemoServer } from './harness.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateShop } from '../../scenarios/generateShop.ts';
import type { RunningApp } from '../../server/main.ts';
import { readWebhookFixture } from '../../server/shopify/fixtures/readWebhookFixture.ts';
import type { TestDatabase } from '../../server/testing/testDatabase.ts';

/**
 * Lists and overrides, and refund methods, seen from the admin in Chromium against the real
 * server in demo mode: a block entry typed in the Lists page blocks the next order, an allow
 * entry overrides it, a non-overridable block wins again, a snooze set from the decision page
 * zeroes the signal on the next order, the holdout share is saved, and the refund-method page
 * shows the backfilled history's figures (and exports them as CSV).
 */
const CUSTOMER = 'gid://shopify/Customer/115310627314723954';
const EMAIL = 'blocked.buyer@example.com';

let db: TestDatabase;
let app: RunningApp;
let server: DemoServer;
let dataDir: string;
let browser: Browser;
let page: Page;
let nextId = 910_000_000_000_000_000n;
const pageErrors: string[] = [];

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
async function api<T>(path: string, init?: { method: string; body?: unknown }): Promise<T> {
  const response = await fetch(`${app.url}${path}`, init ? { method: init.method, headers: { 'content-type': 'application/json', origin: app.url }, body: JSON.stringify(init.body ?? {}) } : undefined);
  expect(response.status, path).toBeLessThan(300);
  return (await response.json()) as T;
}

type Decision = { id: string; subjectId: string; score: number };

/** Shopify's sample order as a new live order by `email` (its customer is always CUSTOMER); resolves to its decision's id. */
async function placeOrder(email: string): Promise<string> {
  const id = String(nextId++);
  const body = readWebhookFixture('orders_create')
    .replaceAll('820982911946154508', id)
    .replaceAll('jon@example.com', email)
    .replace('"created_at": "2021-12-31T19:00:00-05:00"', `"created_at": "${new Date().toISOString()}"`);
  const sent = await sendDemoWebhook(app, 'orders/create', body);
  expect(sent.status).toBe(200);
  const gid = `gid://shopify/Order/${id}`;
  let found: Decision | undefined;
  await expect
    .poll(async () => {
      found = (await api<{ decisions: Decision[] }>(`/api/decisions?customerId=${encodeURIComponent(CUSTOMER)}&kind=order&limit=100`)).decisions.find((d) => d.subjectId === gid);
      return found !== undefined;
    }, { timeout: 30_000 })
    .toBe(true);
  return found!.id;
}

/** The status cell and points of a signal's row on the decision page. */
/** A signal's line on the decision page (the quiet ones unfolded first) as "<status> <its text>". */
async function signalRow(decisionId: string, signalId: string): Promise<string> {
  await page.goto(`${app.url}/app/decisions/${decisionId}`);
  await page.locator('#verdict').waitFor();
  const row = page.locator(`[data-signal="${signalId}"]`).first();
  if ((await row.count()) === 0) await page.getByRole('button', { name: /^Show / }).click();
  await row.waitFor();
  return `${await row.getAttribute('data-status')} ${(await row.innerText()).replace(/\s+/g, ' ')}`;
}

async function addEntry(options: { list: 'Blocklist' | 'Allowlist'; kind: string; value: string; nonOverridable?: boolean }) {
  await page.goto(`${app.url}/app/lists`);
  await page.getByLabel('List', { exact: true }).selectOption({ label: options.list });
  await page.getByLabel('Identifier').selectOption({ label: options.kind });
  await page.getByLabel('Value').fill(options.value);
  if (options.nonOverridable) await page.getByText('Non-overridable (an allowlist match does not lift this block)').click();
  await page.getByRole('button', { name: options.list === 'Blocklist' ? 'Block' : 'Allow', exact: true }).click();
  await page.getByText(options.list === 'Blocklist' ? 'Added to the blocklist' : 'Added to the allowlist').waitFor();
}

beforeAll(async () => {
  server = await startDemoServer('admin-lists', { DEMO_HISTORY: 'none' });
  ({ db, dataDir, app } = server);
  // A generated history, backfilled as npm start does it, for the refund-method figures.
  const start = new Date(Date.now() - 150 * 86_400_000).toISOString().slice(0, 10);
  const historyPath = join(dataDir, 'history.jsonl');
  await writeFile(historyPath, generateShop({ seed: 77, customers: 60, start, days: 148 }).events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  expect(await app.backfill.start(app.config.demoShop, { kind: 'file', path: historyPath }, { days: 365 })).toBe(true);
  for (const deadline = Date.now() + 120_000; (await app.backfill.progress(app.config.demoShop)).status !== 'done'; ) {
    if (Date.now() > deadline) throw new Error('the backfill did not finish within 120 s');
    await new Promise((resolve) => setTimeout(resolve, 500));
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

describe.skipIf(!HAS_CHROMIUM)('lists, overrides and refund methods in the admin (Chromium, real server)', () => {
  it('a block entry typed in the Lists page blocks the next order by that email; only its hash is kept', async () => {
    await addEntry({ list: 'Blocklist', kind: 'Email', value: EMAIL });
    const table = page.locator('#list-entries');
    await table.getByText('Blocked').waitFor();
    const text = await table.innerText();
    expect(text).toContain('Email');
    expect(text).not.toContain(EMAIL);
    const entries = await api<{ entries: { hash: string }[] }>('/api/lists');
    expect(entries.entries).toHaveLength(1);
    expect(text).toContain(entries.entries[0]!.hash.slice(0, 12));
    await shot('lists-block-entry');

    const blocked = await placeOrder(EMAIL);
    expect(await signalRow(blocked, 'order.blocklist-match')).toMatch(/^hit Blocklisted buyer \+35 points On the blocklist: email\. Weight 35 · strength 100%/);
    await shot('lists-order-blocked');
    // Another buyer is not blocked.
    expect(await signalRow(await placeOrder('someone.else@example.com'), 'order.blocklist-match')).toMatch(/^no_hit /);
  });

  it('an allow entry overrides the block; a non-overridable block wins over it', async () => {
    await addEntry({ list: 'Allowlist', kind: 'Phone', value: '555-555-SHIP' });
    const overridden = await placeOrder(EMAIL);
    expect(await signalRow(overridden, 'order.blocklist-match')).toMatch(/^no_hit .*On the blocklist \(email\), but the allowlist overrides it \(phone\)\./);
    expect(await signalRow(overridden, 'order.allowlist-match')).toMatch(/^hit .*On the allowlist: phone\./);
    await shot('lists-allow-overrides');

    await addEntry({ list: 'Blocklist', kind: 'Email', value: EMAIL, nonOverridable: true });
    await page.locator('#list-entries').getByText('Non-overridable').waitFor();
    await shot('lists-non-overridable');
    const wins = await placeOrder(EMAIL);
    expect(await signalRow(wins, 'order.blocklist-match')).toMatch(/^hit .*\+35 points .*non-overridable: the allowlist match does not lift it/);
    expect(await signalRow(wins, 'order.allowlist-match')).toMatch(/^no_hit .*a non-overridable blocklist entry \(email\) wins\./);
    await shot('lists-non-overridable-wins');
  });

  it('a snooze set from the decision page zeroes the signal on the next order of that customer', async () => {
    const before = await placeOrder(EMAIL);
    await page.goto(`${app.url}/app/decisions/${before}`);
    await page.getByText('No signal is snoozed for this customer.').waitFor();
    await page.getByLabel('Signal').selectOption('order.blocklist-match');
    await page.getByLabel('Days').fill('14');
    await page.getByLabel('Reason').fill('verified by phone');
    await page.getByRole('button', { name: 'Snooze for this customer' }).click();
    // Asked first, by the signal's name.
    await page.getByRole('dialog').getByText('Snooze “Blocklisted buyer” for 14 days?').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Snooze', exact: true }).click();
    await page.getByText('Blocklisted buyer snoozed for 14 days').waitFor();
    await page.getByText(/until .* verified by phone/).waitFor();
    await shot('lists-snooze-set');

    const after = await placeOrder(EMAIL);
    const row = await signalRow(after, 'order.blocklist-match');
    expect(row).toMatch(/^hit Blocklisted buyer (Info )?Snoozed until .* 0 points .*Weight 35 · strength 100%/);
    await shot('lists-snoozed-trace');
    // The profile lists it, and the Lists page shows it in force.
    await page.goto(`${app.url}/app/customers/${encodeURIComponent(CUSTOMER)}`);
    await page.getByText(/until .* verified by phone/).waitFor();
    await page.goto(`${app.url}/app/lists`);
    // By the signal's name, not its id.
    await page.getByText(/^Blocklisted buyer until /).waitFor();
    expect(await page.getByText('order.blocklist-match').count()).toBe(0);
  });

  it('saves the holdout share and shows held-out against acted-on HIGH decisions', async () => {
    await page.goto(`${app.url}/app/lists`);
    const field = page.getByLabel('Share of HIGH (%)');
    await expect.poll(() => field.inputValue()).toBe('0');
    await field.fill('25');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/\/percent must be <= 20/).waitFor();
    await field.fill('10');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Holdout saved').waitFor();
    expect((await api<{ percent: number }>('/api/holdout')).percent).toBe(10);
    const report = await page.locator('#holdout-report').innerText();
    // Demo mode: nothing is acted on (no store connected), and the backfilled history never was.
    expect(report).toMatch(/Held out\s+0/);
    expect(report).toMatch(/Acted on\s+0/);
    const holdout = await api<{ report: { notActedOn: number } }>('/api/holdout');
    expect(holdout.report.notActedOn).toBeGreaterThan(0);
    const n = holdout.report.notActedOn;
    await page.getByText(`${n.toLocaleString('en')} ${n === 1 ? 'HIGH decision was' : 'HIGH decisions were'} neither held out nor acted on`, { exact: false }).waitFor();
    await page.reload();
    await expect.poll(() => page.getByLabel('Share of HIGH (%)').inputValue()).toBe('10');
    await shot('lists-holdout');
  });

  it('shows refunds by method, the preservation rate and its split by zone, and exports them as CSV', async () => {
    const figures = await api<{ total: { count: number; value: number; preservedValue: number }; currency: string; preservationRate: number | null; byMethod: { method: string; count: number }[]; byRefundZone: { zone: string; count: number }[] }>('/api/refund-methods');
    expect(figures.total.count).toBeGreaterThan(0);
    await page.goto(`${app.url}/app/refund-methods`);
    await page.locator('#preservation-rate').waitFor();
    expect(await page.locator('#refund-count').innerText()).toBe(String(figures.total.count));
    expect(await page.locator('#preservation-rate').innerText()).toBe(figures.preservationRate === null ? '—' : `${(figures.preservationRate * 100).toFixed(1)}%`);
    const byMethod = await page.locator('#by-method').innerText();
    for (const m of figures.byMethod.filter((x) => x.count > 0)) expect(byMethod).toMatch(new RegExp(`\\s${m.count}\\s`));
    // Money in the shop's currency as the browser writes it.
    const whole = (n: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: figures.currency, maximumFractionDigits: 0, minimumFractionDigits: 0 }).format(n);
    await page.getByText(`${whole(figures.total.preservedValue)} of ${whole(figures.total.value)} kept as store credit`, { exact: false }).waitFor();
    const byZone = await page.locator('#by-zone').innerText();
    for (const z of figures.byRefundZone.filter((x) => x.count > 0)) expect(byZone).toContain(String(z.count));
    await page.getByTestId('refund-method-chart').locator('svg').first().waitFor();
    await shot('refund-methods');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toBe('split,zone,method,count,amount,value');
    const total = csv.split('\n').filter((l) => l.startsWith('all,')).reduce((s, l) => s + Number(l.split(',')[3]), 0);
    expect(total).toBe(figures.total.count);
  });

  it("blocks a decided order's buyer from the decision page, by the hashes stored with the order", async () => {
    const decision = await placeOrder('another.buyer@example.com');
    const before = (await api<{ entries: { kind: string; hash: string }[] }>('/api/lists?list=blocked')).entries;
    await page.goto(`${app.url}/app/decisions/${decision}`);
    await page.getByRole('button', { name: 'Block buyer' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Block buyer' }).click();
    await page.getByText(/^Buyer blocked: \d+ identifiers? added to the blocklist$/).waitFor();
    const after = (await api<{ entries: { kind: string; hash: string; note: string }[] }>('/api/lists?list=blocked')).entries;
    const added = after.filter((e) => !before.some((b) => b.kind === e.kind && b.hash === e.hash));
    expect(added.map((e) => e.kind)).toContain('email');
    expect(added.every((e) => e.note === `from decision ${decision}`)).toBe(true);
    await shot('lists-block-buyer');
    // The buyer's phone is still on the allowlist (an earlier test), so these ordinary blocks are overridden.
    expect(await signalRow(await placeOrder('another.buyer@example.com'), 'order.blocklist-match')).toMatch(/On the blocklist \(email[^)]*\), but the allowlist overrides it \(phone\)/);
  });
});

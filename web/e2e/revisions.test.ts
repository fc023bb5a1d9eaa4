import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage, DecisionDetail, DecisionList } from '../../contract/index.ts';
import { readWebhookFixture } from '../../server/shopify/fixtures/readWebhookFixture.ts';
import { parseWebhookBody } from '../../server/shopify/normalize/parseWebhookBody.ts';
import { actionState, actionTitle } from '../src/components/actions.ts';
import { type DemoServer, HAS_CHROMIUM, launchChromium, sendDemoWebhook, SHOTS, startDemoServer } from './harness.ts';

/**
 * Decision revisions in the admin (issue 23), Debian's Chromium against the real server in demo
 * mode: an open order decided LOW, then revised by the facts that follow — its payment transaction
 * with AVS and CVV failing, then a chargeback on the customer's earlier order — all as signed
 * webhooks (Shopify's sample bodies, varied as in server/services/revisions.test.ts). The decision
 * page shows the history with each change sentence; the Audit log page shows the `decision.revise`
 * lines, filters by subject and loads more by keyset. Then a revision that lowers the zone of a
 * held order (an orders/updated lowering its total) proposes releasing the hold, and the merchant
 * releases it from the callout after confirming. Screenshots at 1440 wide in
 * web/e2e/screenshots/revisions-*.png.
 */

const SAMPLE_ORDER = '820982911946154508';
const SAMPLE_CUSTOMER = '115310627314723954';
const orderSample = readWebhookFixture('orders_create');
const DAY = 86_400_000;
const T0 = Date.parse('2021-12-31T19:00:00-05:00');
const at = (days: number) => new Date(Math.round(T0 + days * DAY)).toISOString().replace(/\.\d{3}Z$/, 'Z');

let server: DemoServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

/** Shopify's sample order as order `n` of customer `customer`, placed `day` days after the sample's time, open (not cancelled). */
function order(n: number, customer: number, day: number) {
  const number = String(950000000000000000n + BigInt(n));
  const body = orderSample
    .replaceAll(SAMPLE_ORDER, number)
    .replaceAll(SAMPLE_CUSTOMER, String(750000000000000000n + BigInt(customer)))
    .replaceAll('jon@example.com', `buyer${customer}@example.org`)
    .replaceAll('john@example.com', `buyer${customer}@example.org`)
    .replaceAll('2021-12-31T19:00:00-05:00', at(day))
    .replace('"cancel_reason": "customer"', '"cancel_reason": null')
    .replace(/"cancelled_at": "[^"]*"/, '"cancelled_at": null');
  return { body, id: `gid://shopify/Order/${number}`, number, day };
}

/** Shopify's order_transactions/create sample as a sale of the order, AVS and CVV failing. */
function failingTransaction(n: number, o: { number: string; day: number }): string {
  const t = parseWebhookBody(readWebhookFixture('order_transactions_create')) as Record<string, any>;
  const id = String(150560818172775265n + BigInt(n));
  Object.assign(t, { id, admin_graphql_api_id: `gid://shopify/OrderTransaction/${id}`, order_id: o.number, created_at: new Date(T0 + o.day * DAY + 20_000).toISOString(), kind: 'sale', gateway: 'shopify_payments', status: 'success' });
  Object.assign(t.payment_details, { avs_result_code: 'N', cvv_result_code: 'N' });
  return JSON.stringify(t).replace(/"(id|order_id)":"(\d+)"/g, '"$1":$2');
}

/** Shopify's fulfillments/create sample for an order, shipped `day` days after the sample's time. */
function fulfillment(n: number, o: { number: string }, day: number): string {
  const f = parseWebhookBody(readWebhookFixture('fulfillments_create')) as Record<string, any>;
  const id = String(660000000000n + BigInt(n));
  Object.assign(f, { id, admin_graphql_api_id: `gid://shopify/Fulfillment/${id}`, order_id: o.number, created_at: at(day), updated_at: at(day), status: 'success', shipment_status: 'in_transit' });
  return JSON.stringify(f).replace(/"(id|order_id)":"(\d+)"/g, '"$1":$2');
}

/** Shopify's disputes/create sample: a fraud chargeback on an order, initiated `day` days after the sample's time. */
function dispute(n: number, o: { number: string }, day: number): string {
  return readWebhookFixture('disputes_create')
    .replace('285332461850802063', String(395332461850802063n + BigInt(n)))
    .replace(`"order_id": ${SAMPLE_ORDER}`, `"order_id": ${o.number}`)
    .replace('"initiated_at": "2021-12-31T19:00:00-05:00"', `"initiated_at": "${at(day)}"`);
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

/** The decision of an order, once there is one. */
async function decisionOf(orderId: string): Promise<DecisionDetail | undefined> {
  const list = await apiGet<DecisionList>(`/api/decisions?kind=order&limit=200`);
  const row = list.decisions.find((d) => d.subjectId === orderId);
  return row ? apiGet<DecisionDetail>(`/api/decisions/${row.id}`) : undefined;
}

/** A same-origin JSON call from the page (demo mode takes state changes only from its own admin). */
async function pageCall(method: string, path: string, body: unknown): Promise<number> {
  return page.evaluate(async ({ method, path, body }) => (await fetch(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).status, { method, path, body });
}

/** The same, answering the JSON too. */
async function pageJson<T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  return page.evaluate(async ({ method, path, body }) => {
    const response = await fetch(path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, json: await response.json() };
  }, { method, path, body });
}

async function webhook(topic: string, body: string) {
  const response = await sendDemoWebhook(server.app, topic, body);
  expect(response.status, `${topic}: ${await response.text()}`).toBe(200);
}

const earlier = order(1, 1, 0);
const open = order(2, 1, 5);

beforeAll(async () => {
  server = await startDemoServer('revisions', { DEMO_HISTORY: 'none' });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 120_000);

afterAll(async () => {
  expect(pageErrors).toEqual([]);
  await browser?.close();
  await server?.stop();
});

describe.skipIf(!HAS_CHROMIUM)('decision revisions in the admin (Chromium, real server)', () => {
  let decisionId: string;

  it('shows a decided open order revised twice: its history, newest first, with each change sentence', async () => {
    await webhook('orders/create', earlier.body);
    await webhook('fulfillments/create', fulfillment(1, earlier, 1));
    await webhook('orders/create', open.body);
    const first = await until(() => decisionOf(open.id), 'the open order decided');
    expect(first.zone).toBe('low');
    expect(first.revision).toBe(0);
    decisionId = first.id;

    // Its payment arrives with AVS and CVV failing: revised.
    await webhook('order_transactions/create', failingTransaction(1, open));
    const paid = await until(async () => {
      const d = await decisionOf(open.id);
      return d && d.revision >= 1 && d.revisions.at(-1)?.trigger?.kind === 'transaction' ? d : undefined;
    }, 'the revision after the payment');
    // A chargeback on the customer's earlier order: revised again, HIGH.
    await webhook('disputes/create', dispute(1, earlier, 7));
    const revised = await until(async () => {
      const d = await decisionOf(open.id);
      return d && d.revision > paid.revision && d.revisions.at(-1)?.trigger?.kind === 'chargeback' ? d : undefined;
    }, 'the revision after the chargeback');
    expect(revised.zone).toBe('high');

    await page.goto(`${server.app.url}/app/decisions/${decisionId}`);
    const history = page.locator('#decision-history');
    await history.waitFor();
    const byTransaction = paid.revisions.at(-1)!;
    const byChargeback = revised.revisions.at(-1)!;
    expect(byTransaction.change).toMatch(/^Score rose from [\d.]+ to [\d.]+ .*when the order's payment transaction arrived: /);
    expect(byChargeback.change).toMatch(/when a chargeback was filed on one of the customer's orders/);
    await history.getByText(byChargeback.change!).waitFor();
    await history.getByText(byTransaction.change!).waitFor();
    // Newest first: the current revision, then the payment's, then the first decision.
    const items = history.locator(':scope > li');
    expect(await items.evaluateAll((nodes) => nodes.map((n) => [n.getAttribute('data-revision'), n.getAttribute('data-zone')]))).toEqual(
      [...revised.revisions].reverse().map((r) => [String(r.revision), r.zone]),
    );
    const newest = await items.first().innerText();
    expect(newest).toContain(`Revision ${revised.revision}`);
    expect(newest).toContain('Current');
    expect(newest).toContain("Trigger: A chargeback was filed on one of the customer's orders — chargeback 395332461850802064");
    expect(newest).toMatch(/High [\d.]+/);
    // Its actions are listed under it in words, with their state (demo mode: chosen, not performed — no store connected).
    const ofNewest = revised.actions.filter((a) => a.revision === revised.revision);
    expect(ofNewest.length).toBeGreaterThan(0);
    for (const a of ofNewest) expect(newest).toContain(`${actionTitle(a)}\n${actionState(a).label}`);
    for (const a of ofNewest) expect(newest).not.toContain(a.type);
    expect(await items.last().innerText()).toContain('First decision');
    await page.getByText(new RegExp(`by ruleset \\S+ v\\d+ · revision ${revised.revision}$`)).waitFor();
    await shot('revisions-decision-history');
  }, 150_000);

  it('the Audit log lists the revisions, filters by subject, and loads more by keyset', async () => {
    // Older lines to page through: the holdout share set 55 times through the admin's API.
    for (let i = 0; i < 55; i++) expect(await pageCall('PUT', '/api/holdout', { percent: i % 2 })).toBe(200);
    const revise = await apiGet<AuditPage>(`/api/audit?action=decision.revise&subject=${encodeURIComponent(open.id)}`);
    expect(revise.entries.length).toBeGreaterThanOrEqual(2);

    // From the decision page's History: the log of this order.
    await page.goto(`${server.app.url}/app/decisions/${decisionId}`);
    await page.locator('#decision-history').waitFor();
    await page.getByRole('button', { name: 'Audit log' }).click();
    await page.waitForURL(/\/app\/audit\?subject=/);
    const log = page.locator('#audit-log');
    await log.getByText('decision.revise').first().waitFor();
    const rows = log.locator('tbody tr');
    expect(await rows.count()).toBe(revise.entries.length);
    const lines = await rows.allInnerTexts();
    for (const line of lines) expect(line).toMatch(/RefundSentry\s+decision\.revise\s+Order 950000000000000002\s+Revision \d+: (LOW|MEDIUM|HIGH) [\d.]+ → (LOW|MEDIUM|HIGH) [\d.]+\./);
    expect(lines.join('\n')).toContain("A chargeback was filed on one of the customer's orders");
    expect(lines.join('\n')).toContain("The order's payment transaction arrived");
    await page.getByText(`${revise.entries.length} entries: the end of the log for these filters.`).waitFor();
    await shot('revisions-audit-subject');

    // The whole log, from the navigation: 50 lines (the newest: the holdout share), then Load more (keyset) until the end.
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.waitForURL(/\/app\/audit$/);
    await log.getByText('holdout.set').first().waitFor();
    const all = await apiGet<AuditPage>('/api/audit?limit=200');
    expect(all.entries.length).toBeGreaterThan(50);
    await until(async () => (await rows.count()) === 50, 'the first page of 50');
    expect(await rows.first().innerText()).toContain('holdout.set');
    await page.getByRole('button', { name: 'Load more' }).scrollIntoViewIfNeeded();
    await shot('revisions-audit-load-more');
    await page.getByRole('button', { name: 'Load more' }).click();
    await until(async () => (await rows.count()) === all.entries.length, 'every line after Load more');
    await page.getByText(`${all.entries.length} entries: the end of the log.`).waitFor();
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    const ids = await log.locator('[data-audit-id]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-audit-id')));
    expect(ids).toEqual(all.entries.map((e) => e.id));
    const text = await log.innerText();
    expect(text).toContain('decision.revise');
    await shot('revisions-audit-all');

    // Filtering by a subject typed in: only its lines; a bad one is refused with the server's words.
    await page.getByLabel('Subject').fill(open.id);
    await page.getByRole('button', { name: 'Filter' }).click();
    await until(async () => (await rows.count()) === revise.entries.length, 'the subject filter applied');
    await page.getByLabel('Subject').fill('not a subject!');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText(/subject must be a subject of 1 to 200 characters/).waitFor();
    await shot('revisions-audit-refused');
  }, 120_000);

  it('a revision that lowers a held order proposes releasing the hold; the merchant releases it after confirming', async () => {
    // Orders above 400 are HIGH and held: a ruleset published through the admin's own API.
    const versions = (await pageJson<{ versions: { version: number; status: string }[] }>('GET', '/api/rulesets')).json.versions;
    const published = versions.find((v) => v.status === 'published')!;
    const current = (await pageJson<{ body: Record<string, unknown> }>('GET', `/api/rulesets/${published.version}`)).json.body;
    const ruleset = {
      ...current,
      // The published actions as they are: HIGH orders held.
      customSignals: [{ id: 'custom.big-order', appliesTo: ['order'], when: 'order.totalPrice > 400', weight: 100 }],
    };
    const draft = await pageJson<{ version: number }>('POST', '/api/rulesets', { body: ruleset, baseVersion: Math.max(...versions.map((v) => v.version)) });
    expect(draft.status, JSON.stringify(draft.json)).toBe(201);
    expect((await pageJson('POST', `/api/rulesets/${draft.json.version}/publish`, {})).status).toBe(200);

    // Shopify's sample order (404.95) of a new customer: HIGH, its hold chosen.
    const big = order(3, 3, 10);
    await webhook('orders/create', big.body);
    const held = await until(async () => {
      const d = await decisionOf(big.id);
      return d && d.actions.some((a) => a.type === 'fulfillment.hold') ? d : undefined;
    }, 'the big order decided with its hold');
    expect(held.zone).toBe('high');
    // The hold as the action runner leaves it once Shopify placed it (demo mode has no store to hold in).
    const hold = held.actions.find((a) => a.type === 'fulfillment.hold')!;
    await server.db.knex('actions').where({ id: hold.id }).update({ status: 'done', result: JSON.stringify({ holds: [] }) });

    // The customer takes items off: the total falls to 300, a scored input changed → revised LOW, the release proposed.
    const edited = parseWebhookBody(big.body) as Record<string, any>;
    edited.total_price = '300.00';
    for (const money of ['shop_money', 'presentment_money']) edited.total_price_set[money].amount = '300.00';
    edited.updated_at = at(10.5);
    await webhook('orders/updated', JSON.stringify(edited).replace(/"(id|order_id|customer_id|product_id|variant_id)":"(\d+)"/g, '"$1":$2'));
    const lowered = await until(async () => {
      const d = await decisionOf(big.id);
      return d && d.revision >= 1 && d.actions.some((a) => a.type === 'fulfillment.release' && a.status === 'proposed') ? d : undefined;
    }, 'the revision proposing the release');
    expect(lowered.zone).not.toBe('high');

    await page.goto(`${server.app.url}/app/decisions/${lowered.id}`);
    const callout = page.locator('.Polaris-Banner', { hasText: 'RefundSentry proposes releasing the hold it placed' });
    await callout.waitFor();
    expect(await callout.innerText()).toContain(`This revision lowered the risk to ${lowered.zone.toUpperCase()}`);
    await page.locator('#decision-history > li').first().getByText(/^Score fell from [\d.]+ to [\d.]+ \(HIGH → (LOW|MEDIUM)\) when the order was updated/).waitFor();
    await shot('revisions-release-proposed');
    await callout.getByRole('button', { name: 'Release the hold…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Release the hold RefundSentry placed?').waitFor();
    await shot('revisions-release-confirm');
    // Keeping it changes nothing; confirming releases it.
    await dialog.getByRole('button', { name: 'Keep the hold' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await decisionOf(big.id))!.actions.find((a) => a.id === hold.id)!.status).toBe('done');
    await callout.getByRole('button', { name: 'Release the hold…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Release hold' }).click();
    await page.getByText('Hold released').first().waitFor();
    await callout.waitFor({ state: 'detached' });
    const after = (await decisionOf(big.id))!;
    expect(after.actions.find((a) => a.id === hold.id)!.status).toBe('released');
    expect(after.actions.find((a) => a.type === 'fulfillment.release')!.status).toBe('done');
    await shot('revisions-release-done');
    // The audit log has the release, by the merchant.
    const releases = await apiGet<AuditPage>(`/api/audit?action=hold.release&subject=${hold.id}`);
    expect(releases.entries).toHaveLength(1);
  }, 120_000);
});

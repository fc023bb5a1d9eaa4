import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWebhookFixture } from '../../server/shopify/fixtures/readWebhookFixture.ts';
import { type DemoServer, HAS_CHROMIUM, launchChromium, sendDemoWebhook, SHOTS, startDemoServer } from './harness.ts';

/**
 * The Alerts page in Debian's Chromium against the real server in demo mode: a rule added through
 * the form (a bad URL refused first), a HIGH order sent as a signed webhook, the signed message at
 * a loopback receiver that answers 500 then 200, and the delivery log showing the retry. Then the
 * periodic kinds: a chargebacks-this-week rule and a SKU return-rate rule added through the form,
 * one rule turned off with its toggle (it stays off after a reload and records nothing), signed
 * disputes/create webhooks taking the count above the enabled rule's threshold, and its one alert
 * in the log. Screenshots in web/e2e/screenshots/alerts-*.png.
 */

let server: DemoServer;
let browser: Browser;
let page: Page;
let receiver: Server;
let receiverUrl: string;
const received: { signature: string | undefined; body: string }[] = [];
let weekly: Server;
let weeklyUrl: string;
const weeklyReceived: { signature: string | undefined; body: string }[] = [];
const pageErrors: string[] = [];

async function shot(name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function until<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A same-origin JSON call from the page (demo mode takes state changes only from its own admin). */
async function pageCall(method: string, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  return page.evaluate(async ({ method, path, body }) => {
    const response = await fetch(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, json: await response.json() };
  }, { method, path, body });
}

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ signature: request.headers['x-refundsentry-signature'] as string | undefined, body: Buffer.concat(chunks).toString('utf8') });
      response.statusCode = received.length === 1 ? 500 : 200;
      response.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/slack`;
  weekly = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      weeklyReceived.push({ signature: request.headers['x-refundsentry-signature'] as string | undefined, body: Buffer.concat(chunks).toString('utf8') });
      response.end();
    });
  });
  await new Promise<void>((resolve) => weekly.listen(0, '127.0.0.1', resolve));
  weeklyUrl = `http://127.0.0.1:${(weekly.address() as AddressInfo).port}/weekly`;
  server = await startDemoServer('alerts', { DEMO_HISTORY: 'none' });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 120_000);

afterAll(async () => {
  expect(pageErrors).toEqual([]);
  await browser?.close();
  await server?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
  await new Promise((resolve) => weekly?.close(resolve));
});

describe.skipIf(!HAS_CHROMIUM)('the Alerts page', () => {
  it('adds a rule, shows its secret once, and logs a signed delivery that was retried', async () => {
    const { app } = server;
    await page.goto(`${app.url}/app/alerts`);
    await page.getByText('No alert rules yet.').waitFor();
    // A bad URL: refused with the field named.
    await page.getByLabel('Webhook URL').fill('ftp://example.com/hook');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByText('url must be http or https').waitFor();
    await page.getByLabel('Order total at least').fill('300');
    await page.getByLabel('Webhook URL').fill(receiverUrl);
    await page.getByRole('button', { name: 'Add rule' }).click();
    const secret = (await page.getByTestId('alert-secret').textContent())!;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    await page.getByText('HIGH-risk order of 300 or more').first().waitFor();
    await shot('alerts-rule-added');
    // The email destination is offered too (this demo server has no SMTP server: refused, saying so).
    await page.getByLabel('Send to').selectOption('email');
    await page.getByLabel('Email address').fill('fraud-team@merchant.test');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByText('email alerts need the server').waitFor();
    await shot('alerts-email-refused');

    // Orders tagged `risky` are HIGH: a ruleset published through the admin's own API.
    const current = (await page.evaluate(async () => (await fetch('/api/rulesets')).json())) as { versions: { version: number; status: string }[] };
    const published = current.versions.find((v) => v.status === 'published')!;
    const body = (await page.evaluate(async (v) => (await fetch(`/api/rulesets/${v}`)).json(), published.version)) as { body: Record<string, unknown> };
    const ruleset = { ...body.body, signals: {}, customSignals: [{ id: 'custom.risky-tag', appliesTo: ['order'], when: "'risky' in order.tags", weight: 100 }], actions: [] };
    const draft = await pageCall('POST', '/api/rulesets', { body: ruleset, baseVersion: published.version });
    expect(draft.status, JSON.stringify(draft.json)).toBe(201);
    expect((await pageCall('POST', `/api/rulesets/${draft.json.version}/publish`, {})).status).toBe(200);

    // Shopify's sample order (404.95 USD), tagged risky; edited as text (its ids are past 2^53).
    const order = readWebhookFixture('orders_create');
    expect(order).toContain('"tags": "tag1, tag2"');
    const webhook = await sendDemoWebhook(app, 'orders/create', order.replace('"tags": "tag1, tag2"', '"tags": "risky"'));
    expect(webhook.status).toBe(200);
    await until(() => received.length >= 2, 'the retried alert at the receiver');
    for (const r of received) expect(r.signature).toBe(`sha256=${createHmac('sha256', secret).update(r.body).digest('hex')}`);
    expect(JSON.parse(received[1]!.body).text).toBe('RefundSentry: HIGH-risk order 820982911946154508, score 100 of 100, total $404.95 (alerts from $300.00).');

    await page.reload();
    await page.getByText('2 attempts, HTTP 200').waitFor();
    await page.getByText('Last error: the receiver answered HTTP 500').waitFor();
    await page.getByText('Order 820982911946154508: score 100, total $404.95').waitFor();
    await shot('alerts-delivery-log');
  }, 90_000);

  it('adds the periodic kinds, turns a rule off with its toggle, and logs one chargebacks-this-week alert', async () => {
    const { app } = server;
    await page.goto(`${app.url}/app/alerts`);
    await page.getByText('HIGH-risk order of 300 or more').first().waitFor();
    const add = async (kind: string, field: string, value: string, secrets: string[]) => {
      await page.getByLabel('Alert on').selectOption(kind);
      await page.getByLabel(field).fill(value);
      await page.getByLabel('Send to').selectOption('url');
      await page.getByLabel('Webhook URL').fill(weeklyUrl);
      await page.getByRole('button', { name: 'Add rule' }).click();
      await page.getByText('Alert rule added').waitFor();
      secrets.push((await page.getByTestId('alert-secret').textContent())!);
      await page.getByRole('button', { name: 'Dismiss notification' }).click();
    };
    const secrets: string[] = [];
    // A threshold that is not a whole number: refused, the field named.
    await page.getByLabel('Alert on').selectOption('chargebacks-week');
    await page.getByLabel('Alert above this many chargebacks').fill('1.5');
    await page.getByLabel('Send to').selectOption('url');
    await page.getByLabel('Webhook URL').fill(weeklyUrl);
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByText('/threshold must be integer').waitFor();
    await shot('alerts-threshold-refused');
    await add('chargebacks-week', 'Alert above this many chargebacks', '1', secrets);
    await add('chargebacks-week', 'Alert above this many chargebacks', '0', secrets);
    await add('sku-return-rate', 'Units returned in 30 days, at least', '8', secrets);
    await page.getByText('More than 1 chargeback in 7 days').waitFor();
    await page.getByText('A SKU’s return rate doubled (8 units or more returned in 30 days)').waitFor();

    // The rule alerting above 0 turned off with its toggle.
    const zeroRow = page.getByRole('row', { name: /More than 0 chargebacks in 7 days/ });
    const toggle = zeroRow.getByRole('checkbox', { name: 'Enabled' });
    expect(await toggle.isChecked()).toBe(true);
    await zeroRow.getByText('Enabled').click();
    await page.waitForFunction(() => fetch('/api/alerts').then((r) => r.json()).then((b: { rules: { threshold: number | null; kind: string; enabled: boolean }[] }) => b.rules.some((r) => r.kind === 'chargebacks-week' && r.threshold === 0 && !r.enabled)));
    await page.reload();
    await page.getByText('More than 0 chargebacks in 7 days').waitFor();
    expect(await page.getByRole('row', { name: /More than 0 chargebacks in 7 days/ }).getByRole('checkbox', { name: 'Enabled' }).isChecked()).toBe(false);
    expect(await page.getByRole('row', { name: /More than 1 chargeback in 7 days/ }).getByRole('checkbox', { name: 'Enabled' }).isChecked()).toBe(true);
    await shot('alerts-periodic-rules');

    // Two disputes opened today (Shopify's sample, as signed disputes/create webhooks): 2, above 1.
    for (const n of [1, 2]) {
      const body = readWebhookFixture('disputes_create')
        .replace('285332461850802063', String(285332461850802063n + BigInt(n)))
        .replace('"initiated_at": "2021-12-31T19:00:00-05:00"', `"initiated_at": "${new Date(Date.now() - n * 3_600_000).toISOString()}"`);
      expect((await sendDemoWebhook(app, 'disputes/create', body)).status).toBe(200);
    }
    await until(() => weeklyReceived.length >= 1, 'the chargebacks alert at the receiver');
    const json = JSON.parse(weeklyReceived[0]!.body);
    expect(json.text).toBe('RefundSentry: 2 chargebacks opened in the last 7 days, more than the alert threshold of 1.');
    expect(weeklyReceived[0]!.signature).toBe(`sha256=${createHmac('sha256', secrets[0]!).update(weeklyReceived[0]!.body).digest('hex')}`);
    await page.reload();
    await page.getByText('2 chargebacks in 7 days (more than 1)').waitFor();
    // The rule turned off recorded nothing: the receiver got the one alert.
    expect(weeklyReceived).toHaveLength(1);
    await shot('alerts-chargebacks-log');
  }, 90_000);
});

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
 * a loopback receiver that answers 500 then 200, and the delivery log showing the retry.
 * Screenshots in web/e2e/screenshots/alerts-*.png.
 */

let server: DemoServer;
let browser: Browser;
let page: Page;
let receiver: Server;
let receiverUrl: string;
const received: { signature: string | undefined; body: string }[] = [];
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
});

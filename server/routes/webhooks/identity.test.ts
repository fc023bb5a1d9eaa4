import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWebhookFixture } from '../../shopify/fixtures/readWebhookFixture.ts';
import { startTestApp, type TestApp } from '../../testing/testApp.ts';

/**
 * Identity sharing end to end: signed `orders/create` bodies built from Shopify's own sample, as
 * several customers would send them through one browser on one network, each account made seconds
 * before its order; the stored traces show the sharing, velocity and account-age signals.
 */
const SHOP = 'identity-e2e.myshopify.com';
const sample = readWebhookFixture('orders_create');
const START = Date.parse('2026-05-04T09:00:00Z');
const USER_AGENT = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0 Mobile Safari/537.36';
const BROWSER_IP = '198.51.100.23';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await app.installShop(SHOP);
});
afterAll(async () => {
  await app?.stop();
});

/**
 * Shopify's sample order as customer `n` places it `minutes` after START: its own ids, email, phone
 * and street, the account created `accountSeconds` before, and the browser's user agent and IP.
 */
function orderBody(n: number, minutes: number, accountSeconds: number, client = { userAgent: USER_AGENT, ip: BROWSER_IP }, state = 'enabled'): { body: string; orderId: string } {
  const orderNumber = String(930000000000000000n + BigInt(n));
  const created = new Date(START + minutes * 60_000).toISOString();
  const accountCreated = new Date(START + minutes * 60_000 - accountSeconds * 1000).toISOString();
  const body = sample
    .replaceAll('820982911946154508', orderNumber)
    .replaceAll('115310627314723954', String(730000000000000000n + BigInt(n)))
    .replaceAll('jon@example.com', `buyer-${n}@example.com`)
    .replaceAll('john@example.com', `buyer-${n}@example.com`)
    .replaceAll('555-555-SHIP', `555-555-01${String(n).padStart(2, '0')}`)
    .replaceAll('123 Shipping Street', `${n} Shipping Street`)
    .replace('"created_at": "2021-12-31T19:00:00-05:00"', `"created_at": "${created}"`)
    .replace(/"customer": \{\n(\s+)"id": (\d+),\n\s+"created_at": null/, (_, indent: string, id: string) => `"customer": {\n${indent}"id": ${id},\n${indent}"created_at": "${accountCreated}"`)
    // An account the buyer opened (the sample's "disabled" is a record the checkout made for a guest).
    .replace('"state": "disabled"', `"state": "${state}"`)
    .replace('"browser_ip": null', `"browser_ip": "${client.ip}"`)
    .replace('"client_details": null', `"client_details": {"browser_ip": "${client.ip}", "user_agent": "${client.userAgent}", "accept_language": "en-US,en;q=0.9", "browser_width": 412, "browser_height": 915}`);
  return { body, orderId: `gid://shopify/Order/${orderNumber}` };
}

type Traced = { id: string; status: string; strength: number; points: number; evidence: Record<string, unknown>; message: string };

/** Sends one order webhook and waits for its stored decision; the traced signals by id. */
async function decide(order: { body: string; orderId: string }): Promise<{ score: number; zone: string; signals: Map<string, Traced> }> {
  const response = await app.webhook('orders/create', order.body, { shop: SHOP });
  expect(response.statusCode, response.payload).toBe(200);
  const decision = await app.waitFor(() => app.stores.decisions.bySubject(SHOP, order.orderId), `the decision of ${order.orderId}`);
  return { score: Number(decision.score), zone: decision.zone, signals: new Map((decision.trace.signals as Traced[]).map((s) => [s.id, s])) };
}

describe('identity sharing through signed webhooks', () => {
  it('one browser and IP, four accounts each made seconds before its order: sharing, velocity and account age fire in the trace', async () => {
    // The sample parsed as the app would read it: the changes took.
    const first = orderBody(1, 0, 3);
    expect(first.body).toContain(`"created_at": "${new Date(START - 3000).toISOString()}"`);
    expect(first.body).toContain(`"user_agent": "${USER_AGENT}"`);

    const one = await decide(first);
    expect(one.signals.get('customer.new-account')).toMatchObject({ status: 'hit', strength: 1, evidence: { accountAge: '3 seconds' } });
    expect(one.signals.get('order.shared-identifier')).toMatchObject({ status: 'no_hit' });
    expect(one.signals.get('order.identifier-velocity')).toMatchObject({ status: 'no_hit' });

    await decide(orderBody(2, 2, 4));
    await decide(orderBody(3, 4, 2));
    const fourth = await decide(orderBody(4, 6, 5));
    expect(fourth.signals.get('customer.new-account')).toMatchObject({ status: 'hit', strength: 1 });
    const shared = fourth.signals.get('order.shared-identifier')!;
    expect(shared).toMatchObject({ status: 'hit', evidence: { kinds: ['device', 'ip'], maxAccounts: 3 } });
    expect(shared.strength).toBeGreaterThan(0.5);
    expect(shared.message).toBe('Used before by other accounts: device (3 accounts), ip (3 accounts).');
    expect(fourth.signals.get('order.identifier-velocity')).toMatchObject({ status: 'hit', evidence: { lastHour: 3, lastDay: 3 } });
    // Accounts' orders, not guest checkouts.
    expect(fourth.signals.get('order.guest-shares-account')).toMatchObject({ status: 'no_hit', message: 'Not a guest checkout.' });
    expect(fourth.score).toBeGreaterThan(one.score + 20);
    // A just-opened account on a device and network three other accounts used: multi-accounting, HIGH.
    expect(fourth.signals.get('order.new-account-shared-identity')).toMatchObject({ status: 'hit', strength: 1, evidence: { kinds: ['device'], accounts: 3 } });
    expect(fourth.zone).toBe('high');
    // The first account on the device had no one before it.
    expect(one.signals.get('order.new-account-shared-identity')).toMatchObject({ status: 'no_hit' });

    // The same shape from guests whose customer records the checkout made (state disabled): first orders, not opened accounts.
    const guestLike = await decide(orderBody(6, 7, 2, { userAgent: USER_AGENT, ip: BROWSER_IP }, 'disabled'));
    expect(guestLike.signals.get('customer.new-account')).toMatchObject({ status: 'no_hit' });
    expect(guestLike.signals.get('order.new-account-shared-identity')).toMatchObject({ status: 'no_hit' });
    expect(guestLike.zone).not.toBe('high');

    // An honest customer elsewhere: another browser and network, a week-old account: none of it fires.
    const honest = await decide(orderBody(5, 8, 7 * 86_400, { userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15', ip: '203.0.113.9' }));
    expect(honest.signals.get('order.shared-identifier')).toMatchObject({ status: 'no_hit' });
    expect(honest.signals.get('order.identifier-velocity')).toMatchObject({ status: 'no_hit' });
    expect(honest.signals.get('customer.new-account')!.strength).toBeLessThan(0.3);
  });
});

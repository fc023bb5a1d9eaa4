import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ruleset } from '../../../engine/index.ts';
import { makeOrder } from '../../../sdk/testing/index.ts';
import { QUEUES } from '../../jobs/queues.ts';
import { AlertService } from '../../services/AlertService.ts';
import { readWebhookFixture } from '../../shopify/fixtures/readWebhookFixture.ts';
import { DEFAULT_RULESET, startTestApp, type TestApp } from '../../testing/testApp.ts';

/** Alert rules end to end: the real server, pg-boss and PostgreSQL, and webhook receivers on loopback. */

const SHOP = 'alerts-a.myshopify.com';
const FLAKY = 'alerts-flaky.myshopify.com';
const OTHER = 'alerts-other.myshopify.com';
const RINGS = 'alerts-rings.myshopify.com';
const MAIL = 'alerts-mail.myshopify.com';

/** An order is HIGH exactly when it carries the tag `risky` (one custom signal worth 100 points), so the tests choose the zone. */
const TAGGED_RULESET: Ruleset = {
  ...DEFAULT_RULESET,
  signals: {},
  customSignals: [{ id: 'custom.risky-tag', appliesTo: ['order'], when: "'risky' in order.tags", weight: 100 }],
  actions: [],
};

const fixture = JSON.parse(readWebhookFixture('orders_create')) as Record<string, unknown>;
const FIXTURE_EMAIL = String(fixture.email);

/** Shopify's sample order as a new order: its own id, tags and total. */
function orderBody(n: number, options: { risky: boolean; total: number }): { body: string; orderId: string } {
  const id = 910000000000000000n + BigInt(n);
  const money = { amount: options.total.toFixed(2), currency_code: 'USD' };
  const body = {
    ...fixture,
    id: Number(id),
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    tags: options.risky ? 'risky, vip' : 'vip',
    total_price: options.total.toFixed(2),
    current_total_price: options.total.toFixed(2),
    total_price_set: { shop_money: money, presentment_money: money },
    current_total_price_set: { shop_money: money, presentment_money: money },
  };
  // The id is past 2^53: written as digits, not a rounded JS number.
  return { body: JSON.stringify(body).replace(`"id":${Number(id)}`, `"id":${id}`), orderId: `gid://shopify/Order/${id}` };
}

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** An HTTP receiver on loopback that records every request and answers with the next status of `statuses` (the last one repeats). */
async function startReceiver(statuses: number[] = [200]): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.statusCode = statuses[Math.min(received.length - 1, statuses.length - 1)]!;
      response.end(response.statusCode < 300 ? 'ok' : 'boom');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/alerts`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * An SMTP sink on loopback: just enough of RFC 5321 for nodemailer (no STARTTLS, no AUTH), keeping
 * each message's envelope and data.
 */
async function startSmtpSink(): Promise<{ url: string; mails: { from: string; to: string[]; data: string }[]; close(): Promise<void> }> {
  const mails: { from: string; to: string[]; data: string }[] = [];
  const server = createTcpServer((socket) => {
    let buffer = '';
    let inData = false;
    let mail = { from: '', to: [] as string[], data: '' };
    socket.write('220 sink.test ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          mail.data = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          mails.push(mail);
          mail = { from: '', to: [], data: '' };
          socket.write('250 2.0.0 queued\r\n');
          continue;
        }
        const line = buffer.indexOf('\r\n');
        if (line < 0) return;
        const command = buffer.slice(0, line);
        buffer = buffer.slice(line + 2);
        const verb = command.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250 sink.test\r\n');
        else if (verb === 'MAIL') (mail.from = command.replace(/^MAIL FROM:\s*/i, '')), socket.write('250 2.1.0 ok\r\n');
        else if (verb === 'RCPT') mail.to.push(command.replace(/^RCPT TO:\s*/i, '')), socket.write('250 2.1.5 ok\r\n');
        else if (verb === 'DATA') (inData = true), socket.write('354 go ahead\r\n');
        else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `smtp://127.0.0.1:${(server.address() as AddressInfo).port}`, mails, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

let app: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let flaky: Awaited<ReturnType<typeof startReceiver>>;
let other: Awaited<ReturnType<typeof startReceiver>>;
let rings: Awaited<ReturnType<typeof startReceiver>>;

async function call(method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, as = SHOP) {
  const response = await app.server.inject({ method, url, headers: { authorization: `Bearer ${await app.sessionToken(as)}` }, ...(payload ? { payload } : {}) });
  return { status: response.statusCode, body: JSON.parse(response.payload) };
}

/** Posts a signed orders/create and waits until its scoring job has completed (the decision and whatever it alerted are stored then). */
async function placeOrder(n: number, options: { risky: boolean; total: number }, shop = SHOP, delivery = ''): Promise<string> {
  const { body, orderId } = orderBody(n, options);
  const response = await app.webhook('orders/create', body, { shop, webhookId: `alerts-${shop}-${n}${delivery}`, eventId: `alerts-event-${shop}-${n}${delivery}` });
  expect(response.statusCode).toBe(200);
  await app.waitFor(async () => {
    const jobs = [...(await app.queue.boss.findJobs(QUEUES.score, { data: { shopId: shop, subjectId: orderId } })), ...(await app.queue.boss.findJobs(QUEUES.scoreBatch, {}))];
    const own = jobs.filter((job) => JSON.stringify(job.data).includes(orderId));
    return own.length > 0 && own.every((job) => job.state === 'completed');
  }, `the scoring of ${orderId}`);
  return orderId;
}

const deliveriesOf = async (shop: string) => (await call('GET', '/api/alerts/deliveries', undefined, shop)).body.deliveries as { ruleId: string; eventKey: string; status: string; attempts: number; lastError: string | null; responseStatus: number | null; facts: Record<string, unknown>; sentAt: string | null }[];

beforeAll(async () => {
  [receiver, flaky, other, rings] = await Promise.all([startReceiver(), startReceiver([500, 200]), startReceiver(), startReceiver()]);
  smtp = await startSmtpSink();
  app = await startTestApp({ env: { SMTP_URL: smtp.url, SMTP_FROM: 'RefundSentry <alerts@refundsentry.test>' } });
  for (const shop of [SHOP, FLAKY, OTHER, RINGS, MAIL]) await app.installShop(shop, TAGGED_RULESET);
});
afterAll(async () => {
  await app?.stop();
  await Promise.all([receiver, flaky, other, rings, smtp].map((r) => r?.close()));
});

describe('alert rules', () => {
  it('refuses bad rules with 400 naming the field, and keeps the secret out of the list', async () => {
    const bad: [object, RegExp][] = [
      [{ kind: 'chargebacks-this-week', url: receiver.url }, /kind/],
      [{ kind: 'high-order-value', url: receiver.url }, /minValue is required/],
      [{ kind: 'high-order-value', minValue: -5, url: receiver.url }, /minValue/],
      [{ kind: 'ring-alert', minValue: 10, url: receiver.url }, /minValue applies to high-order-value rules only/],
      [{ kind: 'ring-alert', url: 'ftp://example.com/x' }, /url must be http or https/],
      [{ kind: 'ring-alert', url: 'not a url' }, /url is not a URL/],
      [{ kind: 'ring-alert', url: 'https://user:pw@example.com/' }, /url must not carry a user name or password/],
      [{ kind: 'ring-alert' }, /one destination: url \(a webhook\) or email/],
      [{ kind: 'ring-alert', url: receiver.url, email: 'ops@example.com' }, /one destination/],
      [{ kind: 'ring-alert', email: 'not an address' }, /email is not an email address/],
      [{ kind: 'ring-alert', url: receiver.url, secret: 'mine' }, /secret/],
    ];
    for (const [payload, message] of bad) {
      const response = await call('POST', '/api/alerts', payload);
      expect(response.status, JSON.stringify(payload)).toBe(400);
      expect(response.body.message, JSON.stringify(payload)).toMatch(message);
    }
    expect((await call('GET', '/api/alerts')).body).toEqual({ rules: [] });
    expect((await call('DELETE', '/api/alerts/123456')).status).toBe(404);
  });

  it('a HIGH order at or above the value sends exactly one signed delivery; LOW or below the value sends nothing; another shop’s rule never fires', async () => {
    const created = await call('POST', '/api/alerts', { kind: 'high-order-value', minValue: 300, url: receiver.url });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'high-order-value', minValue: 300, url: receiver.url, enabled: true });
    expect(created.body.secret).toMatch(/^[0-9a-f]{64}$/);
    const otherRule = await call('POST', '/api/alerts', { kind: 'high-order-value', minValue: 0, url: other.url }, OTHER);
    expect(otherRule.status).toBe(201);
    expect((await call('GET', '/api/alerts')).body.rules).toEqual([expect.not.objectContaining({ secret: expect.anything() })]);
    expect((await call('GET', '/api/alerts')).body.rules.map((r: { id: string }) => r.id)).toEqual([created.body.id]);

    // Below the value (HIGH), and LOW above it: nothing.
    await placeOrder(1, { risky: true, total: 120 });
    await placeOrder(2, { risky: false, total: 950 });
    // HIGH and above the value: one delivery.
    const orderId = await placeOrder(3, { risky: true, total: 404.95 });
    await app.waitFor(async () => receiver.received.length >= 1, 'the alert at the receiver');
    // The same order again (a retried webhook with new ids): still one.
    await placeOrder(3, { risky: true, total: 404.95 }, SHOP, '-again');
    const decision = await app.stores.decisions.bySubject(SHOP, orderId);
    expect(decision?.zone).toBe('high');
    const log = await app.waitFor(async () => {
      const rows = await deliveriesOf(SHOP);
      return rows.length === 1 && rows[0]!.status === 'sent' ? rows : undefined;
    }, 'the delivery logged as sent');
    expect(receiver.received).toHaveLength(1);
    const [{ headers, body }] = receiver.received as [Received];
    const expected = `sha256=${createHmac('sha256', created.body.secret).update(body).digest('hex')}`;
    expect(headers['x-refundsentry-signature']).toBe(expected);
    expect(headers['content-type']).toBe('application/json');
    const json = JSON.parse(body);
    expect(json.text).toBe('RefundSentry: HIGH-risk order 910000000000000003, score 100 of 100, total $404.95 (alerts from $300.00).');
    expect(json.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: json.text } }]);
    expect(json.refundsentry).toEqual({
      event: 'high-order-value',
      shop: SHOP,
      orderId,
      decisionId: String(decision!.id),
      zone: 'high',
      score: 100,
      total: 404.95,
      currency: 'USD',
      minValue: 300,
      at: expect.any(String),
      ruleId: created.body.id,
      deliveryId: expect.any(String),
    });
    // No raw personal data: not the buyer's email, name or address.
    expect(body).not.toContain(FIXTURE_EMAIL);
    expect(body).not.toMatch(/customer|address|phone|email/i);
    expect(log[0]).toMatchObject({ ruleId: created.body.id, eventKey: `order:${orderId}`, status: 'sent', attempts: 1, lastError: null, responseStatus: 200, sentAt: expect.any(String) });

    // The other shop's rule (any HIGH order) never fired for this shop's orders.
    expect(other.received).toHaveLength(0);
    expect(await deliveriesOf(OTHER)).toEqual([]);

    // A deleted rule stops alerting; another shop cannot delete it.
    expect((await call('DELETE', `/api/alerts/${created.body.id}`, undefined, OTHER)).status).toBe(404);
    expect((await call('DELETE', `/api/alerts/${created.body.id}`)).body).toEqual({ deleted: created.body.id });
    await placeOrder(4, { risky: true, total: 500 });
    expect(receiver.received).toHaveLength(1);
  });

  it('a receiver answering 500 then 200 is retried, and the log shows the attempts', async () => {
    const created = await call('POST', '/api/alerts', { kind: 'high-order-value', minValue: 100, url: flaky.url }, FLAKY);
    expect(created.status).toBe(201);
    const orderId = await placeOrder(10, { risky: true, total: 250 }, FLAKY);
    await app.waitFor(async () => flaky.received.length >= 2, 'the retried alert at the receiver');
    const [row] = await app.waitFor(async () => {
      const rows = await deliveriesOf(FLAKY);
      return rows.length === 1 && rows[0]!.status === 'sent' ? rows : undefined;
    }, 'the delivery logged as sent');
    expect(row).toMatchObject({ eventKey: `order:${orderId}`, status: 'sent', attempts: 2, responseStatus: 200, lastError: 'the receiver answered HTTP 500' });
    expect(flaky.received).toHaveLength(2);
    // Both attempts carried the same signed body.
    expect(flaky.received[0]!.body).toBe(flaky.received[1]!.body);
    expect(flaky.received[1]!.headers['x-refundsentry-signature']).toBe(`sha256=${createHmac('sha256', created.body.secret).update(flaky.received[1]!.body).digest('hex')}`);
  });

  it('a rule with an email address mails the alert through the SMTP server, signed; without SMTP such a rule is refused', async () => {
    const created = await call('POST', '/api/alerts', { kind: 'high-order-value', minValue: 50, email: 'fraud-team@merchant.test' }, MAIL);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ url: null, email: 'fraud-team@merchant.test' });
    const orderId = await placeOrder(20, { risky: true, total: 75.5 }, MAIL);
    const [mail] = await app.waitFor(async () => (smtp.mails.length >= 1 ? smtp.mails : undefined), 'the alert email at the SMTP sink');
    expect(mail!.from).toBe('<alerts@refundsentry.test>');
    expect(mail!.to).toEqual(['<fraud-team@merchant.test>']);
    // The message as a mail client reads it: folded headers unfolded, the quoted-printable text decoded.
    const split = mail!.data.indexOf('\r\n\r\n');
    const headers = new Map(mail!.data.slice(0, split).replace(/\r\n(?=[ \t])/g, '').split('\r\n').map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
    expect(headers.get('content-transfer-encoding')).toBe('quoted-printable');
    const text = Buffer.from(mail!.data.slice(split + 4).replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');
    expect(headers.get('subject')).toBe('RefundSentry: HIGH-risk order 910000000000000020, score 100 of 100, total $75.50 (alerts from $50.00).');
    // The JSON facts in the body, signed as a webhook body is.
    const signature = headers.get('x-refundsentry-signature');
    const json = /^(\{"text".*\})$/m.exec(text)?.[1];
    expect(text).not.toContain(FIXTURE_EMAIL);
    expect(json && JSON.parse(json).refundsentry).toMatchObject({ event: 'high-order-value', orderId, total: 75.5, minValue: 50 });
    expect(signature).toBe(`sha256=${createHmac('sha256', created.body.secret).update(json!).digest('hex')}`);
    const [row] = await app.waitFor(async () => {
      const rows = await deliveriesOf(MAIL);
      return rows.length === 1 && rows[0]!.status === 'sent' ? rows : undefined;
    }, 'the mail logged as sent');
    expect(row).toMatchObject({ attempts: 1, responseStatus: null, lastError: null });
    expect(smtp.mails).toHaveLength(1);
    // A server without SMTP_URL refuses an email rule (422, saying what is missing).
    const noSmtp = new AlertService(app.stores, { enqueue: async () => {} });
    await expect(noSmtp.addRule(MAIL, 'staff', { kind: 'ring-alert', email: 'ops@merchant.test' })).rejects.toMatchObject({ status: 422, message: expect.stringMatching(/SMTP_URL and SMTP_FROM are not set/) });
  });

  it('a ring alert stored by the live path is delivered to the shop’s ring-alert rule', async () => {
    const created = await call('POST', '/api/alerts', { kind: 'ring-alert', url: rings.url }, RINGS);
    expect(created.status).toBe(201);
    // A known ring sharing a device hash (as the rings job stores it).
    const [ring] = await app.stores.db('rings').insert({ shop_id: RINGS, ring_key: 'ring-alerts-test', score: 72, members: 3, components: {} }).returning('id');
    await app.stores.db('ring_identifiers').insert({ ring_id: ring.id, shop_id: RINGS, kind: 'device', hash: 'device-hash-of-the-ring', members: 3 });
    const order = makeOrder({ id: 'gid://shopify/Order/920000000000000001', customerId: null, totalPrice: 80, identity: { device: 'device-hash-of-the-ring' } });
    await app.stores.events.upsert(RINGS, { type: 'order', order });
    await app.queue.sendScore({ shopId: RINGS, kind: 'order', subjectId: order.id });
    await app.waitFor(async () => rings.received.length >= 1, 'the ring alert at the receiver');
    const json = JSON.parse(rings.received[0]!.body);
    expect(json.text).toBe('RefundSentry: order 920000000000000001 matches a known fraud ring (3 members, ring score 72), sharing device.');
    expect(json.refundsentry).toMatchObject({ event: 'ring-alert', shop: RINGS, orderId: order.id, ringKey: 'ring-alerts-test', ringScore: 72, ringMembers: 3, matched: ['device'], member: false });
    expect(rings.received[0]!.headers['x-refundsentry-signature']).toBe(`sha256=${createHmac('sha256', created.body.secret).update(rings.received[0]!.body).digest('hex')}`);
    const [row] = await app.waitFor(async () => {
      const rows = await deliveriesOf(RINGS);
      return rows.length === 1 && rows[0]!.status === 'sent' ? rows : undefined;
    }, 'the ring delivery logged as sent');
    expect(row!.eventKey).toMatch(/^ring-alert:\d+$/);
  });
});

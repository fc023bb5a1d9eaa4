import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ruleset } from '../../../engine/index.ts';
import { makeOrder } from '../../../sdk/testing/index.ts';
import { QUEUES } from '../../jobs/queues.ts';
import { AlertService } from '../../services/AlertService.ts';
import { readWebhookFixture } from '../../shopify/fixtures/readWebhookFixture.ts';
import { variant } from '../../shopify/fixtures/webhookVariants.ts';
import { DEFAULT_RULESET, startTestApp, type TestApp } from '../../testing/testApp.ts';

/** Alert rules end to end: the real server, pg-boss and PostgreSQL, and webhook receivers on loopback. */

const SHOP = 'alerts-a.myshopify.com';
const FLAKY = 'alerts-flaky.myshopify.com';
const OTHER = 'alerts-other.myshopify.com';
const RINGS = 'alerts-rings.myshopify.com';
const MAIL = 'alerts-mail.myshopify.com';
const TOGGLE = 'alerts-toggle.myshopify.com';
const CHARGEBACKS = 'alerts-chargebacks.myshopify.com';
const SKUS = 'alerts-skus.myshopify.com';
const SWEPT = 'alerts-swept.myshopify.com';
const DAY = 86_400_000;

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
let toggled: Awaited<ReturnType<typeof startReceiver>>;
let chargebacks: Awaited<ReturnType<typeof startReceiver>>;
let skus: Awaited<ReturnType<typeof startReceiver>>;
let swept: Awaited<ReturnType<typeof startReceiver>>;

async function call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, as = SHOP) {
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
  [receiver, flaky, other, rings, toggled, chargebacks, skus, swept] = await Promise.all([startReceiver(), startReceiver([500, 200]), startReceiver(), startReceiver(), startReceiver(), startReceiver(), startReceiver(), startReceiver()]);
  smtp = await startSmtpSink();
  app = await startTestApp({ env: { SMTP_URL: smtp.url, SMTP_FROM: 'RefundSentry <alerts@refundsentry.test>' } });
  for (const shop of [SHOP, FLAKY, OTHER, RINGS, MAIL, TOGGLE, CHARGEBACKS, SKUS, SWEPT]) await app.installShop(shop, TAGGED_RULESET);
});
afterAll(async () => {
  await app?.stop();
  await Promise.all([receiver, flaky, other, rings, toggled, chargebacks, skus, swept, smtp].map((r) => r?.close()));
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
      [{ kind: 'chargebacks-week', url: receiver.url }, /threshold is required for a chargebacks-week rule/],
      [{ kind: 'chargebacks-week', threshold: 2.5, url: receiver.url }, /threshold must be integer/],
      [{ kind: 'chargebacks-week', threshold: -1, url: receiver.url }, /threshold must be >= 0/],
      [{ kind: 'chargebacks-week', threshold: 5, minValue: 10, url: receiver.url }, /minValue applies to high-order-value rules only/],
      [{ kind: 'sku-return-rate', threshold: 0, url: receiver.url }, /threshold must be a whole number from 1 to 1000000/],
      [{ kind: 'high-order-value', minValue: 10, threshold: 3, url: receiver.url }, /threshold applies to chargebacks-week and sku-return-rate rules only/],
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
    // Two customers' orders from one device: the live path links them into a ring (RingService.linkLive).
    const decide = async (n: number, customer: string | null) => {
      const order = makeOrder({ id: `gid://shopify/Order/92000000000000000${n}`, customerId: customer, totalPrice: 80, createdAt: `2026-11-0${n}T10:00:00Z`, identity: { device: 'device-hash-of-the-ring', email: `email-hash-${n}` } });
      await app.stores.events.upsert(RINGS, { type: 'order', order });
      await app.queue.sendScore({ shopId: RINGS, kind: 'order', subjectId: order.id });
      await app.waitFor(() => app.stores.decisions.bySubject(RINGS, order.id), `the decision of order ${n}`);
      return order;
    };
    await decide(1, 'gid://shopify/Customer/9201');
    await decide(2, 'gid://shopify/Customer/9202');
    await app.idle();
    const [ring] = await app.stores.db('rings').where({ shop_id: RINGS }).select('id', 'ring_key', 'members');
    expect(ring).toMatchObject({ members: 2 });
    // A third account on the same device: its order matches the known ring, and the rule posts it.
    const received = rings.received.length;
    const order = await decide(3, 'gid://shopify/Customer/9203');
    const delivery = await app.waitFor(async () => rings.received.slice(received).find((r) => JSON.parse(r.body).refundsentry?.orderId === order.id), 'the ring alert of the third order at the receiver');
    const json = JSON.parse(delivery.body);
    expect(json.text).toMatch(/^RefundSentry: order 920000000000000003 matches a known fraud ring \(\d+ members, ring score [\d.]+\), sharing device\.$/);
    expect(json.refundsentry).toMatchObject({ event: 'ring-alert', shop: RINGS, orderId: order.id, ringKey: ring.ring_key, matched: ['device'], member: false });
    expect(delivery.headers['x-refundsentry-signature']).toBe(`sha256=${createHmac('sha256', created.body.secret).update(delivery.body).digest('hex')}`);
    const rows = await app.waitFor(async () => {
      const logged = await deliveriesOf(RINGS);
      return logged.length > 0 && logged.every((row) => row.status === 'sent') ? logged : undefined;
    }, 'the ring deliveries logged as sent');
    for (const row of rows) expect(row.eventKey).toMatch(/^ring-alert:\d+$/);
  });

  it('a rule is turned off and on with PATCH (validated, audited, another shop’s rule is 404): off, it records nothing', async () => {
    const created = await call('POST', '/api/alerts', { kind: 'high-order-value', minValue: 10, url: toggled.url }, TOGGLE);
    expect(created.status).toBe(201);
    const url = `/api/alerts/${created.body.id}`;
    const bad: [unknown, RegExp][] = [
      [{}, /\/enabled is required/],
      [{ enabled: 'yes' }, /\/enabled must be one of true, false/],
      [{ enabled: null }, /\/enabled must be one of true, false/],
      [{ enabled: 0 }, /\/enabled must be one of true, false/],
      [{ enabled: 'false' }, /\/enabled must be one of true, false/],
      [{ enabled: false, url: other.url }, /\/url is not allowed/],
    ];
    for (const [payload, message] of bad) {
      const response = await call('PATCH', url, payload as object, TOGGLE);
      expect(response.status, JSON.stringify(payload)).toBe(400);
      expect(response.body.message, JSON.stringify(payload)).toMatch(message);
    }
    expect((await call('PATCH', '/api/alerts/not-a-number', { enabled: false }, TOGGLE)).status).toBe(400);
    expect((await call('PATCH', '/api/alerts/987654321', { enabled: false }, TOGGLE)).body).toMatchObject({ statusCode: 404, message: 'No such alert rule in this shop' });
    // Another shop cannot turn it off.
    expect((await call('PATCH', url, { enabled: false }, OTHER)).status).toBe(404);
    expect((await call('GET', '/api/alerts', undefined, TOGGLE)).body.rules[0].enabled).toBe(true);

    const off = await call('PATCH', url, { enabled: false }, TOGGLE);
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id: created.body.id, kind: 'high-order-value', enabled: false, minValue: 10 });
    expect(off.body.secret).toBeUndefined();
    await placeOrder(30, { risky: true, total: 99 }, TOGGLE);
    expect(await deliveriesOf(TOGGLE)).toEqual([]);
    expect((await call('PATCH', url, { enabled: true }, TOGGLE)).body.enabled).toBe(true);
    const orderId = await placeOrder(31, { risky: true, total: 99 }, TOGGLE);
    await app.waitFor(async () => toggled.received.length >= 1, 'the alert of the rule turned on again');
    expect((await deliveriesOf(TOGGLE)).map((d) => d.eventKey)).toEqual([`order:${orderId}`]);
    const audit = await app.stores.db('audit_log').where({ shop_id: TOGGLE }).orderBy('id').pluck('action');
    expect(audit.filter((a: string) => a.startsWith('alert.'))).toEqual(['alert.add', 'alert.disable', 'alert.enable']);
  });

  it('more than N chargebacks in 7 days (signed disputes/create bodies) alerts once when the count goes above N, not for each one after', async () => {
    const created = await call('POST', '/api/alerts', { kind: 'chargebacks-week', threshold: 2, url: chargebacks.url }, CHARGEBACKS);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'chargebacks-week', threshold: 2, minValue: null, enabled: true });
    const now = Date.now();
    /** Shopify's sample dispute as dispute `n`, opened `daysAgo` days ago. */
    const dispute = (n: number, daysAgo: number, topic = 'disputes/create') => {
      const body = readWebhookFixture('disputes_create')
        .replace('285332461850802063', String(285332461850900000n + BigInt(n)))
        .replace('"initiated_at": "2021-12-31T19:00:00-05:00"', `"initiated_at": "${new Date(now - daysAgo * DAY).toISOString()}"`);
      return app.webhook(topic, body, { shop: CHARGEBACKS, webhookId: `cb-${n}-${topic}`, eventId: `cb-event-${n}-${topic}` });
    };
    // Ten days ago: outside the week. Then two within it: 2, not above 2.
    for (const [n, daysAgo] of [[0, 10], [1, 3], [2, 2]] as const) expect((await dispute(n, daysAgo)).statusCode).toBe(200);
    expect(await deliveriesOf(CHARGEBACKS)).toEqual([]);
    // The third within the week: above 2, one alert (checked as the webhook is handled).
    expect((await dispute(3, 1)).statusCode).toBe(200);
    await app.waitFor(async () => chargebacks.received.length >= 1, 'the chargebacks alert at the receiver');
    const json = JSON.parse(chargebacks.received[0]!.body);
    expect(json.text).toBe('RefundSentry: 3 chargebacks opened in the last 7 days, more than the alert threshold of 2.');
    expect(json.refundsentry).toEqual({ event: 'chargebacks-week', shop: CHARGEBACKS, count: 3, threshold: 2, from: expect.any(String), at: expect.any(String), ruleId: created.body.id, deliveryId: expect.any(String) });
    expect(Date.parse(json.refundsentry.at) - Date.parse(json.refundsentry.from)).toBe(7 * DAY);
    expect(chargebacks.received[0]!.headers['x-refundsentry-signature']).toBe(`sha256=${createHmac('sha256', created.body.secret).update(chargebacks.received[0]!.body).digest('hex')}`);
    // A fourth, an update of one of them, and the hourly check: the breach goes on, nothing new.
    expect((await dispute(4, 0.5)).statusCode).toBe(200);
    expect((await dispute(1, 3, 'disputes/update')).statusCode).toBe(200);
    await app.queue.boss.send(QUEUES.alertChecksAll, {});
    await app.waitFor(async () => {
      const jobs = await app.queue.boss.findJobs(QUEUES.alertChecks, { data: { shopId: CHARGEBACKS } });
      return jobs.length > 0 && jobs.every((job) => job.state === 'completed');
    }, 'the hourly check of the shop');
    const [row] = await deliveriesOf(CHARGEBACKS);
    expect(await deliveriesOf(CHARGEBACKS)).toHaveLength(1);
    expect(row).toMatchObject({ eventKey: `chargebacks-week:${json.refundsentry.at}`, status: 'sent', attempts: 1, facts: { count: 3, threshold: 2 } });
    expect(chargebacks.received).toHaveLength(1);

    // Eight days on, with three more opened on days 6.5 to 7.5 from now: the count fell to 2 or
    // below in between (days 3 to 6 left the window), so this is a new breach, which alerts again.
    for (const [n, daysAgo] of [[5, -6.5], [6, -7], [7, -7.5]] as const) expect((await dispute(n, daysAgo)).statusCode).toBe(200);
    expect(await deliveriesOf(CHARGEBACKS)).toHaveLength(1); // not opened yet as of now
    const later = new AlertService(app.stores, { enqueue: (jobs) => app.queue.sendAlerts(jobs) });
    expect(await later.checkShop(CHARGEBACKS, new Date(now + 8 * DAY))).toBe(1);
    expect(await later.checkShop(CHARGEBACKS, new Date(now + 8 * DAY + 3_600_000))).toBe(0);
    await app.waitFor(async () => chargebacks.received.length >= 2, 'the second breach’s alert');
    expect(JSON.parse(chargebacks.received[1]!.body).refundsentry).toMatchObject({ count: 3, threshold: 2, at: new Date(now + 8 * DAY).toISOString() });
  });

  it('a SKU whose return rate over 30 days doubled against the 90 days before alerts once; a smaller rise or too little volume does not', async () => {
    const created = await call('POST', '/api/alerts', { kind: 'sku-return-rate', url: skus.url }, SKUS);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'sku-return-rate', threshold: 5 });
    const now = Date.now();
    const ago = (days: number) => new Date(now - days * DAY).toISOString();
    const LINES = { aviator: '487817672276298554', lounger: '976318377106520349', table: '315789986012684393' } as const;
    /** Shopify's sample order as order `n`, placed `daysAgo` days ago, with only these lines and quantities. */
    const order = async (n: number, daysAgo: number, quantities: Partial<Record<keyof typeof LINES, number>>) => {
      const number = String(940000000000000000n + BigInt(n));
      const body = variant('orders_create', (o) => {
        o.id = number;
        o.admin_graphql_api_id = `gid://shopify/Order/${number}`;
        o.created_at = o.processed_at = o.updated_at = ago(daysAgo);
        o.cancelled_at = null;
        o.line_items = o.line_items
          .filter((line: { id: string }) => Object.entries(LINES).some(([name, id]) => id === String(line.id) && quantities[name as keyof typeof LINES]))
          .map((line: { id: string }) => ({ ...line, quantity: quantities[Object.entries(LINES).find(([, id]) => id === String(line.id))![0] as keyof typeof LINES] }));
      });
      expect((await app.webhook('orders/create', JSON.stringify(body), { shop: SKUS, webhookId: `sku-order-${n}`, eventId: `sku-order-event-${n}` })).statusCode).toBe(200);
      await app.waitFor(() => app.stores.events.get(SKUS, 'order', `gid://shopify/Order/${number}`), `order ${n} stored`);
      return number;
    };
    /** A returns/request body of order `number`, opened `daysAgo` days ago, returning these quantities. */
    const returned = async (n: number, number: string, daysAgo: number, quantities: Partial<Record<keyof typeof LINES, number>>) => {
      const lines = Object.entries(quantities).map(([name, quantity], i) => ({ id: 7100 + n * 10 + i, admin_graphql_api_id: `gid://shopify/ReturnLineItem/${7100 + n * 10 + i}`, line_item_id: LINES[name as keyof typeof LINES], quantity, reason: 'DEFECTIVE' }));
      const body = variant('returns_request', (r) => {
        r.id = 7000 + n;
        r.admin_graphql_api_id = `gid://shopify/Return/${7000 + n}`;
        r.order = { id: number, admin_graphql_api_id: `gid://shopify/Order/${number}` };
        r.created_at = ago(daysAgo);
        r.return_line_items = lines;
        r.total_return_line_items = lines.length;
      });
      expect((await app.webhook('returns/request', JSON.stringify(body), { shop: SKUS, webhookId: `sku-return-${n}`, eventId: `sku-return-event-${n}`, triggeredAt: new Date().toISOString() })).statusCode).toBe(200);
      await app.waitFor(async () => (await app.stores.events.get<{ lineItems: { sku?: string }[] }>(SKUS, 'return', `gid://shopify/Return/${7000 + n}`))?.lineItems.every((l) => l.sku), `return ${n} stored with its SKUs`);
    };
    // The 90 days before the last 30: aviators 2 returned of 20 sold (10 %), loungers 6 of 20 (30 %).
    const old = await order(1, 100, { aviator: 20, lounger: 20 });
    await returned(1, old, 95, { aviator: 2, lounger: 6 });
    // The last 30 days: aviators 5 of 10 (50 %: five times), loungers 5 of 10 (50 %: less than
    // twice 30 %), one coffee table returned of one sold (no volume, no baseline).
    const recent = await order(2, 10, { aviator: 10, lounger: 10, table: 1 });
    await returned(2, recent, 5, { aviator: 5, lounger: 5, table: 1 });

    const checked = async () => {
      const before = (await app.queue.boss.findJobs(QUEUES.alertChecks, { data: { shopId: SKUS } })).length;
      await app.queue.sendAlertChecks({ shopId: SKUS });
      await app.waitFor(async () => {
        const jobs = await app.queue.boss.findJobs(QUEUES.alertChecks, { data: { shopId: SKUS } });
        return jobs.length > before && jobs.every((job) => job.state === 'completed');
      }, 'the check of the shop');
    };
    await checked();
    await app.waitFor(async () => skus.received.length >= 1, 'the SKU alert at the receiver');
    const json = JSON.parse(skus.received[0]!.body);
    expect(json.text).toBe('RefundSentry: the return rate of SKU SKU2006-001 (Aviator sunglasses) at least doubled: 50% in the last 30 days (5 units returned of 10 sold), against 10% in the 90 days before (2 units of 20).');
    expect(json.refundsentry).toMatchObject({
      event: 'sku-return-rate',
      shop: SKUS,
      sku: 'SKU2006-001',
      title: 'Aviator sunglasses',
      recent: { sold: 10, returned: 5, rate: 0.5 },
      baseline: { sold: 20, returned: 2, rate: 0.1 },
      ratio: 5,
      minReturns: 5,
    });
    expect(Date.parse(json.refundsentry.recent.to) - Date.parse(json.refundsentry.recent.from)).toBe(30 * DAY);
    expect(Date.parse(json.refundsentry.baseline.to)).toBe(Date.parse(json.refundsentry.recent.from));
    expect(Date.parse(json.refundsentry.baseline.to) - Date.parse(json.refundsentry.baseline.from)).toBe(90 * DAY);
    // Checked again: the breach goes on, nothing new; the lounger and the table never alerted.
    await checked();
    const rows = await deliveriesOf(SKUS);
    expect(rows.map((r) => [r.eventKey, r.status])).toEqual([[`sku-return-rate:SKU2006-001:${json.refundsentry.at}`, 'sent']]);
    expect(skus.received).toHaveLength(1);
  });

  it('the sweeper queues a delivery recorded but never queued (a crash between the two), and only once', async () => {
    const created = await call('POST', '/api/alerts', { kind: 'ring-alert', url: swept.url }, SWEPT);
    // As a crash would leave it: recorded, its job never sent, two minutes ago.
    const [row] = await app.stores.alerts.recordDeliveries(SWEPT, [{ ruleId: created.body.id, eventKey: 'ring-alert:crashed', facts: { event: 'ring-alert', shop: SWEPT, orderId: 'gid://shopify/Order/1', ringKey: 'r', ringScore: 70, ringMembers: 2, matched: ['device'], member: false, at: new Date().toISOString() } }]);
    await app.stores.db('alert_deliveries').where({ id: row!.id }).update({ created_at: app.stores.db.raw(`now() - interval '2 minutes'`) });
    // One recorded just now is not the sweeper's yet (its job may be on its way).
    const [fresh] = await app.stores.alerts.recordDeliveries(SWEPT, [{ ruleId: created.body.id, eventKey: 'ring-alert:in-flight', facts: {} }]);
    await app.queue.boss.send(QUEUES.alertSweep, {});
    await app.waitFor(async () => swept.received.length >= 1, 'the swept delivery at the receiver');
    expect(JSON.parse(swept.received[0]!.body).refundsentry).toMatchObject({ event: 'ring-alert', deliveryId: row!.id });
    const rows = await app.waitFor(async () => {
      const all = await deliveriesOf(SWEPT);
      return all.find((d) => d.eventKey === 'ring-alert:crashed')?.status === 'sent' ? all : undefined;
    }, 'the swept delivery logged as sent');
    expect(rows.find((d) => d.eventKey === 'ring-alert:in-flight')).toMatchObject({ status: 'pending', attempts: 0 });
    const queued = await app.stores.db('alert_deliveries').where({ id: row!.id }).first('queued_at');
    expect(queued.queued_at).toBeInstanceOf(Date);
    // Swept again: nothing (it is queued now; the fresh one is still under a minute old).
    expect(await new AlertService(app.stores, { enqueue: async () => {} }).sweep()).toBe(0);
    expect(fresh!.queued_at).toBeNull();
    // A second job of the same delivery (a crash after the send, before it was marked queued): not posted twice.
    await app.queue.sendAlerts([{ shopId: SWEPT, deliveryId: row!.id }]);
    await app.waitFor(async () => (await app.queue.boss.findJobs(QUEUES.alert, { data: { deliveryId: row!.id } })).every((job) => job.state === 'completed'), 'the second job');
    expect(swept.received).toHaveLength(1);
  });
});

describe('alert webhooks in production', () => {
  let production: TestApp;
  beforeAll(async () => {
    production = await startTestApp({ env: { NODE_ENV: 'production' } });
    await production.installShop(SHOP, TAGGED_RULESET);
  });
  afterAll(async () => {
    await production?.stop();
  });

  it('refuses a webhook URL that is or resolves to a loopback, private or link-local address, with 400 naming it', async () => {
    expect(production.config.production).toBe(true);
    expect(app.config.production).toBe(false);
    const post = async (url: string) => {
      const response = await production.server.inject({ method: 'POST', url: '/api/alerts', headers: { authorization: `Bearer ${await production.sessionToken(SHOP)}` }, payload: { kind: 'ring-alert', url } });
      return { status: response.statusCode, body: JSON.parse(response.payload) };
    };
    const refused: [string, string][] = [
      [receiver.url, 'its host 127.0.0.1 is a loopback address'],
      ['http://localhost:8080/hooks', 'its host localhost resolves to'],
      ['http://169.254.169.254/latest/meta-data/', 'its host 169.254.169.254 is a link-local address'],
      ['http://10.0.0.7/hooks', 'its host 10.0.0.7 is a private address'],
      ['http://192.168.1.20/hooks', 'its host 192.168.1.20 is a private address'],
      ['http://[::1]:9000/hooks', 'its host ::1 is a loopback address'],
      ['http://[fe80::1]/hooks', 'its host fe80::1 is a link-local address'],
      ['http://[::ffff:10.1.1.1]/hooks', 'its host ::ffff:a01:101 is a private address'],
      ['http://2130706433/hooks', 'its host 127.0.0.1 is a loopback address'],
    ];
    for (const [url, problem] of refused) {
      const { status, body } = await post(url);
      expect(status, url).toBe(400);
      expect(body.message, url).toContain(`url must reach a public address: ${problem}`);
    }
    expect((await post('https://1.1.1.1/hooks/refundsentry')).status).toBe(201);
  });

  it('does not post to a URL that resolves to a private address when the delivery is attempted', async () => {
    // A rule added before (here: on a server that is not production), its host now loopback.
    const created = await call('POST', '/api/alerts', { kind: 'ring-alert', url: swept.url }, SWEPT);
    const [row] = await app.stores.alerts.recordDeliveries(SWEPT, [{ ruleId: created.body.id, eventKey: 'ring-alert:private', facts: { event: 'ring-alert', shop: SWEPT, orderId: 'gid://shopify/Order/2', at: new Date().toISOString() } }]);
    const before = swept.received.length;
    const strict = new AlertService(app.stores, { enqueue: async () => {}, publicUrlsOnly: true, attempts: 1 });
    await strict.deliver(SWEPT, row!.id);
    expect((await app.stores.alerts.delivery(SWEPT, row!.id))!.delivery).toMatchObject({ status: 'failed', attempts: 1, response_status: null, last_error: 'not delivered: its host 127.0.0.1 is a loopback address (alerts go to public addresses only)' });
    expect(swept.received).toHaveLength(before);
  });
});

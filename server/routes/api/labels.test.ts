import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '../../jobs/queues.ts';
import { LabelService } from '../../services/LabelService.ts';
import { readWebhookFixture } from '../../shopify/fixtures/readWebhookFixture.ts';
import { startTestApp, type TestApp } from '../../testing/testApp.ts';

/**
 * Labels of a shop built through Shopify's webhooks (its sample orders/create and disputes/create
 * bodies, varied): what is known of each order at a moment (point-in-time), the daily aging job on
 * live data, the refusal to fit with the counts, and "not enough outcomes yet" where a risk figure
 * would rest on too few.
 */
const SHOP = 'labels.myshopify.com';
const SAMPLE_ORDER = '820982911946154508';
const SAMPLE_CUSTOMER = '115310627314723954';
const SAMPLE_DISPUTE = '285332461850802063';
const DAY = 86_400_000;
const now = Math.floor(Date.now() / 1000) * 1000;
const at = (days: number) => new Date(now + days * DAY).toISOString();
let app: TestApp;

/** Shopify's sample order as order `n` of customer `customer`, placed `days` from now (negative: ago), paid by `gateways`. */
function order(n: number, customer: number, days: number, gateways: string[]) {
  const number = String(930000000000000000n + BigInt(n));
  const customerNumber = String(730000000000000000n + BigInt(customer));
  const body = readWebhookFixture('orders_create')
    .replaceAll(SAMPLE_ORDER, number)
    .replaceAll(SAMPLE_CUSTOMER, customerNumber)
    .replaceAll('2021-12-31T19:00:00-05:00', at(days))
    .replace(/"cancelled_at": "[^"]+"/, '"cancelled_at": null')
    .replace(/"payment_gateway_names": \[[^\]]*\]/, `"payment_gateway_names": ${JSON.stringify(gateways)}`);
  return { n, body, id: `gid://shopify/Order/${number}`, number, customerId: `gid://shopify/Customer/${customerNumber}` };
}

/** Shopify's sample dispute of an order, opened `days` from now, for `reason`. */
function dispute(n: number, orderNumber: string, days: number, reason: string) {
  return readWebhookFixture('disputes_create')
    .replace(SAMPLE_DISPUTE, String(280000000000000000n + BigInt(n)))
    .replace(SAMPLE_ORDER, orderNumber)
    .replace('"reason": "fraudulent"', `"reason": "${reason}"`)
    .replace('"initiated_at": "2021-12-31T19:00:00-05:00"', `"initiated_at": "${at(days)}"`);
}

async function call(method: 'GET' | 'POST', url: string, payload?: unknown) {
  const response = await app.server.inject({ method, url, payload: payload as object, headers: { authorization: `Bearer ${await app.sessionToken(SHOP)}` } });
  return { status: response.statusCode, body: response.headers['content-type']?.toString().includes('json') ? JSON.parse(response.payload) : response.payload };
}

const CARD = ['shopify_payments'];
// Placed 200 days ago unless said: A fraud-disputed 30 days later; B never disputed; L disputed as
// fraud late, after its window closed; C placed 10 days ago; D disputed for another reason; E paid
// through PayPal (its disputes never reach the app); G paid by gift card only.
const A = order(1, 1, -200, CARD);
const B = order(2, 2, -200, CARD);
const L = order(3, 3, -200, CARD);
const C = order(4, 4, -10, CARD);
const D = order(5, 5, -200, CARD);
const E = order(6, 6, -200, ['paypal']);
const G = order(7, 7, -200, ['gift_card']);

beforeAll(async () => {
  app = await startTestApp();
  await app.installShop(SHOP);
  for (const o of [A, B, L, C, D, E, G]) expect((await app.webhook('orders/create', o.body, { shop: SHOP })).statusCode).toBe(200);
  for (const [n, o, days, reason] of [[1, A, -170, 'fraudulent'], [2, L, -60, 'fraudulent'], [3, D, -150, 'product_not_received']] as const) {
    expect((await app.webhook('disputes/create', dispute(n, o.number, days, reason), { shop: SHOP })).statusCode).toBe(200);
  }
  await app.waitFor(async () => Number((await app.stores.db('decisions').where({ shop_id: SHOP }).count('* as n').first())!.n) === 7, 'the seven decisions');
  await app.waitFor(async () => Number((await app.stores.db('events').where({ shop_id: SHOP, kind: 'chargeback' }).count('* as n').first())!.n) === 3, 'the three disputes');
}, 60_000);
afterAll(async () => {
  await app?.stop();
});

describe('labels as known at a moment, from the stored history', () => {
  it('counts per kind now: fraud chargebacks (even late ones), matured orders, those still in their window, disputed and unobservable ones', async () => {
    const { status, body } = await call('GET', '/api/labels');
    expect(status).toBe(200);
    expect(body).toMatchObject({ windowDays: 120, minLabels: 20, fittable: false });
    expect(body.kinds.order).toMatchObject({
      decided: 7, positive: 2, negative: 2, pending: 0, immature: 1, disputed: 1, unobservable: 1,
      bySource: { 'fraud-chargeback': { positive: 2, negative: 0 }, aging: { positive: 0, negative: 2 } },
      maturing: { next: at(110), within30Days: 0 },
      fittable: false, missing: '18 more fraud and 18 more legit labels needed',
    });
    expect(body.kinds.return).toMatchObject({ decided: 0, fittable: false });
  });

  it('a chargeback after the moment asked about is not a label then; one before the window closes waits for it', async () => {
    // 172 days ago: nothing known of A yet (its dispute came 170 days ago); C not placed yet.
    const early = (await call('GET', `/api/labels?asOf=${encodeURIComponent(at(-172))}`)).body.kinds.order;
    expect(early).toMatchObject({ decided: 6, positive: 0, pending: 0, negative: 0, immature: 5, unobservable: 1 });
    // 165 days ago: A's fraud chargeback is known, its window still open (pending); G, paid by gift
    // card, settled after 30 days; D's dispute is not known yet.
    expect((await call('GET', `/api/labels?asOf=${encodeURIComponent(at(-165))}`)).body.kinds.order).toMatchObject({ positive: 0, pending: 1, negative: 1, immature: 3, disputed: 0, bySource: { aging: { negative: 1 } } });
    // 70 days ago: A fraud (window closed), B and L matured without a dispute (L's came 60 days ago), D disputed.
    const before = (await call('GET', `/api/labels?asOf=${encodeURIComponent(at(-70))}`)).body.kinds.order;
    expect(before).toMatchObject({ positive: 1, negative: 3, disputed: 1, bySource: { 'fraud-chargeback': { positive: 1 }, aging: { negative: 3 } } });
    // Now L's late chargeback is known: fraud.
    expect((await call('GET', '/api/labels')).body.kinds.order).toMatchObject({ positive: 2, negative: 2 });
  });

  it("a merchant's label counts from the moment it is given and settles what the app cannot see", async () => {
    const decision = await app.stores.decisions.bySubject(SHOP, E.id);
    const labelledAt = Date.now();
    expect((await call('POST', `/api/decisions/${decision!.id}/outcome`, { label: 'legit' })).status).toBe(200);
    const after = (await call('GET', `/api/labels?asOf=${encodeURIComponent(new Date(Date.now() + 1000).toISOString())}`)).body.kinds.order;
    expect(after).toMatchObject({ negative: 3, unobservable: 0, bySource: { merchant: { negative: 1 } } });
    const before = (await call('GET', `/api/labels?asOf=${encodeURIComponent(new Date(labelledAt - 60_000).toISOString())}`)).body.kinds.order;
    expect(before).toMatchObject({ negative: 2, unobservable: 1 });
  });

  it('refuses a fit with the counts per kind when no kind has enough labels', async () => {
    const refused = await call('POST', '/api/rulesets/fit', {});
    expect(refused.status).toBe(422);
    expect(refused.body.message).toMatch(/^Too few labels to fit: each subject kind needs 20 fraud and 20 legit labels\. orders: 2 fraud, 3 legit, 1 still in their dispute window \(18 more fraud and 17 more legit labels needed\); returns: 0 fraud, 0 legit/);
    expect(refused.body.counts.kinds.order).toMatchObject({ positive: 2, negative: 3, fittable: false });
    expect(await app.stores.db('fits').where({ shop_id: SHOP }).count('* as n').first()).toEqual({ n: '0' });
    // Bad options are refused by name before anything is counted.
    const bad = await call('POST', '/api/rulesets/fit', { split: 'random', highPrecision: 2 });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/\/split/);
    expect(bad.body.message).toMatch(/\/highPrecision/);
    expect((await call('POST', '/api/rulesets/fit', { highPrecision: 0.8, mediumPrecision: 0.85 })).status).toBe(400);
    expect((await call('GET', '/api/labels?asOf=yesterday')).status).toBe(400);
  });

  it('says "not enough outcomes yet" on the decision and the order card when the band has too few (the bank\'s evidence report leaves it out)', async () => {
    const decision = await app.stores.decisions.bySubject(SHOP, C.id);
    const detail = await call('GET', `/api/decisions/${decision!.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.risk).toMatchObject({ probability: null, basis: null, version: 1, kind: 'order', score: Number(decision!.score), minLabelled: 30, baseRate: null });
    expect(detail.body.risk.explanation).toMatch(/^Not enough outcomes yet: \d+ orders? scored \d+–\d+ by ruleset v1 ha(s|ve) a known outcome \(\d+ scored \d+–\d+\); a rate needs 30\.$/);
    const card = await call('GET', `/api/orders/${C.number}/risk`);
    expect(card.body.chargebackRisk).toEqual(detail.body.risk);
    expect(card.body.recommendation).not.toMatch(/Fraud risk/);
    const html = await call('GET', `/api/orders/${C.number}/evidence.html`);
    expect(html.status).toBe(200);
    expect(html.body).not.toContain('Fraud risk');
    expect(html.body).not.toContain(detail.body.risk.explanation);
  });
});

describe('aging inference on live data, daily', () => {
  it('is scheduled once a day, labels matured orders legit as of the day their window closed, and later decisions see it', async () => {
    const schedules = await app.queue.boss.getSchedules();
    expect(schedules.find((s) => s.name === QUEUES.agingAll)).toMatchObject({ cron: '41 3 * * *' });
    // The daily job asks for every installed shop's run; each runs as its own job.
    await app.queue.boss.send(QUEUES.agingAll, {});
    const aged = await app.waitFor(async () => {
      const rows = await app.stores.db('outcomes').where({ shop_id: SHOP, source: 'aging' }).orderBy('subject_id').select('subject_id', 'label', 'labelled_at', 'note');
      return rows.length >= 2 ? rows : undefined;
    }, 'the aging labels');
    // B (card: 120 days) and G (gift card: 30 days); not A or L (disputed as fraud), D (disputed), C (window open), E (PayPal).
    expect(aged.map((r) => [r.subject_id, r.label, (r.labelled_at as Date).toISOString(), r.note])).toEqual([
      [B.id, 'legit', at(-80), 'no dispute within 120 days'],
      [G.id, 'legit', at(-170), 'paid by means no card network reverses: no fraud label within 30 days'],
    ]);
    // Run again: nothing new (idempotent).
    expect(await new LabelService(app.stores).age(SHOP)).toBe(0);
    // B's customer orders again: the new decision's context sees B settled legit (a signal reading outcomes fires).
    const again = order(8, 2, -1, CARD);
    expect((await app.webhook('orders/create', again.body, { shop: SHOP })).statusCode).toBe(200);
    const decision = await app.waitFor(() => app.stores.decisions.bySubject(SHOP, again.id), 'the new decision');
    expect(decision.trace.signals.find((s) => s.id === 'customer.confirmed-legit')).toMatchObject({ status: 'hit', evidence: { legitCount: 1, fraudCount: 0 } });
    expect(await app.stores.db('outcomes').where({ shop_id: SHOP, source: 'aging' }).count('* as n').first()).toEqual({ n: '2' });
  });
});

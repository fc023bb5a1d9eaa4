import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../../engine/history/index.ts';
import { generateShop } from '../../../scenarios/generateShop.ts';
import { readWebhookFixture } from '../../shopify/fixtures/readWebhookFixture.ts';
import { DEFAULT_RULESET, startTestApp, type TestApp } from '../../testing/testApp.ts';

/**
 * Chargeback analytics and evidence over a backfilled year of a generated shop (its double
 * dippers and fraudsters dispute), every figure checked against the history itself.
 */
const SHOP = 'chargebacks.myshopify.com';
const OTHER = 'chargebacks-other.myshopify.com';
const DAY_MS = 86_400_000;
let app: TestApp;
let dir: string;
let events: HistoryEvent[];
const now = Date.now();

async function call(url: string, shop = SHOP) {
  const response = await app.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${await app.sessionToken(shop)}` } });
  return { status: response.statusCode, body: response.headers['content-type']?.toString().includes('json') ? JSON.parse(response.payload) : response.payload, headers: response.headers };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'refundsentry-chargebacks-'));
  const start = new Date(now - 364 * DAY_MS).toISOString().slice(0, 10);
  events = generateShop({ seed: 11, customers: 160, start, days: 330 }).events;
  const path = join(dir, 'history.jsonl');
  await writeFile(path, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  app = await startTestApp();
  await app.installShop(SHOP, { ...DEFAULT_RULESET, actions: [] }); // no Admin API here: decisions only
  await app.installShop(OTHER);
  await app.backfill.start(SHOP, { kind: 'file', path }, { days: 365, to: new Date(now).toISOString() });
  await app.waitFor(async () => (await app.backfill.progress(SHOP)).status === 'done', 'the backfill', 90_000);
}, 120_000);
afterAll(async () => {
  await app?.stop();
  await rm(dir, { recursive: true, force: true });
});

const chargebacks = () => events.flatMap((e) => (e.type === 'chargeback' ? [e.chargeback] : []));
const orders = () => new Map(events.flatMap((e) => (e.type === 'order' ? [[e.order.id, e.order] as const] : [])));

describe('chargeback analytics', () => {
  it('reports exposure, prediction accuracy, repeat offenders and double dips exactly as the history has them', async () => {
    const { status, body } = await call('/api/chargebacks');
    expect(status).toBe(200);
    const all = chargebacks().filter((c) => Date.parse(c.initiatedAt) >= now - 365 * DAY_MS);
    expect(all.length).toBeGreaterThan(3);
    expect(body.summary.disputes).toBe(all.length);
    expect(body.summary.amount).toBeCloseTo(all.reduce((s, c) => s + c.amount, 0), 2);
    expect(body.summary.byMonth.reduce((s: number, m: { disputes: number }) => s + m.disputes, 0)).toBe(all.length);

    // Prediction accuracy: each disputed order's own decision, read back from the decisions table.
    const decided = await app.stores.db('decisions').where({ shop_id: SHOP, subject_kind: 'order' }).whereIn('subject_id', all.map((c) => c.orderId)).select('subject_id', 'zone');
    const zoneOf = new Map(decided.map((d) => [d.subject_id, d.zone]));
    const scored = all.filter((c) => zoneOf.has(c.orderId));
    const flagged = scored.filter((c) => zoneOf.get(c.orderId) !== 'low');
    expect(body.prediction).toMatchObject({ disputes: all.length, scored: scored.length, flagged: flagged.length });
    expect(body.prediction.accuracy).toBeCloseTo(flagged.length / scored.length, 4);

    // Repeat offenders: customers of two or more disputed orders.
    const byCustomer = new Map<string, number>();
    for (const c of chargebacks()) {
      const customer = orders().get(c.orderId)?.customerId;
      if (customer) byCustomer.set(customer, (byCustomer.get(customer) ?? 0) + 1);
    }
    const repeat = [...byCustomer].filter(([, n]) => n >= 2);
    expect(body.repeatOffenders.map((r: { customerId: string }) => r.customerId).sort()).toEqual(repeat.map(([id]) => id).sort());

    // Double dips: disputed orders that had been refunded or returned.
    const refundedOrReturned = new Set(events.flatMap((e) => (e.type === 'refund' ? [e.refund.orderId] : e.type === 'return' ? [e.return.orderId] : [])));
    const dips = new Set(all.filter((c) => refundedOrReturned.has(c.orderId)).map((c) => c.orderId));
    expect(dips.size).toBeGreaterThan(0);
    expect(new Set(body.doubleDips.rows.map((r: { orderId: string }) => r.orderId))).toEqual(dips);
    // Amounts in the shop's currency (its orders'), orders by the names Shopify gave them.
    expect(body.currency).toBe('USD');
    for (const row of [...body.doubleDips.rows, ...body.prediction.rows] as { orderId: string; orderName: string }[]) expect(row.orderName).toBe(orders().get(row.orderId)!.name);
    const refundOf = (orderId: string) => events.reduce((s, e) => s + (e.type === 'refund' && e.refund.orderId === orderId ? e.refund.amount : 0), 0);
    expect(body.doubleDips.refunded).toBeCloseTo([...dips].reduce((s, id) => s + refundOf(id), 0), 2);

    // The live version's calibration for orders: its order decisions whose outcome is settled now
    // (window closed: a fraud-reason chargeback or a double dip is fraud, no dispute is legit;
    // another dispute settles nothing), counted per score band.
    const known = chargebacks().filter((c) => Date.parse(c.initiatedAt) < now);
    const paidBack = new Set(events.flatMap((e) => (e.type === 'refund' && Date.parse(e.refund.createdAt) < now ? [e.refund.orderId] : e.type === 'return' && Date.parse(e.return.createdAt) < now ? [e.return.orderId] : [])));
    const decisions = await app.stores.db('decisions').where({ shop_id: SHOP, subject_kind: 'order' }).andWhere('decided_at', '<', new Date(now - 120 * DAY_MS)).select('subject_id', 'score');
    const settled = decisions.flatMap((d) => {
      const disputes = known.filter((c) => c.orderId === d.subject_id);
      if (disputes.length === 0) return [{ score: Number(d.score), positive: false }];
      if (disputes.some((c) => c.reason === 'fraudulent') || paidBack.has(d.subject_id)) return [{ score: Number(d.score), positive: true }];
      return [];
    });
    expect(body.calibration).toMatchObject({ version: 1, kind: 'order', labelled: settled.length, positives: settled.filter((x) => x.positive).length, minLabelled: 30 });
    expect(body.calibration.positives).toBeGreaterThan(0);
    for (const band of body.calibration.bands as { from: number; to: number; rows: number; positives: number }[]) {
      const inBand = settled.filter((x) => x.score >= band.from && (x.score < band.to || (band.to === 100 && x.score <= 100)));
      expect([band.rows, band.positives], `band ${band.from}`).toEqual([inBand.length, inBand.filter((x) => x.positive).length]);
    }
  });

  it('lists a new unshipped order with the calibrated fraud risk of the version that decided it', async () => {
    // Shopify's sample order, placed yesterday and not cancelled (the sample is a cancelled order).
    const body = readWebhookFixture('orders_create')
      .replace('"created_at": "2021-12-31T19:00:00-05:00"', `"created_at": "${new Date(now - DAY_MS).toISOString()}"`)
      .replace(/"cancelled_at": "[^"]+"/, '"cancelled_at": null');
    expect((await app.webhook('orders/create', body, { shop: SHOP })).statusCode).toBe(200);
    const decision = await app.waitFor(() => app.stores.decisions.bySubject(SHOP, 'gid://shopify/Order/820982911946154508'), 'the decision');
    const report = (await call('/api/chargebacks')).body;
    const row = report.unshipped.find((u: { orderId: string }) => u.orderId === 'gid://shopify/Order/820982911946154508');
    expect(row).toMatchObject({ decisionId: String(decision.id), score: Number(decision.score), zone: decision.zone });
    const band = report.calibration.bands.find((b: { from: number; to: number }) => Number(decision.score) >= b.from && (Number(decision.score) < b.to || b.to === 100));
    expect(row.chargebackRisk).toMatchObject({ version: 1, kind: 'order', probability: band.probability, basis: band.basis });
    expect(band.probability).not.toBeNull(); // low scores: hundreds of settled orders
    expect(row.chargebackRisk.explanation).toMatch(/^\d+\.\d% chance of fraud: of the \d+ orders scored \d+–\d+ by ruleset v1 whose outcome is known, \d+ turned out fraud/);
  });

  it('exports each table as CSV and refuses bad windows', async () => {
    const csv = await call('/api/chargebacks/double-dips.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const rows = parse(csv.body as string, { columns: true }) as Record<string, string>[];
    const json = (await call('/api/chargebacks')).body;
    expect(rows.map((r) => r.order)).toEqual(json.doubleDips.rows.map((r: { orderId: string }) => r.orderId));
    expect(Object.keys(rows[0]!)).toEqual(['order', 'customer', 'refunded', 'returns', 'charged_back', 'first_refund_or_return_at', 'disputed_at']);
    expect((await call('/api/chargebacks/everything.csv')).status).toBe(400);
    const reversed = await call('/api/chargebacks?from=2026-02-01&to=2026-01-01');
    expect(reversed.status).toBe(400);
    expect(reversed.body.message).toMatch(/from .* must be before to/);
    expect((await call('/api/chargebacks?from=2026-13-45')).body.message).toBe('Invalid query: /from must be an ISO 8601 date or date-time, e.g. 2026-01-31 or 2026-01-31T00:00:00Z (a real one, years 1970-2199)');
    // Another shop sees none of it.
    expect((await call('/api/chargebacks', OTHER)).body.summary.disputes).toBe(0);
  });
});

describe('dispute evidence', () => {
  it('builds a printable report of a double-dipped order for the bank: the order, the customer\'s history, delivery, refunds, the dispute, the timeline; no scoring, no GID', async () => {
    const json = (await call('/api/chargebacks')).body;
    const dip = json.doubleDips.rows[0];
    const id = dip.orderId.split('/').pop();
    const evidence = await call(`/api/orders/${id}/evidence`);
    expect(evidence.status).toBe(200);
    expect(evidence.body.order.id).toBe(dip.orderId);
    expect(evidence.body.events.map((e: { kind: string }) => e.kind)).toContain('chargeback');
    const orderDecision = evidence.body.decisions.find((d: { subjectKind: string }) => d.subjectKind === 'order');
    const html = await call(`/api/orders/${id}/evidence.html`);
    expect(html.status).toBe(200);
    expect(html.headers['content-type']).toMatch(/text\/html/);
    const page = html.body as string;
    expect(page).toContain(`<h1>Dispute evidence: order `);
    // The double dip in words, in the order it happened.
    const times = (type: 'refund' | 'return' | 'chargeback') =>
      events.flatMap((e) => {
        if (e.type === 'refund' && type === 'refund' && e.refund.orderId === dip.orderId) return [Date.parse(e.refund.createdAt)];
        if (e.type === 'return' && type === 'return' && e.return.orderId === dip.orderId) return [Date.parse(e.return.createdAt)];
        if (e.type === 'chargeback' && type === 'chargeback' && e.chargeback.orderId === dip.orderId) return [Date.parse(e.chargeback.initiatedAt)];
        return [];
      });
    const paidBackFirst = Math.min(...times('refund'), ...times('return')) <= Math.min(...times('chargeback'));
    const usd = (n: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(n);
    expect(page).toMatch(paidBackFirst ? /<strong>Double dip:<\/strong> this order was (refunded \$[\d,]+\.\d\d|returned \(\d+ returns?\)), then disputed for \$/ : /<strong>Double dip:<\/strong> this order was disputed for [$\d,. +]+, then (refunded|returned)/);
    const order = orders().get(dip.orderId)!;
    expect(page).toContain(`<h1>Dispute evidence: order ${order.name}</h1>`);
    expect(page).toContain(usd(order.totalPrice));
    // The customer's earlier orders (placed before this one, not cancelled), as the history has them.
    const earlier = [...orders().values()].filter((o) => o.customerId === order.customerId && o.id !== order.id && Date.parse(o.createdAt) < Date.parse(order.createdAt) && !o.cancelledAt);
    expect(evidence.body.customerHistory).toMatchObject({ orders: earlier.length });
    expect(page).toMatch(earlier.length === 0 ? /<p id="customer-history">A customer account with no earlier order/ : new RegExp(`<p id="customer-history">A returning customer: ${earlier.length} earlier orders? since \\d{4}-\\d\\d-\\d\\d, \\d+ fulfilled, \\d+ confirmed delivered by the carrier, \\d+ refunded, \\d+ disputed\\.</p>`));
    // Delivery, as the carrier reported it.
    for (const e of events) if (e.type === 'fulfillment' && e.fulfillment.orderId === dip.orderId && e.fulfillment.deliveredAt) expect(page).toContain('Delivered');
    expect(page).toContain('Chargeback opened');
    expect(page).not.toMatch(/<script/i);
    // Every refund of the order is listed with its amount, in the shop's currency.
    for (const e of events) if (e.type === 'refund' && e.refund.orderId === dip.orderId) expect(page).toContain(usd(e.refund.amount));
    // For a bank: no raw GID, none of RefundSentry's own workings (score, zone, signals, points, weights, ruleset, actions, labels).
    expect(page).not.toContain('gid://');
    expect(page).not.toContain(dip.orderId.split('/').pop()!); // not even the order's legacy id: its name stands for it
    expect(page.slice(page.indexOf('</style>'))).not.toMatch(/ \/ 100|\b(HIGH|MEDIUM|LOW) risk\b|\bpoints?\b|\bweights?\b|\bruleset\b|\bsignals?\b|Fraud risk|Scored|Labelled|RefundSentry|Fulfilment hold|Customer risk tag/i);
    for (const s of orderDecision.trace.signals as { id: string }[]) expect(page).not.toContain(s.id);
    // The JSON keeps the calibrated figure for the admin (the decision page shows it).
    expect(evidence.body.chargebackRisk).toMatchObject({ version: 1, kind: 'order', score: orderDecision.score });
    // Unknown and malformed orders.
    expect((await call('/api/orders/1/evidence.html')).status).toBe(404);
    expect((await call('/api/orders/abc/evidence')).status).toBe(400);
    expect((await call(`/api/orders/${id}/evidence`, OTHER)).status).toBe(404);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecisionDetail, OrderRiskCard } from '../../../contract/index.ts';
import type { Ruleset } from '../../../engine/index.ts';
import { readWebhookFixture } from '../../shopify/fixtures/readWebhookFixture.ts';
import { returnWithLines } from '../../shopify/fixtures/webhookVariants.ts';
import { DEFAULT_RULESET, startTestApp, type TestApp } from '../../testing/testApp.ts';

/**
 * `GET /api/decisions/{id}` as the decision page reads it (issue 24, item 2): what to do next (the
 * order card's words for an order), each signal's title and description, the order, return and
 * refund behind the decision as stored from Shopify's bodies (signed webhooks: the sample order,
 * a return of two of its lines with their reasons, the sample refund), and links to the order and
 * the customer in Shopify admin.
 */
const SHOP = 'decisions-page.myshopify.com';
const ORDER = 'gid://shopify/Order/820982911946154508';
const CUSTOMER = 'gid://shopify/Customer/115310627314723954';
const RULESET: Ruleset = {
  ...DEFAULT_RULESET,
  actions: [],
  customSignals: [
    { id: 'custom.big-order', title: 'Big order', description: 'An order above 400 in the shop currency.', appliesTo: ['order'], when: 'order.totalPrice > 400', weight: 10 },
    { id: 'custom.any-order', appliesTo: ['order'], when: 'order.totalPrice > 0', weight: 1 },
  ],
};
let app: TestApp;

async function get<T>(url: string, shop = SHOP): Promise<{ status: number; body: T }> {
  const response = await app.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${await app.sessionToken(shop)}` } });
  return { status: response.statusCode, body: JSON.parse(response.payload) as T };
}

async function detailOf(subjectId: string): Promise<DecisionDetail> {
  const row = await app.waitFor(() => app.stores.decisions.bySubject(SHOP, subjectId), `the decision of ${subjectId}`);
  const { status, body } = await get<DecisionDetail>(`/api/decisions/${row.id}`);
  expect(status).toBe(200);
  return body;
}

beforeAll(async () => {
  app = await startTestApp();
  await app.installShop(SHOP, RULESET);
  expect((await app.webhook('orders/create', readWebhookFixture('orders_create'), { shop: SHOP })).statusCode).toBe(200);
  await app.waitFor(() => app.stores.decisions.bySubject(SHOP, ORDER), 'the order decided');
});
afterAll(async () => {
  await app?.idle();
  await app?.stop();
});

describe('GET /api/decisions/{id}: what the decision page needs', () => {
  it("an order's decision: its name, items and amounts in the shop's currency, the order card's recommendation, signal titles, admin links", async () => {
    const detail = await detailOf(ORDER);
    expect(detail.facts.order).toMatchObject({ id: ORDER, name: '#9999', currency: 'USD', total: 404.95, cancelled: true /* Shopify's sample order is cancelled */, gateways: expect.any(Array) });
    expect(detail.facts.order!.items.map((i) => [i.title, i.quantity, i.price])).toEqual([
      ['Aviator sunglasses', 1, 89.99],
      ['Lens Protection Plan (2 Year)', 1, 19.99],
      ['Premium Leather Case', 1, 24.99],
      ['Mid-century lounger', 1, 159.99],
      ['Coffee table', 1, 119.99],
    ]);
    expect(detail.facts.return).toBeNull();
    expect(detail.facts.refund).toBeNull();
    // One owner: the page's advice is the order card's, word for word.
    const card = await get<OrderRiskCard>('/api/orders/820982911946154508/risk');
    expect(detail.recommendation.text).toBe(card.body.recommendation);
    expect(detail.recommendation.step).toBe({ high: 'Review before fulfilling', medium: 'Check before shipping', low: 'No action needed' }[detail.zone]);
    // Every signal of the trace has a name: the catalog's for a registered one, the ruleset's (or its id in words) for a custom one.
    expect(Object.keys(detail.signalNames).sort()).toEqual(detail.trace.signals.map((s) => s.id).sort());
    expect(detail.signalNames['customer.new-account']).toMatchObject({ title: 'New account', category: 'customer' });
    expect(detail.signalNames['customer.new-account']!.description).toMatch(/^The customer account was created only moments before/);
    expect(detail.signalNames['custom.big-order']).toEqual({ title: 'Big order', description: 'An order above 400 in the shop currency.', category: 'custom' });
    expect(detail.signalNames['custom.any-order']).toEqual({ title: 'Any order', description: null, category: 'custom' });
    expect(detail.links).toEqual({
      order: 'https://admin.shopify.com/store/decisions-page/orders/820982911946154508',
      customer: 'https://admin.shopify.com/store/decisions-page/customers/115310627314723954',
    });
  });

  it("a return's decision: its items with their titles, reasons and notes (scrubbed of contact details), its value, the order's facts; advice for a return", async () => {
    const ret = returnWithLines();
    expect((await app.webhook('returns/request', JSON.stringify(ret), { shop: SHOP })).statusCode).toBe(200);
    const detail = await detailOf(ret.admin_graphql_api_id as string);
    expect(detail.kind).toBe('return');
    expect(detail.facts.order).toMatchObject({ name: '#9999', currency: 'USD' });
    expect(detail.facts.return).toMatchObject({ id: ret.admin_graphql_api_id, status: expect.any(String) });
    expect(detail.facts.return!.items.map((i) => [i.title, i.quantity, i.reason])).toEqual([
      ['Aviator sunglasses', 1, 'SIZE_TOO_SMALL'],
      ['Mid-century lounger', 1, 'DEFECTIVE'],
    ]);
    expect(detail.facts.return!.items[0]!.note).toMatch(/^Too tight/);
    expect(JSON.stringify(detail.facts)).not.toContain('jane.doe@mailbox.example');
    expect(detail.recommendation.step).toBe({ high: 'Inspect before refunding', medium: 'Check before refunding', low: 'No action needed' }[detail.zone]);
    expect(detail.links.order).toBe('https://admin.shopify.com/store/decisions-page/orders/820982911946154508');
  });

  it("a refund's decision: amount, method and the refunded lines by title", async () => {
    expect((await app.webhook('refunds/create', readWebhookFixture('refunds_create'), { shop: SHOP })).statusCode).toBe(200);
    const refundId = await app.waitFor(async () => (await app.stores.decisions.list(SHOP, { kind: 'refund', limit: 1 }))[0]?.subject_id, 'the refund decided');
    const detail = await detailOf(refundId);
    expect(detail.facts.refund).toMatchObject({ id: refundId, amount: expect.any(Number), method: expect.any(String), manual: expect.any(Boolean) });
    expect(detail.facts.refund!.items.map((i) => i.title)).toEqual(['Aviator sunglasses', 'Lens Protection Plan (2 Year)', 'Premium Leather Case', 'Mid-century lounger', 'Coffee table']);
    expect(detail.facts.order).toMatchObject({ name: '#9999' });
    expect(detail.recommendation.text).toMatch(/^(High|Medium|Low) risk/);
    // Each row of the list and the detail name the order (the refund's, the return's, the order's own): #9999.
    expect(detail.orderName).toBe('#9999');
    const list = (await get<{ decisions: { kind: string; orderName: string | null }[] }>('/api/decisions?limit=50')).body.decisions;
    expect(list.map((d) => [d.kind, d.orderName]).sort()).toEqual([['order', '#9999'], ['refund', '#9999'], ['return', '#9999']]);
  });

  it('refuses a bad id with 400 and answers 404 for another shop', async () => {
    expect((await get('/api/decisions/not-an-id')).status).toBe(400);
    const row = (await app.stores.decisions.bySubject(SHOP, ORDER))!;
    await app.installShop('elsewhere.myshopify.com', RULESET);
    expect((await get(`/api/decisions/${row.id}`, 'elsewhere.myshopify.com')).status).toBe(404);
  });
});

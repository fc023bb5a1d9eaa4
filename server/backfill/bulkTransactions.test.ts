import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../engine/history/index.ts';
import { generateShop } from '../../scenarios/generateShop.ts';
import type { OrderRecord, TransactionRecord } from '../../sdk/index.ts';
import { validateBulkQuery } from '../testing/bulkOperationsDouble.ts';
import { graphqlHistory } from '../testing/graphqlHistory.ts';
import { adminSchema, adminSchemaAvailable, startShopifyDouble, type ShopifyDouble } from '../testing/shopifyDouble.ts';
import { startTestApp, type TestApp } from '../testing/testApp.ts';
import { bulkQueryFor } from './bulk/bulkQueries.ts';

/**
 * Issue 20: the backfill's orders stage fetches each order's transactions with their
 * `CardPaymentDetails` and Shopify's own risk assessment, rewrites them into the webhook shapes and
 * normalizes them as webhooks are; the history then holds them, the orders carry their card and
 * risk, and the scoring pass judges them.
 */

const END = '2025-03-01T00:00:00.000Z';
const TOKEN = 'shpat_bulk_payments';
// Without the generator's own checkout transactions: the ones below stand for them.
const events = generateShop({ seed: 5, customers: 12, start: '2025-01-01', days: 55 }).events.filter((e) => e.type !== 'transaction');
const orders = events.flatMap((e) => (e.type === 'order' && e.order.customerId ? [e.order] : [])).sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
const first = orders[0]!;
const second = orders.find((o) => o.customerId !== first.customerId && Date.parse(o.createdAt) > Date.parse(first.createdAt))!;
/** A card as the generator would name it: the double makes its raw details up from this. */
const CARD = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';

const later = (order: OrderRecord, seconds: number) => new Date(Date.parse(order.createdAt) + seconds * 1000).toISOString();
const transaction = (n: number, order: OrderRecord, seconds: number, overrides: Partial<TransactionRecord>): HistoryEvent => ({
  type: 'transaction',
  transaction: { id: `gid://shopify/OrderTransaction/${800 + n}`, orderId: order.id, createdAt: later(order, seconds), kind: 'sale', status: 'success', gateway: 'shopify_payments', amount: order.totalPrice, cardCompany: 'Visa', cardHash: CARD, ...overrides },
});
const withPayments: HistoryEvent[] = [
  ...events,
  transaction(1, first, 5, { status: 'failure', errorCode: 'incorrect_cvc' }),
  transaction(2, first, 15, { avsResultCode: 'N', cvvResultCode: 'N' }),
  { type: 'risk', risk: { id: `${first.id}#shopify`, orderId: first.id, level: 'high', assessedAt: first.createdAt, facts: { negative: 2, neutral: 1, positive: 0 } } },
  transaction(3, second, 10, { avsResultCode: 'Y', cvvResultCode: 'M' }),
];

let double: ShopifyDouble;
let app: TestApp;

beforeAll(async () => {
  double = await startShopifyDouble({ accessToken: TOKEN });
  double.state.history = graphqlHistory(withPayments);
  app = await startTestApp({ adminOrigin: double.origin, backfill: { pageSize: 50, scorePageSize: 40, maxAttempts: 3, bulk: { pollMs: 20, detailsBatch: 10 } } });
});
afterAll(async () => {
  await app?.stop();
  await double?.close();
});

describe.skipIf(!adminSchemaAvailable())('backfilled payment details', () => {
  it("selects the orders' transactions (CardPaymentDetails) and Shopify's risk in a query Shopify's bulk rules accept", () => {
    const query = bulkQueryFor('orders', { from: '2025-01-01T00:00:00.000Z', to: END });
    expect(query).toMatch(/transactions\(first: 50\) \{[\s\S]*\.\.\. on CardPaymentDetails \{ avsResultCode cvvResultCode bin company number name expirationMonth expirationYear wallet \}/);
    expect(query).toMatch(/risk \{ assessments \{ riskLevel provider \{ id \} facts \{ sentiment \} \} \}/);
    expect(validateBulkQuery(adminSchema(), query)).toEqual([]);
  });

  it('stores the transactions, gives the orders their card and risk, and scores them with their checkout', async () => {
    const shop = 'bulk-pay.myshopify.com';
    await app.installShop(shop, undefined, TOKEN);
    expect(await app.backfill.start(shop, { kind: 'bulk' }, { days: 60, to: END })).toBe(true);
    const progress = await app.waitFor(async () => {
      const p = await app.backfill.progress(shop);
      return p.status === 'done' || p.status === 'failed' ? p : undefined;
    }, 'the backfill', 60_000);
    expect(progress.stages.map((s) => [s.stage, s.status])).toEqual(['orders', 'fulfillments', 'returns', 'refunds', 'chargebacks', 'aging', 'baseline', 'scoring'].map((s) => [s, 'done']));
    expect(double.requests.filter((r) => r.outcome !== 'ok')).toEqual([]);

    const stored = await app.stores.db('events').where({ shop_id: shop, kind: 'transaction' }).orderBy('resource_id').select('resource_id', 'customer_id', 'order_id', 'body');
    expect(stored.map((r) => [r.resource_id, r.order_id, r.customer_id])).toEqual([
      ['gid://shopify/OrderTransaction/801', first.id, first.customerId],
      ['gid://shopify/OrderTransaction/802', first.id, first.customerId],
      ['gid://shopify/OrderTransaction/803', second.id, second.customerId],
    ]);
    expect(stored[1]!.body).toMatchObject({ kind: 'sale', status: 'success', avsResultCode: 'N', cvvResultCode: 'N', cardCompany: 'Visa', gateway: 'shopify_payments' });
    expect(stored[0]!.body).toMatchObject({ status: 'failure', errorCode: 'incorrect_cvc' });
    // The card made up from the generator's fingerprint came back as one keyed fingerprint of the shop, with nothing raw.
    const hash = stored[1]!.body.cardHash as string;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toBe(CARD);
    expect(stored.map((r) => r.body.cardHash)).toEqual([hash, hash, hash]);
    const json = JSON.stringify(stored);
    expect(json).not.toMatch(/••••|Holder /);

    const order = async (id: string) => (await app.stores.events.get<OrderRecord>(shop, 'order', id))!;
    expect((await order(first.id)).identity.payment).toBe(hash);
    expect((await order(second.id)).identity.payment).toBe(hash);
    expect((await order(first.id)).shopifyRisk).toEqual({ level: 'high', assessedAt: first.createdAt, facts: { negative: 2, neutral: 1, positive: 0 } });
    expect(await app.stores.db('identity_uses').where({ shop_id: shop, kind: 'payment', hash }).orderBy('user_key').pluck('user_key')).toEqual([`customer:${first.customerId}`, `customer:${second.customerId}`].sort());

    const decision = (await app.stores.decisions.bySubject(shop, first.id))!;
    const result = (id: string) => (decision.trace.signals as { id: string; status: string; strength: number; evidence: Record<string, unknown> }[]).find((s) => s.id === id);
    expect(result('order.avs-mismatch')).toMatchObject({ status: 'hit', strength: 1 });
    expect(result('order.cvv-mismatch')).toMatchObject({ status: 'hit', strength: 1 });
    expect(result('order.failed-payment-attempts')).toMatchObject({ status: 'hit', evidence: { failures: 1, cards: 1, errorCodes: ['incorrect_cvc'] } });
    expect(result('order.shopify-risk-level')).toMatchObject({ status: 'hit', strength: 1, evidence: { level: 'high', negativeFacts: 2 } });
    // The second customer's order, later, sees the card the first had used.
    const secondDecision = (await app.stores.decisions.bySubject(shop, second.id))!;
    const shared = (secondDecision.trace.signals as { id: string; evidence: { kinds?: string[] } }[]).find((s) => s.id === 'order.shared-identifier');
    expect(shared?.evidence.kinds).toContain('payment');
  });
});

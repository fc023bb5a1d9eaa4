import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision } from '../../engine/index.ts';
import type { HistoryEvent } from '../../engine/history/index.ts';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { createStores, type Stores } from './index.ts';

// One database for the file; two shops with refunds and decisions under the same ids.
let db: TestDatabase;
let stores: Stores;
const A = 'refund-reports-a.myshopify.com';
const B = 'refund-reports-b.myshopify.com';
const orderId = (n: number) => `gid://shopify/Order/${n}`;

const order = (n: number, day: number): HistoryEvent =>
  ({ type: 'order', order: { id: orderId(n), customerId: null, createdAt: `2026-10-${String(day).padStart(2, '0')}T10:00:00.000Z`, totalPrice: 100, currency: 'EUR', lineItems: [], discountCodes: [], gateways: [], tags: [] } }) as unknown as HistoryEvent;
const refund = (n: number, orderN: number, day: number, body: Record<string, unknown>): HistoryEvent =>
  ({ type: 'refund', refund: { id: `gid://shopify/Refund/${n}`, orderId: orderId(orderN), createdAt: `2026-10-${String(day).padStart(2, '0')}T12:00:00.000Z`, currency: 'EUR', ...body } }) as unknown as HistoryEvent;

async function decide(shop: string, kind: 'order' | 'refund', id: string, order: string, day: number, zone: 'low' | 'high', options: { holdout?: boolean; action?: 'pending' | 'skipped' } = {}): Promise<void> {
  const decision = { subject: { kind, id, at: `2026-10-${String(day).padStart(2, '0')}T11:00:00.000Z` }, ruleset: { id: 'default', version: 1, contentHash: 'h' }, score: 1, zone, signals: [] } as unknown as Decision;
  const actions = options.action ? [{ action: { ruleId: 'hold', type: 'fulfillment.hold' } as never, status: options.action }] : [];
  await stores.decisions.insertManyWithEffects([{ shopId: shop, decision, orderId: order, customerId: null, actions, holdout: options.holdout === true }]);
}

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
  for (const shop of [A, B]) await stores.shops.install(shop, 'shpat_test', 'read_orders');
  await stores.events.upsertAll(A, [
    order(1, 1), order(2, 2), order(3, 3), order(4, 4),
    refund(1, 1, 5, { amount: 40, method: 'store_credit' }),
    // Split: 30 back to the card, 20 as a gift card; counted once, under its main method.
    refund(2, 2, 6, { amount: 50, method: 'original_payment', methodAmounts: { original_payment: 30, gift_card: 20 } }),
    refund(3, 3, 7, { amount: 10, method: 'exchange', lineItems: [{ subtotal: 25 }] }),
    refund(4, 1, 20, { amount: 5 }),
  ]);
  await stores.events.upsertAll(B, [order(1, 1), refund(1, 1, 5, { amount: 999, method: 'cash' })]);
  // A: order 1 HIGH and held out, order 2 HIGH and acted on, order 3 HIGH with its action skipped, order 4 LOW.
  await decide(A, 'order', orderId(1), orderId(1), 1, 'high', { holdout: true, action: 'skipped' });
  await decide(A, 'order', orderId(2), orderId(2), 2, 'high', { action: 'pending' });
  await decide(A, 'order', orderId(3), orderId(3), 3, 'high', { action: 'skipped' });
  await decide(A, 'order', orderId(4), orderId(4), 4, 'low');
  await decide(A, 'refund', 'gid://shopify/Refund/1', orderId(1), 5, 'high');
  await stores.events.upsert(A, { type: 'chargeback', chargeback: { id: 'gid://shopify/ShopifyPaymentsDispute/1', orderId: orderId(1), initiatedAt: '2026-10-25T10:00:00.000Z', amount: 100, currency: 'EUR', reason: 'fraudulent', type: 'chargeback' } } as unknown as HistoryEvent);
  await stores.outcomes.label(A, { subjectKind: 'order', subjectId: orderId(2), customerId: null, decisionId: null, label: 'fraud', source: 'merchant' });
  await decide(B, 'order', orderId(1), orderId(1), 1, 'high', { holdout: true });
});
afterAll(async () => {
  await db?.drop();
});

describe('RefundReportStore', () => {
  it('counts the shop’s refunds by method and money, by the zone of the refund and of its order', async () => {
    const report = await stores.refundReports.refundMethods(A, { from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' });
    const method = (name: string) => report.byMethod.find((m) => m.method === name);
    expect(report.total).toEqual({ count: 4, amount: 105, value: 120, preservedValue: 85, preservedCount: 2 });
    expect(method('store_credit')).toEqual({ method: 'store_credit', count: 1, amount: 40, value: 40 });
    expect(method('original_payment')).toEqual({ method: 'original_payment', count: 1, amount: 30, value: 30 });
    // The gift-card part of the split refund is money, not a refund of its own.
    expect(method('gift_card')).toEqual({ method: 'gift_card', count: 0, amount: 20, value: 20 });
    // An exchange is worth the lines it replaced when they are worth more than the refund.
    expect(method('exchange')).toEqual({ method: 'exchange', count: 1, amount: 10, value: 25 });
    // A refund without a method is 'other'.
    expect(method('other')).toEqual({ method: 'other', count: 1, amount: 5, value: 5 });
    expect(report.preservationRate).toBe(Math.round((85 / 120) * 10_000) / 10_000);
    expect(report.byRefundZone.map((zone) => [zone.zone, zone.count])).toEqual([['low', 0], ['medium', 0], ['high', 1], ['undecided', 3]]);
    expect(report.byOrderZone.map((zone) => [zone.zone, zone.count])).toEqual([['low', 0], ['medium', 0], ['high', 4], ['undecided', 0]]);
    expect((await stores.refundReports.refundMethods(A, { from: '2026-10-15T00:00:00.000Z' })).total.count).toBe(1);
    const ofB = await stores.refundReports.refundMethods(B);
    expect(ofB.total).toMatchObject({ count: 1, amount: 999 });
    expect(ofB.byOrderZone.find((zone) => zone.zone === 'high')!.count).toBe(1);
  });

  it('compares HIGH decisions held out with those acted on: chargebacks, refunds and fraud labels after them', async () => {
    const { groups, notActedOn } = await stores.refundReports.holdout(A);
    const [holdout, acted] = groups;
    expect(holdout).toMatchObject({ group: 'holdout', decisions: 1, withChargeback: 1, withRefund: 1, refundedValue: 45, labelledFraud: 0, chargebackRate: 1 });
    expect(acted).toMatchObject({ group: 'acted', decisions: 1, withChargeback: 0, withRefund: 1, refundedValue: 50, labelledFraud: 1, fraudLabelRate: 1 });
    // Order 3's only action was skipped; the HIGH refund decision had none.
    expect(notActedOn).toBe(2);
    const ofB = await stores.refundReports.holdout(B);
    expect(ofB.groups.map((group) => [group.group, group.decisions, group.withRefund, group.refundedValue, group.withChargeback])).toEqual([['holdout', 1, 1, 999, 0], ['acted', 0, 0, 0, 0]]);
    expect((await stores.refundReports.holdout(A, { from: '2026-10-02T00:00:00.000Z' })).groups[0]!.decisions).toBe(0);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateShop } from '../../scenarios/generateShop.ts';
import { makeOrder, makeRefund, makeReturn } from '../../sdk/testing/index.ts';
import { builtinSignals } from '../../signals/index.ts';
import defaultRuleset from '../../rulesets/default.json' with { type: 'json' };
import { compileRuleset } from '../compileRuleset.ts';
import { createRegistry } from '../registry.ts';
import { buildBaseline, percentiles } from './buildBaseline.ts';
import { contextAt } from './contextAt.ts';
import { replayHistory } from './replayHistory.ts';
import { eventTime, ShopHistory, type HistoryEvent } from './ShopHistory.ts';

const customerId = 'gid://shopify/Customer/1';
const customer = { id: customerId, createdAt: '2025-01-01T00:00:00Z', tags: ['vip', 'refundsentry:high-risk'], identity: {} };
const order1 = makeOrder({ id: 'gid://shopify/Order/1', customerId, createdAt: '2025-03-01T10:00:00Z' });
const order2 = makeOrder({ id: 'gid://shopify/Order/2', customerId, createdAt: '2025-03-10T10:00:00Z' });
const return1 = makeReturn(order1, { id: 'gid://shopify/Return/1', createdAt: '2025-03-12T10:00:00Z' });
const events: HistoryEvent[] = [
  { type: 'customer', customer },
  { type: 'order', order: order1 },
  { type: 'fulfillment', fulfillment: { id: 'gid://shopify/Fulfillment/1', orderId: order1.id, createdAt: '2025-03-02T10:00:00Z', deliveredAt: '2025-03-05T10:00:00Z', lineItems: [] } },
  { type: 'order', order: order2 },
  { type: 'fulfillment', fulfillment: { id: 'gid://shopify/Fulfillment/2', orderId: order2.id, createdAt: '2025-03-11T10:00:00Z', deliveredAt: '2025-03-14T10:00:00Z', lineItems: [] } },
  { type: 'return', return: return1 },
  { type: 'refund', refund: makeRefund(order1, { id: 'gid://shopify/Refund/1', returnId: return1.id, createdAt: '2025-03-13T10:00:00Z' }) },
  { type: 'chargeback', chargeback: { id: 'gid://shopify/ShopifyPaymentsDispute/1', orderId: order2.id, initiatedAt: '2025-04-01T00:00:00Z', amount: 50 } },
];

describe('contextAt', () => {
  const history = ShopHistory.from(events);

  it('holds only what was known strictly before the subject', () => {
    const ctx = contextAt({ kind: 'return', id: return1.id, at: return1.createdAt, return: return1, order: order1 }, history, { shopId: 's' });
    expect(ctx.now).toBe(return1.createdAt);
    expect(ctx.history.orders.map((o) => o.id)).toEqual([order1.id, order2.id]);
    expect(ctx.history.returns).toEqual([]);
    expect(ctx.history.refunds).toEqual([]);
    expect(ctx.history.chargebacks).toEqual([]);
    // Order 2 was shipped before the return but delivered after it: no delivery time yet.
    expect(ctx.history.fulfillments.map((f) => [f.id, f.deliveredAt])).toEqual([
      ['gid://shopify/Fulfillment/1', '2025-03-05T10:00:00Z'],
      ['gid://shopify/Fulfillment/2', null],
    ]);
  });

  it('never counts the subject itself, and sees later records once they happened', () => {
    const ctx = contextAt({ kind: 'order', id: order2.id, at: order2.createdAt, order: order2 }, history, { shopId: 's' });
    expect(ctx.history.orders.map((o) => o.id)).toEqual([order1.id]);
    const later = contextAt({ kind: 'order', id: 'gid://shopify/Order/9', at: '2025-05-01T00:00:00Z', order: makeOrder({ customerId }) }, history, { shopId: 's' });
    expect(later.history.chargebacks).toHaveLength(1);
    expect(later.history.returns).toHaveLength(1);
  });

  it("takes RefundSentry's risk tag from the latest earlier decision, not from today's tags", () => {
    const withDecision = ShopHistory.from(events);
    withDecision.addDecision(customerId, order1.id, { subjectId: order1.id, kind: 'order', at: order1.createdAt, score: 40, zone: 'medium' });
    const ctx = contextAt({ kind: 'order', id: order2.id, at: order2.createdAt, order: order2 }, withDecision, { shopId: 's' });
    expect(ctx.customer!.tags).toEqual(['vip', 'refundsentry:medium-risk']);
    expect(ctx.history.decisions).toHaveLength(1);
    const first = contextAt({ kind: 'order', id: order1.id, at: order1.createdAt, order: order1 }, withDecision, { shopId: 's' });
    expect(first.customer!.tags).toEqual(['vip']);
  });

  it('gives a guest order only its own records', () => {
    const guestOrder = makeOrder({ id: 'gid://shopify/Order/77', customerId: null, createdAt: '2025-03-01T00:00:00Z' });
    const guestReturn = makeReturn(guestOrder, { id: 'gid://shopify/Return/77', createdAt: '2025-03-09T00:00:00Z', customerId: null });
    const h = ShopHistory.from([...events, { type: 'order', order: guestOrder }]);
    const ctx = contextAt({ kind: 'return', id: guestReturn.id, at: guestReturn.createdAt, return: guestReturn, order: guestOrder }, h, { shopId: 's' });
    expect(ctx.customer).toBeNull();
    expect(ctx.history.orders.map((o) => o.id)).toEqual([guestOrder.id]);
  });
});

describe('buildBaseline', () => {
  it('computes nearest-rank percentiles', () => {
    expect(percentiles([5, 1, 4, 2, 3, 6, 7, 8, 9, 10])).toEqual({ p50: 5, p75: 8, p90: 9, p95: 10, p99: 10, n: 10 });
  });

  it('uses only records before asOf and gives SKU rates only for SKUs sold often enough', () => {
    const shopEvents: HistoryEvent[] = [];
    for (let i = 0; i < 30; i++) {
      const order = makeOrder({ id: `gid://shopify/Order/${i}`, customerId: `gid://shopify/Customer/${i % 10}`, createdAt: `2025-01-${String(i + 1).padStart(2, '0')}T00:00:00Z`, totalPrice: 10 * (i + 1) });
      shopEvents.push({ type: 'order', order });
      if (i % 3 === 0) shopEvents.push({ type: 'return', return: makeReturn(order, { id: `gid://shopify/Return/${i}`, createdAt: `2025-02-${String(i % 28 + 1).padStart(2, '0')}T00:00:00Z` }) });
    }
    const history = ShopHistory.from(shopEvents);
    const january = buildBaseline(history.all, { asOf: '2025-01-11T00:00:00Z', minSkuSold: 5 });
    expect(january.measures['order.value']).toMatchObject({ n: 10, p50: 50, p90: 90 });
    expect(january.measures['return.value']).toBeUndefined();
    expect(january.skuReturnRates).toEqual({ 'SKU-1': { rate: 0, sold: 10 } });
    const later = buildBaseline(history.all, { asOf: '2025-03-01T00:00:00Z', minSkuSold: 5 });
    expect(later.measures['order.value'].n).toBe(30);
    expect(later.skuReturnRates['SKU-1']).toEqual({ rate: 10 / 30, sold: 30 });
    expect(later.shopReturnRate).toBeCloseTo(10 / 30);
    // 10 customers with 3 orders each; customers 0, 3, 6, 9 returned... every customer i%10 with i%3==0.
    expect(later.measures['customer.returnRate'].n).toBe(10);
    expect(buildBaseline(history.all, { asOf: '2025-03-01T00:00:00Z', minSkuSold: 31 }).skuReturnRates).toEqual({});
  });
});

describe('replayHistory', () => {
  const compiled = compileRuleset(defaultRuleset, createRegistry(builtinSignals));

  it('decides every order, return and refund once, in time order', () => {
    const decisions = [...replayHistory(events, compiled, { shopId: 's' })].map((r) => r.decision);
    expect(decisions.map((d) => d.subject.id)).toEqual([order1.id, order2.id, return1.id, 'gid://shopify/Refund/1']);
  });

  it('decides each event as it would have been decided live: later events never change it (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0.1, max: 0.95, noNaN: true }), (seed, cutShare) => {
        const shop = generateShop({ seed, customers: 40, days: 200 });
        const full = [...replayHistory(shop.events, compiled, { shopId: 's' })].map((r) => r.decision);
        const times = shop.events.map((e) => Date.parse(eventTime(e))).sort((a, b) => a - b);
        const cut = times[Math.floor(times.length * cutShare)];
        // "Live" at the cut: only the events that had happened by then exist.
        const prefix = shop.events.filter((e) => Date.parse(eventTime(e)) <= cut);
        const live = [...replayHistory(prefix, compiled, { shopId: 's' })].map((r) => r.decision);
        expect(live.length).toBeGreaterThan(0);
        expect(live.map((d) => JSON.stringify(d))).toEqual(full.slice(0, live.length).map((d) => JSON.stringify(d)));
      }),
      { numRuns: 15 },
    );
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../engine/history/index.ts';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { createStores, type Stores } from './index.ts';

// One database for the file; two shops storing records under the same Shopify ids.
let db: TestDatabase;
let stores: Stores;
const A = 'events-a.myshopify.com';
const B = 'events-b.myshopify.com';
const gone = 'events-gone.myshopify.com';
const customer = 'gid://shopify/Customer/1';

const order = (n: number, total: number, customerId: string | null = customer, createdAt = `2026-11-0${n}T10:00:00.000Z`): HistoryEvent =>
  ({ type: 'order', order: { id: `gid://shopify/Order/${n}`, customerId, createdAt, totalPrice: total, currency: 'EUR', lineItems: [], discountCodes: [], gateways: ['shopify_payments'], tags: [] } }) as unknown as HistoryEvent;
const refund = (n: number, orderN: number, amount: number): HistoryEvent =>
  ({ type: 'refund', refund: { id: `gid://shopify/Refund/${n}`, orderId: `gid://shopify/Order/${orderN}`, createdAt: `2026-11-2${n % 10}T10:00:00.000Z`, amount, currency: 'EUR' } }) as unknown as HistoryEvent;
const chargeback = (n: number, orderN: number, amount: number): HistoryEvent =>
  ({ type: 'chargeback', chargeback: { id: `gid://shopify/ShopifyPaymentsDispute/${n}`, orderId: `gid://shopify/Order/${orderN}`, initiatedAt: '2026-11-28T10:00:00.000Z', amount, currency: 'EUR', reason: 'fraudulent', type: 'chargeback' } }) as unknown as HistoryEvent;
const customerRecord = (): HistoryEvent => ({ type: 'customer', customer: { id: customer, identity: {}, tags: [] } }) as unknown as HistoryEvent;

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
  for (const shop of [A, B, gone]) await stores.shops.install(shop, 'shpat_test', 'read_orders');
  await stores.shops.markUninstalled(gone);
});
afterAll(async () => {
  await db?.drop();
});

const rowOf = (shop: string, kind: string, id: string) => db.knex('events').where({ shop_id: shop, kind, resource_id: id }).first(db.knex.raw('xmin::text as version'), 'customer_id', 'order_id', 'body');

describe('EventStore', () => {
  it('keeps one row per resource and shop: a later version replaces it, the same one again leaves it untouched', async () => {
    await stores.events.upsertAll(A, [customerRecord(), order(1, 50), order(2, 70)]);
    await stores.events.upsertAll(B, [order(1, 999, 'gid://shopify/Customer/9')]);
    const first = await rowOf(A, 'order', 'gid://shopify/Order/1');
    await stores.events.upsert(A, order(1, 50));
    expect((await rowOf(A, 'order', 'gid://shopify/Order/1')).version).toBe(first.version);
    await stores.events.upsert(A, order(1, 55));
    expect(await stores.events.get(A, 'order', 'gid://shopify/Order/1')).toMatchObject({ totalPrice: 55 });
    expect(await stores.events.get(B, 'order', 'gid://shopify/Order/1')).toMatchObject({ totalPrice: 999 });
    expect(await stores.events.get(B, 'order', 'gid://shopify/Order/2')).toBeUndefined();
  });

  it('gives a record linked only by its order the customer of the shop’s order, stored or in the same batch', async () => {
    await stores.events.upsertAll(A, [refund(1, 1, 20), chargeback(1, 2, 70)]);
    await stores.events.upsertAll(B, [refund(1, 1, 5), order(3, 10, 'gid://shopify/Customer/8'), refund(3, 3, 10)]);
    expect(await rowOf(A, 'refund', 'gid://shopify/Refund/1')).toMatchObject({ customer_id: customer, order_id: 'gid://shopify/Order/1' });
    expect(await rowOf(B, 'refund', 'gid://shopify/Refund/1')).toMatchObject({ customer_id: 'gid://shopify/Customer/9' });
    expect(await rowOf(B, 'refund', 'gid://shopify/Refund/3')).toMatchObject({ customer_id: 'gid://shopify/Customer/8' });
  });

  it('reads a customer’s records and totals within the shop', async () => {
    expect((await stores.events.orderIdsOfCustomer(A, customer)).sort()).toEqual(['gid://shopify/Order/1', 'gid://shopify/Order/2']);
    expect(await stores.events.orderIdsOfCustomer(B, customer)).toEqual([]);
    expect(await stores.events.customerTotals(A, customer)).toEqual({ orders: 2, orderValue: 125, returns: 0, refunds: 1, refundedValue: 20, chargebacks: 1 });
    expect(await stores.events.customerTotals(B, customer)).toEqual({ orders: 0, orderValue: 0, returns: 0, refunds: 0, refundedValue: 0, chargebacks: 0 });
    const listed = await stores.events.listForCustomer(A, customer, ['gid://shopify/Order/1', 'gid://shopify/Order/2']);
    expect(listed.map((row) => row.kind).sort()).toEqual(['chargeback', 'customer', 'order', 'order', 'refund']);
    expect((await stores.events.allForBaseline(A)).map((event) => event.type)).toEqual(['order', 'order', 'refund']);
  });

  it('names the shop’s orders and products, and tells its currency from its latest order, per shop', async () => {
    // Shops of their own (the other tests count A's and B's rows).
    const C = 'events-c.myshopify.com';
    const D = 'events-d.myshopify.com';
    for (const shop of [C, D]) await stores.shops.install(shop, 'shpat_test', 'read_orders');
    expect(await stores.events.shopCurrency(C)).toBeNull();
    const named = (n: number, name: string | undefined, currency: string, createdAt: string): HistoryEvent =>
      ({ type: 'order', order: { ...(order(n, 10, null, createdAt) as { order: object }).order, ...(name ? { name } : {}), currency } }) as unknown as HistoryEvent;
    await stores.events.upsertAll(C, [named(1, '#1001', 'GBP', '2026-11-01T10:00:00.000Z'), named(2, '#1002', 'CAD', '2026-11-03T10:00:00.000Z'), named(3, undefined, 'GBP', '2026-11-02T10:00:00.000Z')]);
    await stores.events.upsertAll(D, [named(1, '#9001', 'JPY', '2026-12-01T10:00:00.000Z')]);
    const names = await stores.events.orderNames(C, ['gid://shopify/Order/1', 'gid://shopify/Order/2', 'gid://shopify/Order/3', 'gid://shopify/Order/4', 'gid://shopify/Order/1']);
    expect([...names].sort()).toEqual([['gid://shopify/Order/1', '#1001'], ['gid://shopify/Order/2', '#1002']]);
    expect(await stores.events.orderNames(C, [])).toEqual(new Map());
    expect(await stores.events.shopCurrency(C)).toBe('CAD');
    expect(await stores.events.shopCurrency(D)).toBe('JPY');
    // Products by the title the latest order line gives them.
    const line = (productId: string, title: string) => ({ id: `gid://shopify/LineItem/${title.length}`, productId, title, quantity: 1, price: 1, totalDiscount: 0 });
    const withLines = (n: number, createdAt: string, lineItems: object[]): HistoryEvent => ({ type: 'order', order: { ...(order(n, 10, null, createdAt) as { order: object }).order, lineItems } }) as unknown as HistoryEvent;
    await stores.events.upsertAll(C, [withLines(5, '2026-11-05T10:00:00.000Z', [line('gid://shopify/Product/1', 'Linen shirt'), line('gid://shopify/Product/2', 'Scarf')]), withLines(6, '2026-11-06T10:00:00.000Z', [line('gid://shopify/Product/1', 'Linen shirt (new)')])]);
    await stores.events.upsertAll(D, [withLines(5, '2026-11-07T10:00:00.000Z', [line('gid://shopify/Product/2', 'D scarf')])]);
    expect([...(await stores.events.productTitles(C, ['gid://shopify/Product/1', 'gid://shopify/Product/2', 'gid://shopify/Product/3']))].sort()).toEqual([['gid://shopify/Product/1', 'Linen shirt (new)'], ['gid://shopify/Product/2', 'Scarf']]);
  });

  it('finds subjects of installed shops stored a while ago without a decision', async () => {
    await stores.events.upsert(gone, order(1, 10));
    expect(await stores.events.unscored(60)).toEqual([]);
    const unscored = await stores.events.unscored(0);
    expect(unscored.some((row) => row.shop_id === gone)).toBe(false);
    expect(unscored.filter((row) => row.shop_id === A).map((row) => `${row.kind} ${row.resource_id}`).sort()).toEqual(['order gid://shopify/Order/1', 'order gid://shopify/Order/2', 'refund gid://shopify/Refund/1']);
    await stores.decisions.insertManyWithEffects([{ shopId: A, decision: { subject: { kind: 'order', id: 'gid://shopify/Order/1', at: '2026-11-01T10:00:00Z' }, ruleset: { id: 'default', version: 1, contentHash: 'h' }, score: 1, zone: 'low' } as never, orderId: 'gid://shopify/Order/1', customerId: customer, actions: [] }]);
    const after = await stores.events.unscored(0);
    expect(after.filter((row) => row.shop_id === A).map((row) => row.resource_id).sort()).toEqual(['gid://shopify/Order/2', 'gid://shopify/Refund/1']);
    // B's order 1 has no decision of B's own.
    expect(after.some((row) => row.shop_id === B && row.resource_id === 'gid://shopify/Order/1')).toBe(true);
  });

  it('deletes a customer’s records and their orders’ records for GDPR, in the shop only', async () => {
    const deleted = await stores.events.deleteForCustomer(A, customer, ['gid://shopify/Order/1', 'gid://shopify/Order/2']);
    expect(deleted).toBe(5);
    expect(await db.knex('events').where({ shop_id: A }).count<{ count: string }[]>('* as count')).toEqual([{ count: '0' }]);
    expect(await db.knex('events').where({ shop_id: B }).pluck('kind')).toHaveLength(4);
  });
});

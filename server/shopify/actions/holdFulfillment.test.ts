import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schemaSuiteTitle, startDoubleWithClient } from '../../testing/doubleClient.ts';
import { adminSchemaAvailable } from '../../testing/shopifyDouble.ts';
import type { ShopifyDouble } from '../../testing/shopifyDouble.ts';
import { AdminGraphqlClient } from '../AdminGraphqlClient.ts';
import { ActionError } from './ActionError.ts';
import { holdFulfillment } from './holdFulfillment.ts';

const title = schemaSuiteTitle('holdFulfillment');

const ORDER = 'gid://shopify/Order/8728604311858';
const FO_OPEN = 'gid://shopify/FulfillmentOrder/9652928282930';
const FO_SCHEDULED = 'gid://shopify/FulfillmentOrder/9652928282931';
const FO_CLOSED = 'gid://shopify/FulfillmentOrder/9652928282932';

describe.skipIf(!adminSchemaAvailable())(title, () => {
  let double: ShopifyDouble;
  let client: AdminGraphqlClient;

  beforeEach(async () => {
    ({ double, client } = await startDoubleWithClient());
  });
  afterEach(() => double.close());

  const operations = () => double.requests.map((request) => request.operationName);

  it('holds every open and scheduled fulfillment order with our handle', async () => {
    double.state.addOrder({
      id: ORDER,
      fulfillmentOrders: [
        { id: FO_OPEN, status: 'OPEN' },
        { id: FO_SCHEDULED, status: 'SCHEDULED' },
        { id: FO_CLOSED, status: 'CLOSED' },
      ],
    });
    const result = await holdFulfillment(client, { orderId: ORDER, reason: 'HIGH_RISK_OF_FRAUD', note: 'RefundSentry score 82' });

    expect(result.skipped).toBeUndefined();
    expect(result.holds.map((hold) => hold.fulfillmentOrderId)).toEqual([FO_OPEN, FO_SCHEDULED]);
    expect(result.notHeld).toEqual([]);
    const open = double.state.fulfillmentOrder(FO_OPEN)!;
    expect(open.status).toBe('ON_HOLD');
    expect(open.holds).toEqual([
      { id: result.holds[0].holdId, handle: 'refundsentry', reason: 'HIGH_RISK_OF_FRAUD', reasonNotes: 'RefundSentry score 82', heldByRequestingApp: true },
    ]);
    expect(double.state.fulfillmentOrder(FO_CLOSED)!.holds).toEqual([]);
    expect(operations()).toEqual(['OrderFulfillmentOrders', 'FulfillmentOrderHold', 'FulfillmentOrderHold']);
    expect(double.requests[1].variables).toEqual({
      id: FO_OPEN,
      fulfillmentHold: { reason: 'HIGH_RISK_OF_FRAUD', reasonNotes: 'RefundSentry score 82', handle: 'refundsentry', notifyMerchant: false },
    });
  });

  it('is idempotent: a fulfillment order already carrying our hold is reported, not held twice', async () => {
    double.state.addOrder({ id: ORDER, fulfillmentOrders: [{ id: FO_OPEN }] });
    const first = await holdFulfillment(client, { orderId: ORDER, reason: 'HIGH_RISK_OF_FRAUD' });
    const second = await holdFulfillment(client, { orderId: ORDER, reason: 'HIGH_RISK_OF_FRAUD' });

    expect(second.holds).toEqual([{ fulfillmentOrderId: FO_OPEN, holdId: first.holds[0].holdId, existing: true }]);
    expect(double.state.fulfillmentOrder(FO_OPEN)!.holds).toHaveLength(1);
    expect(operations()).toEqual(['OrderFulfillmentOrders', 'FulfillmentOrderHold', 'OrderFulfillmentOrders']);
  });

  it("adds our own hold next to another app's hold, even one with the same handle", async () => {
    double.state.addOrder({
      id: ORDER,
      fulfillmentOrders: [{ id: FO_OPEN, holds: [{ handle: 'refundsentry', heldByRequestingApp: false }] }],
    });
    const result = await holdFulfillment(client, { orderId: ORDER, reason: 'OTHER' });
    expect(result.holds[0].existing).toBeUndefined();
    expect(double.state.fulfillmentOrder(FO_OPEN)!.holds.map((hold) => hold.heldByRequestingApp)).toEqual([false, true]);
  });

  it('skips an order without open fulfillment orders, and an unknown order', async () => {
    double.state.addOrder({ id: ORDER, fulfillmentOrders: [{ id: FO_CLOSED, status: 'CLOSED' }] });
    expect(await holdFulfillment(client, { orderId: ORDER, reason: 'OTHER' })).toEqual({
      holds: [],
      notHeld: [],
      skipped: 'no-open-fulfillment-orders',
    });
    expect(await holdFulfillment(client, { orderId: 'gid://shopify/Order/1', reason: 'OTHER' })).toMatchObject({ skipped: 'order-not-found' });
    expect(operations()).toEqual(['OrderFulfillmentOrders', 'OrderFulfillmentOrders']);
  });

  it("reports a fulfillment order at this app's 10-hold limit as not held, and holds the others", async () => {
    const tenHolds = Array.from({ length: 10 }, (_, i) => ({ handle: `appA-${i + 1}` }));
    double.state.addOrder({ id: ORDER, fulfillmentOrders: [{ id: FO_OPEN, holds: tenHolds }, { id: FO_SCHEDULED, status: 'SCHEDULED' }] });
    const result = await holdFulfillment(client, { orderId: ORDER, reason: 'HIGH_RISK_OF_FRAUD' });
    expect(result.notHeld).toEqual([{ fulfillmentOrderId: FO_OPEN, reason: 'hold-limit-reached' }]);
    expect(result.holds.map((hold) => hold.fulfillmentOrderId)).toEqual([FO_SCHEDULED]);
  });

  it('treats DUPLICATE_FULFILLMENT_HOLD_HANDLE (a concurrent run held it first) as already held', async () => {
    double.state.addOrder({ id: ORDER, fulfillmentOrders: [{ id: FO_OPEN, holds: [{ handle: 'refundsentry' }] }] });
    const ourHold = double.state.fulfillmentOrder(FO_OPEN)!.holds[0].id;
    // The listing predates the concurrent hold.
    double.respondNext({
      status: 200,
      body: JSON.stringify({
        data: { order: { id: ORDER, fulfillmentOrders: { nodes: [{ id: FO_OPEN, status: 'OPEN', fulfillmentHolds: [] }], pageInfo: { hasNextPage: false, endCursor: null } } } },
      }),
    });
    const result = await holdFulfillment(client, { orderId: ORDER, reason: 'HIGH_RISK_OF_FRAUD' });
    expect(result.holds).toEqual([{ fulfillmentOrderId: FO_OPEN, holdId: ourHold, existing: true }]);
    expect(operations()).toEqual(['OrderFulfillmentOrders', 'FulfillmentOrderHold', 'FulfillmentOrderHolds']);
  });

  it('reads every page of fulfillment orders', async () => {
    const many = Array.from({ length: 55 }, (_, i) => ({ id: `gid://shopify/FulfillmentOrder/${i + 1}` }));
    double.state.addOrder({ id: ORDER, fulfillmentOrders: many });
    const result = await holdFulfillment(client, { orderId: ORDER, reason: 'OTHER' });
    expect(result.holds).toHaveLength(55);
    expect(operations().filter((name) => name === 'OrderFulfillmentOrders')).toHaveLength(2);
  });

  it('refuses a handle longer than Shopify allows', async () => {
    await expect(holdFulfillment(client, { orderId: ORDER, reason: 'OTHER', handle: 'x'.repeat(65) })).rejects.toThrow(ActionError);
    expect(double.requests).toEqual([]);
  });
});

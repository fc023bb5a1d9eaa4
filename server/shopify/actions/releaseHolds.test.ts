import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schemaSuiteTitle, startDoubleWithClient } from '../../testing/doubleClient.ts';
import { adminSchemaAvailable } from '../../testing/shopifyDouble.ts';
import type { ShopifyDouble } from '../../testing/shopifyDouble.ts';
import { AdminGraphqlClient } from '../AdminGraphqlClient.ts';
import { holdFulfillment } from './holdFulfillment.ts';
import { releaseHolds } from './releaseHolds.ts';

const title = schemaSuiteTitle('releaseHolds');

const ORDER = 'gid://shopify/Order/8872698249522';
const FO = 'gid://shopify/FulfillmentOrder/9809006756146';
const FO_SCHEDULED = 'gid://shopify/FulfillmentOrder/9809006756147';
const OTHER_APP_HOLD = 'gid://shopify/FulfillmentHold/291210985778';

describe.skipIf(!adminSchemaAvailable())(title, () => {
  let double: ShopifyDouble;
  let client: AdminGraphqlClient;

  beforeEach(async () => {
    ({ double, client } = await startDoubleWithClient());
  });
  afterEach(() => double.close());

  const releaseRequests = () => double.requests.filter((request) => request.operationName === 'FulfillmentOrderReleaseHold');

  it("releases only our hold ids; another app's hold stays (capture release-hold-selective)", async () => {
    double.state.addOrder({
      id: ORDER,
      fulfillmentOrders: [
        { id: FO, holds: [{ id: OTHER_APP_HOLD, handle: 'selective-release-first', reason: 'AWAITING_RETURN_ITEMS', heldByRequestingApp: false }] },
      ],
    });
    const { holds } = await holdFulfillment(client, { orderId: ORDER, reason: 'HIGH_RISK_OF_FRAUD' });

    const result = await releaseHolds(client, { holds });
    expect(result).toEqual({ released: [holds[0].holdId], notFound: [] });
    const fo = double.state.fulfillmentOrder(FO)!;
    expect(fo.status).toBe('ON_HOLD');
    expect(fo.holds.map((hold) => hold.id)).toEqual([OTHER_APP_HOLD]);
    expect(releaseRequests().map((request) => request.variables)).toEqual([{ id: FO, holdIds: [holds[0].holdId] }]);
  });

  it('restores the status the fulfillment order had when the last hold goes', async () => {
    double.state.addOrder({ id: ORDER, fulfillmentOrders: [{ id: FO, status: 'OPEN' }, { id: FO_SCHEDULED, status: 'SCHEDULED' }] });
    const { holds } = await holdFulfillment(client, { orderId: ORDER, reason: 'HIGH_RISK_OF_FRAUD' });
    const result = await releaseHolds(client, { holds });
    expect(result.released).toHaveLength(2);
    expect(double.state.fulfillmentOrder(FO)!.status).toBe('OPEN');
    expect(double.state.fulfillmentOrder(FO_SCHEDULED)!.status).toBe('SCHEDULED');
  });

  it('reports holds that are gone as notFound and never sends an empty or missing holdIds', async () => {
    double.state.addOrder({ id: ORDER, fulfillmentOrders: [{ id: FO, holds: [{ id: OTHER_APP_HOLD, handle: 'theirs', heldByRequestingApp: false }] }] });
    const result = await releaseHolds(client, {
      holds: [
        { fulfillmentOrderId: FO, holdId: 'gid://shopify/FulfillmentHold/1' }, // already released
        { fulfillmentOrderId: FO, holdId: OTHER_APP_HOLD }, // not ours: left alone
        { fulfillmentOrderId: 'gid://shopify/FulfillmentOrder/404', holdId: 'gid://shopify/FulfillmentHold/2' },
      ],
    });
    expect(result).toEqual({
      released: [],
      notFound: ['gid://shopify/FulfillmentHold/1', OTHER_APP_HOLD, 'gid://shopify/FulfillmentHold/2'],
    });
    expect(releaseRequests()).toEqual([]);
    expect(double.state.fulfillmentOrder(FO)!.holds).toHaveLength(1);
  });

  it('releasing twice is harmless', async () => {
    double.state.addOrder({ id: ORDER, fulfillmentOrders: [{ id: FO }] });
    const { holds } = await holdFulfillment(client, { orderId: ORDER, reason: 'OTHER' });
    await releaseHolds(client, { holds });
    expect(await releaseHolds(client, { holds })).toEqual({ released: [], notFound: [holds[0].holdId] });
    expect(releaseRequests()).toHaveLength(1);
    expect(releaseRequests().every((request) => Array.isArray(request.variables.holdIds) && request.variables.holdIds.length > 0)).toBe(true);
  });
});

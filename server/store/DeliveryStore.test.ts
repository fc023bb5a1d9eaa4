import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../engine/history/index.ts';
import type { CustomerSnapshot, OrderRecord } from '../../sdk/index.ts';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import type { OrderDelivery } from './DeliveryStore.ts';
import { createStores, type Stores } from './index.ts';

let db: TestDatabase;
let stores: Stores;
const shopId = 'deliveries.myshopify.com';

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
  await stores.shops.install(shopId, '', 'read_orders');
});
afterAll(async () => {
  await db?.drop();
});

const customerId = 'gid://shopify/Customer/7001';

function customer(email: string, tags: string[] = []): CustomerSnapshot {
  return { id: customerId, identity: { email }, tags };
}

/** An order webhook of the customer (a fresh delivery and effect each), as the webhook route builds it. */
async function orderDelivery(orderNumber: number, snapshot: CustomerSnapshot): Promise<OrderDelivery> {
  const order = {
    id: `gid://shopify/Order/${orderNumber}`,
    customerId,
    createdAt: `2026-12-0${orderNumber % 9 + 1}T10:00:00.000Z`,
    totalPrice: 10,
    currency: 'EUR',
    lineItems: [],
    discountCodes: [],
    gateways: [],
    tags: [],
    identity: snapshot.identity,
  } as unknown as OrderRecord;
  const events: HistoryEvent[] = [
    { type: 'customer', customer: snapshot } as HistoryEvent,
    { type: 'order', order },
  ];
  return {
    delivery: { shopId, webhookId: `webhook-${orderNumber}`, topic: 'orders/create', eventId: `event-${orderNumber}`, resourceId: order.id, triggeredAt: null },
    customer: snapshot,
    events: await stores.events.rowsOf(shopId, events),
  };
}

/** The row versions (xmin) of the customer's profile and of its customer record. */
async function versions(): Promise<{ profile: string; record: string }> {
  const { rows } = await db.knex.raw(
    `select (select xmin::text from customers where shop_id = :shopId and id = :customerId) as profile,
            (select xmin::text from events where shop_id = :shopId and kind = 'customer' and resource_id = :customerId) as record`,
    { shopId, customerId },
  );
  return rows[0];
}

describe('DeliveryStore.recordOrders', () => {
  it("leaves a repeat customer's unchanged profile and customer record as they are, and writes them when they change", async () => {
    expect(await stores.deliveries.recordOrders([await orderDelivery(1, customer('hash-a'))])).toEqual(['new']);
    const first = await versions();
    expect(first.profile).toBeTruthy();
    expect(first.record).toBeTruthy();

    // The same customer's next order: both rows are as they were (no new row version).
    expect(await stores.deliveries.recordOrders([await orderDelivery(2, customer('hash-a'))])).toEqual(['new']);
    expect(await versions()).toEqual(first);
    expect(await db.knex('events').where({ shop_id: shopId, kind: 'order' }).count('* as n').first()).toEqual({ n: '2' });

    // A changed identifier or tag is written to both.
    expect(await stores.deliveries.recordOrders([await orderDelivery(3, customer('hash-b', ['vip']))])).toEqual(['new']);
    const changed = await versions();
    expect(changed.profile).not.toEqual(first.profile);
    expect(changed.record).not.toEqual(first.record);
    const profile = await stores.customers.get(shopId, customerId);
    expect(profile?.identity).toEqual({ email: 'hash-b' });
    expect(profile?.tags).toEqual(['vip']);
    const record = await stores.events.get<CustomerSnapshot>(shopId, 'customer', customerId);
    expect(record?.identity).toEqual({ email: 'hash-b' });
  });

  it('upsertSnapshot and upsertAll leave unchanged rows as they are too', async () => {
    const before = await versions();
    const profile = await stores.customers.get(shopId, customerId);
    const snapshot = customer(profile!.identity.email!, profile!.tags);
    await stores.customers.upsertSnapshot(shopId, snapshot);
    await stores.events.upsertAll(shopId, [{ type: 'customer', customer: snapshot } as HistoryEvent]);
    expect(await versions()).toEqual(before);

    await stores.customers.upsertSnapshot(shopId, customer('hash-c'));
    await stores.events.upsertAll(shopId, [{ type: 'customer', customer: customer('hash-c') } as HistoryEvent]);
    const after = await versions();
    expect(after.profile).not.toEqual(before.profile);
    expect(after.record).not.toEqual(before.record);
  });
});

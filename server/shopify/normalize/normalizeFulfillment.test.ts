import { describe, expect, it } from 'vitest';
import { thrownBy } from '../fixtures/thrownBy.ts';
import { variant } from '../fixtures/webhookVariants.ts';
import { normalizeFulfillment } from './normalizeFulfillment.ts';
import { PayloadError } from './PayloadError.ts';

describe('normalizeFulfillment', () => {
  it('reads the fulfillments/create sample', () => {
    expect(normalizeFulfillment(variant('fulfillments_create'))).toEqual({
      id: 'gid://shopify/Fulfillment/123456',
      orderId: 'gid://shopify/Order/820982911946154508',
      createdAt: '2021-12-31T19:00:00-05:00',
      deliveredAt: null,
      status: 'pending',
      lineItems: [
        { lineItemId: 'gid://shopify/LineItem/487817672276298554', quantity: 1 },
        { lineItemId: 'gid://shopify/LineItem/789012345678901234', quantity: 1 },
        { lineItemId: 'gid://shopify/LineItem/890123456789012345', quantity: 1 },
        { lineItemId: 'gid://shopify/LineItem/976318377106520349', quantity: 1 },
        { lineItemId: 'gid://shopify/LineItem/315789986012684393', quantity: 1 },
      ],
    });
  });

  it('dates delivery from updated_at when the carrier reports it delivered', () => {
    const fulfillment = normalizeFulfillment(variant('fulfillments_create', (f) => {
      f.status = 'success';
      f.shipment_status = 'delivered';
      f.updated_at = '2022-01-04T10:15:00-05:00';
    }));
    expect(fulfillment.deliveredAt).toBe('2022-01-04T10:15:00-05:00');
    expect(normalizeFulfillment(variant('fulfillments_create', (f) => (f.shipment_status = 'in_transit'))).deliveredAt).toBeNull();
  });

  it('refuses a body without an order id', () => {
    const error = thrownBy(() => normalizeFulfillment(variant('fulfillments_create', (f) => delete f.order_id)));
    expect(error).toBeInstanceOf(PayloadError);
    expect(error).toMatchObject({ pointer: '/order_id' });
  });
});

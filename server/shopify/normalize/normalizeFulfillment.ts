import type { FulfillmentRecord } from '../../../sdk/index.ts';
import { fulfillmentPayload } from './fulfillmentPayload.ts';
import { gidOf, shopifyGid } from './shopifyGid.ts';

/**
 * A fulfillments/* body as our FulfillmentRecord. The destination address, email and tracking
 * numbers are dropped. Delivery is known only from `shipment_status: "delivered"`, and the
 * body has no delivery timestamp, so the fulfillment's `updated_at` stands in for it.
 */
export function normalizeFulfillment(body: unknown): FulfillmentRecord {
  const p = fulfillmentPayload(body);
  const delivered = p.shipment_status?.toLowerCase() === 'delivered';
  return {
    id: gidOf('Fulfillment', p)!,
    orderId: shopifyGid('Order', p.order_id),
    createdAt: p.created_at,
    deliveredAt: delivered ? (p.updated_at ?? null) : null,
    ...(p.status ? { status: p.status } : {}),
    lineItems: p.line_items.map((item) => ({ lineItemId: gidOf('LineItem', item)!, quantity: item.quantity })),
  };
}

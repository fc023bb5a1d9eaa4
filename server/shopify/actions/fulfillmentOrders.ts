import type { AdminGraphqlClient, GraphqlResult } from '../AdminGraphqlClient.ts';
import { FULFILLMENT_ORDER_HOLDS, ORDER_FULFILLMENT_ORDERS } from '../operations.ts';

export interface FulfillmentHoldSummary {
  id: string;
  handle: string | null;
  heldByRequestingApp: boolean;
}

export interface FulfillmentOrderSummary {
  id: string;
  status: string;
  fulfillmentHolds: FulfillmentHoldSummary[];
}

interface FulfillmentOrderPage {
  nodes: FulfillmentOrderSummary[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

interface OrderFulfillmentOrdersData {
  order: { id: string; fulfillmentOrders: FulfillmentOrderPage } | null;
}

/** Every fulfillment order of an order (all pages), or null when the order does not exist. */
export async function listOrderFulfillmentOrders(
  client: AdminGraphqlClient,
  orderId: string,
): Promise<FulfillmentOrderSummary[] | null> {
  const all: FulfillmentOrderSummary[] = [];
  let after: string | null = null;
  for (;;) {
    const response: GraphqlResult<OrderFulfillmentOrdersData> = await client.request(ORDER_FULFILLMENT_ORDERS, { orderId, after });
    if (!response.data.order) return null;
    const page: FulfillmentOrderPage = response.data.order.fulfillmentOrders;
    all.push(...page.nodes);
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return all;
    after = page.pageInfo.endCursor;
  }
}

/** One fulfillment order with its holds, or null when it does not exist. */
export async function readFulfillmentOrderHolds(
  client: AdminGraphqlClient,
  fulfillmentOrderId: string,
): Promise<FulfillmentOrderSummary | null> {
  const { data } = await client.request<{ fulfillmentOrder: FulfillmentOrderSummary | null }>(
    FULFILLMENT_ORDER_HOLDS,
    { id: fulfillmentOrderId },
  );
  return data.fulfillmentOrder;
}

import { readFileSync } from 'node:fs';

/** The folder holding one `.graphql` file per Admin GraphQL operation the app sends. */
export const OPERATIONS_DIR = new URL('./operations/', import.meta.url);

function load(name: string): string {
  return readFileSync(new URL(`${name}.graphql`, OPERATIONS_DIR), 'utf8');
}

export const ORDER_FULFILLMENT_ORDERS = load('OrderFulfillmentOrders');
export const FULFILLMENT_ORDER_HOLDS = load('FulfillmentOrderHolds');
export const FULFILLMENT_ORDER_HOLD = load('FulfillmentOrderHold');
export const FULFILLMENT_ORDER_RELEASE_HOLD = load('FulfillmentOrderReleaseHold');
export const CUSTOMER_TAGS = load('CustomerTags');
export const TAGS_ADD = load('TagsAdd');
export const TAGS_REMOVE = load('TagsRemove');
export const ORDER_RISK_ASSESSMENT_CREATE = load('OrderRiskAssessmentCreate');
export const FLOW_TRIGGER_RECEIVE = load('FlowTriggerReceive');
export const BULK_OPERATION_RUN_QUERY = load('BulkOperationRunQuery');
export const BULK_OPERATION_STATUS = load('BulkOperationStatus');
export const BACKFILL_RETURN_DETAILS = load('BackfillReturnDetails');
export const BACKFILL_REFUND_DETAILS = load('BackfillRefundDetails');
export const PRODUCT_FACTS = load('ProductFacts');

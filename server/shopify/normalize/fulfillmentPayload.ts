import { payloadValidator } from './validatePayload.ts';
import { arrayOf, COUNT, gidSchema, ID, nullable, STRING, TIME, type NumericId } from './schemaParts.ts';

/** The fields of a fulfillments/* body we read; destination, email and tracking are dropped. */
export interface FulfillmentPayload {
  id: NumericId;
  admin_graphql_api_id?: string;
  order_id: NumericId;
  status?: string | null;
  shipment_status?: string | null;
  created_at: string;
  updated_at?: string | null;
  line_items: { id: NumericId; admin_graphql_api_id?: string; quantity: number }[];
}

export const FULFILLMENT_SCHEMA = {
  type: 'object',
  required: ['id', 'order_id', 'created_at', 'line_items'],
  properties: {
    id: ID,
    admin_graphql_api_id: gidSchema('Fulfillment'),
    order_id: ID,
    status: nullable(STRING),
    shipment_status: nullable(STRING),
    created_at: TIME,
    updated_at: nullable(TIME),
    line_items: arrayOf({
      type: 'object',
      required: ['id', 'quantity'],
      properties: { id: ID, admin_graphql_api_id: gidSchema('LineItem'), quantity: COUNT },
    }),
  },
} as const;

/** Checks a fulfillments/* body; throws PayloadError naming the first problem. */
export const fulfillmentPayload = payloadValidator<FulfillmentPayload>('fulfillments/*', FULFILLMENT_SCHEMA);

import { payloadValidator } from './validatePayload.ts';
import { arrayOf, COUNT, gidSchema, ID, nullable, STRING, TIME, type NumericId } from './schemaParts.ts';

/** Second-hand shape (no Shopify sample lists a return line item): see normalizeReturn. */
export interface ReturnLineItemPayload {
  id?: NumericId;
  admin_graphql_api_id?: string;
  quantity: number;
  line_item_id?: NumericId | null;
  line_item?: { id?: NumericId; admin_graphql_api_id?: string } | null;
  fulfillment_line_item?: { line_item?: { id?: NumericId; admin_graphql_api_id?: string } | null } | null;
  reason?: string | null;
  return_reason?: string | null;
  return_reason_note?: string | null;
  customer_note?: string | null;
}

/** The fields of a returns/* body we read. */
export interface ReturnPayload {
  id: NumericId;
  admin_graphql_api_id: string;
  status: string;
  order?: { id: NumericId; admin_graphql_api_id?: string };
  order_id?: NumericId;
  customer?: { id: NumericId; admin_graphql_api_id?: string } | null;
  created_at?: string | null;
  closed_at?: string | null;
  total_return_line_items?: number | null;
  return_line_items?: ReturnLineItemPayload[];
  exchange_line_items?: unknown[];
  total_exchange_line_items?: number | null;
}

const NSTRING = nullable(STRING);
const LINE_ITEM_REF = {
  type: ['object', 'null'],
  properties: { id: ID, admin_graphql_api_id: gidSchema('LineItem') },
} as const;

export const RETURN_SCHEMA = {
  type: 'object',
  required: ['id', 'admin_graphql_api_id', 'status'],
  // returns/request, approve and decline nest the order; close, cancel and reopen send a bare
  // order_id (FACTS §1, returns_request.source.txt).
  anyOf: [{ required: ['order'] }, { required: ['order_id'] }],
  properties: {
    id: ID,
    admin_graphql_api_id: gidSchema('Return'),
    status: { type: 'string', pattern: '^[A-Za-z_]+$' },
    order: {
      type: 'object',
      required: ['id'],
      properties: { id: ID, admin_graphql_api_id: gidSchema('Order') },
    },
    order_id: ID,
    customer: { type: ['object', 'null'], required: ['id'], properties: { id: ID, admin_graphql_api_id: gidSchema('Customer') } },
    created_at: nullable(TIME),
    closed_at: nullable(TIME),
    total_return_line_items: nullable(COUNT),
    return_line_items: arrayOf({
      type: 'object',
      required: ['quantity'],
      properties: {
        id: ID,
        admin_graphql_api_id: gidSchema('ReturnLineItem'),
        quantity: COUNT,
        line_item_id: nullable(ID),
        line_item: LINE_ITEM_REF,
        fulfillment_line_item: { type: ['object', 'null'], properties: { line_item: LINE_ITEM_REF } },
        reason: NSTRING,
        return_reason: NSTRING,
        return_reason_note: NSTRING,
        customer_note: NSTRING,
      },
    }),
    exchange_line_items: { type: 'array' },
    total_exchange_line_items: nullable(COUNT),
  },
} as const;

/** Checks a returns/* body; throws PayloadError naming the first problem. */
export const returnPayload = payloadValidator<ReturnPayload>('returns/*', RETURN_SCHEMA);

import { payloadValidator } from './validatePayload.ts';
import { arrayOf, BOOLEAN, COUNT, gidSchema, ID, MONEY, MONEY_BAG, nullable, STRING, TIME, type Money, type MoneyBag, type NumericId } from './schemaParts.ts';

export interface RefundTransactionPayload {
  kind: string;
  status: string;
  gateway?: string | null;
  amount: Money;
  amount_set?: MoneyBag;
}

/** The fields of a refunds/create body we read. */
export interface RefundPayload {
  id: NumericId;
  admin_graphql_api_id: string;
  order_id: NumericId;
  created_at: string;
  processed_at?: string | null;
  restock?: boolean | null;
  return?: { id: NumericId; admin_graphql_api_id?: string; exchange_line_items?: unknown[] } | null;
  refund_line_items: {
    line_item_id: NumericId;
    line_item?: { admin_graphql_api_id?: string } | null;
    quantity: number;
    restock_type?: string | null;
    subtotal?: Money;
    subtotal_set?: MoneyBag;
  }[];
  transactions?: RefundTransactionPayload[];
}

export const REFUND_SCHEMA = {
  type: 'object',
  required: ['id', 'admin_graphql_api_id', 'order_id', 'created_at', 'refund_line_items'],
  properties: {
    id: ID,
    admin_graphql_api_id: gidSchema('Refund'),
    order_id: ID,
    created_at: TIME,
    processed_at: nullable(TIME),
    restock: { type: ['boolean', 'null'] },
    return: {
      type: ['object', 'null'],
      required: ['id'],
      properties: { id: ID, admin_graphql_api_id: gidSchema('Return'), exchange_line_items: { type: 'array' } },
    },
    refund_line_items: arrayOf({
      type: 'object',
      required: ['line_item_id', 'quantity'],
      properties: {
        line_item_id: ID,
        line_item: { type: ['object', 'null'], properties: { admin_graphql_api_id: gidSchema('LineItem') } },
        quantity: COUNT,
        restock_type: nullable(STRING),
        subtotal: MONEY,
        subtotal_set: MONEY_BAG,
      },
    }),
    transactions: arrayOf({
      type: 'object',
      required: ['kind', 'status', 'amount'],
      properties: { kind: STRING, status: STRING, gateway: nullable(STRING), amount: MONEY, amount_set: MONEY_BAG, test: BOOLEAN },
    }),
  },
} as const;

/** Checks a refunds/create body; throws PayloadError naming the first problem. */
export const refundPayload = payloadValidator<RefundPayload>('refunds/create', REFUND_SCHEMA);

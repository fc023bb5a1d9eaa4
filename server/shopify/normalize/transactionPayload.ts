import { payloadValidator } from './validatePayload.ts';
import { BOOLEAN, gidSchema, ID, MONEY, nullable, TIME, type Money, type NumericId } from './schemaParts.ts';

/** The `payment_details` of an order_transactions/create body (REST Transaction), as far as we read it. */
export interface PaymentDetailsPayload {
  credit_card_bin?: string | null;
  avs_result_code?: string | null;
  cvv_result_code?: string | null;
  credit_card_number?: string | null;
  credit_card_company?: string | null;
  credit_card_name?: string | null;
  credit_card_wallet?: string | null;
  credit_card_expiration_month?: number | null;
  credit_card_expiration_year?: number | null;
}

/** The fields of an order_transactions/create body we read (Shopify's sample: `order_transactions_create.json`). */
export interface TransactionPayload {
  id: NumericId;
  admin_graphql_api_id: string;
  order_id: NumericId;
  kind: string;
  status: string;
  gateway?: string | null;
  created_at: string;
  processed_at?: string | null;
  test?: boolean;
  error_code?: string | null;
  amount: Money;
  payment_details?: PaymentDetailsPayload | null;
}

/** A short text field: kinds, statuses, gateway and card company names, codes (bounded: they are stored). */
const WORD = { type: 'string', maxLength: 255 } as const;
/** A result code: one letter in Shopify's docs ("or empty string" for CVV); bounded, judged by the normalizer. */
const CODE = { type: ['string', 'null'], maxLength: 16 } as const;
/** Card expiry parts are integers (the REST sample has null). */
const MONTH = { type: ['integer', 'null'], minimum: 1, maximum: 12 } as const;
const YEAR = { type: ['integer', 'null'], minimum: 0, maximum: 9999 } as const;

export const TRANSACTION_SCHEMA = {
  type: 'object',
  required: ['id', 'admin_graphql_api_id', 'order_id', 'kind', 'status', 'created_at', 'amount'],
  properties: {
    id: ID,
    admin_graphql_api_id: gidSchema('OrderTransaction'),
    order_id: ID,
    kind: WORD,
    status: WORD,
    gateway: nullable(WORD),
    created_at: TIME,
    processed_at: nullable(TIME),
    test: BOOLEAN,
    error_code: nullable(WORD),
    amount: MONEY,
    payment_details: {
      type: ['object', 'null'],
      properties: {
        credit_card_bin: { type: ['string', 'null'], maxLength: 64 },
        avs_result_code: CODE,
        cvv_result_code: CODE,
        credit_card_number: { type: ['string', 'null'], maxLength: 64 },
        credit_card_company: nullable(WORD),
        credit_card_name: nullable(WORD),
        credit_card_wallet: nullable(WORD),
        credit_card_expiration_month: MONTH,
        credit_card_expiration_year: YEAR,
      },
    },
  },
} as const;

/** Checks an order_transactions/create body; throws PayloadError naming the first problem. */
export const transactionPayload = payloadValidator<TransactionPayload>('order_transactions/create', TRANSACTION_SCHEMA);

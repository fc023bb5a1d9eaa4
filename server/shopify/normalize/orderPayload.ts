import { payloadValidator } from './validatePayload.ts';
import {
  arrayOf, BOOLEAN, COUNT, gidSchema, ID, MONEY, MONEY_BAG, nullable, STRING, TIME,
  type Money, type MoneyBag, type NumericId,
} from './schemaParts.ts';

/** The part of a REST-style address we read; the rest (names, company, phone…) is dropped. */
export interface AddressPayload {
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  zip?: string | null;
  province?: string | null;
  province_code?: string | null;
  country?: string | null;
  country_code?: string | null;
  latitude?: number | string | null;
  longitude?: number | string | null;
  phone?: string | null;
}

export interface LineItemPayload {
  id: NumericId;
  admin_graphql_api_id?: string;
  product_id?: NumericId | null;
  variant_id?: NumericId | null;
  sku?: string | null;
  title?: string | null;
  variant_title?: string | null;
  vendor?: string | null;
  quantity: number;
  price: Money;
  price_set?: MoneyBag;
  total_discount?: Money;
  total_discount_set?: MoneyBag;
  discount_allocations?: { amount: Money; amount_set?: MoneyBag }[];
  gift_card?: boolean;
  requires_shipping?: boolean;
}

export interface CustomerPayload {
  id: NumericId;
  admin_graphql_api_id?: string;
  created_at?: string | null;
  email?: string | null;
  phone?: string | null;
  tags?: string | null;
  /** disabled | invited | enabled | declined (Shopify's CustomerState, lowercase in REST bodies). */
  state?: string | null;
  default_address?: AddressPayload | null;
}

/** The fields of an orders/* body we read (FACTS §1: one shared sample for every orders/* topic). */
export interface OrderPayload {
  id: NumericId;
  admin_graphql_api_id: string;
  name?: string | null;
  created_at: string;
  updated_at: string;
  processed_at?: string | null;
  cancelled_at?: string | null;
  currency: string;
  total_price: Money;
  total_price_set?: MoneyBag;
  subtotal_price: Money;
  subtotal_price_set?: MoneyBag;
  total_discounts: Money;
  total_discounts_set?: MoneyBag;
  total_shipping_price_set?: MoneyBag | null;
  discount_codes?: { code: string }[];
  financial_status?: string | null;
  source_name?: string | null;
  payment_gateway_names?: string[];
  tags?: string | null;
  email?: string | null;
  contact_email?: string | null;
  phone?: string | null;
  browser_ip?: string | null;
  client_details?: {
    browser_ip?: string | null;
    user_agent?: string | null;
    accept_language?: string | null;
    /** The browser window's size in CSS pixels, when Shopify's checkout measured it. */
    browser_width?: number | null;
    browser_height?: number | null;
  } | null;
  customer?: CustomerPayload | null;
  billing_address?: AddressPayload | null;
  shipping_address?: AddressPayload | null;
  shipping_lines?: { title?: string | null; code?: string | null; price: Money; price_set?: MoneyBag }[];
  line_items: LineItemPayload[];
}

const NSTRING = nullable(STRING);
/** A browser window's width or height in CSS pixels (a real one is a few thousand at most). */
const WINDOW_SIZE = { type: ['integer', 'null'], minimum: 0, maximum: 100_000 } as const;
const COORDINATE = { type: ['number', 'string', 'null'] } as const;

const ADDRESS = {
  type: ['object', 'null'],
  properties: {
    address1: NSTRING, address2: NSTRING, city: NSTRING, zip: NSTRING, province: NSTRING,
    province_code: NSTRING, country: NSTRING, country_code: NSTRING, phone: NSTRING,
    latitude: COORDINATE, longitude: COORDINATE,
  },
} as const;

const LINE_ITEM = {
  type: 'object',
  required: ['id', 'quantity', 'price'],
  properties: {
    id: ID,
    admin_graphql_api_id: gidSchema('LineItem'),
    product_id: nullable(ID),
    variant_id: nullable(ID),
    sku: NSTRING, title: NSTRING, variant_title: NSTRING, vendor: NSTRING,
    quantity: COUNT,
    price: MONEY,
    price_set: MONEY_BAG,
    total_discount: MONEY,
    total_discount_set: MONEY_BAG,
    discount_allocations: arrayOf({ type: 'object', required: ['amount'], properties: { amount: MONEY, amount_set: MONEY_BAG } }),
    gift_card: BOOLEAN,
    requires_shipping: BOOLEAN,
  },
} as const;

export const ORDER_SCHEMA = {
  type: 'object',
  required: [
    'id', 'admin_graphql_api_id', 'created_at', 'updated_at', 'currency',
    'total_price', 'subtotal_price', 'total_discounts', 'line_items',
  ],
  properties: {
    id: ID,
    admin_graphql_api_id: gidSchema('Order'),
    name: NSTRING,
    created_at: TIME,
    updated_at: TIME,
    processed_at: nullable(TIME),
    cancelled_at: nullable(TIME),
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    total_price: MONEY,
    total_price_set: MONEY_BAG,
    subtotal_price: MONEY,
    subtotal_price_set: MONEY_BAG,
    total_discounts: MONEY,
    total_discounts_set: MONEY_BAG,
    total_shipping_price_set: nullable(MONEY_BAG),
    discount_codes: arrayOf({ type: 'object', required: ['code'], properties: { code: STRING } }),
    financial_status: NSTRING,
    source_name: NSTRING,
    payment_gateway_names: arrayOf(STRING),
    tags: NSTRING,
    email: NSTRING,
    contact_email: NSTRING,
    phone: NSTRING,
    browser_ip: NSTRING,
    client_details: {
      type: ['object', 'null'],
      properties: { browser_ip: NSTRING, user_agent: NSTRING, accept_language: NSTRING, browser_width: WINDOW_SIZE, browser_height: WINDOW_SIZE },
    },
    customer: {
      type: ['object', 'null'],
      required: ['id'],
      properties: {
        id: ID,
        admin_graphql_api_id: gidSchema('Customer'),
        created_at: nullable(TIME),
        email: NSTRING,
        phone: NSTRING,
        tags: NSTRING,
        state: NSTRING,
        default_address: ADDRESS,
      },
    },
    billing_address: ADDRESS,
    shipping_address: ADDRESS,
    shipping_lines: arrayOf({
      type: 'object',
      required: ['price'],
      properties: { title: NSTRING, code: NSTRING, price: MONEY, price_set: MONEY_BAG },
    }),
    line_items: arrayOf(LINE_ITEM),
  },
} as const;

/** Checks an orders/* body; throws PayloadError naming the first problem. */
export const orderPayload = payloadValidator<OrderPayload>('orders/*', ORDER_SCHEMA);

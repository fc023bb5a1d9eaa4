import { payloadValidator } from './validatePayload.ts';
import { arrayOf, ID, nullable, STRING, type NumericId } from './schemaParts.ts';

/** customers/redact and customers/data_request (FACTS §4.11); the email/phone are only hashed. */
export interface CustomerCompliancePayload {
  shop_id: NumericId;
  shop_domain: string;
  customer: { id: NumericId; email?: string | null; phone?: string | null };
  orders_to_redact?: NumericId[];
  orders_requested?: NumericId[];
  data_request?: { id: NumericId };
}

export interface ShopRedactPayload {
  shop_id: NumericId;
  shop_domain: string;
}

/** app/uninstalled sends a REST Shop object; only its ids are read. */
export interface AppUninstalledPayload {
  id: NumericId;
  myshopify_domain?: string | null;
  domain?: string | null;
}

const CUSTOMER = {
  type: 'object',
  required: ['id'],
  properties: { id: ID, email: nullable(STRING), phone: nullable(STRING) },
} as const;

const SHOP = { shop_id: ID, shop_domain: { type: 'string', minLength: 1 } } as const;

export const customersRedactPayload = payloadValidator<CustomerCompliancePayload>('customers/redact', {
  type: 'object',
  required: ['shop_id', 'shop_domain', 'customer', 'orders_to_redact'],
  properties: { ...SHOP, customer: CUSTOMER, orders_to_redact: arrayOf(ID) },
});

export const customersDataRequestPayload = payloadValidator<CustomerCompliancePayload>('customers/data_request', {
  type: 'object',
  required: ['shop_id', 'shop_domain', 'customer', 'orders_requested', 'data_request'],
  properties: {
    ...SHOP,
    customer: CUSTOMER,
    orders_requested: arrayOf(ID),
    data_request: { type: 'object', required: ['id'], properties: { id: ID } },
  },
});

export const shopRedactPayload = payloadValidator<ShopRedactPayload>('shop/redact', {
  type: 'object',
  required: ['shop_id', 'shop_domain'],
  properties: SHOP,
});

export const appUninstalledPayload = payloadValidator<AppUninstalledPayload>('app/uninstalled', {
  type: 'object',
  required: ['id'],
  properties: { id: ID, myshopify_domain: nullable(STRING), domain: nullable(STRING) },
});

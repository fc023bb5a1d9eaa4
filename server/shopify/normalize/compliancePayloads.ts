import { payloadValidator } from './validatePayload.ts';
import { arrayOf, ID, nullable, SHOP_DOMAIN, STRING, type NumericId } from './schemaParts.ts';

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

/** app/uninstalled sends a REST Shop object; only its id and domain are read. */
export interface AppUninstalledPayload {
  id: NumericId;
  /** Null in Shopify's sample only (the route then refuses it: it names no shop to check). */
  myshopify_domain: string | null;
  domain: string | null;
}

/** A compliance body's order ids: as many as fit in a webhook body (the stores pass them as one array parameter). */
const ORDER_IDS = arrayOf(ID);

const CUSTOMER = {
  type: 'object',
  required: ['id'],
  properties: { id: ID, email: nullable(STRING), phone: nullable(STRING) },
} as const;

/**
 * Each topic's schema requires that topic's own fields (Shopify's samples), so that a signed body
 * of one topic resent under another topic's header is refused (issue 19): the headers are not
 * signed, only the body is. The shop these bodies name is checked against the delivery's shop by
 * the webhook route.
 */
const SHOP = { shop_id: ID, shop_domain: SHOP_DOMAIN } as const;

/** Fields of the customers/* bodies: a shop/redact body has none of them (it would validate as one otherwise). */
const NOT_CUSTOMER_FIELDS = { customer: false, orders_to_redact: false, orders_requested: false, data_request: false } as const;

export const customersRedactPayload = payloadValidator<CustomerCompliancePayload>('customers/redact', {
  type: 'object',
  required: ['shop_id', 'shop_domain', 'customer', 'orders_to_redact'],
  properties: { ...SHOP, customer: CUSTOMER, orders_to_redact: ORDER_IDS },
});

export const customersDataRequestPayload = payloadValidator<CustomerCompliancePayload>('customers/data_request', {
  type: 'object',
  required: ['shop_id', 'shop_domain', 'customer', 'orders_requested', 'data_request'],
  properties: {
    ...SHOP,
    customer: CUSTOMER,
    orders_requested: ORDER_IDS,
    data_request: { type: 'object', required: ['id'], properties: { id: ID } },
  },
});

export const shopRedactPayload = payloadValidator<ShopRedactPayload>('shop/redact', {
  type: 'object',
  required: ['shop_id', 'shop_domain'],
  properties: { ...SHOP, ...NOT_CUSTOMER_FIELDS },
});

/**
 * The REST Shop object (Shopify's app/uninstalled sample): its identity and the settings only a
 * shop has (money format, plan, owner, time zone), none of which an order, customer, return or
 * compliance body carries.
 */
export const appUninstalledPayload = payloadValidator<AppUninstalledPayload>('app/uninstalled', {
  type: 'object',
  required: ['id', 'name', 'myshopify_domain', 'domain', 'currency', 'money_format', 'plan_name', 'shop_owner', 'timezone'],
  properties: {
    id: ID,
    name: STRING,
    myshopify_domain: nullable(SHOP_DOMAIN),
    domain: nullable(STRING),
    currency: STRING,
    money_format: STRING,
    plan_name: nullable(STRING),
    shop_owner: nullable(STRING),
    timezone: nullable(STRING),
  },
});

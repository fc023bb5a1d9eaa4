/**
 * Building blocks for the webhook body schemas. Bodies are parsed by `parseWebhookBody`, so a
 * numeric id is a number when safe and a decimal string when not; both are accepted.
 */

/** A numeric Shopify id (REST `id`, `order_id`, …). */
export const ID = { type: ['integer', 'string'], minimum: 0, pattern: '^[0-9]+$' } as const;

/** A Shopify GraphQL id of one resource type, e.g. `gid://shopify/Order/123`. */
export function gidSchema(type: string) {
  return { type: 'string', pattern: `^gid://shopify/${type}/[0-9]+$` } as const;
}

/** A decimal amount: REST sends strings ("10.00"), a few fields send numbers (89.99). */
export const MONEY = { type: ['string', 'number'], pattern: '^-?[0-9]+(\\.[0-9]+)?$' } as const;

/** A `*_set` money bag; only the shop currency amount is read. */
export const MONEY_BAG = {
  type: 'object',
  required: ['shop_money'],
  properties: { shop_money: { type: 'object', required: ['amount'], properties: { amount: MONEY } } },
} as const;

/** An ISO 8601 timestamp with an offset, as Shopify sends them (`2021-12-31T19:00:00-05:00`). */
export const TIME = {
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:?\\d{2})$',
} as const;

export const STRING = { type: 'string' } as const;
export const BOOLEAN = { type: 'boolean' } as const;

/** The same schema, also allowing null. */
export function nullable<S extends { type: string | readonly string[] }>(schema: S) {
  const types = typeof schema.type === 'string' ? [schema.type] : [...schema.type];
  return { ...schema, type: [...types, 'null'] };
}

export function arrayOf<S extends object>(items: S) {
  return { type: 'array', items } as const;
}

/** A numeric id as the parser returns it. */
export type NumericId = number | string;
/** A money value as the parser returns it. */
export type Money = number | string;
export interface MoneyBag {
  shop_money: { amount: Money };
}

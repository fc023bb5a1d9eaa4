/**
 * Building blocks for the webhook body schemas. Bodies are parsed by `parseWebhookBody`, so a
 * numeric id is a number when safe and a decimal string when not; both are accepted.
 *
 * Every value that reaches PostgreSQL is bounded here (issue 19): ids are keys of btree indexes
 * (a row over ~2.7 KB fails), integers are summed and compared in SQL, timestamps go to
 * `timestamptz` columns, amounts are summed as floats. Out of range is refused (PayloadError →
 * 400 naming the field), never clamped: none of these bounds is one a real Shopify value can pass.
 */

/** Digits of a numeric Shopify id: they are 64-bit (at most 20 digits). */
export const MAX_ID_DIGITS = 20;

/** A numeric Shopify id (REST `id`, `order_id`, …): a safe integer, or up to 20 digits as a string. */
export const ID = { type: ['integer', 'string'], minimum: 0, maximum: Number.MAX_SAFE_INTEGER, pattern: `^[0-9]{1,${MAX_ID_DIGITS}}$` } as const;

/** A Shopify GraphQL id of one resource type, e.g. `gid://shopify/Order/123`. */
export function gidSchema(type: string) {
  return { type: 'string', pattern: `^gid://shopify/${type}/[0-9]{1,${MAX_ID_DIGITS}}$` } as const;
}

/**
 * Quantities and counts: Shopify's own type for them is GraphQL `Int` (32-bit signed:
 * `LineItem.quantity: Int!`), so a larger one is not Shopify's (one stored once made every
 * `/api/analytics/skus` of its shop a 500, through an `::int` cast).
 */
export const MAX_COUNT = 2_147_483_647;
export const COUNT = { type: 'integer', minimum: 0, maximum: MAX_COUNT } as const;

/**
 * The largest amount accepted (either sign), in the shop's currency: 10^13 (13 integer digits),
 * beyond any real order even in currencies of many units to the dollar, and small enough that
 * sums of amounts stay exact to the cent in a double.
 */
export const MAX_AMOUNT = 1e13;

/** A decimal amount: REST sends strings ("10.00"), a few fields send numbers (89.99). */
export const MONEY = { type: ['string', 'number'], pattern: '^-?[0-9]{1,13}(\\.[0-9]{1,12})?$', minimum: -MAX_AMOUNT, maximum: MAX_AMOUNT } as const;

/** A `*_set` money bag; only the shop currency amount is read. */
export const MONEY_BAG = {
  type: 'object',
  required: ['shop_money'],
  properties: { shop_money: { type: 'object', required: ['amount'], properties: { amount: MONEY } } },
} as const;

/**
 * An ISO 8601 timestamp with an offset, as Shopify sends them (`2021-12-31T19:00:00-05:00`): a
 * real date and time (`isoTime.ts`) in the years 1970-2099 (the `shopify-time` format of
 * `validatePayload.ts`).
 */
export const TIME = { type: 'string', format: 'shopify-time' } as const;

export const STRING = { type: 'string' } as const;
export const BOOLEAN = { type: 'boolean' } as const;

/** A shop's domain as a body names it (`shop_domain`, `myshopify_domain`); checked against the delivery's shop. */
export const SHOP_DOMAIN = { type: 'string', minLength: 1, maxLength: 255 } as const;

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

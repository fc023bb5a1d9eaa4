/**
 * The field schemas of the admin API, defined once (JSON Schema fragments for `schema()` in
 * validate.ts): every value a route takes is one of these, so nothing reaches SQL that PostgreSQL
 * could refuse (a 500) — dates really parsed and in a sane range, ids and cursors within bigint,
 * versions within integer, numbers bounded, text length-capped. NUL, lone surrogates, non-finite
 * numbers and deep nesting are refused for every value by `schema()` itself.
 */

/** Dates and times are taken from this year to this one (inclusive). */
export const MIN_YEAR = 1970;
export const MAX_YEAR = 2199;
/** The largest PostgreSQL `integer` (ruleset versions). */
export const PG_INT_MAX = 2_147_483_647;

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * An ISO 8601 date (`2026-01-31`, midnight UTC) or date-time (`2026-01-31T10:00:00Z`,
 * `2026-01-31 10:00`, `…T10:00:00.123+02:00`; without an offset it is UTC), really parsed: a
 * month of 1-12, a day that exists in it, hours 0-23, minutes and seconds 0-59, an offset within
 * ±14:59, a year from MIN_YEAR to MAX_YEAR. Undefined for anything else.
 */
export function parseInstant(text: string): Date | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const [h, mm] = [Number(digits.slice(0, 2)), Number(digits.slice(2) || 0)];
    if (h > 14 || mm > 59) return undefined;
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (h * 60 + mm);
  }
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000);
}

/** A calendar day `YYYY-MM-DD` as `parseInstant` takes it (midnight UTC); undefined for anything else. */
export function parseDay(text: string): Date | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? parseInstant(text) : undefined;
}

/** A calendar day, `YYYY-MM-DD` (goal periods). */
export const DAY = { type: 'string', maxLength: 10, format: 'day' } as const;

/**
 * A point in time: an ISO 8601 date or date-time (see `parseInstant`). The validated value is
 * rewritten as its UTC ISO string (`2026-01-31T00:00:00.000Z`), so handlers and SQL read one form.
 */
export const INSTANT = { type: 'string', maxLength: 40, format: 'instant', toIsoString: true } as const;

/** A row id of ours (bigserial): 1-18 digits, always within bigint. */
export const ROW_ID = { type: 'string', pattern: '^[0-9]{1,18}$', description: 'an id of 1 to 18 digits' } as const;

/** The number of a Shopify GID (e.g. the 123 of gid://shopify/Order/123): digits, never a JS number. */
export const SHOPIFY_NUMBER = { type: 'string', pattern: '^[0-9]{1,20}$', description: 'a Shopify id of 1 to 20 digits' } as const;

/** A Shopify GID of one resource type (any when omitted), length-capped. */
export function gid(resource = '[A-Za-z]{1,40}') {
  return { type: 'string', maxLength: 100, pattern: `^gid://shopify/${resource}/[0-9]{1,20}$`, description: `a GID like gid://shopify/${resource.startsWith('[') ? 'Order' : resource}/123` } as const;
}

/**
 * What an audit line is about, as the log records it: a Shopify GID, a row id, a ruleset version
 * (`v3`), a shop domain or a list entry's `kind:hash` — printable ASCII without spaces, length-capped.
 */
export const AUDIT_SUBJECT = {
  type: 'string',
  pattern: '^[A-Za-z0-9._:/@-]{1,200}$',
  description: 'a subject of 1 to 200 characters (letters, digits and . _ : / @ -), e.g. gid://shopify/Order/123 or v3',
} as const;

/** An audit action or its family, a short dotted token (`decision.revise`, `ruleset`, `lists.blocked.add`). */
export const ACTION_TOKEN = { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,39}(\\.[a-z0-9_-]{1,40}){0,3}$', description: 'an action like decision.revise or a family like ruleset (lower-case words joined by dots)' } as const;

/** A ruleset version: a PostgreSQL integer from 1. */
export const VERSION = { type: 'integer', minimum: 1, maximum: PG_INT_MAX } as const;

/** A page size or count from `min` to `max`, `fallback` when absent. */
export function limit(max: number, fallback: number, min = 1) {
  return { type: 'integer', minimum: min, maximum: max, default: fallback } as const;
}

/** A whole number of days from 1 to `max`. */
export function days(max: number) {
  return { type: 'integer', minimum: 1, maximum: max } as const;
}

/** A real number from `min` to `max` (shares, precision targets, penalties). */
export function bounded(min: number, max: number) {
  return { type: 'number', minimum: min, maximum: max } as const;
}

/** Free text of at most `max` characters (at least `min`). */
export function text(max: number, min = 0) {
  return { type: 'string', minLength: min, maxLength: max } as const;
}

/** A keyed identifier hash (HMAC-SHA256, hex). */
export const HASH = { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'a 64-character hex hash' } as const;

/** An object of the given properties and nothing else (query strings, params, payloads). */
export function object(properties: Record<string, object>, required: readonly string[] = [], extra: Record<string, unknown> = {}) {
  return { type: 'object', additionalProperties: false, properties, ...(required.length ? { required: [...required] } : {}), ...extra };
}

/** A route that takes nothing in its query string (or payload): any parameter is refused. */
export const NOTHING = object({});

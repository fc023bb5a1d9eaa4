/**
 * Why an Admin API call failed:
 * - `throttled`: still rate limited after every attempt (HTTP 429 or a THROTTLED GraphQL error);
 * - `http`: an HTTP failure (5xx after every attempt, or another non-2xx status, or a body that is not JSON);
 * - `graphql`: the response carried GraphQL `errors` (invalid query, ACCESS_DENIED, ...); not retried;
 * - `network`: the request never got an answer (connection refused, reset, timeout) after every attempt;
 * - `unauthorized`: HTTP 401/403, the token is invalid or revoked; not retried, the caller pauses the shop.
 */
export type ShopifyApiErrorKind = 'throttled' | 'http' | 'graphql' | 'network' | 'unauthorized';

/** One entry of a GraphQL response's top-level `errors`. */
export interface GraphqlErrorEntry {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

export interface ShopifyApiErrorDetails {
  status?: number;
  attempts: number;
  errors?: GraphqlErrorEntry[];
  cause?: unknown;
}

export class ShopifyApiError extends Error {
  readonly kind: ShopifyApiErrorKind;
  readonly status?: number;
  readonly attempts: number;
  readonly errors?: GraphqlErrorEntry[];

  constructor(kind: ShopifyApiErrorKind, message: string, details: ShopifyApiErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ShopifyApiError';
    this.kind = kind;
    this.status = details.status;
    this.attempts = details.attempts;
    this.errors = details.errors;
  }
}

import { parseJsonLossless, stringifyJson } from './losslessJson.ts';
import { ShopifyApiError } from './ShopifyApiError.ts';
import type { GraphqlErrorEntry, ShopifyApiErrorKind } from './ShopifyApiError.ts';

export interface AdminGraphqlClientOptions {
  /** The shop's myshopify domain, e.g. `example.myshopify.com`. */
  shop: string;
  /** The offline Admin API access token. */
  accessToken: string;
  apiVersion?: string;
  /** Defaults to `https://${shop}`; tests point it at the local double. */
  origin?: string;
  /** Attempts in all, the first included. */
  maxAttempts?: number;
  baseDelayMs?: number;
  /** Cap of the exponential backoff; a longer Retry-After or bucket refill is still honoured. */
  maxDelayMs?: number;
  /** Per-attempt timeout; a timed-out attempt counts as a network error. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Called before each retry, e.g. to log it. */
  onRetry?: (retry: RetryInfo) => void;
}

export interface RetryInfo {
  attempt: number;
  delayMs: number;
  kind: ShopifyApiErrorKind;
  status?: number;
  message: string;
}

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** `extensions.cost` of an Admin GraphQL response (FACTS 4.9). */
export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus?: ThrottleStatus;
}

export interface GraphqlResult<T> {
  data: T;
  extensions?: unknown;
  /** How many attempts it took (1 when the first one succeeded). */
  attempts: number;
}

interface Failure {
  kind: ShopifyApiErrorKind;
  message: string;
  retryable: boolean;
  status?: number;
  /** The least wait Shopify asked for (Retry-After, or the bucket refill time). */
  waitMs?: number;
  errors?: GraphqlErrorEntry[];
  cause?: unknown;
}

type Outcome = { ok: true; data: unknown; extensions?: unknown } | { ok: false; failure: Failure };

const RETRYABLE_STATUSES = new Set([502, 503, 504]);

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A throttle-aware Admin GraphQL client. Retries HTTP 429, 502/503/504, network errors and
 * THROTTLED errors that arrive with HTTP 200 (Shopify uses both, FACTS 4.9), with exponential
 * backoff and jitter, waiting at least what Retry-After or the cost bucket asks for. Bodies are
 * parsed losslessly so ids beyond 2^53 are never rounded.
 */
export class AdminGraphqlClient {
  readonly shop: string;
  readonly endpoint: string;
  readonly maxAttempts: number;
  readonly #accessToken: string;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #timeoutMs: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #onRetry?: (retry: RetryInfo) => void;

  constructor(options: AdminGraphqlClientOptions) {
    const origin = (options.origin ?? `https://${options.shop}`).replace(/\/+$/, '');
    this.shop = options.shop;
    this.endpoint = `${origin}/admin/api/${options.apiVersion ?? '2026-07'}/graphql.json`;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.#accessToken = options.accessToken;
    this.#baseDelayMs = options.baseDelayMs ?? 500;
    this.#maxDelayMs = options.maxDelayMs ?? 20_000;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#random = options.random ?? Math.random;
    this.#onRetry = options.onRetry;
  }

  async request<T>(operation: string, variables?: object): Promise<GraphqlResult<T>> {
    const body = stringifyJson({ query: operation, variables: variables ?? {} });
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.#attempt(body);
      if (outcome.ok) return { data: outcome.data as T, extensions: outcome.extensions, attempts: attempt };
      const { failure } = outcome;
      if (!failure.retryable || attempt >= this.maxAttempts) {
        const message = failure.retryable
          ? `${failure.message} (gave up after ${attempt} attempt${attempt === 1 ? '' : 's'})`
          : failure.message;
        throw new ShopifyApiError(failure.kind, message, {
          status: failure.status,
          attempts: attempt,
          errors: failure.errors,
          cause: failure.cause,
        });
      }
      const delayMs = this.#delay(attempt, failure.waitMs);
      this.#onRetry?.({ attempt, delayMs, kind: failure.kind, status: failure.status, message: failure.message });
      await this.#sleep(delayMs);
    }
  }

  /** Equal-jitter exponential backoff (never below half the step, so delays grow), floored by Shopify's wait. */
  #delay(attempt: number, waitMs = 0): number {
    const step = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** (attempt - 1));
    const backoff = step / 2 + this.#random() * (step / 2);
    return Math.ceil(Math.max(backoff, waitMs));
  }

  async #attempt(body: string): Promise<Outcome> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json',
          'X-Shopify-Access-Token': this.#accessToken,
        },
        body,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return fail({ kind: 'network', retryable: true, message: `network error calling ${this.endpoint}: ${reason}`, cause: error });
    }
    const status = response.status;
    if (status === 401 || status === 403) {
      return fail({
        kind: 'unauthorized',
        retryable: false,
        status,
        message: `Shopify answered HTTP ${status} for ${this.shop}: the access token is invalid or was revoked`,
      });
    }
    const parsed = parseBody(text);
    if (status === 429) {
      const waitMs = Math.max(retryAfterMs(response.headers.get('retry-after')) ?? 0, refillMs(parsed) ?? 0);
      return fail({ kind: 'throttled', retryable: true, status, waitMs, message: `Shopify rate limited ${this.shop} (HTTP 429)` });
    }
    if (RETRYABLE_STATUSES.has(status)) {
      return fail({ kind: 'http', retryable: true, status, message: `Shopify answered HTTP ${status} for ${this.shop}` });
    }
    if (status < 200 || status >= 300) {
      return fail({ kind: 'http', retryable: false, status, message: `Shopify answered HTTP ${status} for ${this.shop}: ${snippet(text)}` });
    }
    if (!isRecord(parsed)) {
      return fail({ kind: 'http', retryable: false, status, message: `Shopify answered HTTP ${status} with a body that is not a JSON object: ${snippet(text)}` });
    }
    const errors = Array.isArray(parsed.errors) ? (parsed.errors as GraphqlErrorEntry[]) : undefined;
    if (errors && errors.length > 0) {
      if (errors.some((error) => error?.extensions?.code === 'THROTTLED')) {
        return fail({ kind: 'throttled', retryable: true, status, waitMs: refillMs(parsed), errors, message: `Shopify throttled the query for ${this.shop} (THROTTLED)` });
      }
      return fail({ kind: 'graphql', retryable: false, status, errors, message: `GraphQL errors: ${describeErrors(errors)}` });
    }
    if (!isRecord(parsed.data)) {
      return fail({ kind: 'graphql', retryable: false, status, message: 'the GraphQL response has neither data nor errors' });
    }
    return { ok: true, data: parsed.data, extensions: parsed.extensions };
  }
}

function fail(failure: Failure): Outcome {
  return { ok: false, failure };
}

function parseBody(text: string): unknown {
  try {
    return parseJsonLossless(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Retry-After in seconds (shopify-api parses it with parseFloat, FACTS 4.9), or an HTTP date. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** How long until the bucket holds the requested cost: (requested - available) / restoreRate seconds. */
function refillMs(body: unknown): number | undefined {
  if (!isRecord(body) || !isRecord(body.extensions) || !isRecord(body.extensions.cost)) return undefined;
  const cost = body.extensions.cost as Partial<QueryCost>;
  const status = cost.throttleStatus;
  if (typeof cost.requestedQueryCost !== 'number' || !status) return undefined;
  const { currentlyAvailable, restoreRate } = status;
  if (typeof currentlyAvailable !== 'number' || typeof restoreRate !== 'number' || restoreRate <= 0) return undefined;
  return Math.max(0, ((cost.requestedQueryCost - currentlyAvailable) / restoreRate) * 1000);
}

function describeErrors(errors: GraphqlErrorEntry[]): string {
  return errors
    .map((error) => (error?.extensions?.code ? `${error.message} [${error.extensions.code}]` : String(error?.message)))
    .join('; ');
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat || '(empty body)';
}

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminSchemaAvailable, startShopifyDouble } from '../testing/shopifyDouble.ts';
import type { ShopifyDouble } from '../testing/shopifyDouble.ts';
import { AdminGraphqlClient } from './AdminGraphqlClient.ts';
import { CUSTOMER_TAGS } from './operations.ts';
import { ShopifyApiError } from './ShopifyApiError.ts';

const title = adminSchemaAvailable()
  ? 'AdminGraphqlClient against the Shopify double'
  : 'AdminGraphqlClient against the Shopify double (SKIPPED: ../shared/shopify/schema/admin_2026-07.graphql not found)';

const CUSTOMER = 'gid://shopify/Customer/7001';

describe.skipIf(!adminSchemaAvailable())(title, () => {
  let double: ShopifyDouble;
  let delays: number[];

  beforeEach(async () => {
    double = await startShopifyDouble({ accessToken: 'shpat_good' });
    double.state.addCustomer({ id: CUSTOMER, tags: ['vip'] });
    delays = [];
  });
  afterEach(() => double.close());

  function client(options: { maxAttempts?: number; accessToken?: string; origin?: string } = {}) {
    return new AdminGraphqlClient({
      shop: 'example.myshopify.com',
      accessToken: options.accessToken ?? 'shpat_good',
      origin: options.origin ?? double.origin,
      maxAttempts: options.maxAttempts,
      random: () => 0.5,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
  }

  async function failure(promise: Promise<unknown>): Promise<ShopifyApiError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ShopifyApiError);
    return error as ShopifyApiError;
  }

  it('posts to the versioned endpoint with the token and returns data, extensions and attempts', async () => {
    const result = await client().request<{ customer: { id: string; tags: string[] } }>(CUSTOMER_TAGS, { id: CUSTOMER });
    expect(result.data.customer).toEqual({ id: CUSTOMER, tags: ['vip'] });
    expect(result.attempts).toBe(1);
    expect(result.extensions).toMatchObject({ cost: { throttleStatus: { maximumAvailable: 2000, restoreRate: 100 } } });
    expect(double.requests).toMatchObject([{ apiVersion: '2026-07', operationName: 'CustomerTags', variables: { id: CUSTOMER } }]);
    expect(delays).toEqual([]);
  });

  it('retries a THROTTLED error that arrives with HTTP 200, with growing delays', async () => {
    double.throttleNext(2, 'throttled-200');
    const result = await client().request(CUSTOMER_TAGS, { id: CUSTOMER });
    expect(result.attempts).toBe(3);
    expect(delays).toEqual([375, 750]); // equal jitter with random 0.5: 500 → [250, 500], 1000 → [500, 1000]
    expect(double.requests.map((r) => r.outcome)).toEqual(['throttled-200', 'throttled-200', 'ok']);
  });

  it('waits for the bucket to refill the requested cost ((752 - 666) / 100 s), like the real THROTTLED body', async () => {
    double.throttleNext(1, 'throttled-200', { requestedQueryCost: 752, currentlyAvailable: 666 });
    await client().request(CUSTOMER_TAGS, { id: CUSTOMER });
    expect(delays).toEqual([860]);
  });

  it('honours Retry-After seconds on HTTP 429', async () => {
    double.throttleNext(2, '429');
    const result = await client().request(CUSTOMER_TAGS, { id: CUSTOMER });
    expect(result.attempts).toBe(3);
    expect(delays).toEqual([1000, 1000]); // Retry-After: 1 beats the 375 and 750 ms backoff
  });

  it('retries 503 with exponential backoff until it succeeds', async () => {
    double.throttleNext(4, '503');
    const result = await client({ maxAttempts: 5 }).request(CUSTOMER_TAGS, { id: CUSTOMER });
    expect(result.attempts).toBe(5);
    expect(delays).toEqual([375, 750, 1500, 3000]);
  });

  it('gives up after maxAttempts with a throttled ShopifyApiError', async () => {
    double.throttleNext(10, 'throttled-200');
    const error = await failure(client({ maxAttempts: 3 }).request(CUSTOMER_TAGS, { id: CUSTOMER }));
    expect(error).toMatchObject({ kind: 'throttled', status: 200, attempts: 3 });
    expect(error.message).toMatch(/THROTTLED.*gave up after 3 attempts/);
    expect(delays).toHaveLength(2);
    expect(double.requests).toHaveLength(3);
  });

  it('gives up on repeated 503 with an http ShopifyApiError', async () => {
    double.throttleNext(10, '503');
    const error = await failure(client({ maxAttempts: 2 }).request(CUSTOMER_TAGS, { id: CUSTOMER }));
    expect(error).toMatchObject({ kind: 'http', status: 503, attempts: 2 });
  });

  it('reports 401 as unauthorized at once, without retrying', async () => {
    const error = await failure(client({ accessToken: 'shpat_revoked' }).request(CUSTOMER_TAGS, { id: CUSTOMER }));
    expect(error).toMatchObject({ kind: 'unauthorized', status: 401, attempts: 1 });
    expect(delays).toEqual([]);
    expect(double.requests).toHaveLength(1);
  });

  it('does not retry GraphQL errors other than THROTTLED', async () => {
    const error = await failure(client().request('query Bad { customer(id: "x") { nonsense } }'));
    expect(error).toMatchObject({ kind: 'graphql', status: 200, attempts: 1 });
    expect(error.errors?.[0]?.extensions?.code).toBe('undefinedField');
    expect(error.message).toContain("Field 'nonsense' doesn't exist on type 'Customer'");
    expect(delays).toEqual([]);
  });

  it('retries network errors, then gives up with kind network', async () => {
    const gone = await startShopifyDouble();
    await gone.close();
    const error = await failure(client({ origin: gone.origin, maxAttempts: 3 }).request(CUSTOMER_TAGS, { id: CUSTOMER }));
    expect(error).toMatchObject({ kind: 'network', attempts: 3 });
    expect(delays).toEqual([375, 750]);
  });

  it('keeps ids beyond 2^53 exact', async () => {
    double.respondNext({
      status: 200,
      body: '{"data":{"order":{"id":"gid://shopify/Order/820982911946154508","legacyResourceId":820982911946154508,"total":12.5}},"extensions":{"cost":{"requestedQueryCost":1,"actualQueryCost":1,"throttleStatus":{"maximumAvailable":1000.0,"currentlyAvailable":999,"restoreRate":50.0}}}}',
    });
    const result = await client().request<{ order: { id: string; legacyResourceId: unknown; total: number } }>(CUSTOMER_TAGS, { id: CUSTOMER });
    expect(result.data.order).toEqual({ id: 'gid://shopify/Order/820982911946154508', legacyResourceId: '820982911946154508', total: 12.5 });
    expect(result.extensions).toMatchObject({ cost: { throttleStatus: { maximumAvailable: 1000, restoreRate: 50 } } });
  });
});

import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createShopifyApi } from '../../auth/shopifyApi.ts';
import { loadConfig } from '../../config.ts';
import { readWebhookFixture } from '../fixtures/readWebhookFixture.ts';
import { WebhookCheckPool } from './WebhookCheckPool.ts';

const SECRET = 'a-webhook-test-secret';
const threaded = loadConfig({ SHOPIFY_API_KEY: 'key', SHOPIFY_API_SECRET: SECRET, SHOPIFY_APP_URL: 'https://app.example.com', WEBHOOK_THREADS: '2' });
const inProcess = loadConfig({ SHOPIFY_API_KEY: 'key', SHOPIFY_API_SECRET: SECRET, SHOPIFY_APP_URL: 'https://app.example.com', WEBHOOK_THREADS: '0' });
const pools = [new WebhookCheckPool(threaded, createShopifyApi(threaded)), new WebhookCheckPool(inProcess, createShopifyApi(inProcess))];
afterAll(() => Promise.all(pools.map((pool) => pool.close())));

function request(topic: string, body: string, options: { secret?: string; drop?: string } = {}) {
  const headers: Record<string, string> = {
    'x-shopify-topic': topic,
    'x-shopify-hmac-sha256': createHmac('sha256', options.secret ?? SECRET).update(body).digest('base64'),
    'x-shopify-shop-domain': 'a-shop.myshopify.com',
    'x-shopify-api-version': '2026-07',
    'x-shopify-webhook-id': randomUUID(),
    'x-shopify-event-id': 'event-1',
    'x-shopify-triggered-at': '2026-11-22T10:00:00.000Z',
  };
  if (options.drop) delete headers[options.drop];
  return { body: new TextEncoder().encode(body), headers, method: 'POST', path: '/webhooks', hashKey: 'a-hash-key' };
}

describe('WebhookCheckPool', () => {
  it('verifies and normalizes the same in worker threads as in process', async () => {
    const order = readWebhookFixture('orders_create');
    const cases = [
      request('orders/create', order),
      request('orders/create', order, { secret: 'someone-else' }),
      request('orders/create', order, { drop: 'x-shopify-webhook-id' }),
      request('orders/create', '{"id": 1'),
      request('bulk_operations/finish', '{"admin_graphql_api_id":"gid://shopify/BulkOperation/1"}'),
      request('products/create', '{"id": 1}'),
    ];
    const before = { ...pools[0]!.stats };
    const [fromThreads, fromProcess] = await Promise.all(pools.map((pool) => Promise.all(cases.map((input) => pool.check(input)))));
    expect(fromThreads).toEqual(fromProcess);
    // The webhooks that arrived together crossed to a thread in one message.
    expect({ messages: pools[0]!.stats.messages - before.messages, webhooks: pools[0]!.stats.webhooks - before.webhooks }).toEqual({ messages: 1, webhooks: cases.length });
    const [valid, forged, missing, malformed, bulk, unknown] = fromThreads;
    expect(valid).toMatchObject({ valid: true, domain: 'a-shop.myshopify.com', topic: 'orders/create', eventId: 'event-1', hashKey: 'a-hash-key', normalized: { kind: 'order', resourceId: 'gid://shopify/Order/820982911946154508' } });
    // No raw email crosses back from the thread: identities are keyed hashes.
    expect(JSON.stringify(valid)).not.toContain('@example.com');
    expect(forged).toEqual({ valid: false, reason: 'invalid_hmac' });
    expect(missing).toMatchObject({ valid: false, reason: 'missing_headers', missingHeaders: ['X-Shopify-Webhook-Id'] });
    expect(malformed).toMatchObject({ valid: true, payloadError: expect.stringContaining('orders/create') });
    expect(bulk).toMatchObject({ valid: true, topic: 'bulk_operations/finish' });
    expect(bulk).not.toHaveProperty('normalized');
    expect(unknown).toMatchObject({ valid: true, normalized: { kind: 'ignored' } });
  });

  it('fails only the webhook whose check threw, not the others sent with it', async () => {
    const order = readWebhookFixture('orders_create');
    for (const pool of pools) {
      const broken = { ...request('orders/create', order), body: null as unknown as Uint8Array };
      const [good, bad] = await Promise.allSettled([pool.check(request('orders/create', order)), pool.check(broken)]);
      expect(good).toMatchObject({ status: 'fulfilled', value: { valid: true, normalized: { kind: 'order' } } });
      expect(bad).toMatchObject({ status: 'rejected', reason: expect.any(Error) });
    }
  });
});

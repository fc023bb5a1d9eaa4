import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReturnRecord } from '../../../sdk/index.ts';
import { readWebhookFixture } from '../../shopify/fixtures/readWebhookFixture.ts';
import { returnWithLines } from '../../shopify/fixtures/webhookVariants.ts';
import { startTestApp, type TestApp } from '../../testing/testApp.ts';

const SHOP = 'returns-live.myshopify.com';
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
  await app.installShop(SHOP);
});
afterAll(async () => {
  await app?.stop();
});

describe('a live return (its body names its order lines, not their prices)', () => {
  it('is stored with each line priced, its SKU and product, and its value, from the stored order', async () => {
    expect((await app.webhook('orders/create', readWebhookFixture('orders_create'), { shop: SHOP })).statusCode).toBe(200);
    await app.waitFor(() => app.stores.events.get(SHOP, 'order', 'gid://shopify/Order/820982911946154508'), 'the order stored');
    const body = returnWithLines();
    expect((await app.webhook('returns/request', JSON.stringify(body), { shop: SHOP, triggeredAt: new Date().toISOString() })).statusCode).toBe(200);
    const stored = await app.waitFor(() => app.stores.events.get<ReturnRecord>(SHOP, 'return', body.admin_graphql_api_id as string), 'the return stored');
    const aviator = stored.lineItems.find((l) => l.lineItemId === 'gid://shopify/LineItem/487817672276298554')!;
    // Shopify's sample order: the Aviator sunglasses line, 89.99 less its discount.
    expect(aviator.unitPrice).toBeGreaterThan(0);
    expect(aviator.productId).toBe('gid://shopify/Product/788032119674292922');
    expect(stored.totalValue).toBeGreaterThan(0);
  });
});

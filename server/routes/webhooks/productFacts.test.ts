import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision } from '../../../engine/index.ts';
import { readWebhookFixture } from '../../shopify/fixtures/readWebhookFixture.ts';
import { adminSchemaAvailable, startShopifyDouble, type ShopifyDouble } from '../../testing/shopifyDouble.ts';
import { DEFAULT_RULESET, startTestApp, type TestApp } from '../../testing/testApp.ts';

const SHOP = 'product-facts.myshopify.com';
const TOKEN = 'shpat_products';
// The product of Shopify's sample order's lines (the sample's own id).
const PRODUCT = 'gid://shopify/Product/788032119674292922';

let double: ShopifyDouble;
let app: TestApp;

beforeAll(async () => {
  double = await startShopifyDouble({ accessToken: TOKEN });
  double.state.products.set(PRODUCT, { id: PRODUCT, productType: 'Consumer Electronics', variants: [] });
  app = await startTestApp({ adminOrigin: double.origin });
  await app.installShop(SHOP, DEFAULT_RULESET, TOKEN);
});
afterAll(async () => {
  await app?.stop();
  await double?.close();
});

describe.skipIf(!adminSchemaAvailable())('product facts on a live order (the order webhook carries no product type)', () => {
  it('a live order asks a products job for the facts (its decision waits for no Admin API call); stored once', async () => {
    const before = double.requests.length;
    expect((await app.webhook('orders/create', readWebhookFixture('orders_create'), { shop: SHOP })).statusCode).toBe(200);
    await app.waitFor(() => app.stores.decisions.bySubject(SHOP, 'gid://shopify/Order/820982911946154508'), 'the decision');
    const facts = await app.waitFor(async () => (await app.stores.products.factsFor(SHOP, [PRODUCT])).get(PRODUCT), 'the product facts fetched by the job');
    expect(facts.productType).toBe('Consumer Electronics');
    expect(double.requests.slice(before).filter((r) => r.operationName === 'ProductFacts')).toHaveLength(1);
    // The stored order record stays as Shopify sent it: the facts live beside it.
    const stored = await app.stores.events.get<{ lineItems: { productType?: string }[] }>(SHOP, 'order', 'gid://shopify/Order/820982911946154508');
    expect(stored!.lineItems.some((l) => l.productType !== undefined)).toBe(false);
  });

  it('a later order of the same product asks Shopify nothing and its signals judge with the type, on its own lines and on the history', async () => {
    const before = double.requests.length;
    const body = readWebhookFixture('orders_create').replaceAll('820982911946154508', '820982911946154999');
    await app.webhook('orders/create', body, { shop: SHOP });
    const row = await app.waitFor(() => app.stores.decisions.bySubject(SHOP, 'gid://shopify/Order/820982911946154999'), 'the second decision');
    expect(((row.trace as Decision).signals.find((s) => s.id === 'order.chargeback-prone')!.evidence as { factors: string[] }).factors).toContain('resellable');
    expect(double.requests.slice(before).filter((r) => r.operationName === 'ProductFacts')).toHaveLength(0);
    const material = await app.stores.context.material(SHOP, ['gid://shopify/Customer/115310627314723954'], [], '2020-01-01T00:00:00Z');
    const orders = material.events.flatMap((e) => (e.type === 'order' ? [e.order] : []));
    expect(orders.length).toBeGreaterThan(0);
    for (const order of orders) expect(order.lineItems.filter((l) => l.productId === PRODUCT).every((l) => l.productType === 'Consumer Electronics')).toBe(true);
  });
});

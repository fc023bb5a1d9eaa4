import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLineItem, makeOrder } from '../../sdk/testing/index.ts';
import { adminSchemaAvailable, startShopifyDouble, type ShopifyDouble } from '../testing/shopifyDouble.ts';
import { startTestApp, type TestApp } from '../testing/testApp.ts';
import { withProductFacts } from '../store/index.ts';
import { ProductCatalog, productFactsOf } from './ProductCatalog.ts';

const SHOP = 'catalog.myshopify.com';
const DRESS = 'gid://shopify/Product/632910392';
const GIFT = 'gid://shopify/Product/921728736';
const DRESS_SMALL = 'gid://shopify/ProductVariant/808950810';
const DRESS_LARGE = 'gid://shopify/ProductVariant/808950811';

let double: ShopifyDouble;
let app: TestApp;

beforeAll(async () => {
  double = await startShopifyDouble({ accessToken: 'shpat_catalog' });
  double.state.products.set(DRESS, { id: DRESS, productType: 'Dress', variants: [{ id: DRESS_SMALL, compareAtPrice: '120.00' }, { id: DRESS_LARGE, compareAtPrice: null }] });
  double.state.products.set(GIFT, { id: GIFT, productType: 'Gift card', variants: [] });
  app = await startTestApp({ adminOrigin: double.origin });
});
afterAll(async () => {
  await app?.stop();
  await double?.close();
});

const order = (...lines: Parameters<typeof makeLineItem>[0][]) => makeOrder({ lineItems: lines.map((l) => makeLineItem(l)) });

describe.skipIf(!adminSchemaAvailable())('product facts from the Admin API (the order webhooks carry neither product type nor compare-at price)', () => {
  it('fetches the unknown products once (ProductFacts, validated against the schema by the double), stores them and fills the line items', async () => {
    await app.installShop(SHOP, undefined, 'shpat_catalog');
    const catalog = new ProductCatalog(app.stores, app.config);
    const orders = [order({ productId: DRESS, variantId: DRESS_SMALL, price: 80 }, { productId: GIFT, price: 50 }), order({ productId: DRESS, variantId: DRESS_LARGE, price: 100 })];
    const before = double.requests.length;
    await catalog.ensure(SHOP, orders);
    expect(double.requests.slice(before).filter((r) => r.outcome === 'ok')).toHaveLength(1);
    const facts = await app.stores.products.factsFor(SHOP, [DRESS, GIFT]);
    expect(facts.get(DRESS)).toEqual({ productId: DRESS, productType: 'Dress', compareAt: { [DRESS_SMALL]: 120 } });
    const [first, second] = withProductFacts(orders, facts);
    expect(first!.lineItems.map((l) => [l.productType, l.compareAtPrice])).toEqual([['Dress', 120], ['Gift card', undefined]]);
    expect(second!.lineItems[0]!.compareAtPrice).toBeUndefined(); // the large variant has no compare-at price
    // Known products are not fetched again.
    const again = double.requests.length;
    await catalog.ensure(SHOP, orders);
    expect(double.requests.length).toBe(again);
  });

  it('stores a product Shopify no longer has as known without facts, and asks nothing for a shop without a token', async () => {
    const gone = 'gid://shopify/Product/999999';
    const catalog = new ProductCatalog(app.stores, app.config);
    await catalog.ensure(SHOP, [order({ productId: gone, price: 10 })]);
    expect((await app.stores.products.factsFor(SHOP, [gone])).get(gone)).toEqual({ productId: gone, productType: null, compareAt: {} });
    const offline = 'offline.myshopify.com';
    await app.stores.shops.install(offline, null, null);
    const before = double.requests.length;
    await catalog.ensure(offline, [order({ productId: DRESS, price: 10 })]);
    expect(double.requests.length).toBe(before);
    expect((await app.stores.products.factsFor(offline, [DRESS])).size).toBe(0);
  });

  it('bounds what it stores: ids must be GIDs, types are cut to 255 characters, prices must be real amounts', () => {
    expect(productFactsOf({ id: 'gid://shopify/Order/1' })).toBeNull();
    expect(productFactsOf({ id: 'gid://shopify/Product/1', productType: 'x'.repeat(300), variants: { nodes: [{ id: 'gid://shopify/ProductVariant/2', compareAtPrice: '1e400' }, { id: 'gid://shopify/ProductVariant/3', compareAtPrice: '19.999' }] } })).toEqual({
      productId: 'gid://shopify/Product/1',
      productType: 'x'.repeat(255),
      compareAt: { 'gid://shopify/ProductVariant/3': 20 },
    });
  });
});

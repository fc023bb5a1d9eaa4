import { abstractFetch, setAbstractFetchFunc } from '@shopify/shopify-api/runtime';

const shopifyFetch = abstractFetch;
let redirectTo: string | undefined;

/**
 * Points @shopify/shopify-api's own HTTP calls to a shop (token exchange, the OAuth access-token
 * request) at another origin, as SHOPIFY_ADMIN_ORIGIN does for our Admin API calls: the tests'
 * Shopify double. Never used against real Shopify.
 */
export function redirectShopifyHttp(origin: string): void {
  if (redirectTo === undefined) {
    setAbstractFetchFunc(async (input, init) => {
      const url = new URL(String(input));
      if (redirectTo && url.hostname.endsWith('.myshopify.com') && url.pathname.startsWith('/admin/')) {
        return shopifyFetch(`${redirectTo}${url.pathname}${url.search}`, init);
      }
      return shopifyFetch(input, init);
    });
  }
  redirectTo = origin;
}

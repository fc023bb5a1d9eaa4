import '@shopify/shopify-api/adapters/node';
import { ApiVersion, LogSeverity, shopifyApi, type Shopify } from '@shopify/shopify-api';
import type { Config } from '../config.ts';
import { redirectShopifyHttp } from './redirectShopifyHttp.ts';

/**
 * The one @shopify/shopify-api instance: webhook HMAC validation, session-token (JWT)
 * verification, token exchange and the OAuth install flow all come from it; none is written by
 * hand. In demo mode it is configured with the local demo secret, so locally signed webhooks and
 * tokens validate the same way real ones do.
 */
export function createShopifyApi(config: Config): Shopify {
  const appUrl = new URL(config.shopify.appUrl);
  if (config.shopify.adminOrigin) redirectShopifyHttp(config.shopify.adminOrigin);
  return shopifyApi({
    apiKey: config.shopify.apiKey,
    apiSecretKey: config.shopify.apiSecret,
    scopes: config.shopify.scopes,
    hostName: appUrl.host,
    hostScheme: appUrl.protocol === 'http:' ? 'http' : 'https',
    apiVersion: ApiVersion.July26,
    isEmbeddedApp: true,
    logger: { level: LogSeverity.Error, log: async () => {} },
  });
}

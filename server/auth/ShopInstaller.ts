import { RequestedTokenType, type Shopify } from '@shopify/shopify-api';
import type { Ruleset } from '../../engine/index.ts';
import type { Stores } from '../store/index.ts';

/**
 * Installs a shop the first time it shows up: an embedded app's first admin call carries a
 * session token, which is exchanged for an offline access token (token exchange); the OAuth
 * callback installs the same way. A new shop gets the default ruleset, published.
 */
export class ShopInstaller {
  private readonly shopify: Shopify;
  private readonly stores: Stores;
  private readonly defaultRuleset: Ruleset;
  private readonly onInstalled?: (shop: string, scopes: string | null, reconnected: boolean) => Promise<void>;
  /** `onInstalled` runs after each install or reconnect (the backfill starts, or resumes after re-auth). */
  constructor(shopify: Shopify, stores: Stores, defaultRuleset: Ruleset, onInstalled?: (shop: string, scopes: string | null, reconnected: boolean) => Promise<void>) {
    this.shopify = shopify;
    this.stores = stores;
    this.defaultRuleset = defaultRuleset;
    this.onInstalled = onInstalled;
  }

  /** Exchanges the session token when the shop has no live offline token; a no-op otherwise. */
  async ensureInstalled(shop: string, sessionToken: string): Promise<void> {
    const row = await this.stores.shops.get(shop);
    if (row?.access_token && row.status === 'active') return;
    const { session } = await this.shopify.auth.tokenExchange({ shop, sessionToken, requestedTokenType: RequestedTokenType.OfflineAccessToken });
    await this.install(shop, session.accessToken ?? null, session.scope ?? null, 'token-exchange');
  }

  async install(shop: string, accessToken: string | null, scopes: string | null, via: string): Promise<void> {
    const existed = await this.stores.shops.get(shop);
    await this.stores.shops.install(shop, accessToken, scopes);
    await this.stores.rulesets.ensurePublished(shop, this.defaultRuleset);
    await this.stores.audit.record(shop, 'shopify', existed ? 'shop.reconnect' : 'shop.install', shop, { via, scopes });
    if (accessToken) await this.onInstalled?.(shop, scopes, !!existed);
  }
}

import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { AdminGraphqlClient } from '../shopify/AdminGraphqlClient.ts';
import type { BackfillSource, Stores } from '../store/index.ts';
import { BulkOperationHistorySource, type BulkSourceOptions } from './BulkOperationHistorySource.ts';
import { BulkFileHistorySource } from './BulkFileHistorySource.ts';
import { FileHistorySource, HistoryFileError } from './FileHistorySource.ts';
import type { HistorySource } from './HistorySource.ts';

export interface SourceDeps {
  stores: Stores;
  config: Config;
  log: Logger;
  bulk?: BulkSourceOptions;
  /** Waits between Admin API retries (tests pass one that does not wait). */
  sleep?: (ms: number) => Promise<void>;
}

/** Opens the source a backfill row names: a history file, or the shop's Shopify bulk operations with its stored token. */
export function historySourceOpener(deps: SourceDeps): (source: BackfillSource, shopId: string) => HistorySource {
  return (source, shopId) => {
    if (source.kind === 'file') return new FileHistorySource(source.path);
    if (source.kind === 'bulk-files') {
      return new BulkFileHistorySource(source.dir, async () => {
        const shop = await deps.stores.shops.get(shopId);
        if (!shop) throw new HistoryFileError(`no shop ${shopId} to backfill`);
        return shop.hash_key;
      });
    }
    return new BulkOperationHistorySource(
      shopId,
      async () => {
        const shop = await deps.stores.shops.get(shopId);
        if (!shop?.access_token || shop.status === 'uninstalled') return null;
        const client = new AdminGraphqlClient({
          shop: shopId,
          accessToken: shop.access_token,
          apiVersion: deps.config.shopify.apiVersion,
          origin: deps.config.shopify.adminOrigin,
          sleep: deps.sleep,
          onRetry: (retry) => deps.log.info({ shop: shopId, ...retry }, 'Admin API retry (backfill)'),
        });
        return { client, shopKey: shop.hash_key };
      },
      deps.bulk,
    );
  };
}

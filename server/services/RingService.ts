import { buildRings, type RingBuild } from '../../engine/rings/index.ts';
import type { Stores } from '../store/index.ts';

/**
 * Fraud rings of a shop: `request` marks a rebuild as queued and sends the job; the job (`run`)
 * reads the shop's orders, returns, chargebacks and labels, clusters customers linked by shared
 * identifier hashes (engine/rings, graphology) and replaces the stored rings in one transaction.
 */
export class RingService {
  private readonly stores: Stores;
  private readonly send: (shopId: string) => Promise<void>;

  constructor(stores: Stores, send: (shopId: string) => Promise<void>) {
    this.stores = stores;
    this.send = send;
  }

  async request(shopId: string): Promise<void> {
    await this.stores.rings.requestBuild(shopId);
    await this.send(shopId);
  }

  /** The job: rebuild now. A failure is recorded on the build row and rethrown (pg-boss retries). */
  async run(shopId: string): Promise<RingBuild['stats']> {
    await this.stores.rings.markRunning(shopId);
    try {
      const build = buildRings(await this.stores.rings.history(shopId));
      await this.stores.rings.replace(shopId, build);
      return build.stats;
    } catch (error) {
      await this.stores.rings.markFailed(shopId, (error as Error).message).catch(() => undefined);
      throw error;
    }
  }

  /** The periodic sweep: a rebuild for every installed shop. */
  async requestAll(): Promise<number> {
    const shops = await this.stores.shops.activeIds();
    for (const shopId of shops) await this.request(shopId);
    return shops.length;
  }
}

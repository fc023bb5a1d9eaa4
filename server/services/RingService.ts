import { buildRings, type RingBuild, type RingChangeKind } from '../../engine/rings/index.ts';
import type { Stores } from '../store/index.ts';
import type { LiveLinkOptions, RingAlertRow, RingMatchInput } from '../store/RingStore.ts';

/** A ring the live path changed, as `linkLive` reports it. */
export interface LiveRingUpdate {
  /** The ring's stored id; null when it dissolved. */
  id: string | null;
  key: string;
  change: RingChangeKind;
  /** Its members now (none when it dissolved), and those that were in none of the rings it came from. */
  members: string[];
  joined: string[];
}

/** What `linkLive` did for a batch of new orders. */
export interface LiveRingLink {
  /** Ring alerts stored now: one per order and ring holding one of its identifiers (hand them to `AlertService.ringAlerts`). */
  alerts: RingAlertRow[];
  /** Customers of every ring that formed or grew (all its members, the orders' own customers among them): re-score their open subjects. */
  changedCustomers: string[];
  /** Guest orders (no customer) that are members of a ring that formed or grew: re-score them too. */
  changedGuestOrders: string[];
  /** Every ring formed, grown, updated, shrunk or dissolved. */
  rings: LiveRingUpdate[];
  /** The neighbourhood was too large for the live path: a rebuild was requested instead (the alerts are matches against the known rings). */
  deferred: boolean;
}

/**
 * Fraud rings of a shop, kept two ways with the same rules (`engine/rings`):
 *
 * - live (`linkLive`): newly decided orders update the stored rings incrementally, reading only
 *   the neighbourhood of their users (`RingStore.linkLive`);
 * - rebuilt (`request` marks a rebuild as queued and sends the job; the job, `run`, reads the
 *   shop's orders, returns, chargebacks and labels, clusters customers linked by shared identifier
 *   hashes and replaces the stored rings in one transaction) after a backfill, every 6 hours and
 *   on demand: the consistency check of the live path, whose stats say what it found that the
 *   stored rings had not (`stats.vsStored`).
 */
export class RingService {
  private readonly stores: Stores;
  private readonly send: (shopId: string) => Promise<void>;
  private readonly options: LiveLinkOptions;

  /** `options`: the rings' rules (`maxSharedWith`, `minMembers`: the same for rebuilds and the live path) and the live path's `maxNeighbourhood`. */
  constructor(stores: Stores, send: (shopId: string) => Promise<void>, options: LiveLinkOptions = {}) {
    this.stores = stores;
    this.send = send;
    this.options = options;
  }

  async request(shopId: string): Promise<void> {
    await this.stores.rings.requestBuild(shopId);
    await this.send(shopId);
  }

  /**
   * The job: rebuild now. The build's stats say what it found against the stored rings
   * (`vsStored`: rings and members new, changed or gone; all zero when the live path missed
   * nothing). Orders stored or given a card while it read (a live link then was replaced by the
   * build) are linked again after it, storing no alert (they may be a backfill's past orders). A failure is recorded on the build row and rethrown (pg-boss retries).
   */
  async run(shopId: string): Promise<RingBuild['stats']> {
    const startedAt = await this.stores.rings.markRunning(shopId);
    try {
      const build = buildRings(await this.stores.rings.history(shopId), this.rules());
      const vsStored = await this.stores.rings.replace(shopId, build);
      // A minute's margin: a write committed after the read began may carry an earlier time.
      const missed = await this.stores.rings.ordersSince(shopId, new Date(startedAt.getTime() - 60_000));
      if (missed.length > 0) await this.stores.rings.linkLive(shopId, missed, { ...this.options, alerts: false });
      return { ...build.stats, vsStored };
    } catch (error) {
      await this.stores.rings.markFailed(shopId, (error as Error).message).catch(() => undefined);
      throw error;
    }
  }

  /**
   * The live path, for orders just decided (and for an order whose identity changed since: a
   * transaction gave it its card, an edit its address). Links them into the shop's rings without a
   * rebuild: a customer who now shares a (non-hub) identifier with a ring's member joins it (the
   * ring grows; two rings it links merge), one linked to other customers outside any ring forms a
   * ring with them, a link that became a hub splits or dissolves what it held; each ring is
   * decided and scored as the rebuild would. Stores a ring alert for each order and each ring
   * it links to (one of its identifiers that two or more of the ring's members used; an order alerts a ring once), so it replaces
   * `RingStore.alertMatches` on the live path. When the neighbourhood is larger than
   * `maxNeighbourhood` it writes nothing, stores the alerts of matches with the known rings, and
   * requests a rebuild. Throws on a database failure (the caller decides: scoring must not fail).
   */
  async linkLive(shopId: string, orders: readonly RingMatchInput[]): Promise<LiveRingLink> {
    const none: LiveRingLink = { alerts: [], changedCustomers: [], changedGuestOrders: [], rings: [], deferred: false };
    if (orders.length === 0) return none;
    const link = await this.stores.rings.linkLive(shopId, orders, this.options);
    if (link.deferred) {
      const alerts = await this.stores.rings.alertMatches(shopId, orders);
      await this.request(shopId);
      return { ...none, alerts, deferred: true };
    }
    const rings = link.changes.map((c) => ({ id: c.id, key: c.key, change: c.change, members: c.ring?.members.map((m) => m.key) ?? [], joined: c.joined }));
    const changed = rings.filter((r) => r.change === 'formed' || r.change === 'grew').flatMap((r) => r.members);
    const unique = [...new Set(changed)];
    return {
      alerts: link.alerts,
      changedCustomers: unique.flatMap((key) => (key.startsWith('customer:') ? [key.slice('customer:'.length)] : [])),
      changedGuestOrders: unique.flatMap((key) => (key.startsWith('guest:') ? [key.slice('guest:'.length)] : [])),
      rings,
      deferred: false,
    };
  }

  /** The periodic sweep: a rebuild for every installed shop. */
  async requestAll(): Promise<number> {
    const shops = await this.stores.shops.activeIds();
    for (const shopId of shops) await this.request(shopId);
    return shops.length;
  }

  private rules() {
    return {
      ...(this.options.maxSharedWith === undefined ? {} : { maxSharedWith: this.options.maxSharedWith }),
      ...(this.options.minMembers === undefined ? {} : { minMembers: this.options.minMembers }),
    };
  }
}

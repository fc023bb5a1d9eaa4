/** How long per-shop data that rarely changes (shop row, published ruleset, lists) is reused. */
export const SHOP_DATA_TTL_MS = 2_000;

/**
 * A per-key cache of loads, for per-shop data read on every webhook and every decision but
 * changed rarely. Entries live `ttlMs`; the store that changes the data forgets the key after
 * the change commits, so this process never reads its own stale write (another process's change
 * shows within `ttlMs`). Concurrent reads of a missing key share one load; failed loads are not
 * kept. Cached values are shared: callers must not mutate them.
 */
export class TtlCache<V> {
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly entries = new Map<string, { expires: number; value: Promise<V> }>();

  constructor(ttlMs: number, now: () => number = Date.now) {
    this.ttlMs = ttlMs;
    this.now = now;
  }

  /** `load` may return a thenable such as a knex query builder (which runs again on every `then`): it is settled once. */
  get(key: string, load: () => PromiseLike<V>): Promise<V> {
    const entry = this.entries.get(key);
    if (entry && entry.expires > this.now()) return entry.value;
    const value = Promise.resolve(load());
    const fresh = { expires: this.now() + this.ttlMs, value };
    this.entries.set(key, fresh);
    value.catch(() => {
      if (this.entries.get(key) === fresh) this.entries.delete(key);
    });
    return value;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}

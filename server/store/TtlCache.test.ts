import { describe, expect, it } from 'vitest';
import { TtlCache } from './TtlCache.ts';

// The clock is injected: time moves only when the test moves it.
function cacheAt(ttlMs: number) {
  const clock = { now: 1_000 };
  return { clock, cache: new TtlCache<string>(ttlMs, () => clock.now) };
}

describe('TtlCache', () => {
  it('reuses a load for its lifetime, per key, and loads again once it has expired', async () => {
    const { clock, cache } = cacheAt(2_000);
    let loads = 0;
    const load = (value: string) => async () => `${value}#${++loads}`;
    expect(await cache.get('a', load('a'))).toBe('a#1');
    clock.now += 1_999;
    expect(await cache.get('a', load('a'))).toBe('a#1');
    expect(await cache.get('b', load('b'))).toBe('b#2');
    clock.now += 1;
    expect(await cache.get('a', load('a'))).toBe('a#3');
  });

  it('shares one load between concurrent reads of a missing key', async () => {
    const { cache } = cacheAt(2_000);
    let loads = 0;
    let release!: (value: string) => void;
    const pending = new Promise<string>((resolve) => (release = resolve));
    const reads = [cache.get('a', () => (loads++, pending)), cache.get('a', () => (loads++, pending))];
    release('value');
    expect(await Promise.all(reads)).toEqual(['value', 'value']);
    expect(loads).toBe(1);
  });

  it('keeps no failed load, and forgets a key at once', async () => {
    const { cache } = cacheAt(2_000);
    await expect(cache.get('a', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('a', async () => 'up')).toBe('up');
    cache.forget('a');
    expect(await cache.get('a', async () => 'changed')).toBe('changed');
  });

  it('settles a thenable load once (a knex builder runs its query on every then)', async () => {
    const { cache } = cacheAt(2_000);
    let runs = 0;
    const builder = { then: (resolve: (value: string) => void) => resolve(`run ${++runs}`) } as PromiseLike<string>;
    expect(await cache.get('a', () => builder)).toBe('run 1');
    expect(await cache.get('a', () => builder)).toBe('run 1');
    expect(runs).toBe(1);
  });
});

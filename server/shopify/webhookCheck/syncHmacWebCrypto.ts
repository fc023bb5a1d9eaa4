import { createHmac, webcrypto } from 'node:crypto';

/**
 * shopify-api computes its HMACs (`createSHA256HMAC`: webhook bodies, OAuth queries) with Web
 * Crypto: `subtle.importKey` then `subtle.sign`, each a job on libuv's thread pool. On the 2-core
 * machines this runs on, the two hops cost ~120 µs of wall time and ~0.2 ms of CPU per webhook
 * under load, where `node:crypto`'s synchronous `createHmac` computes the same HMAC of a 15 KB
 * body in ~20 µs.
 *
 * This is a Web Crypto whose HMAC-SHA-256 keys and signatures are computed by `createHmac`; every
 * other algorithm and method is Node's own Web Crypto. shopify-api still does all of the check
 * (which header, the comparison in constant time): only the HMAC primitive is swapped for Node's
 * other implementation of it. See `installSyncHmacWebCrypto` for how shopify-api is pointed at it.
 */
const SECRET = Symbol('HMAC-SHA-256 secret');

interface SyncHmacKey {
  readonly type: 'secret';
  readonly extractable: boolean;
  readonly algorithm: { name: 'HMAC'; hash: { name: 'SHA-256' }; length: number };
  readonly usages: readonly string[];
  readonly [SECRET]: Buffer;
}

type KeyData = ArrayBuffer | ArrayBufferView;

function bytesOf(data: KeyData): Buffer {
  return ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);
}

function isHmacSha256(algorithm: unknown): boolean {
  if (typeof algorithm !== 'object' || algorithm === null) return false;
  const { name, hash } = algorithm as { name?: unknown; hash?: unknown };
  const hashName = typeof hash === 'string' ? hash : (hash as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name.toUpperCase() === 'HMAC' && typeof hashName === 'string' && hashName.toUpperCase() === 'SHA-256';
}

function isHmacName(algorithm: unknown): boolean {
  const name = typeof algorithm === 'string' ? algorithm : (algorithm as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name.toUpperCase() === 'HMAC';
}

function isSyncHmacKey(key: unknown): key is SyncHmacKey {
  return typeof key === 'object' && key !== null && SECRET in key;
}

const subtle = webcrypto.subtle;

/** Node's SubtleCrypto, except that raw, non-extractable HMAC-SHA-256 keys for `sign` only sign synchronously. */
export const syncHmacSubtle = new Proxy(subtle, {
  get(target, property) {
    if (property === 'importKey') {
      return (format: string, keyData: KeyData, algorithm: unknown, extractable: boolean, usages: string[]) => {
        // Only keys that can do nothing but sign (shopify-api's): verify, export and wrap stay Web Crypto's.
        if (format === 'raw' && isHmacSha256(algorithm) && !extractable && usages.length > 0 && usages.every((usage) => usage === 'sign')) {
          const secret = Buffer.from(bytesOf(keyData)); // a copy, as Web Crypto keeps: later changes to keyData do not reach the key
          const key: SyncHmacKey = { type: 'secret', extractable, algorithm: { name: 'HMAC', hash: { name: 'SHA-256' }, length: secret.length * 8 }, usages: [...usages], [SECRET]: secret };
          return Promise.resolve(key);
        }
        return target.importKey(format as 'raw', keyData, algorithm as Parameters<typeof target.importKey>[2], extractable, usages as Parameters<typeof target.importKey>[4]);
      };
    }
    if (property === 'sign') {
      return (algorithm: unknown, key: unknown, data: KeyData) => {
        if (!isSyncHmacKey(key) || !isHmacName(algorithm)) return target.sign(algorithm as Parameters<typeof target.sign>[0], key as Parameters<typeof target.sign>[1], data);
        const digest = createHmac('sha256', key[SECRET]).update(bytesOf(data)).digest();
        return Promise.resolve(digest.buffer.slice(digest.byteOffset, digest.byteOffset + digest.byteLength));
      };
    }
    const value = Reflect.get(target, property, target);
    return typeof value === 'function' ? value.bind(target) : value;
  },
});

/**
 * Points shopify-api's HMACs in this thread at `syncHmacSubtle`. shopify-api takes its crypto
 * from the global `crypto`, preferring `crypto.webcrypto` when there is one (its runtime
 * `getCryptoLib`); this adds that property to the global `crypto`, leaving `crypto.subtle` and
 * everything else of the global untouched for other code. Called by the webhook threads.
 */
export function installSyncHmacWebCrypto(): void {
  const global = globalThis.crypto as typeof webcrypto & { webcrypto?: unknown };
  if (global.webcrypto !== undefined) return;
  Object.defineProperty(global, 'webcrypto', {
    value: { subtle: syncHmacSubtle, getRandomValues: global.getRandomValues.bind(global), randomUUID: global.randomUUID.bind(global) },
    configurable: true,
  });
}

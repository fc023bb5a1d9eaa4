import { createHmac, randomUUID, webcrypto } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createShopifyApi } from '../../auth/shopifyApi.ts';
import { loadConfig } from '../../config.ts';
import { readWebhookFixture } from '../fixtures/readWebhookFixture.ts';
import { installSyncHmacWebCrypto, syncHmacSubtle } from './syncHmacWebCrypto.ts';

const HMAC = { name: 'HMAC', hash: { name: 'SHA-256' } };

describe('syncHmacSubtle', () => {
  it('signs exactly as Web Crypto and createHmac do, for any key and payload', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 96 }), fc.uint8Array({ maxLength: 4096 }), async (secret, payload) => {
        const ours = await syncHmacSubtle.sign('HMAC', await syncHmacSubtle.importKey('raw', secret, HMAC, false, ['sign']), payload);
        const theirs = await webcrypto.subtle.sign('HMAC', await webcrypto.subtle.importKey('raw', secret, HMAC, false, ['sign']), payload);
        expect(Buffer.from(ours)).toEqual(Buffer.from(theirs));
        expect(Buffer.from(ours)).toEqual(createHmac('sha256', secret).update(payload).digest());
      }),
      { numRuns: 200 },
    );
  });

  it('leaves every other key and algorithm to Web Crypto', async () => {
    const secret = new TextEncoder().encode('a secret');
    // An extractable or verifying HMAC key is a real CryptoKey: it verifies and exports as Web Crypto's do.
    const verifying = await syncHmacSubtle.importKey('raw', secret, HMAC, true, ['sign', 'verify']);
    expect(verifying).toBeInstanceOf(globalThis.CryptoKey);
    const signature = await syncHmacSubtle.sign('HMAC', verifying, secret);
    expect(await syncHmacSubtle.verify('HMAC', verifying, signature, secret)).toBe(true);
    expect(Buffer.from(await syncHmacSubtle.exportKey('raw', verifying))).toEqual(Buffer.from(secret));
    // SHA-1 HMAC and HKDF (shopify-api derives keys with it) are Web Crypto's.
    const sha1 = await syncHmacSubtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
    expect(Buffer.from(await syncHmacSubtle.sign('HMAC', sha1, secret))).toEqual(createHmac('sha1', secret).update(secret).digest());
    const hkdf = await syncHmacSubtle.importKey('raw', secret, 'HKDF', false, ['deriveBits']);
    const bits = await syncHmacSubtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: secret }, hkdf, 256);
    expect(bits.byteLength).toBe(32);
    // The key keeps its own copy of the secret, as a CryptoKey does.
    const bytes = new TextEncoder().encode('mutable secret');
    const copied = await syncHmacSubtle.importKey('raw', bytes, HMAC, false, ['sign']);
    bytes.fill(0);
    expect(Buffer.from(await syncHmacSubtle.sign('HMAC', copied, secret))).toEqual(createHmac('sha256', 'mutable secret').update(secret).digest());
    // Our key cannot be used with another algorithm's operation.
    const ours = await syncHmacSubtle.importKey('raw', secret, HMAC, false, ['sign']);
    await expect(syncHmacSubtle.sign({ name: 'ECDSA', hash: 'SHA-256' } as never, ours, secret)).rejects.toThrow();
  });

  it('once installed, is what shopify-api validates webhooks with, with the same verdicts', async () => {
    const config = loadConfig({ SHOPIFY_API_KEY: 'key', SHOPIFY_API_SECRET: 'the-secret', SHOPIFY_APP_URL: 'https://app.example.com' });
    const shopify = createShopifyApi(config);
    const body = readWebhookFixture('orders_create');
    const validate = (secret: string) =>
      shopify.webhooks.validate({
        rawBody: body,
        rawRequest: {
          headers: {
            'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body).digest('base64'),
            'x-shopify-topic': 'orders/create',
            'x-shopify-shop-domain': 'a-shop.myshopify.com',
            'x-shopify-api-version': '2026-07',
            'x-shopify-webhook-id': randomUUID(),
          },
          method: 'POST',
          url: '/webhooks',
        } as never,
        rawResponse: {} as never,
      });
    const before = [await validate('the-secret'), await validate('another-secret')];
    let signed = 0;
    const sign = syncHmacSubtle.sign;
    installSyncHmacWebCrypto();
    const installed = (globalThis.crypto as unknown as { webcrypto: { subtle: typeof syncHmacSubtle } }).webcrypto;
    expect(installed.subtle).toBe(syncHmacSubtle);
    // Count the signatures made through it while shopify-api validates.
    Object.defineProperty(installed, 'subtle', { value: new Proxy(syncHmacSubtle, { get: (target, property) => (property === 'sign' ? (...args: Parameters<typeof sign>) => (signed++, target.sign(...args)) : Reflect.get(target, property)) }) });
    const after = [await validate('the-secret'), await validate('another-secret')];
    expect(signed).toBe(2);
    expect(after.map((check) => check.valid)).toEqual([true, false]);
    expect(after.map((check) => check.valid)).toEqual(before.map((check) => check.valid));
    // The global's own Web Crypto is untouched.
    expect(globalThis.crypto.subtle).toBe(webcrypto.subtle);
  });
});

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Hapi from '@hapi/hapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { admin } from './admin.ts';

let dist: string;
const serverWith = async (env: Record<string, string>, distDir: string) => {
  const server = Hapi.server();
  await server.register({ plugin: admin, options: { config: loadConfig({ DATABASE_URL: 'postgres://x/y', ...env }), distDir } });
  return server;
};

beforeAll(async () => {
  dist = await mkdtemp(join(tmpdir(), 'refundsentry-dist-'));
  await mkdir(join(dist, 'assets'));
  await writeFile(join(dist, 'index.html'), '<!doctype html><html><head><title>RefundSentry</title></head><body><div id="root"></div></body></html>');
  await writeFile(join(dist, 'assets', 'index-abc123.js'), 'console.log("admin")');
  await writeFile(join(dist, 'favicon.ico'), Buffer.from([0, 0, 1, 0]));
});
afterAll(async () => {
  await rm(dist, { recursive: true, force: true });
});

describe('the admin pages', () => {
  it('serves built assets as immutable, and the page for any client route (demo mode: no App Bridge)', async () => {
    const server = await serverWith({}, dist);
    const asset = await server.inject('/app/assets/index-abc123.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.payload).toBe('console.log("admin")');
    expect(asset.headers['cache-control']).toContain('immutable');
    for (const route of ['/app/', '/app/decisions/12', '/app/customers/gid%3A%2F%2Fshopify%2FCustomer%2F1']) {
      const page = await server.inject(route);
      expect(page.statusCode, route).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.payload).toContain('<div id="root">');
      expect(page.payload).not.toContain('app-bridge.js');
    }
    // Never a file outside dist, however the path is spelled.
    expect((await server.inject('/app/../../package.json')).statusCode).toBe(404);
    const escaped = await server.inject('/app/..%2F..%2F..%2Fpackage.json');
    expect(escaped.payload).toContain('<div id="root">');
    expect(escaped.payload).not.toContain('refundsentry"');
    const root = await server.inject('/?shop=a.myshopify.com&host=abc');
    expect(root.statusCode).toBe(302);
    expect(root.headers.location).toBe('/app/?shop=a.myshopify.com&host=abc');
  });

  it('embedded: loads App Bridge with the API key, and only the shop admin may frame it', async () => {
    const server = await serverWith({ SHOPIFY_API_KEY: 'key-123', SHOPIFY_API_SECRET: 'secret', SHOPIFY_APP_URL: 'https://rs.example' }, dist);
    const page = await server.inject('/app/?shop=cool-shop.myshopify.com&host=abc');
    expect(page.payload).toContain('<meta name="shopify-api-key" content="key-123" /><script src="https://cdn.shopify.com/shopifycloud/app-bridge.js"></script>');
    expect(page.headers['content-security-policy']).toBe('frame-ancestors https://cool-shop.myshopify.com https://admin.shopify.com');
    const forged = await server.inject('/app/?shop=evil.example.com');
    expect(forged.headers['content-security-policy']).toBe("frame-ancestors 'self' https://admin.shopify.com");
  });

  it('serves the icon under /app (the page links it) and at the root (pages that link none)', async () => {
    const server = await serverWith({}, dist);
    for (const path of ['/app/favicon.ico', '/favicon.ico']) {
      const icon = await server.inject(path);
      expect(icon.statusCode, path).toBe(200);
      expect(icon.headers['content-type'], path).toMatch(/^image\//);
      expect(icon.rawPayload).toEqual(Buffer.from([0, 0, 1, 0]));
    }
    // Not built yet: no icon, rather than the page in its place.
    expect((await (await serverWith({}, join(dist, 'missing'))).inject('/favicon.ico')).statusCode).toBe(404);
  });

  it('says how to build the admin when it is not built', async () => {
    const server = await serverWith({}, join(dist, 'missing'));
    const page = await server.inject('/app/');
    expect(page.statusCode).toBe(503);
    expect(page.payload).toMatch(/npm run build:web/);
  });
});

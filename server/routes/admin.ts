import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import Inert from '@hapi/inert';
import type { Plugin, Request, ResponseToolkit } from '@hapi/hapi';
import type { Config } from '../config.ts';

/** Where `npm run build:web` (Vite) writes the admin. */
export const ADMIN_DIST = new URL('../../web/dist/', import.meta.url).pathname;

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/**
 * The embedded admin (web/, React + Polaris) under /app: built files as they are, any other path
 * the app's page (client-side routes). Embedded in Shopify Admin the page loads App Bridge (it
 * supplies the session tokens the API needs) and may only be framed by the shop's admin; in demo
 * mode it runs standalone on localhost without it.
 */
export const admin: Plugin<{ config: Config; distDir?: string }> = {
  name: 'refundsentry-admin',
  async register(server, { config, distDir = ADMIN_DIST }) {
    await server.register(Inert);
    const dist = distDir.endsWith('/') ? distDir : `${distDir}/`;
    const page = (shop: string | undefined): string | undefined => {
      const path = join(dist, 'index.html');
      if (!existsSync(path)) return undefined;
      const html = readFileSync(path, 'utf8');
      if (config.demoMode) return html;
      const bridge = `<meta name="shopify-api-key" content="${config.shopify.apiKey}" /><script src="https://cdn.shopify.com/shopifycloud/app-bridge.js"></script>`;
      return html.replace('<head>', `<head>${bridge}`).replace('</head>', shop ? `<meta name="shopify-shop" content="${shop}" /></head>` : '</head>');
    };
    const appPage = (request: Request, h: ResponseToolkit) => {
      const shop = typeof request.query.shop === 'string' && SHOP_DOMAIN.test(request.query.shop) ? request.query.shop : undefined;
      const html = page(shop);
      if (html === undefined) return h.response('The admin is not built: run `npm run build:web` (npm start builds it when it is missing or stale).').code(503).type('text/plain');
      return h
        .response(html)
        .type('text/html')
        .header('cache-control', 'no-store')
        .header('content-security-policy', `frame-ancestors ${shop ? `https://${shop}` : "'self'"} https://admin.shopify.com`);
    };
    server.route([
      { method: 'GET', path: '/', options: { auth: false }, handler: (request, h) => h.redirect(`/app/${request.url.search}`) },
      {
        // The admin's page links its icon under /app (web/public/); a page that links none (an API
        // answer or a report opened in a tab) makes the browser ask the root for it.
        method: 'GET',
        path: '/favicon.ico',
        options: { auth: false },
        handler: (_request, h) => {
          const icon = join(dist, 'favicon.ico');
          if (!existsSync(icon)) return h.response().code(404);
          return h.file(icon, { confine: false }).header('cache-control', 'public, max-age=86400');
        },
      },
      {
        method: 'GET',
        path: '/app/{path*}',
        options: { auth: false },
        handler: (request, h) => {
          const relative = normalize(String(request.params.path ?? '')).replace(/^(\.\.[/\\])+/, '');
          const file = join(dist, relative);
          if (relative && relative !== 'index.html' && file.startsWith(dist) && existsSync(file) && statSync(file).isFile()) {
            // Vite names built assets by content hash: they never change under the same name.
            const response = h.file(file, { confine: false });
            return relative.startsWith('assets/') ? response.header('cache-control', 'public, max-age=31536000, immutable') : response;
          }
          return appPage(request, h);
        },
      },
    ]);
  },
};

import Boom from '@hapi/boom';
import type { Plugin, Request } from '@hapi/hapi';

/**
 * Demo mode's admin API answers without a session token, as the demo shop: only the browser on
 * this machine, on this server's own pages, may use it (issue 19). Registered only in demo mode;
 * with Shopify credentials the session token guards the API and none of this applies.
 *
 * - Every request's `Host` must be a loopback name (`localhost`, `127.0.0.1`, `[::1]`, with an
 *   optional port), or it is refused with 421: a page of another site whose name resolves to
 *   127.0.0.1 (DNS rebinding) sends its own name as the Host and gets nothing.
 * - A state-changing call (POST, PUT, PATCH, DELETE on any route but `POST /webhooks`, which is
 *   HMAC-signed) needs `Origin: http://<its Host>` (403 otherwise) and `Content-Type:
 *   application/json` (415 otherwise): another site's form or no-cors fetch can send neither, and
 *   a cross-origin JSON call needs a CORS preflight this server never grants.
 */
export const demoGuard: Plugin<void> = {
  name: 'refundsentry-demo-guard',
  register(server) {
    server.ext('onRequest', (request, h) => {
      if (!isLoopbackHost(request.headers.host)) {
        const url = request.server.info.uri;
        const error = new Boom.Boom(`Demo mode answers only on this machine: the Host header must be localhost, 127.0.0.1 or [::1] (with an optional port). Open ${url} directly, not through another host name.`, { statusCode: 421 });
        error.output.payload.error = 'Misdirected Request'; // Boom has no name for 421
        throw error;
      }
      return h.continue;
    });
    // After routing (the route decides what is exempt), before authentication and the payload.
    server.ext('onPreAuth', (request, h) => {
      if (!STATE_CHANGING.has(request.method) || isWebhookRoute(request)) return h.continue;
      const host = String(request.headers.host);
      const origin = `http://${host}`;
      const wrongOrigin = request.headers.origin !== origin;
      const notJson = !isJson(request.headers['content-type']);
      if (!wrongOrigin && !notJson) return h.continue;
      const problem = wrongOrigin ? (request.headers.origin === undefined ? 'it has no Origin header' : 'its Origin is not this server\'s') : 'its Content-Type is not application/json';
      const message = `Demo mode accepts a state-changing call only from its own admin: ${problem}. Send Origin: ${origin} and Content-Type: application/json (with curl: -H 'Origin: ${origin}' -H 'Content-Type: application/json').`;
      throw new Boom.Boom(message, { statusCode: wrongOrigin ? 403 : 415 });
    });
  },
};

const STATE_CHANGING = new Set(['post', 'put', 'patch', 'delete']);

/** `localhost`, `127.0.0.1` or `[::1]` exactly as a browser sends them (lower case, no trailing dot), with an optional port. */
const LOOPBACK_HOST = /^(?:localhost|127\.0\.0\.1|\[::1\])(?::[0-9]{1,5})?$/;

export function isLoopbackHost(host: unknown): boolean {
  return typeof host === 'string' && LOOPBACK_HOST.test(host);
}

/** `application/json`, any case, with or without parameters (`; charset=utf-8`). */
function isJson(contentType: unknown): boolean {
  return typeof contentType === 'string' && /^application\/json[ \t]*(?:;|$)/i.test(contentType.trim());
}

function isWebhookRoute(request: Request): boolean {
  return request.route.method === 'post' && request.route.path === '/webhooks';
}

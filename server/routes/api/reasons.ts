import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../auth/sessionAuth.ts';
import type { ReasonClusteringRow } from '../../store/index.ts';
import { gid, limit, object, text } from '../fields.ts';
import { schema } from '../validate.ts';
import type { ApiDeps } from './context.ts';
import type { ReasonProductView, ReasonRun, ReasonsRefresh, ReasonsResponse, Sendable } from '../../../contract/index.ts';

function run(row: ReasonClusteringRow | undefined) {
  return row ? { status: row.status, trigger: row.trigger, createdAt: row.created_at, finishedAt: row.finished_at, durationMs: row.duration_ms, error: row.error } satisfies Sendable<ReasonRun> : null;
}

/**
 * Return-reason clusters: the latest report (clusters with counts, example notes, top products
 * and SKUs, coordinated near-duplicates, per-product breakdown), one product's or SKU's view,
 * and a recompute on request (a pg-boss job; also queued when a backfill finishes).
 */
export function reasonRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/reasons',
      options: { validate: { query: schema(object({ products: limit(200, 50, 0) }), 'query') } },
      handler: async (request) => {
        const { shop } = shopOf(request);
        const { products } = request.query as unknown as { products: number };
        const { last, done } = await deps.stores.reasons.latest(shop);
        const report = done?.report ? { ...done.report, productCount: done.report.products.length, products: done.report.products.slice(0, products) } : null;
        // The products by their titles (the admin shows no GID).
        const named = report ? [...report.products.map((p) => p.productId), ...report.categories.flatMap((c) => c.topProducts.map((p) => p.key)), ...report.coordinated.flatMap((g) => g.products.map((p) => p.key))] : [];
        const productTitles = Object.fromEntries(await deps.stores.events.productTitles(shop, named));
        return { status: last?.status ?? 'none', lastRun: run(last), report, productTitles } satisfies Sendable<ReasonsResponse>;
      },
    },
    {
      method: 'GET',
      path: '/api/reasons/product',
      options: {
        validate: {
          query: schema(
            object({ productId: gid('Product'), sku: text(255, 1) }, [], { minProperties: 1, maxProperties: 1 }),
            'query',
          ),
        },
      },
      handler: async (request) => {
        const { shop } = shopOf(request);
        const { productId, sku } = request.query as { productId?: string; sku?: string };
        const { done } = await deps.stores.reasons.latest(shop);
        if (!done?.report) throw Boom.notFound('no reason clusters yet: they are computed after the backfill, or POST /api/reasons/refresh');
        if (productId) {
          const product = done.report.products.find((p) => p.productId === productId);
          if (!product) throw Boom.notFound(`no return notes for product ${productId} (or it is not among the ${done.report.products.length} products with the most notes)`);
          return { computedAt: done.report.computedAt, product } satisfies Sendable<ReasonProductView>;
        }
        for (const product of done.report.products) {
          const found = product.skus.find((s) => s.sku === sku);
          if (found) return { computedAt: done.report.computedAt, productId: product.productId, sku: found } satisfies Sendable<ReasonProductView>;
        }
        throw Boom.notFound(`no return notes for SKU ${sku}`);
      },
    },
    {
      method: 'POST',
      path: '/api/reasons/refresh',
      handler: async (request, h) => {
        const { shop, user } = shopOf(request);
        await deps.reasons.request(shop, 'request');
        await deps.stores.audit.record(shop, user, 'reasons.refresh', shop, {});
        return h.response({ status: 'queued' } satisfies ReasonsRefresh).code(202);
      },
    },
  ];
}

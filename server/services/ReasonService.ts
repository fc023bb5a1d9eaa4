import type { Logger } from 'pino';
import { CATEGORIES, CATEGORY_LABELS, type ReasonCategory } from '../../engine/reasons/categories.ts';
import { clusterReasonsOffThread } from './clusterReasonsOffThread.ts';
import type { Stores } from '../store/index.ts';
import type { CategorySummary, ClusterView, Count, ProductBreakdown, ReasonReport, ReturnNoteRow } from '../store/ReasonStore.ts';
import type { LlmLabeler } from './LlmLabeler.ts';

const TOP = 5;
const EXAMPLES = 3;
const MAX_PRODUCTS = 200;
/** The newest notes a run clusters (the clustering is synchronous CPU work in the worker). */
const MAX_NOTES = 20_000;

/**
 * Computes a shop's return-reason clusters (`engine/reasons`) from the notes in its stored
 * returns, names them (offline; refined by the LLM when one is configured) and stores the report.
 */
export class ReasonService {
  private readonly stores: Stores;
  private readonly labeler: LlmLabeler | null;
  private readonly log: Logger;
  private readonly enqueue: (shopId: string, trigger: 'backfill' | 'request') => Promise<void>;

  constructor(stores: Stores, labeler: LlmLabeler | null, log: Logger, enqueue: (shopId: string, trigger: 'backfill' | 'request') => Promise<void>) {
    this.stores = stores;
    this.labeler = labeler;
    this.log = log;
    this.enqueue = enqueue;
  }

  request(shopId: string, trigger: 'backfill' | 'request' = 'request'): Promise<void> {
    return this.enqueue(shopId, trigger);
  }

  async run(shopId: string, trigger: 'backfill' | 'request'): Promise<void> {
    const shop = await this.stores.shops.getCached(shopId);
    if (!shop || shop.status === 'uninstalled') {
      this.log.info({ shopId }, 'reason clusters skipped: shop not installed');
      return;
    }
    const started = Date.now();
    const row = await this.stores.reasons.start(shopId, trigger);
    try {
      const notes = await this.stores.reasons.returnNotes(shopId, MAX_NOTES);
      const report = await this.compute(notes);
      await this.stores.reasons.finish(row.id, shopId, report, Date.now() - started);
      this.log.info({ shopId, notes: report.notes, clusters: report.clusters.length, coordinated: report.coordinated.length, refined: report.llm.refined }, 'reason clusters computed');
    } catch (error) {
      await this.stores.reasons.fail(row.id, (error as Error).message, Date.now() - started);
      throw error;
    }
  }

  async compute(rows: readonly ReturnNoteRow[]): Promise<ReasonReport> {
    const notes = rows.map((r) => ({ id: `${r.return_id}#${r.line}`, text: r.note, customerId: r.customer_id, at: r.occurred_at.getTime() }));
    const result = await clusterReasonsOffThread(notes);
    const cats = result.assignments.map((a) => a.category);
    const newestFirst = rows.map((_, i) => i).reverse();
    const examplesOf = (indexes: number[]) => distinct(indexes.map((i) => rows[i]!.note)).slice(0, EXAMPLES);
    const categories: CategorySummary[] = CATEGORIES.map((category) => {
      const idx = newestFirst.filter((i) => cats[i] === category);
      return {
        category,
        label: CATEGORY_LABELS[category],
        count: idx.length,
        share: rows.length ? round(idx.length / rows.length) : 0,
        examples: examplesOf(idx),
        topProducts: top(idx.map((i) => rows[i]!.product_id)),
        topSkus: top(idx.map((i) => rows[i]!.sku)),
        reasonCodes: top(idx.map((i) => rows[i]!.reason), 10),
      };
    });
    const clusters: ClusterView[] = result.clusters.map((c) => ({
      id: c.id,
      category: c.category,
      label: `${CATEGORY_LABELS[c.category]}: ${c.terms.slice(0, 3).join(', ')}`,
      terms: c.terms,
      size: c.size,
      examples: examplesOf(newestFirst.filter((i) => result.assignments[i]!.cluster === c.id)),
      refined: false,
    }));
    const llm = await this.refine(clusters);
    const byProduct = new Map<string, number[]>();
    rows.forEach((r, i) => r.product_id && (byProduct.get(r.product_id) ?? byProduct.set(r.product_id, []).get(r.product_id)!).push(i));
    const products: ProductBreakdown[] = [...byProduct]
      .sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))
      .slice(0, MAX_PRODUCTS)
      .map(([productId, idx]) => {
        const bySku = new Map<string, number[]>();
        for (const i of idx) (bySku.get(rows[i]!.sku ?? '(no SKU)') ?? bySku.set(rows[i]!.sku ?? '(no SKU)', []).get(rows[i]!.sku ?? '(no SKU)')!).push(i);
        const newest = [...idx].reverse();
        return {
          productId,
          notes: idx.length,
          categories: countBy(idx.map((i) => cats[i]!)),
          skus: [...bySku].sort((a, b) => b[1].length - a[1].length).map(([sku, s]) => ({ sku, notes: s.length, categories: countBy(s.map((i) => cats[i]!)) })),
          examples: Object.fromEntries(CATEGORIES.flatMap((c) => { const e = examplesOf(newest.filter((i) => cats[i] === c)).slice(0, 2); return e.length ? [[c, e]] : []; })),
        };
      });
    const index = new Map(notes.map((n, i) => [n.id, i]));
    return {
      computedAt: new Date().toISOString(),
      notes: rows.length,
      returns: new Set(rows.map((r) => r.return_id)).size,
      categories,
      clusters,
      coordinated: result.coordinated.map((g) => {
        const idx = g.ids.map((id) => index.get(id)!);
        return {
          returnIds: distinct(idx.map((i) => rows[i]!.return_id)),
          customers: g.customers,
          from: g.from !== undefined ? new Date(g.from).toISOString() : null,
          to: g.to !== undefined ? new Date(g.to).toISOString() : null,
          similarity: g.similarity,
          example: g.example,
          products: top(idx.map((i) => rows[i]!.product_id)),
        };
      }),
      products,
      method: { ...result.method, engine: 'BM25 TF-IDF (wink-nlp) + seeded k-means (ml-kmeans); near-duplicates: word 3-shingle Jaccard', maxNotes: MAX_NOTES },
      llm,
    };
  }

  /** Asks the LLM (if any) to name each cluster; a failure leaves the offline names. */
  private async refine(clusters: ClusterView[]): Promise<ReasonReport['llm']> {
    if (!this.labeler) return { configured: false, model: null, refined: 0, failed: 0, error: null };
    let refined = 0, failed = 0;
    let lastError: string | null = null;
    for (const cluster of clusters) {
      const outcome = await this.labeler.label({ category: cluster.category, terms: cluster.terms, examples: cluster.examples });
      if ('label' in outcome) {
        cluster.refinedLabel = outcome.label;
        cluster.refined = true;
        refined++;
      } else {
        cluster.refineError = outcome.error;
        failed++;
        lastError = outcome.error;
        // One timeout is enough to know: the rest keep their offline names without waiting.
        if (/did not answer|call failed/.test(outcome.error)) {
          for (const rest of clusters.slice(clusters.indexOf(cluster) + 1)) (rest.refineError = outcome.error), failed++;
          break;
        }
      }
    }
    if (failed) this.log.warn({ failed, error: lastError }, 'LLM label refinement failed for some clusters; offline names kept');
    return { configured: true, model: this.labeler.model, refined, failed, error: lastError };
  }
}

function top(values: (string | null | undefined)[], n = TOP): Count[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n).map(([key, count]) => ({ key, count }));
}

function countBy<T extends string>(values: T[]): Partial<Record<T, number>> {
  const out: Partial<Record<T, number>> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

function distinct<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

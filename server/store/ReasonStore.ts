import type { Knex } from 'knex';
import type { ReasonCategory } from '../../engine/reasons/categories.ts';
import type { ReasonClustering } from '../../engine/reasons/clusterReasons.ts';
import { LINE_QUANTITY } from './AnalyticsStore.ts';

export interface ReturnNoteRow {
  return_id: string;
  /** Position of the line item in the return. */
  line: number;
  customer_id: string | null;
  occurred_at: Date;
  note: string;
  reason: string | null;
  sku: string | null;
  product_id: string | null;
  quantity: number | null;
}

// The return-reason report: `ReasonService` computes it, `reason_clusterings.report` keeps it
// (defined here, with the rows that hold it, so that the store imports nothing of the services).

export interface Count { key: string; count: number }

export interface CategorySummary {
  category: ReasonCategory;
  label: string;
  count: number;
  share: number;
  examples: string[];
  topProducts: Count[];
  topSkus: Count[];
  /** Shopify reason codes the customers picked for these notes. */
  reasonCodes: Count[];
}

export interface ClusterView {
  id: number;
  category: ReasonCategory;
  /** The offline name: the category and the cluster's top words. */
  label: string;
  terms: string[];
  size: number;
  examples: string[];
  /** A name the LLM gave, when one is configured and answered. */
  refinedLabel?: string;
  refined: boolean;
  refineError?: string;
}

export interface ProductBreakdown {
  productId: string;
  notes: number;
  categories: Partial<Record<ReasonCategory, number>>;
  skus: { sku: string; notes: number; categories: Partial<Record<ReasonCategory, number>> }[];
  examples: Partial<Record<ReasonCategory, string[]>>;
}

export interface ReasonReport {
  computedAt: string;
  notes: number;
  returns: number;
  categories: CategorySummary[];
  clusters: ClusterView[];
  coordinated: { returnIds: string[]; customers: number; from: string | null; to: string | null; similarity: number; example: string; products: Count[] }[];
  products: ProductBreakdown[];
  method: ReasonClustering['method'] & { engine: string; maxNotes: number };
  llm: { configured: boolean; model: string | null; refined: number; failed: number; error: string | null };
}

export interface ReasonClusteringRow {
  id: string;
  shop_id: string;
  status: 'running' | 'done' | 'failed';
  trigger: 'backfill' | 'request';
  report: ReasonReport | null;
  error: string | null;
  duration_ms: number;
  created_at: Date;
  finished_at: Date | null;
}

/** Return notes (read from the events), reason-cluster reports, and the LLM label cache. */
export class ReasonStore {
  private readonly db: Knex;
  constructor(db: Knex) {
    this.db = db;
  }

  /** The returned line items of the shop with a free-text note: the newest `limit`, oldest first. */
  async returnNotes(shopId: string, limit = 50_000): Promise<ReturnNoteRow[]> {
    const { rows } = await this.db.raw<{ rows: ReturnNoteRow[] }>(
      `select e.resource_id as return_id, (li.ord - 1)::int as line, e.customer_id, e.occurred_at,
              li.item->>'reasonNote' as note, li.item->>'reason' as reason, li.item->>'sku' as sku,
              li.item->>'productId' as product_id, ${LINE_QUANTITY('li.item')}::float8 as quantity
         from events e
         cross join lateral jsonb_array_elements(e.body->'lineItems') with ordinality as li(item, ord)
        where e.shop_id = ? and e.kind = 'return' and coalesce(li.item->>'reasonNote', '') <> ''
        order by e.occurred_at desc, e.id desc, li.ord desc
        limit ?`,
      [shopId, limit],
    );
    return rows.reverse();
  }

  async start(shopId: string, trigger: ReasonClusteringRow['trigger']): Promise<ReasonClusteringRow> {
    const [row] = await this.db<ReasonClusteringRow>('reason_clusterings').insert({ shop_id: shopId, status: 'running', trigger }).returning('*');
    return row!;
  }

  /** Stores the report of the shop's run and drops the shop's older reports (the latest is the one shown); nothing for a run that is not the shop's. */
  async finish(id: string, shopId: string, report: ReasonReport, durationMs: number): Promise<void> {
    await this.db.transaction(async (trx) => {
      const updated = await trx('reason_clusterings').where({ id, shop_id: shopId }).update({ status: 'done', report: JSON.stringify(report), duration_ms: durationMs, finished_at: trx.fn.now(), error: null });
      if (updated === 0) return;
      await trx('reason_clusterings').where({ shop_id: shopId }).andWhere('id', '<', id).whereNot({ status: 'running' }).delete();
    });
  }

  async fail(id: string, error: string, durationMs: number): Promise<void> {
    await this.db('reason_clusterings').where({ id }).update({ status: 'failed', error, duration_ms: durationMs, finished_at: this.db.fn.now() });
  }

  /** The shop's newest run (any status) and its newest finished report. */
  async latest(shopId: string): Promise<{ last: ReasonClusteringRow | undefined; done: ReasonClusteringRow | undefined }> {
    const last = await this.db<ReasonClusteringRow>('reason_clusterings').where({ shop_id: shopId }).orderBy('id', 'desc').first();
    const done = last?.status === 'done' ? last : await this.db<ReasonClusteringRow>('reason_clusterings').where({ shop_id: shopId, status: 'done' }).orderBy('id', 'desc').first();
    return { last, done };
  }

  /** customers/redact: reports quote notes, so the shop's reports go (the next run recomputes). */
  async forgetShopReports(shopId: string, trx: Knex = this.db): Promise<number> {
    return trx('reason_clusterings').where({ shop_id: shopId }).delete();
  }

  async cachedAnswer(key: string): Promise<unknown | undefined> {
    const row = await this.db('llm_label_cache').where({ key }).first('answer');
    return row?.answer;
  }

  async cacheAnswer(key: string, model: string, answer: unknown): Promise<void> {
    await this.db('llm_label_cache').insert({ key, model, answer: JSON.stringify(answer) }).onConflict('key').merge();
  }
}

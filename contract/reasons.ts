import type { ReasonCategory } from '../engine/reasons/categories.ts';
import type { Instant } from './common.ts';

export type { ReasonCategory };

export interface ReasonCount {
  key: string;
  count: number;
}

/** One product's return notes by category, with its SKUs and examples. */
export interface ReasonProduct {
  productId: string;
  notes: number;
  categories: Partial<Record<ReasonCategory, number>>;
  skus: { sku: string; notes: number; categories: Partial<Record<ReasonCategory, number>> }[];
  examples: Partial<Record<ReasonCategory, string[]>>;
}

/** A clustering run: how it was asked for and how it went. */
export interface ReasonRun {
  status: string;
  trigger: string;
  createdAt: Instant;
  finishedAt: Instant | null;
  durationMs: number;
  error: string | null;
}

/** The latest return-reason clusters. */
export interface ReasonReport {
  computedAt: Instant;
  notes: number;
  returns: number;
  /** Products with notes (the answer lists the first `products` of them). */
  productCount: number;
  categories: { category: ReasonCategory; label: string; count: number; share: number; examples: string[]; topProducts: ReasonCount[]; topSkus: ReasonCount[]; reasonCodes: ReasonCount[] }[];
  clusters: { id: number; category: ReasonCategory; label: string; terms: string[]; size: number; examples: string[]; refinedLabel?: string; refined: boolean; refineError?: string }[];
  coordinated: { returnIds: string[]; customers: number; from: Instant | null; to: Instant | null; similarity: number; example: string; products: ReasonCount[] }[];
  products: ReasonProduct[];
  method: { k: number; vocabulary: number; engine: string; [key: string]: unknown };
  llm: { configured: boolean; model: string | null; refined: number; failed: number; error: string | null };
}

/** `GET /api/reasons?products=`: the shop's latest return-reason clusters. */
export interface ReasonsResponse {
  status: 'none' | 'running' | 'done' | 'failed';
  /** Product GID → its title (the latest stored order line's), for the products the report names; a product without one is left out. */
  productTitles: Record<string, string>;
  lastRun: ReasonRun | null;
  report: ReasonReport | null;
}

/** `GET /api/reasons/product?productId=` or `?sku=`: one product's or one SKU's notes from the latest report. */
export type ReasonProductView = { computedAt: Instant; product: ReasonProduct } | { computedAt: Instant; productId: string; sku: ReasonProduct['skus'][number] };

/** `POST /api/reasons/refresh` (202): a clustering run queued. */
export interface ReasonsRefresh {
  status: 'queued';
}

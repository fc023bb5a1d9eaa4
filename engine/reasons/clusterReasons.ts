/// <reference path="./nlpModules.d.ts" />
import { kmeans } from 'ml-kmeans';
import bm25Vectorizer from 'wink-nlp/utilities/bm25-vectorizer.js';
import { CATEGORIES, seedTerms, SEED_WORDS, type ReasonCategory } from './categories.ts';
import { coordinatedGroups, type CoordinatedGroup, type DuplicateOptions } from './nearDuplicates.ts';
import { stemmedWords, terms } from './text.ts';

/**
 * Free-text return reasons → actionable clusters. Pure: the notes and options in, the clusters
 * out; the same input gives the same output (k-means starts from fixed centroids, no randomness).
 *
 * 1. Each note becomes terms (`text.ts`: stop words out, Porter2 stems, bigrams).
 * 2. The vocabulary is the terms in at least `minDf` notes (at most `maxTerms`, most frequent
 *    first); notes are BM25-weighted TF-IDF vectors, L2-normalised (wink-nlp's BM25 vectorizer).
 * 3. k-means (ml-kmeans, started from the categories' seed vectors) groups the notes with any term into k clusters; on
 *    unit vectors the Euclidean k-means is close to clustering by cosine.
 * 4. A cluster is named by the category whose seed terms (`categories.ts`) carry more of its
 *    centroid's weight than they carry in the mean of all the notes, by the largest margin; a
 *    cluster above that baseline for no category is "other". The baseline makes the rule work for
 *    long and short notes alike (in long texts every share is small) and for shops where one
 *    category is everywhere. The seeds are the only knowledge of the categories: no labelled
 *    data is used, and there is no threshold to tune.
 * 5. Near-duplicate notes of several customers within a window (`nearDuplicates.ts`) are moved to
 *    "suspicious", whatever their words say (their word category is kept as `textCategory`).
 */
export interface ReasonNote {
  id: string;
  text: string;
  customerId?: string | null;
  /** Epoch ms. */
  at?: number;
}

export interface ClusterOptions {
  /** Clusters for k-means; default: round(sqrt(n / 2)), at least the seeded categories + 2, at most 16. */
  k?: number;
  minDf?: number;
  maxTerms?: number;
  duplicates?: Partial<DuplicateOptions>;
}

export interface ReasonCluster {
  /** The k-means cluster (0..k-1; empty clusters are left out). */
  id: number;
  category: ReasonCategory;
  /** Top words of the centroid (the most frequent surface word of each stem or bigram). */
  terms: string[];
  size: number;
  /** Share of the centroid's weight on each category's seeds. */
  seedShares: Record<string, number>;
  /** `seedShares` minus the same shares in the mean of all notes; the largest positive names it. */
  excess: Record<string, number>;
}

export interface NoteAssignment {
  id: string;
  /** The k-means cluster, or -1 for a note with no vocabulary term (empty, or all rare words). */
  cluster: number;
  category: ReasonCategory;
  /** The category of its words, when `category` is suspicious. */
  textCategory?: ReasonCategory;
  /** Index into `coordinated`. */
  group?: number;
}

export interface ReasonClustering {
  clusters: ReasonCluster[];
  assignments: NoteAssignment[];
  coordinated: CoordinatedGroup[];
  method: { k: number; vocabulary: number; minDf: number; iterations: number; baseShares: Record<string, number> };
  /** The unit vectors (for quality measures); only with `keepVectors`. */
  vectors?: number[][];
}

const DEFAULTS = { maxTerms: 800 };

export function clusterReasons(notes: readonly ReasonNote[], options: ClusterOptions & { keepVectors?: boolean } = {}): ReasonClustering {
  // A term must recur to shape clusters; in a small shop's few notes, once is enough.
  const minDf = options.minDf ?? (notes.length >= 200 ? 2 : 1);
  const docs = notes.map((n) => terms(n.text));
  // Vocabulary: document frequency ≥ minDf, most frequent first, at most maxTerms.
  const df = new Map<string, number>();
  for (const doc of docs) for (const t of new Set(doc)) df.set(t, (df.get(t) ?? 0) + 1);
  const vocab = new Set(
    [...df].filter(([, n]) => n >= minDf).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, options.maxTerms ?? DEFAULTS.maxTerms).map(([t]) => t),
  );
  const kept = docs.map((doc) => doc.filter((t) => vocab.has(t)));
  const withTerms = kept.map((doc, i) => (doc.length > 0 ? i : -1)).filter((i) => i >= 0);
  const assignments: NoteAssignment[] = notes.map((n) => ({ id: n.id, cluster: -1, category: 'other' }));
  let clusters: ReasonCluster[] = [];
  let k = 0;
  let iterations = 0;
  let vectors: number[][] = [];
  let baseShares: Record<string, number> = {};
  if (withTerms.length > 0) {
    const bm25 = bm25Vectorizer({ norm: 'l2' });
    for (const i of withTerms) bm25.learn(kept[i]!);
    // The vectorizer's term order: its learned terms, sorted (as `Object.keys(idf).sort()`).
    const order = [...new Set(withTerms.flatMap((i) => kept[i]!))].sort();
    vectors = withTerms.map((i) => bm25.vectorOf(kept[i]!));
    const seeds = seedTerms();
    // Seeded k-means (Basu, Banerjee & Mooney 2002): the first centroids are the categories' seed
    // vectors, the rest the notes farthest from the centroids chosen so far; k-means then moves
    // them to where the notes are. Without it, k-means on short sparse notes lumps unrelated ones.
    const seedVectors = (Object.keys(SEED_WORDS) as (keyof typeof SEED_WORDS)[])
      .map((category) => unit(order.map((t) => (seeds[category].has(t) ? 1 : 0))))
      .filter((v) => v.some((x) => x > 0));
    const distinct = new Set(vectors.map((v) => v.join(','))).size;
    const auto = Math.max(seedVectors.length + 2, Math.round(Math.sqrt(withTerms.length / 2)));
    k = Math.max(1, Math.min(options.k ?? auto, 16, distinct + seedVectors.length, withTerms.length));
    const initial = farthestPoints(vectors, seedVectors.slice(0, k), k);
    const result = kmeans(vectors, initial.length, { initialization: initial, maxIterations: 100 });
    k = initial.length;
    iterations = result.iterations;
    const surface = surfaceWords(withTerms.map((i) => notes[i]!.text));
    const sizes = new Array<number>(k).fill(0);
    for (const c of result.clusters) sizes[c]!++;
    const shares = (centroid: readonly number[]): Record<string, number> => {
      const total = centroid.reduce((sum, w) => sum + Math.max(0, w), 0) || 1;
      const out: Record<string, number> = {};
      for (const category of Object.keys(SEED_WORDS) as (keyof typeof SEED_WORDS)[]) {
        let mass = 0;
        centroid.forEach((w, j) => {
          if (seeds[category].has(order[j]!)) mass += Math.max(0, w);
        });
        out[category] = mass / total;
      }
      return out;
    };
    const mean = new Array<number>(order.length).fill(0);
    for (const v of vectors) v.forEach((x, j) => (mean[j]! += x / vectors.length));
    baseShares = shares(mean);
    clusters = result.centroids.map((centroid, id) => {
      const seedShares = shares(centroid);
      const excess = Object.fromEntries(Object.entries(seedShares).map(([c, x]) => [c, round(x - baseShares[c]!)]));
      const [best, margin] = Object.entries(excess).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]!;
      const top = centroid
        .map((w, j) => [w, j] as const)
        .sort((a, b) => b[0] - a[0] || a[1] - b[1])
        .slice(0, 8)
        .filter(([w]) => w > 0)
        .map(([, j]) => label(order[j]!, surface));
      return { id, category: (margin > 0 ? best : 'other') as ReasonCategory, terms: top, size: sizes[id]!, seedShares: roundAll(seedShares), excess };
    });
    // A seeded centroid no note came near (a category absent from this shop) is dropped.
    clusters = clusters.filter((c) => c.size > 0);
    withTerms.forEach((i, row) => {
      const cluster = result.clusters[row]!;
      assignments[i] = { id: notes[i]!.id, cluster, category: clusters.find((c) => c.id === cluster)!.category };
    });
  }
  const coordinated = coordinatedGroups(notes, options.duplicates);
  const index = new Map(notes.map((n, i) => [n.id, i]));
  coordinated.forEach((group, g) => {
    for (const id of group.ids) {
      const a = assignments[index.get(id)!]!;
      assignments[index.get(id)!] = { ...a, category: 'suspicious', textCategory: a.category, group: g };
    }
  });
  return {
    clusters,
    assignments,
    coordinated,
    method: { k, vocabulary: vocab.size, minDf, iterations, baseShares: roundAll(baseShares) },
    ...(options.keepVectors ? { vectors } : {}),
  };
}

/** Count of notes per category (all categories, zeros included). */
export function categoryCounts(assignments: readonly NoteAssignment[]): Record<ReasonCategory, number> {
  const counts = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<ReasonCategory, number>;
  for (const a of assignments) counts[a.category]++;
  return counts;
}

function surfaceWords(texts: readonly string[]): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const text of texts) {
    for (const { word, stem } of stemmedWords(text)) {
      const m = counts.get(stem) ?? counts.set(stem, new Map()).get(stem)!;
      m.set(word, (m.get(word) ?? 0) + 1);
    }
  }
  const best = new Map<string, string>();
  for (const [stem, m] of counts) best.set(stem, [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0]);
  return best;
}

function label(term: string, surface: Map<string, string>): string {
  return term
    .split('_')
    .map((s) => surface.get(s) ?? s)
    .join(' ');
}

function unit(v: number[]): number[] {
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}

/** `start`, then greedily the point farthest from its nearest chosen centroid, up to k. */
function farthestPoints(points: readonly number[][], start: number[][], k: number): number[][] {
  const chosen = [...start];
  if (chosen.length === 0 && points.length > 0) chosen.push(points[0]!);
  const nearest = points.map((p) => Math.min(...chosen.map((c) => distance2(p, c))));
  while (chosen.length < k) {
    let best = -1;
    nearest.forEach((d, i) => {
      if (d > 1e-12 && (best < 0 || d > nearest[best]!)) best = i;
    });
    if (best < 0) break;
    const c = points[best]!;
    chosen.push(c);
    points.forEach((p, i) => (nearest[i] = Math.min(nearest[i]!, distance2(p, c))));
  }
  return chosen;
}

function distance2(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return s;
}

function roundAll(r: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v)]));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * Cluster quality measures (pure): silhouette on cosine distance, normalized mutual information
 * and agreement between two labelings. Used by `npm run quality:reasons` on real review texts.
 */

/** Mean silhouette of `labels` over unit vectors, cosine distance (1 - dot). O(n²·d): sample first. */
export function silhouette(vectors: readonly number[][], labels: readonly number[]): number {
  const n = vectors.length;
  const groups = new Set(labels);
  if (n < 2 || groups.size < 2) return 0;
  const sparse = vectors.map((v) => v.flatMap((x, j) => (x !== 0 ? [[j, x] as const] : [])));
  const dense = vectors;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const sums = new Map<number, { sum: number; n: number }>();
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      let dot = 0;
      for (const [t, x] of sparse[i]!) dot += x * dense[j]![t]!;
      const s = sums.get(labels[j]!) ?? sums.set(labels[j]!, { sum: 0, n: 0 }).get(labels[j]!)!;
      s.sum += 1 - dot;
      s.n++;
    }
    const own = sums.get(labels[i]!);
    if (!own || own.n === 0) continue; // a singleton scores 0
    const a = own.sum / own.n;
    let b = Infinity;
    for (const [label, s] of sums) if (label !== labels[i] && s.n > 0) b = Math.min(b, s.sum / s.n);
    total += Math.max(a, b) > 0 ? (b - a) / Math.max(a, b) : 0;
  }
  return total / n;
}

/** Normalized mutual information (arithmetic-mean normalization) of two labelings of the same items. */
export function nmi<A, B>(a: readonly A[], b: readonly B[]): number {
  const n = a.length;
  if (n === 0) return 0;
  const ca = counts(a), cb = counts(b);
  const joint = counts(a.map((x, i) => `${String(x)}\u0000${String(b[i])}`));
  let mi = 0;
  for (const [key, nij] of joint) {
    const [x, y] = key.split('\u0000');
    mi += (nij / n) * Math.log((n * nij) / (ca.get(x!)! * cb.get(y!)!));
  }
  const ha = entropy(ca, n), hb = entropy(cb, n);
  return ha + hb === 0 ? 1 : (2 * mi) / (ha + hb);
}

/** Share of items with the same label in both. */
export function agreement<T>(a: readonly T[], b: readonly T[]): number {
  if (a.length === 0) return 0;
  let same = 0;
  a.forEach((x, i) => (same += x === b[i] ? 1 : 0));
  return same / a.length;
}

function counts<T>(xs: readonly T[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(String(x), (m.get(String(x)) ?? 0) + 1);
  return m;
}

function entropy(c: Map<string, number>, n: number): number {
  let h = 0;
  for (const k of c.values()) h -= (k / n) * Math.log(k / n);
  return h;
}

import { words } from './text.ts';

/**
 * Coordinated notes: the same text, near enough, from several different customers within a short
 * window. A fraud ring or a refund-as-a-service script pastes one story into many returns; honest
 * customers write their own words. Method: word 3-shingles of each note, candidate pairs from an
 * inverted index of the shingles, Jaccard similarity of the shingle sets, connected groups
 * (union-find) of pairs above the threshold whose customers differ and whose times are within
 * the window. Short notes ("too small") are left out: many honest customers write the same
 * three words, so a near-duplicate is evidence only in a note of some length.
 */
export interface NoteForDuplicates {
  id: string;
  text: string;
  /** Unknown: the note counts as its own customer. */
  customerId?: string | null;
  /** Epoch ms; unknown: no window applies. */
  at?: number;
}

export interface DuplicateOptions {
  /** Jaccard of word 3-shingle sets at or above which two notes are near-duplicates. */
  minSimilarity: number;
  /** Fewest words a note needs to count. */
  minWords: number;
  /** Fewest distinct customers in a group to call it coordinated. */
  minCustomers: number;
  /** Greatest time between two linked notes. */
  windowMs: number;
  /** A shingle in more notes than this is boilerplate and proposes no pairs. */
  maxPostings: number;
}

export const DEFAULT_DUPLICATE_OPTIONS: DuplicateOptions = { minSimilarity: 0.6, minWords: 8, minCustomers: 3, windowMs: 14 * 86_400_000, maxPostings: 200 };

export interface CoordinatedGroup {
  ids: string[];
  customers: number;
  /** Epoch ms of the first and last note, when known. */
  from?: number;
  to?: number;
  /** Mean Jaccard similarity of the linked pairs. */
  similarity: number;
  /** One note of the group, as written. */
  example: string;
}

export function coordinatedGroups(notes: readonly NoteForDuplicates[], options: Partial<DuplicateOptions> = {}): CoordinatedGroup[] {
  const o = { ...DEFAULT_DUPLICATE_OPTIONS, ...options };
  const shingles: (Set<string> | null)[] = notes.map((note) => {
    const w = words(note.text);
    if (w.length < o.minWords) return null;
    const set = new Set<string>();
    for (let i = 2; i < w.length; i++) set.add(`${w[i - 2]} ${w[i - 1]} ${w[i]}`);
    return set;
  });
  const postings = new Map<string, number[]>();
  shingles.forEach((set, i) => set?.forEach((s) => (postings.get(s) ?? postings.set(s, []).get(s)!).push(i)));
  const parent = notes.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const linkSim = new Map<number, { sum: number; n: number }>();
  const customerOf = (i: number) => notes[i]!.customerId ?? `note:${notes[i]!.id}`;
  for (let i = 0; i < notes.length; i++) {
    const own = shingles[i];
    if (!own) continue;
    // Candidates: later notes sharing a shingle that is not boilerplate.
    const candidates = new Set<number>();
    for (const sh of own) {
      const list = postings.get(sh)!;
      if (list.length > o.maxPostings) continue;
      for (const j of list) if (j > i) candidates.add(j);
    }
    for (const j of candidates) {
      if (customerOf(i) === customerOf(j)) continue;
      const ti = notes[i]!.at, tj = notes[j]!.at;
      if (ti !== undefined && tj !== undefined && Math.abs(ti - tj) > o.windowMs) continue;
      const sim = jaccard(own, shingles[j]!);
      if (sim < o.minSimilarity) continue;
      const ri = find(i), rj = find(j);
      const a = linkSim.get(ri) ?? { sum: 0, n: 0 };
      const b = ri !== rj ? linkSim.get(rj) ?? { sum: 0, n: 0 } : { sum: 0, n: 0 };
      parent[ri] = rj;
      linkSim.delete(ri);
      linkSim.set(rj, { sum: a.sum + b.sum + sim, n: a.n + b.n + 1 });
    }
  }
  const groups = new Map<number, number[]>();
  notes.forEach((_, i) => {
    if (!shingles[i]) return;
    const root = find(i);
    if (root === i && !linkSim.has(i)) return;
    (groups.get(root) ?? groups.set(root, []).get(root)!).push(i);
  });
  const out: CoordinatedGroup[] = [];
  for (const [root, members] of groups) {
    const customers = new Set(members.map(customerOf)).size;
    if (members.length < 2 || customers < o.minCustomers) continue;
    const times = members.map((i) => notes[i]!.at).filter((t): t is number => t !== undefined);
    const sim = linkSim.get(root)!;
    out.push({
      ids: members.map((i) => notes[i]!.id),
      customers,
      ...(times.length ? { from: Math.min(...times), to: Math.max(...times) } : {}),
      similarity: Math.round((sim.sum / sim.n) * 1000) / 1000,
      example: notes[members[0]!]!.text,
    });
  }
  return out.sort((a, b) => b.ids.length - a.ids.length);
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let inter = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const x of small) if (large.has(x)) inter++;
  const union = a.size + b.size - inter;
  return union === 0 ? 0 : inter / union;
}

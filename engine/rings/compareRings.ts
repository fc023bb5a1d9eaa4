import type { Ring, RingComparison } from './buildRings.ts';

/** A stored ring as the comparisons need it: its key, score and member keys. */
export interface KnownRing {
  /** The stored row's id, when there is one. */
  id?: string;
  key: string;
  score: number;
  members: readonly string[];
}

/** How many keys of each kind a comparison lists. */
export const COMPARISON_SAMPLE = 20;

/**
 * What `after` (a rebuild's rings) has that `before` (the stored rings) had not, and the reverse:
 * the rebuild's consistency check of the live path. A ring is new when none of its members was in
 * a stored ring, changed when its members are not exactly one stored ring's, gone when none of a
 * stored ring's members is in a ring now.
 */
export function compareRings(before: readonly KnownRing[], after: readonly Ring[]): RingComparison {
  const ringOfMember = new Map<string, KnownRing>();
  for (const ring of before) for (const member of ring.members) ringOfMember.set(member, ring);
  const afterMembers = new Set(after.flatMap((ring) => ring.members.map((m) => m.key)));
  const sample = { ringsNew: [] as string[], ringsChanged: [] as string[], ringsGone: [] as string[], membersNew: [] as string[], membersGone: [] as string[] };
  const counts = { ringsNew: 0, ringsChanged: 0, ringsGone: 0, membersNew: 0, membersGone: 0, rescored: 0 };
  const note = (kind: keyof typeof sample, key: string) => {
    counts[kind]++;
    if (sample[kind].length < COMPARISON_SAMPLE) sample[kind].push(key);
  };
  for (const ring of after) {
    const stored = new Set(ring.members.flatMap((m) => (ringOfMember.has(m.key) ? [ringOfMember.get(m.key)!] : [])));
    for (const member of ring.members) if (!ringOfMember.has(member.key)) note('membersNew', member.key);
    if (stored.size === 0) note('ringsNew', ring.key);
    else {
      const [only] = stored;
      if (stored.size > 1 || only!.members.length !== ring.members.length || ring.members.some((m) => !ringOfMember.has(m.key))) note('ringsChanged', ring.key);
      else if (Math.abs(only!.score - ring.score) > 0.1) counts.rescored++;
    }
  }
  for (const ring of before) {
    let kept = 0;
    for (const member of ring.members) {
      if (afterMembers.has(member)) kept++;
      else note('membersGone', member);
    }
    if (kept === 0) note('ringsGone', ring.key);
  }
  return { ...counts, sample };
}

/** What happened to a ring when new orders were linked: formed, grew (members joined, rings merged), changed only its figures, shrank, or dissolved. */
export type RingChangeKind = 'formed' | 'grew' | 'updated' | 'shrank' | 'gone';

export interface RingChange {
  key: string;
  change: RingChangeKind;
  /** The ring now (absent when gone). */
  ring?: Ring;
  /** Members that were in none of the stored rings it came from (all of them, for a new ring). */
  joined: string[];
  /** The stored ring it continues (same key, else most members in common); none when it formed. */
  previous?: KnownRing;
  /** Every stored ring it takes members from (`previous` among them). */
  replaces: KnownRing[];
}

/**
 * The changes between the stored rings of a neighbourhood and its rings now (`linkRings`): each
 * ring now is matched with the stored ring of the same key, else the one sharing most members;
 * it formed when no stored ring shares a member, grew when it has members its match had not.
 * Stored rings matched by no ring now are gone.
 */
export function ringChanges(before: readonly KnownRing[], after: readonly Ring[]): RingChange[] {
  const ringOfMember = new Map<string, KnownRing>();
  for (const ring of before) for (const member of ring.members) ringOfMember.set(member, ring);
  const matched = new Set<KnownRing>();
  const changes: RingChange[] = [];
  for (const ring of after) {
    const overlap = new Map<KnownRing, number>();
    for (const member of ring.members) {
      const stored = ringOfMember.get(member.key);
      if (stored) overlap.set(stored, (overlap.get(stored) ?? 0) + 1);
    }
    const replaces = [...overlap.keys()];
    const match = replaces.find((r) => r.key === ring.key) ?? [...overlap].sort((a, b) => b[1] - a[1] || (a[0].key < b[0].key ? -1 : 1))[0]?.[0];
    const had = new Set(match?.members ?? []);
    const joined = ring.members.map((m) => m.key).filter((key) => !had.has(key));
    for (const r of replaces) matched.add(r);
    const change: RingChangeKind = !match ? 'formed' : joined.length > 0 ? 'grew' : ring.members.length < match.members.length ? 'shrank' : 'updated';
    changes.push({ key: ring.key, change, ring, joined, ...(match ? { previous: match } : {}), replaces });
  }
  for (const stored of before) if (!matched.has(stored)) changes.push({ key: stored.key, change: 'gone', joined: [], replaces: [stored] });
  return changes;
}

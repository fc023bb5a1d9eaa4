import { describe, expect, it } from 'vitest';
import { categoryCounts, clusterReasons, type ReasonNote } from './clusterReasons.ts';
import { coordinatedGroups } from './nearDuplicates.ts';
import { agreement, nmi, silhouette } from './metrics.ts';

const DAY = 86_400_000;
// Hand-written notes, phrased the way customers write them (not the seed lists).
const WRITTEN: Record<string, string[]> = {
  sizing: ['Runs small, I needed a size up', 'way too tight around the waist', 'the fit was too big and baggy', 'Size large was huge on me', 'too small in the bust, ordering a medium', 'length was far too long for me'],
  quality_defect: ['fabric ripped at the seam after one wash', 'there is a hole in the sleeve', 'poor quality, the zipper broke the first day', 'arrived with a stain on the front, defective', 'threads coming loose and pilling already'],
  not_as_described: ['looks nothing like the picture', 'the color is different from the photo online', 'not as described on the website', 'material is sheer, the model photo is misleading'],
  changed_mind: ['changed my mind', 'no longer need it', 'bought as a gift but decided to keep the other one', 'found it cheaper elsewhere, do not need it anymore'],
};

function notesOf(groups: Record<string, string[]>): (ReasonNote & { expected: string })[] {
  let i = 0;
  return Object.entries(groups).flatMap(([expected, texts]) => texts.map((text) => ({ id: `n${i}`, text, customerId: `c${i++}`, at: i * DAY, expected })));
}

describe('clusterReasons', () => {
  it('names clusters of plainly written notes by their category', () => {
    const notes = notesOf(WRITTEN);
    const result = clusterReasons(notes);
    const right = result.assignments.filter((a, i) => a.category === notes[i]!.expected).length;
    expect(right / notes.length).toBeGreaterThanOrEqual(0.8);
    const counts = categoryCounts(result.assignments);
    for (const category of Object.keys(WRITTEN)) expect(counts[category as keyof typeof counts]).toBeGreaterThan(0);
    expect(result.clusters.every((c) => c.terms.length > 0 && c.size > 0)).toBe(true);
    expect(result.clusters.reduce((s, c) => s + c.size, 0)).toBe(notes.length);
    // No empty cluster, even for a category no note is about (only sizing notes here).
    const sizingOnly = clusterReasons(notesOf({ sizing: WRITTEN.sizing! }));
    expect(sizingOnly.clusters.every((c) => c.size > 0)).toBe(true);
    expect(sizingOnly.clusters.reduce((s, c) => s + c.size, 0)).toBe(WRITTEN.sizing!.length);
  });

  it('is deterministic and handles no notes and notes without words', () => {
    const notes = notesOf(WRITTEN);
    expect(clusterReasons(notes)).toEqual(clusterReasons(notes));
    expect(clusterReasons([])).toMatchObject({ clusters: [], assignments: [], coordinated: [] });
    const blank = clusterReasons([{ id: 'a', text: '' }, { id: 'b', text: '!!!' }]);
    expect(blank.assignments.map((a) => [a.cluster, a.category])).toEqual([[-1, 'other'], [-1, 'other']]);
  });

  it('moves near-duplicate notes of several customers within the window to suspicious, keeping their word category', () => {
    const story = 'The item arrived damaged and the box was nearly empty when I opened it, please refund me in full';
    const ring = ['c-r1', 'c-r2', 'c-r3'].map((customerId, i) => ({ id: `r${i}`, text: i === 1 ? story.replace('nearly', 'almost') : story, customerId, at: 100 * DAY + i * DAY }));
    const result = clusterReasons([...notesOf(WRITTEN), ...ring]);
    expect(result.coordinated).toHaveLength(1);
    expect(result.coordinated[0]).toMatchObject({ customers: 3 });
    expect(new Set(result.coordinated[0]!.ids)).toEqual(new Set(['r0', 'r1', 'r2']));
    const flagged = result.assignments.filter((a) => a.category === 'suspicious');
    expect(flagged.map((a) => a.id).sort()).toEqual(['r0', 'r1', 'r2']);
    expect(flagged.every((a) => a.group === 0 && a.textCategory !== undefined)).toBe(true);
  });
});

describe('coordinatedGroups', () => {
  const story = 'Package came with the wrong item inside and the seal was already broken so I want my money back';
  it('needs different customers, the window, and notes of some length', () => {
    const sameCustomer = [0, 1, 2].map((i) => ({ id: `a${i}`, text: story, customerId: 'c1', at: i * DAY }));
    expect(coordinatedGroups(sameCustomer)).toEqual([]);
    const spread = [0, 1, 2].map((i) => ({ id: `b${i}`, text: story, customerId: `c${i}`, at: i * 30 * DAY }));
    expect(coordinatedGroups(spread)).toEqual([]);
    expect(coordinatedGroups(spread, { windowMs: 90 * DAY })).toHaveLength(1);
    const short = [0, 1, 2, 3, 4].map((i) => ({ id: `s${i}`, text: 'Too small, sorry', customerId: `c${i}`, at: i * DAY }));
    expect(coordinatedGroups(short)).toEqual([]);
    const different = ['I ordered two sizes and kept the one that fit me better than this', 'Colour was much duller than the listing showed on my screen at home', 'Stitching along the hem came undone after wearing it twice to work'];
    expect(coordinatedGroups(different.map((text, i) => ({ id: `d${i}`, text, customerId: `c${i}`, at: i * DAY })))).toEqual([]);
  });
});

describe('metrics', () => {
  it('NMI is 1 for the same partition under other names, near 0 for unrelated ones', () => {
    const a = [0, 0, 1, 1, 2, 2, 0, 1, 2];
    expect(nmi(a, a.map((x) => `x${x}`))).toBeCloseTo(1, 6);
    expect(nmi([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(0, 6);
    expect(agreement(['a', 'b', 'c'], ['a', 'b', 'x'])).toBeCloseTo(2 / 3);
  });
  it('silhouette is high for separated groups and low for mixed labels', () => {
    const v = [[1, 0], [0.99, 0.14], [0, 1], [0.14, 0.99]];
    expect(silhouette(v, [0, 0, 1, 1])).toBeGreaterThan(0.8);
    expect(silhouette(v, [0, 1, 0, 1])).toBeLessThan(0);
  });
});

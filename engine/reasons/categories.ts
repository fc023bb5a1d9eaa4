import { terms } from './text.ts';

/**
 * The actionable categories and the seed words that name them. A cluster gets the category
 * whose seed terms carry the most weight in its centroid (see `clusterReasons`); the seeds were
 * written from the meaning of each category (what a merchant would act on: size charts, a
 * supplier's quality, product pages, nothing, a fraud review), before and independently of any
 * test data, and are stemmed like the notes. "suspicious" has no seeds: it is found from
 * near-duplicate notes across customers, not from words.
 */
export const CATEGORIES = ['sizing', 'quality_defect', 'not_as_described', 'changed_mind', 'suspicious', 'other'] as const;
export type ReasonCategory = (typeof CATEGORIES)[number];

export const CATEGORY_LABELS: Record<ReasonCategory, string> = {
  sizing: 'Sizing / fit',
  quality_defect: 'Quality defect',
  not_as_described: 'Not as described',
  changed_mind: 'Changed mind',
  suspicious: 'Suspicious / coordinated',
  other: 'Other',
};

export const SEED_WORDS: Record<'sizing' | 'quality_defect' | 'not_as_described' | 'changed_mind', string[]> = {
  sizing: ['size', 'sizing', 'small', 'large', 'big', 'tight', 'loose', 'fit', 'fits', 'baggy', 'snug', 'petite', 'length', 'long', 'short', 'waist', 'bust', 'too small', 'too big', 'too large', 'size up', 'size down', 'runs small', 'runs large', 'true to size'],
  quality_defect: ['quality', 'defect', 'defective', 'hole', 'holes', 'rip', 'ripped', 'tear', 'torn', 'broke', 'broken', 'stain', 'seam', 'seams', 'thread', 'threads', 'pilling', 'pilled', 'unravel', 'damaged', 'faded', 'shrunk', 'cheap', 'flimsy', 'fell apart', 'poor quality', 'zipper', 'snag'],
  not_as_described: ['picture', 'pictured', 'photo', 'photos', 'described', 'description', 'online', 'website', 'model', 'shown', 'image', 'expected', 'different', 'color', 'colour', 'sheer', 'see through', 'looks nothing', 'not as described', 'not as pictured', 'misleading'],
  changed_mind: ['changed mind', 'mind', 'need', 'needed', 'anymore', 'gift', 'decided', 'instead', 'no longer', 'price', 'cheaper', 'ordered two', 'not for me', 'style', 'occasion', 'wear it', 'keep'],
};

/** The seed terms of each category, as the same terms the notes become. */
export function seedTerms(): Record<keyof typeof SEED_WORDS, Set<string>> {
  return Object.fromEntries(
    Object.entries(SEED_WORDS).map(([category, seeds]) => [category, new Set(seeds.flatMap((s) => (s.includes(' ') ? terms(s).filter((t) => t.includes('_')) : terms(s))))]),
  ) as Record<keyof typeof SEED_WORDS, Set<string>>;
}

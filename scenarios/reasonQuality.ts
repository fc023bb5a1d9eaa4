import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { categoryCounts, clusterReasons, type ReasonNote } from '../engine/reasons/clusterReasons.ts';
import { CATEGORIES, seedTerms, type ReasonCategory } from '../engine/reasons/categories.ts';
import { agreement, nmi, silhouette } from '../engine/reasons/metrics.ts';
import { terms } from '../engine/reasons/text.ts';
import { Random } from './random.ts';

/**
 * `npm run quality:reasons`: reason clustering on the real women's clothing reviews
 * (../shared/data/womens_clothing_ecommerce_reviews.csv.gz, Kaggle, CC0). The reviews carry no
 * return-reason labels, so the figures are proxies (see QUALITY.md): silhouette, stability on
 * resamples, agreement with the category of the review's own title (text the clustering never
 * saw), rating and recommendation per category, and near-duplicate false alarms among reviews
 * of independent customers. `--all` also clusters every review (slow). `--sample N` prints N notes with their category for a manual check.
 */
const { values } = parseArgs({
  options: {
    file: { type: 'string', default: new URL('../../shared/data/womens_clothing_ecommerce_reviews.csv.gz', import.meta.url).pathname },
    sample: { type: 'string', default: '0' },
    silhouette: { type: 'string', default: '1500' },
    all: { type: 'boolean', default: false },
  },
});

interface Review { id: string; title: string; text: string; rating: number; recommended: boolean; className: string }
const reviews: Review[] = [];
const parser = createReadStream(values.file).pipe(createGunzip()).pipe(parse({ columns: true, relax_quotes: true }));
for await (const row of parser as AsyncIterable<Record<string, string>>) {
  if (!row['Review Text']?.trim()) continue;
  reviews.push({ id: row['']!, title: row.Title ?? '', text: row['Review Text']!, rating: Number(row.Rating), recommended: row['Recommended IND'] === '1', className: row['Class Name'] ?? '' });
}
// The reviews that talk about returning: the notes a return form would get.
const RETURN_TALK = /\b(return(ed|ing)?|send(ing)? (it |them )?back|sent (it |them )?back|exchang\w*)\b/i;
const returning = reviews.filter((r) => RETURN_TALK.test(r.text));
console.log(`women's clothing reviews: ${reviews.length} texts, ${returning.length} talk about returning\n`);

const SEEDS = seedTerms();
/** The naming rule on one short text: the category with the most seed terms in it, else other. */
function titleCategory(title: string): ReasonCategory | null {
  const t = terms(title);
  const hits = Object.entries(SEEDS).map(([c, s]) => [c, t.filter((x) => s.has(x)).length] as const).sort((a, b) => b[1] - a[1]);
  if (hits[0]![1] === 0 || hits[0]![1] === hits[1]![1]) return null; // no seed word, or a tie: no proxy
  return hits[0]![0] as ReasonCategory;
}

function run(name: string, set: Review[]) {
  const started = performance.now();
  const notes: ReasonNote[] = set.map((r) => ({ id: r.id, text: r.text }));
  const result = clusterReasons(notes, { keepVectors: true });
  const ms = performance.now() - started;
  const cats = result.assignments.map((a) => a.category);
  const counts = categoryCounts(result.assignments);
  console.log(`== ${name}: ${set.length} notes, k=${result.method.k}, vocabulary ${result.method.vocabulary}, ${result.method.iterations} iterations, ${(ms / 1000).toFixed(1)} s`);
  console.log('  category            notes   share   mean rating   recommended');
  for (const c of CATEGORIES) {
    const idx = cats.flatMap((x, i) => (x === c ? [i] : []));
    if (idx.length === 0) continue;
    const rating = idx.reduce((s, i) => s + set[i]!.rating, 0) / idx.length;
    const rec = idx.filter((i) => set[i]!.recommended).length / idx.length;
    console.log(`  ${c.padEnd(18)} ${String(counts[c]).padStart(6)}  ${pct(counts[c] / set.length).padStart(6)}   ${rating.toFixed(2).padStart(11)}   ${pct(rec).padStart(11)}`);
  }
  console.log('  clusters:');
  for (const c of result.clusters) console.log(`    #${c.id} ${c.category.padEnd(17)} ${String(c.size).padStart(5)}  ${c.terms.slice(0, 6).join(', ')}  ${JSON.stringify(c.excess)}`);
  // Silhouette: on a seeded sample of the notes with a vector (cosine distance, k-means clusters).
  const withVector = result.assignments.map((a, i) => [a, i] as const).filter(([a]) => a.cluster >= 0);
  const rnd = new Random(1);
  const sample = shuffle(withVector.map((_, j) => j), rnd).slice(0, Number(values.silhouette));
  const s = silhouette(sample.map((j) => result.vectors![j]!), sample.map((j) => withVector[j]![0].cluster));
  console.log(`  silhouette (cosine, ${sample.length} sampled notes, k-means clusters): ${s.toFixed(3)}`);
  // Title proxy: the category of the review's own title (never seen by the clustering).
  const proxied = set.map((r, i) => [titleCategory(r.title), cats[i]] as const).filter(([t]) => t !== null);
  console.log(`  title proxy: ${proxied.length} notes whose title names one category; text category = title category for ${pct(agreement(proxied.map(([t]) => t), proxied.map(([, c]) => c)))}; NMI ${nmi(proxied.map(([t]) => t), proxied.map(([, c]) => c)).toFixed(3)}`);
  const chance = proxied.length ? CATEGORIES.reduce((sum, c) => sum + (proxied.filter(([t]) => t === c).length / proxied.length) * (proxied.filter(([, x]) => x === c).length / proxied.length), 0) : 0;
  console.log(`    (agreement by chance with the same marginals: ${pct(chance)})`);
  // Stability: two 80% resamples; the category of the notes in both.
  const a = shuffle(set.map((_, i) => i), new Random(11)).slice(0, Math.round(set.length * 0.8));
  const b = shuffle(set.map((_, i) => i), new Random(12)).slice(0, Math.round(set.length * 0.8));
  const ra = clusterReasons(a.map((i) => notes[i]!)), rb = clusterReasons(b.map((i) => notes[i]!));
  const ca = new Map(ra.assignments.map((x) => [x.id, x])), cb = new Map(rb.assignments.map((x) => [x.id, x]));
  const both = notes.filter((n) => ca.has(n.id) && cb.has(n.id));
  console.log(`  stability (two 80% resamples, ${both.length} notes in both): same category ${pct(agreement(both.map((n) => ca.get(n.id)!.category), both.map((n) => cb.get(n.id)!.category)))}, cluster NMI ${nmi(both.map((n) => ca.get(n.id)!.cluster), both.map((n) => cb.get(n.id)!.cluster)).toFixed(3)}`);
  const flagged = result.coordinated.reduce((s2, g) => s2 + g.ids.length, 0);
  console.log(`  near-duplicate groups among independent reviewers (false alarms; no time window applies): ${result.coordinated.length} groups, ${flagged} notes (${pct(flagged / set.length)})`);
  for (const g of result.coordinated.slice(0, 3)) console.log(`    ${g.ids.length} notes, similarity ${g.similarity}: ${g.example.slice(0, 100)}`);
  const n = Number(values.sample);
  if (n > 0) {
    console.log(`  manual-check sample (${n}, seeded):`);
    for (const i of shuffle(set.map((_, j) => j), new Random(5)).slice(0, n)) console.log(`    [${cats[i]}] ${set[i]!.text.slice(0, 220).replace(/\s+/g, ' ')}`);
  }
  console.log('');
}

run('reviews that talk about returning', returning);
// All 22,641 reviews (mostly praise, not return reasons): about 90 s; `--all`.
if (values.all) run('all reviews with text', reviews);

function shuffle<T>(xs: T[], rnd: Random): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd.next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

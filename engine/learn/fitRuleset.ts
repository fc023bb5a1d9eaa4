import type { SignalStatus, SubjectKind } from '../../sdk/index.ts';
import type { CompiledRuleset, ScoringModel } from '../compileRuleset.ts';
import type { Ruleset, Zone, ZoneThresholds } from '../ruleset.ts';
import { reweighModel, SignalMatrix } from '../simulate/signalMatrix.ts';
import { fitLogisticRegression, logisticLogit } from './logisticRegression.ts';
import { basisValues, basisWidth, binBasis, curveBasis, curveDistance, curveOfEffect, CURVE_BIN_COUNTS, CURVE_TOLERANCE, type CurveBasis } from './fitCurves.ts';
import { curveStrength, type StrengthCurve } from '../strengthCurve.ts';
import { calibrationTable, type CalibrationBand } from './calibrationTable.ts';
import { rocAuc } from './rocAuc.ts';

export { calibrationTable, type CalibrationBand };
import { strengthFeature } from './suggestWeights.ts';

/** One labelled subject with the signal results and verdict stored with its decision. */
export interface LabelledRow {
  subjectId: string;
  kind: SubjectKind;
  /** The subject's time (ISO). */
  at: string;
  /** Customer id, or null for a guest (the customer split keys on it; guests key on subjectId). */
  customerId: string | null;
  /** true: fraud/abuse (a fraud chargeback, a merchant's fraud label, a double dip, an abusive return/refund); false: legit (a merchant's legit label, matured without a dispute). */
  positive: boolean;
  /** Money at stake: the order total, the return value or the refund amount (shop currency). */
  value: number;
  /** The stored signal results of its decision (status, strength per signal id). */
  signals: readonly { id: string; status: SignalStatus; strength: number }[];
  /** The stored score and zone of its decision (the live version's), for the side-by-side figures. */
  liveScore: number;
  liveZone: Zone;
}

export interface FitOptions {
  /** 'time' (the latest testShare of rows, by `at`), 'customer' (testShare of customers, seeded), or 'auto' (time when both parts hold ≥ minLabels of each class per kind fitted, else customer). Default 'auto'. */
  split?: 'time' | 'customer' | 'auto';
  /** Default 0.3. */
  testShare?: number;
  /** Default 20261207 (fixed). */
  seed?: number;
  /** Default 0.9: HIGH starts where held-out precision reaches it. */
  highPrecision?: number;
  /**
   * Default 0.5: MEDIUM starts where held-out precision reaches it, or reaches 3 times the odds
   * of the held-out base rate (`MEDIUM_LIFT`) when that is higher (labels mostly positive would
   * otherwise let every score above 0 reach the target); at most `highPrecision`.
   */
  mediumPrecision?: number;
  /**
   * Default 0.005: the largest share of legit subjects (negatives) HIGH may hold, in the held-out
   * part and in the training part alike. HIGH holds orders and acts on customers: it starts at the
   * lowest score meeting both this and `highPrecision`.
   */
  maxHonestShare?: number;
  /** Per class per kind to fit at all, default 20 (else refused with counts). */
  minLabels?: number;
  /** Ridge strength toward the prior (the current weights), scaled by 1/n. Default 5: a signal's own data outweighs the prior once it has fired on a few dozen labelled subjects. */
  l2?: number;
}

export interface KindFit {
  kind: SubjectKind;
  /** Fitted points at full strength per signal id (rounded to 0.5). */
  weights: Record<string, number>;
  /**
   * The strength curves learned (`signals.<id>.curveByKind.<kind>` in the body): points of a hit =
   * weight × curve(strength). Signals not listed keep their current curve (none: the identity).
   */
  curves: Record<string, StrengthCurve>;
  /**
   * Signals whose strength was fitted with a curve basis — beside the strength a `level` any hit
   * counts, hinges at `knots`, a step at a saturated top strength `atom`; or instead of it `bins`
   * (their lower bounds; the `atom` a bin of its own), piecewise constant — because the basis
   * raised the training log-likelihood by more than BIC's price (ln n / 2 per column it adds), and
   * by more, net of that price, than the other candidate bases: the gain over the strength alone.
   * A signal here without an entry in `curves` drew a curve within 0.05 of its current one, which
   * it keeps.
   */
  curveEvidence: Record<string, { level?: boolean; knots: number[]; atom?: number; bins?: number[]; logLikelihoodGain: number }>;
  zones: { medium: number; high: number };
  /** The targets the zones were chosen for: held-out precision at HIGH and MEDIUM, and the most legit share HIGH may hold. */
  targets: { high: number; medium: number; maxHonestShare: number };
  /**
   * Legit subjects at or above HIGH, of all legit subjects, in the held-out part and in the
   * training part (scored with the fitted weights): the honest cap holds on both.
   */
  honestInHigh: { heldOut: { legit: number; of: number }; training: { legit: number; of: number } };
  counts: { train: { positive: number; negative: number }; test: { positive: number; negative: number } };
  /** How log-odds became points: points = coefficient × pointsPerLogit (`priorPointsPerLogit` maps the current weights to the prior). */
  scale: { pointsPerLogit: number; priorPointsPerLogit: number; intercept: number };
  /** The current weights of the same signals, for the diff. */
  current: Record<string, number>;
  /** Custom signals of the kind: not fitted (one weight for every kind), kept as they are. */
  kept: string[];
  /**
   * Signals that never hit in the training part: nothing to learn from, their log-odds stay at the
   * prior (their current weight), so their points change only with the scale (`pointsPerLogit` ≠
   * `priorPointsPerLogit`).
   */
  unobserved: string[];
  /** What the reader should know: zones kept for lack of precision, and why. */
  notes: string[];
}

export interface RefusedKind {
  kind: SubjectKind;
  refused: string;
  counts: { positive: number; negative: number };
}

export interface VersionMetrics {
  auc: number | null;
  /** `honestShare`: the share of the legit subjects (negatives) flagged (null without any). */
  high: { flagged: number; precision: number | null; recall: number; honestShare: number | null };
  mediumPlus: { flagged: number; precision: number | null; recall: number; honestShare: number | null };
  /** Money of positives at HIGH ("caught") vs money of negatives at HIGH ("honest money held"). */
  money: { caught: number; honestHeld: number; positivesTotal: number };
  calibration: CalibrationBand[];
}

export interface FitReport {
  split: { mode: 'time' | 'customer'; reason: string; testShare: number; seed?: number; trainPeriod: [string, string]; testPeriod: [string, string] };
  kinds: (KindFit | RefusedKind)[];
  /** Held-out figures per kind, live (stored scores) vs fitted, side by side. */
  heldOut: Record<SubjectKind, { live: VersionMetrics; fitted: VersionMetrics } | undefined>;
}

/** No kind has enough labels to fit: the counts per kind say how many of each class there are. */
export class FitRefused extends Error {
  override readonly name = 'FitRefused';
  readonly counts: Record<SubjectKind, { positive: number; negative: number }>;
  readonly minLabels: number;
  constructor(counts: Record<SubjectKind, { positive: number; negative: number }>, minLabels: number, reasons: readonly string[]) {
    super(`no kind of subject has enough labels to fit (at least ${minLabels} fraud/abuse and ${minLabels} legit each): ${reasons.join('; ')}`);
    this.counts = counts;
    this.minLabels = minLabels;
  }
}

export const FIT_DEFAULTS = Object.freeze({ split: 'auto' as const, testShare: 0.3, seed: 20261207, highPrecision: 0.9, mediumPrecision: 0.5, maxHonestShare: 0.005, minLabels: 20, l2: 5 });

const KINDS: readonly SubjectKind[] = ['order', 'return', 'refund'];
/** MEDIUM's precision is at least this many times the held-out base rate's odds. */
export const MEDIUM_LIFT = 3;
/** The probability whose odds are `lift` times those of `p`. */
const lifted = (p: number, lift: number) => (lift * p) / (1 - p + lift * p);
const FIT_LINE = 'Fitted by RefundSentry';

/**
 * Fits per subject kind the weights of the ruleset's registered signals to labelled outcomes,
 * and chooses each kind's zones, from the signal results stored with the decisions (no signal
 * runs again). Pure and deterministic: the same rows, ruleset and options give the same body and
 * report, byte for byte.
 *
 * 1. **Split.** `time`: the latest `testShare` of the rows by time are held out; `customer`: the
 *    rows of `testShare` of the customers (guests: each subject its own), picked by a seeded
 *    hash; `auto`: time when both parts hold at least `minLabels` of each class for every kind
 *    fitted, else customer. The report says which, and why.
 * 2. **Fit.** Per kind with at least `minLabels` of each class: an L2-regularised logistic
 *    regression of the label on each signal's strength where it hit (0 for no_hit,
 *    insufficient_data and error), through its current strength curve, shrunk toward the current
 *    weights (`logisticRegression.ts` with a prior: penalty l2/n × |β − β₀|², so few labels leave
 *    the weights near the current ones and many move them to the data's).
 * 3. **Curves.** A signal's strength may also bend (`fitCurves.ts`), in one of two kinds of basis:
 *    beside its strength, a level any hit counts, hinges at strengths 0.25/0.5/0.75 and a step at
 *    a top strength many hits share such as 1, each column prior 0, of which it keeps those that
 *    raise the training log-likelihood by more than BIC's price (ln n / 2 each, chosen one at a
 *    time); or, instead of its strength, bins cut at the quantiles of its training hit strengths
 *    (1, 2, 3, 4, 6 or 8 below the top, which is a bin of its own), piecewise constant, each bin's
 *    prior the current log-odds at its hits' mean (current-curve) strength. Of these it keeps the
 *    one with the most training log-likelihood net of BIC's price for the columns it adds, if
 *    that beats its strength alone. Its effect then becomes a curve: made monotone (pool adjacent
 *    violators), cut at 0, divided by its top (the weight) — kept only when it is more than 0.05
 *    from the current curve. Few labels: no basis earns its price, the identity (or current)
 *    curve stays. Every choice is made on the training part alone.
 * 4. **Points.** The current weights map to log-odds with k₀ = HIGH threshold ÷ (logit of the
 *    HIGH precision target, at most 0.99, − logit of the training base rate; at least 0.5): the current ruleset read as "the
 *    points that take a subject from the base rate to the HIGH target's odds are the HIGH
 *    threshold". Fitted points = β × k with k = k₀, lowered only as far as needed to keep every
 *    weight within −100..100 and the 99th percentile of training subjects' summed points within
 *    the cap (so the ranking is not flattened at the cap). Signs are kept (trust signals stay
 *    negative); rounded to 0.5.
 * 5. **Zones** from the held-out fitted scores: HIGH at the lowest score whose held-out precision
 *    (subjects at or above it) reaches `highPrecision` and that holds at most `maxHonestShare`
 *    of the held-out legit subjects — and of the training part's, scored with the fitted weights
 *    (a held-out part of a few hundred legit subjects cannot resolve 0.5 % alone; this can only
 *    raise HIGH); MEDIUM likewise (below HIGH) at `mediumPrecision`, or at 3
 *    times the base rate's odds when that is higher (mostly positive labels). A target no score
 *    reaches keeps the current threshold, and the report says so. The held-out precision and
 *    honest share at the chosen thresholds meet the targets by construction; AUC and recall are
 *    the honest held-out figures.
 *
 * Custom signals keep their one weight (not fitted); `insufficientWeight` is not per kind.
 * Throws `FitRefused` when no kind can be fitted.
 */
export function fitRuleset(rows: readonly LabelledRow[], current: CompiledRuleset, options: FitOptions = {}): { body: Ruleset; report: FitReport } {
  const o: Resolved = { ...FIT_DEFAULTS, ...definedOnly(options) };
  if (!(o.testShare > 0 && o.testShare < 1)) throw new RangeError(`testShare must be between 0 and 1 (got ${o.testShare})`);
  if (!(o.mediumPrecision > 0 && o.mediumPrecision <= o.highPrecision && o.highPrecision <= 1)) throw new RangeError(`the precision targets must satisfy 0 < medium (${o.mediumPrecision}) ≤ high (${o.highPrecision}) ≤ 1`);
  if (!(o.maxHonestShare >= 0 && o.maxHonestShare <= 1)) throw new RangeError(`maxHonestShare must be between 0 and 1 (got ${o.maxHonestShare})`);
  const scored = new Set(current.ruleset.appliesTo);
  const counts = Object.fromEntries(KINDS.map((kind) => [kind, { positive: 0, negative: 0 }])) as Record<SubjectKind, { positive: number; negative: number }>;
  for (const row of rows) counts[row.kind][row.positive ? 'positive' : 'negative']++;
  const refusals = new Map<SubjectKind, string>();
  for (const kind of KINDS) {
    const c = counts[kind];
    if (!scored.has(kind)) refusals.set(kind, `the ruleset does not score ${kind}s`);
    else if (c.positive < o.minLabels || c.negative < o.minLabels) refusals.set(kind, `${c.positive} fraud/abuse and ${c.negative} legit ${kind} labels; at least ${o.minLabels} of each are needed`);
  }
  const fittable = KINDS.filter((kind) => !refusals.has(kind));
  if (fittable.length === 0) throw new FitRefused(counts, o.minLabels, KINDS.filter((k) => scored.has(k) || counts[k].positive + counts[k].negative > 0).map((k) => `${k}: ${refusals.get(k)}`));

  const labelled = rows.filter((row) => fittable.includes(row.kind));
  const split = splitRows(labelled, { split: o.split, testShare: o.testShare, seed: o.seed, minLabels: o.minLabels });
  const model = current.scoringModel();
  const specs = new Map(current.signalSpecs().map((s) => [s.id, s]));
  const fitted: ScoringModel = { ...model, signals: model.signals.map((s) => ({ ...s, weightByKind: { ...s.weightByKind } })), zonesByKind: { ...model.zonesByKind } };
  const kinds: (KindFit | RefusedKind)[] = [];
  const heldOut = {} as FitReport['heldOut'];
  for (const kind of KINDS) {
    const refused = refusals.get(kind);
    if (refused) {
      if (scored.has(kind) || counts[kind].positive + counts[kind].negative > 0) kinds.push({ kind, refused, counts: counts[kind] });
      continue;
    }
    const train: LabelledRow[] = [];
    const test: LabelledRow[] = [];
    labelled.forEach((row, i) => {
      if (row.kind === kind) (split.isTest[i] ? test : train).push(row);
    });
    const count = (part: LabelledRow[]) => ({ positive: part.filter((r) => r.positive).length, negative: part.filter((r) => !r.positive).length });
    const trainCounts = count(train);
    if (trainCounts.positive === 0 || trainCounts.negative === 0) {
      kinds.push({ kind, refused: `the training part holds ${trainCounts.positive} fraud/abuse and ${trainCounts.negative} legit ${kind} labels: nothing to fit`, counts: counts[kind] });
      continue;
    }
    const result = fitKind(kind, train, test, model, specs, fitted, o);
    kinds.push({ ...result.fit, counts: { train: trainCounts, test: count(test) } });
    heldOut[kind] = result.heldOut;
  }
  if (!kinds.some((k) => 'weights' in k)) throw new FitRefused(counts, o.minLabels, kinds.map((k) => `${k.kind}: ${(k as RefusedKind).refused}`));

  const body = fittedBody(current.ruleset, kinds.filter((k): k is KindFit => 'weights' in k), split, counts, o);
  const trainRows = labelled.filter((_, i) => !split.isTest[i]);
  const testRows = labelled.filter((_, i) => split.isTest[i]);
  return {
    body,
    report: {
      split: {
        mode: split.mode,
        reason: split.reason,
        testShare: o.testShare,
        ...(split.mode === 'customer' ? { seed: o.seed } : {}),
        trainPeriod: period(trainRows),
        testPeriod: period(testRows),
      },
      kinds,
      heldOut,
    },
  };
}

/** The rows' split: which are held out (`isTest`, aligned with the rows), how, and why. */
export interface RowSplit {
  mode: 'time' | 'customer';
  reason: string;
  isTest: boolean[];
}

/**
 * Splits labelled rows into training and held-out parts (see `fitRuleset`). Time: rows sorted by
 * (time, kind, subject id), the last `testShare` held out. Customer: the customers (guests: their
 * subject) ordered by a seeded 32-bit hash of their key, the first `testShare` of them held out.
 */
export function splitRows(rows: readonly LabelledRow[], options: { split?: 'time' | 'customer' | 'auto'; testShare?: number; seed?: number; minLabels?: number } = {}): RowSplit {
  const testShare = options.testShare ?? FIT_DEFAULTS.testShare;
  const seed = options.seed ?? FIT_DEFAULTS.seed;
  const minLabels = options.minLabels ?? FIT_DEFAULTS.minLabels;
  const mode = options.split ?? 'auto';
  const share = `${Math.round(testShare * 100)}%`;
  if (mode === 'customer') return { mode: 'customer', reason: `split by customer as asked: ${share} of the customers held out (seed ${seed})`, isTest: customerSplit(rows, testShare, seed) };
  const byTime = timeSplit(rows, testShare);
  if (mode === 'time') return { mode: 'time', reason: `time-ordered as asked: the latest ${share} of the labelled subjects held out`, isTest: byTime };
  const short: string[] = [];
  for (const kind of KINDS) {
    const of = (test: boolean, positive: boolean) => rows.filter((r, i) => r.kind === kind && byTime[i] === test && r.positive === positive).length;
    if (!rows.some((r) => r.kind === kind)) continue;
    const parts = { 'training positives': of(false, true), 'training negatives': of(false, false), 'held-out positives': of(true, true), 'held-out negatives': of(true, false) };
    const few = Object.entries(parts).filter(([, n]) => n < minLabels);
    if (few.length > 0) short.push(`${kind}s: ${few.map(([what, n]) => `${n} ${what}`).join(', ')}`);
  }
  if (short.length === 0) {
    return { mode: 'time', reason: `time-ordered: the latest ${share} of the labelled subjects held out; both parts hold at least ${minLabels} labels of each class for every kind fitted`, isTest: byTime };
  }
  return {
    mode: 'customer',
    reason: `split by customer (${share} of the customers held out, seed ${seed}): a time-ordered split leaves too few labels (fewer than ${minLabels}) in a part (${short.join('; ')})`,
    isTest: customerSplit(rows, testShare, seed),
  };
}

function timeSplit(rows: readonly LabelledRow[], testShare: number): boolean[] {
  const order = rows.map((_, i) => i).sort((a, b) => compareRows(rows[a]!, rows[b]!));
  const testCount = Math.round(rows.length * testShare);
  const isTest = new Array<boolean>(rows.length).fill(false);
  for (let k = rows.length - testCount; k < rows.length; k++) isTest[order[k]!] = true;
  return isTest;
}

function compareRows(a: LabelledRow, b: LabelledRow): number {
  const ta = Date.parse(a.at);
  const tb = Date.parse(b.at);
  if (ta !== tb) return ta - tb;
  if (a.kind !== b.kind) return KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind);
  return a.subjectId < b.subjectId ? -1 : a.subjectId > b.subjectId ? 1 : 0;
}

function customerSplit(rows: readonly LabelledRow[], testShare: number, seed: number): boolean[] {
  const keyOf = (row: LabelledRow) => (row.customerId === null ? `guest:${row.subjectId}` : `customer:${row.customerId}`);
  const keys = [...new Set(rows.map(keyOf))].map((key) => ({ key, hash: seededHash(seed, key) }));
  keys.sort((a, b) => a.hash - b.hash || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const held = new Set(keys.slice(0, Math.round(keys.length * testShare)).map((k) => k.key));
  return rows.map((row) => held.has(keyOf(row)));
}

/** FNV-1a over the seed and key, finished with murmur3's mix: a stable 32-bit hash. */
function seededHash(seed: number, key: string): number {
  let h = 0x811c9dc5;
  const text = `${seed}:${key}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

type Resolved = Required<FitOptions>;

function fitKind(
  kind: SubjectKind,
  train: LabelledRow[],
  test: LabelledRow[],
  model: ScoringModel,
  specs: ReadonlyMap<string, { source: 'signal' | 'custom' }>,
  fitted: ScoringModel,
  o: Resolved,
): { fit: Omit<KindFit, 'counts'>; heldOut: { live: VersionMetrics; fitted: VersionMetrics } } {
  const signals = model.signals.filter((s) => s.weightByKind[kind] !== undefined);
  const features = signals.filter((s) => specs.get(s.id)?.source === 'signal');
  const kept = signals.filter((s) => specs.get(s.id)?.source !== 'signal').map((s) => s.id);
  const ids = features.map((s) => s.id);
  const column = new Map(ids.map((id, i) => [id, i]));
  const currentCurves = features.map((s) => s.curveByKind?.[kind]);
  // Each training row's hit strengths per signal (0: no hit), read once.
  const strengths = new Float64Array(train.length * ids.length);
  const y = new Float64Array(train.length);
  train.forEach((row, r) => {
    y[r] = row.positive ? 1 : 0;
    for (const s of row.signals) {
      const i = column.get(s.id);
      if (i !== undefined) strengths[r * ids.length + i] = strengthFeature(s);
    }
  });
  const positives = y.reduce((a, b) => a + b, 0);
  const hits = new Int32Array(ids.length);
  for (let r = 0; r < train.length; r++) for (let i = 0; i < ids.length; i++) if (strengths[r * ids.length + i] !== 0) hits[i]++;
  const baseLogit = logit(positives / train.length);
  const zones = model.zonesByKind[kind];
  const cap = model.capCents / 100;
  // k₀: the current ruleset read as "HIGH threshold points take the base rate to the HIGH target's odds".
  const priorScale = zones.high / Math.max(0.5, logit(Math.min(0.99, o.highPrecision)) - baseLogit);
  const priorLogits = features.map((s) => s.weightByKind[kind]! / priorScale);

  // Strength curves: each signal's strength may bend at fixed knots and step at a saturated top
  // (`curveBasis`); of these, a signal keeps those that raise the training log-likelihood by more
  // than BIC's price (ln n / 2 each), chosen one at a time, the best first, over its strength alone.
  // Or it may be binned at the quantiles of its hits (`binBasis`, piecewise constant, instead of
  // its strength): the basis with the most log-likelihood net of the price is kept.
  const hitStrengths = ids.map((_, i) => {
    const values: number[] = [];
    for (let r = 0; r < train.length; r++) if (strengths[r * ids.length + i]! > 0) values.push(strengths[r * ids.length + i]!);
    return values.sort((a, b) => a - b);
  });
  const design = (bases: ReadonlyMap<number, CurveBasis>) => fitDesign(strengths, y, ids.length, currentCurves, priorLogits, bases, o.l2);
  const plain = design(new Map());
  const price = Math.log(train.length) / 2;
  const bases = new Map<number, CurveBasis>();
  const gains = new Map<number, number>();
  hitStrengths.forEach((values, i) => {
    const full = curveBasis(values);
    if (!full) return;
    const columns: CurveBasis[] = [...(full.level ? [{ level: true as const, knots: [] }] : []), ...full.knots.map((k) => ({ knots: [k] })), ...(full.atom === undefined ? [] : [{ knots: [], atom: full.atom }])];
    let chosen: CurveBasis = { knots: [] };
    let reached = plain.logLikelihood;
    for (;;) {
      let best: { basis: CurveBasis; column: CurveBasis; logLikelihood: number } | undefined;
      for (const column of columns) {
        const basis: CurveBasis = {
          ...(chosen.level || column.level ? { level: true as const } : {}),
          knots: [...chosen.knots, ...column.knots].sort((a, b) => a - b),
          ...(chosen.atom !== undefined || column.atom !== undefined ? { atom: (chosen.atom ?? column.atom)! } : {}),
        };
        const logLikelihood = design(new Map([[i, basis]])).logLikelihood;
        if (logLikelihood - reached > price && (best === undefined || logLikelihood > best.logLikelihood)) best = { basis, column, logLikelihood };
      }
      if (!best) break;
      chosen = best.basis;
      reached = best.logLikelihood;
      columns.splice(columns.indexOf(best.column), 1);
    }
    // The bins at each count (skipping the cuts the count before gave), against the hinges: the
    // most log-likelihood net of the price of the columns each adds (bins take the strength's place).
    let best = reached - price * basisWidth(chosen);
    let cuts = '';
    for (const count of CURVE_BIN_COUNTS) {
      const binned = binBasis(values, count);
      if (!binned || JSON.stringify(binned) === cuts) continue;
      cuts = JSON.stringify(binned);
      const logLikelihood = design(new Map([[i, binned]])).logLikelihood;
      const net = logLikelihood - price * (basisWidth(binned) - 1);
      if (net > best) {
        best = net;
        chosen = binned;
        reached = logLikelihood;
      }
    }
    if (basisWidth(chosen) === 0) return;
    bases.set(i, chosen);
    gains.set(i, reached - plain.logLikelihood);
  });
  const final = bases.size === 0 ? plain : design(bases);

  // Each signal as points = logits × curve(strength): one fitted on its strength alone keeps its
  // current curve; one with a basis gets the monotone curve of its effect, unless that is within
  // CURVE_TOLERANCE of the current one (kept, weighed at the effect's full strength).
  const logits = new Float64Array(ids.length);
  const curves: (StrengthCurve | undefined)[] = [...currentCurves];
  const learned: Record<string, StrengthCurve> = {};
  const curveEvidence: KindFit['curveEvidence'] = {};
  ids.forEach((id, i) => {
    const basis = bases.get(i);
    logits[i] = final.linear[i]! < 0 ? 0 : final.coefficients[final.linear[i]!]!;
    if (!basis) return;
    const effect = curveOfEffect({
      basis,
      slope: logits[i]!,
      coefficients: final.basis[i]!.map((c) => final.coefficients[c]!),
      current: currentCurves[i],
      hits: hitStrengths[i]!,
      priorSign: Math.sign(priorLogits[i]!),
    });
    curveEvidence[id] = { ...(basis.level ? { level: true } : {}), knots: [...basis.knots], ...(basis.atom === undefined ? {} : { atom: basis.atom }), ...(basis.bins ? { bins: [...basis.bins] } : {}), logLikelihoodGain: round(gains.get(i)!, 2) };
    logits[i] = effect.weight;
    if (effect.curve === undefined || curveDistance(effect.curve, currentCurves[i]) <= CURVE_TOLERANCE) return;
    curves[i] = effect.curve;
    learned[id] = effect.curve;
  });

  // k: k₀, lowered only to keep each weight within ±100 and the 99th percentile of summed points within the cap.
  let largest = 0;
  for (const b of logits) largest = Math.max(largest, Math.abs(b));
  const spans = Array.from({ length: train.length }, (_, r) => {
    let z = 0;
    for (let i = 0; i < ids.length; i++) {
      const s = strengths[r * ids.length + i]!;
      if (s > 0) z += logits[i]! * (curves[i] ? curveStrength(curves[i]!, s) : s);
    }
    return z;
  }).sort((a, b) => a - b);
  const p99 = spans.length > 0 ? spans[Math.min(spans.length - 1, Math.floor(spans.length * 0.99))]! : 0;
  let scale = priorScale;
  if (largest > 0) scale = Math.min(scale, 100 / largest);
  if (p99 > 0) scale = Math.min(scale, cap / p99);
  const weights: Record<string, number> = {};
  const currentWeights: Record<string, number> = {};
  features.forEach((s, i) => {
    weights[s.id] = clampPoints(Math.round(logits[i]! * scale * 2) / 2);
    currentWeights[s.id] = s.weightByKind[kind]!;
  });
  // The fitted model for this kind; scores of the held-out rows with it.
  for (const s of fitted.signals) {
    if (weights[s.id] !== undefined) s.weightByKind[kind] = weights[s.id]!;
    if (learned[s.id] !== undefined) s.curveByKind = { ...s.curveByKind, [kind]: learned[s.id]! };
  }
  const matrix = SignalMatrix.fromResults(test.map((row) => ({ subjectId: row.subjectId, kind, signals: row.signals })));
  const scores = Array.from(reweighModel(matrix, fitted).scoreCents, (c) => c / 100);
  const labels = test.map((row) => row.positive);
  const notes: string[] = [];
  const heldPositives = labels.filter(Boolean).length;
  const baseRate = labels.length === 0 ? 0 : heldPositives / labels.length;
  const negatives = labels.length - heldPositives;
  // MEDIUM's target: the merchant's, and at least MEDIUM_LIFT times the base rate's odds (labels
  // mostly positive would otherwise let every score above 0 reach it).
  const liftTarget = baseRate < 1 ? round(lifted(baseRate, MEDIUM_LIFT), 4) : 1;
  const mediumTarget = Math.min(o.highPrecision, Math.max(o.mediumPrecision, liftTarget));
  if (mediumTarget > o.mediumPrecision) {
    notes.push(`the held-out ${kind}s are ${round(baseRate * 100, 1)}% positive: MEDIUM at precision ${o.mediumPrecision} would hold almost every ${kind}, so MEDIUM starts where precision reaches ${mediumTarget} (${MEDIUM_LIFT} times the base rate's odds${mediumTarget === o.highPrecision ? ', at most the HIGH target' : ''})`);
  }
  // HIGH's honest cap holds on the held-out legit subjects and on the training part's (scored with
  // the fitted weights) alike: a held-out part of a few hundred legit subjects cannot resolve a
  // share of 0.5 % by itself, and HIGH acts on customers. The training part can only raise HIGH.
  const honestAllowed = Math.floor(o.maxHonestShare * negatives + 1e-9);
  const trainScores = Array.from(reweighModel(SignalMatrix.fromResults(train.map((row) => ({ subjectId: row.subjectId, kind, signals: row.signals }))), fitted).scoreCents, (c) => c / 100);
  const trainLegit = trainScores.filter((_, i) => !train[i]!.positive).sort((a, b) => b - a);
  const trainAllowed = Math.floor(o.maxHonestShare * trainLegit.length + 1e-9);
  const above = trainLegit.length > trainAllowed ? trainLegit[trainAllowed]! : -Infinity;
  let high = lowestThreshold(scores, labels, o.highPrecision, cap + 1, honestAllowed, above);
  const share = `share ${o.maxHonestShare}: at most ${honestAllowed} of the ${negatives} held-out and ${trainAllowed} of the ${trainLegit.length} training legit ${kind}s`;
  if (high === undefined) {
    high = zones.high;
    notes.push(`no held-out ${kind} score reaches precision ${o.highPrecision} at HIGH with few enough legit ${kind}s in it (${share}): HIGH kept at ${high}`);
  } else {
    const precisionOnly = lowestThreshold(scores, labels, o.highPrecision, cap + 1, Infinity);
    if (precisionOnly !== undefined && precisionOnly < high) {
      notes.push(`HIGH starts at ${high}, not at ${precisionOnly} where held-out precision first reaches ${o.highPrecision}, to hold few enough legit ${kind}s (${share})`);
    }
  }
  const honestInHigh = { heldOut: { legit: scores.filter((x, i) => x >= high! && !labels[i]).length, of: negatives }, training: { legit: trainLegit.filter((x) => x >= high!).length, of: trainLegit.length } };
  let medium = lowestThreshold(scores, labels, mediumTarget, high, Infinity);
  if (medium === undefined) {
    medium = zones.medium < high ? zones.medium : Math.round(high * 50) / 100;
    notes.push(`no held-out ${kind} score below HIGH reaches precision ${mediumTarget}: MEDIUM kept at ${medium}`);
  }
  const kindZones: ZoneThresholds = { medium, high };
  fitted.zonesByKind[kind] = kindZones;
  const zoneOf = (score: number): Zone => (score >= high ? 'high' : score >= medium ? 'medium' : 'low');
  const values = test.map((row) => row.value);
  return {
    fit: {
      kind,
      weights,
      curves: learned,
      curveEvidence,
      zones: { medium, high },
      targets: { high: o.highPrecision, medium: mediumTarget, maxHonestShare: o.maxHonestShare },
      honestInHigh,
      scale: { pointsPerLogit: round(scale, 4), priorPointsPerLogit: round(priorScale, 4), intercept: round(final.bias, 4) },
      current: currentWeights,
      kept,
      unobserved: ids.filter((_, i) => hits[i] === 0),
      notes,
    },
    heldOut: {
      live: versionMetrics(test.map((r) => r.liveScore), test.map((r) => r.liveZone), labels, values),
      fitted: versionMetrics(scores, scores.map(zoneOf), labels, values),
    },
  };
}

/** One regression of a kind's fit: its coefficients, where each signal's columns are, and its training log-likelihood. */
interface DesignFit {
  coefficients: Float64Array;
  bias: number;
  /** Each signal's column of its (curved) strength (−1: a binned signal, whose bins take its place). */
  linear: number[];
  /** The columns of each signal's basis (`basisValues`' order), for the signals with one. */
  basis: (number[] | undefined)[];
  logLikelihood: number;
}

/**
 * The regression of the labels on each signal's strength through its current curve (prior: its
 * current log-odds) and, for the signals given a basis, its level, hinges and atom (prior 0: few
 * labels keep the current curve) — or, binned, its bins instead of its strength (each prior the
 * current log-odds at the mean current-curve strength of its training hits: few labels keep the
 * current effect, averaged per bin; bins share no row, so the shrinkage does not move a jump
 * between them); and its unpenalised training log-likelihood.
 */
function fitDesign(
  strengths: Float64Array,
  y: Float64Array,
  signals: number,
  curves: readonly (StrengthCurve | undefined)[],
  priorLogits: readonly number[],
  bases: ReadonlyMap<number, CurveBasis>,
  l2: number,
): DesignFit {
  const linear: number[] = [];
  const basis: (number[] | undefined)[] = [];
  let width = 0;
  for (let i = 0; i < signals; i++) {
    const b = bases.get(i);
    linear.push(b?.bins ? -1 : width++);
    basis.push(b ? Array.from({ length: basisWidth(b) }, () => width++) : undefined);
  }
  const rows = y.length;
  const x = new Float64Array(rows * width);
  // A bin's prior: the current log-odds × the mean counted strength of its training hits.
  const counted = new Float64Array(width);
  const binHits = new Float64Array(width);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < signals; i++) {
      const s = strengths[r * signals + i]!;
      if (s <= 0) continue;
      const curve = curves[i];
      const strength = curve ? curveStrength(curve, s) : s;
      if (linear[i]! >= 0) x[r * width + linear[i]!] = strength;
      const b = bases.get(i);
      if (!b) continue;
      basisValues(b, s).forEach((v, c) => {
        const column = basis[i]![c]!;
        x[r * width + column] = v;
        if (b.bins && v !== 0) {
          counted[column] += strength;
          binHits[column]++;
        }
      });
    }
  }
  const prior = new Float64Array(width);
  for (let i = 0; i < signals; i++) {
    if (linear[i]! >= 0) prior[linear[i]!] = priorLogits[i]!;
    if (bases.get(i)?.bins) for (const column of basis[i]!) prior[column] = binHits[column]! > 0 ? (priorLogits[i]! * counted[column]!) / binHits[column]! : 0;
  }
  const fit = fitLogisticRegression(x, y, width, { l2, prior });
  let logLikelihood = 0;
  for (let r = 0; r < rows; r++) {
    const z = logisticLogit(fit, x, r);
    logLikelihood += y[r]! * z - softplus(z);
  }
  return { coefficients: fit.coefficients, bias: fit.bias, linear, basis, logLikelihood };
}

/**
 * The lowest score s (above < s < below, s > 0) at which the subjects scoring s or more have
 * precision ≥ target and hold at most `honestAllowed` negatives; undefined when none has.
 */
function lowestThreshold(scores: readonly number[], positives: readonly boolean[], target: number, below: number, honestAllowed: number, above = -Infinity): number | undefined {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let flagged = 0;
  let caught = 0;
  let lowest: number | undefined;
  for (let k = 0; k < order.length; ) {
    const score = scores[order[k]!]!;
    while (k < order.length && scores[order[k]!] === score) {
      flagged++;
      if (positives[order[k]!]) caught++;
      k++;
    }
    if (score <= 0 || score <= above || flagged - caught > honestAllowed) break;
    if (score < below && caught / flagged >= target) lowest = score;
  }
  return lowest;
}

/** Held-out figures of one version: AUC, HIGH and MEDIUM+ precision/recall, money, calibration. */
export function versionMetrics(scores: readonly number[], zones: readonly Zone[], positives: readonly boolean[], values: readonly number[]): VersionMetrics {
  const auc = rocAuc(scores, positives);
  const total = positives.filter(Boolean).length;
  const negatives = positives.length - total;
  const detect = (flag: (zone: Zone) => boolean) => {
    let flagged = 0;
    let caught = 0;
    zones.forEach((zone, i) => {
      if (!flag(zone)) return;
      flagged++;
      if (positives[i]) caught++;
    });
    return {
      flagged,
      precision: flagged === 0 ? null : round(caught / flagged, 4),
      recall: total === 0 ? 0 : round(caught / total, 4),
      honestShare: negatives === 0 ? null : round((flagged - caught) / negatives, 4),
    };
  };
  let caught = 0;
  let honestHeld = 0;
  let positivesTotal = 0;
  zones.forEach((zone, i) => {
    if (positives[i]) positivesTotal += values[i]!;
    if (zone !== 'high') return;
    if (positives[i]) caught += values[i]!;
    else honestHeld += values[i]!;
  });
  return {
    auc: Number.isNaN(auc) ? null : round(auc, 4),
    high: detect((zone) => zone === 'high'),
    mediumPlus: detect((zone) => zone !== 'low'),
    money: { caught: round(caught, 2), honestHeld: round(honestHeld, 2), positivesTotal: round(positivesTotal, 2) },
    calibration: calibrationTable(scores, positives),
  };
}

/** The current ruleset with each fitted kind's weights (`weightByKind`) and zones (`zones.byKind`), and a line naming the fit. */
function fittedBody(ruleset: Readonly<Ruleset>, fits: KindFit[], split: RowSplit, counts: Record<SubjectKind, { positive: number; negative: number }>, o: Resolved): Ruleset {
  const body = structuredClone(ruleset) as Ruleset;
  for (const fit of fits) {
    for (const id of Object.keys(fit.weights).sort()) {
      const config = (body.signals[id] ??= {});
      config.weightByKind = { ...config.weightByKind, [fit.kind]: fit.weights[id]! };
      const curve = fit.curves[id];
      if (curve) config.curveByKind = { ...config.curveByKind, [fit.kind]: curve.map(([x, y]) => [x, y] as [number, number]) };
    }
    body.zones.byKind = { ...body.zones.byKind, [fit.kind]: { ...fit.zones } };
  }
  const labels = fits.map((f) => `${f.kind}s ${counts[f.kind].positive} fraud/abuse + ${counts[f.kind].negative} legit`).join(', ');
  const line = `${FIT_LINE} to ${labels}; ${split.mode === 'time' ? 'time-ordered split' : `customer split (seed ${o.seed})`}, ${Math.round(o.testShare * 100)}% held out; zones at held-out precision ${o.highPrecision} (HIGH, at most ${o.maxHonestShare} of legit subjects) / ${o.mediumPrecision} (MEDIUM); l2 ${o.l2} toward the weights of ${ruleset.id} v${ruleset.version}.`;
  const before = (ruleset.description ?? '').split('\n').filter((l) => !l.startsWith(FIT_LINE)).join('\n').trim();
  const room = 2000 - line.length - 1;
  body.description = before.length === 0 ? line : `${before.length > room ? `${before.slice(0, Math.max(0, room - 1))}…` : before}\n${line}`;
  return body;
}

function period(rows: readonly LabelledRow[]): [string, string] {
  if (rows.length === 0) return ['', ''];
  let first = rows[0]!;
  let last = rows[0]!;
  for (const row of rows) {
    if (Date.parse(row.at) < Date.parse(first.at)) first = row;
    if (Date.parse(row.at) > Date.parse(last.at)) last = row;
  }
  return [first.at, last.at];
}

const logit = (p: number) => Math.log(p / (1 - p));
/** log(1 + e^z), without overflow. */
const softplus = (z: number) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const clampPoints = (points: number) => (points > 100 ? 100 : points < -100 ? -100 : points === 0 ? 0 : points);

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

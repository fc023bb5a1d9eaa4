import type { Knex } from 'knex';
import type { SubjectKind } from '../../sdk/index.ts';
import {
  CHARGEBACK_WINDOW_DAYS, countLabels, labelAt, maturityOf, paymentClassOf, settled, SUBJECT_KINDS, UNDISPUTABLE_MATURITY_DAYS,
  type KindLabelCounts, type SubjectLabel,
} from '../../engine/chargebacks/labels.ts';
import type { LabelledRow } from '../../engine/learn/fitRuleset.ts';
import type { DecidedSubject, Stores, SubjectQuery } from '../store/index.ts';
import type { LabelCounts } from '../../contract/fits.ts';

export type { LabelCounts };

/** Labels of each class a subject kind needs before it can be fitted (the fit's own default). */
export const FIT_MIN_LABELS = 20;

// What GET /api/labels answers is the API contract's LabelCounts.

export interface LabelledSubject {
  subject: DecidedSubject;
  label: SubjectLabel;
}

const AGING_PAGE = 5_000;

/**
 * Labels of a shop's decided subjects as known at a moment (`engine/chargebacks/labels.ts`): the
 * counts per subject kind (`GET /api/labels`), the settled rows a fit learns from (with their
 * stored signal results: no signal runs again), and aging inference, which records "matured
 * without a dispute" as a legit outcome so signals reading outcomes see it too (in the backfill's
 * aging stage, and daily on live data).
 */
export class LabelService {
  private readonly stores: Stores;
  private readonly now: () => number;

  constructor(stores: Stores, now: () => number = Date.now) {
    this.stores = stores;
    this.now = now;
  }

  /** The shop's chargeback window: its backfill's aging days, else the card networks' 120. */
  async windowDays(shopId: string): Promise<number> {
    return (await this.stores.backfills.get(shopId))?.aging_days ?? CHARGEBACK_WINDOW_DAYS;
  }

  /** Decided subjects with their labels as known strictly before `asOf` (default now). */
  async labelled(shopId: string, query: SubjectQuery & { asOf?: Date } = {}): Promise<LabelledSubject[]> {
    const asOf = (query.asOf ?? new Date(this.now())).getTime();
    const windowDays = await this.windowDays(shopId);
    // A subject is known only once it happened: none after the moment asked about.
    const to = query.to && query.to.getTime() < asOf ? query.to : new Date(asOf);
    const subjects = await this.stores.labels.subjects(shopId, { ...query, to });
    return subjects.map((subject) => ({ subject, label: labelAt(subject.facts, asOf, { windowDays }) }));
  }

  /** Label counts per subject kind, and whether each kind has enough to be fitted. */
  async counts(shopId: string, options: { asOf?: Date; from?: Date; to?: Date; minLabels?: number } = {}): Promise<LabelCounts> {
    const asOf = options.asOf ?? new Date(this.now());
    const minLabels = options.minLabels ?? FIT_MIN_LABELS;
    const labelled = await this.labelled(shopId, { asOf, ...(options.from ? { from: options.from } : {}), ...(options.to ? { to: options.to } : {}) });
    const counts = countLabels(labelled.map(({ subject, label }) => ({ kind: subject.facts.kind, label })), asOf.getTime());
    const kinds = Object.fromEntries(
      SUBJECT_KINDS.map((kind) => {
        const c = counts[kind];
        const short = [c.positive < minLabels ? `${minLabels - c.positive} more fraud` : '', c.negative < minLabels ? `${minLabels - c.negative} more legit` : ''].filter(Boolean);
        const needed = Math.max(0, minLabels - c.positive) + Math.max(0, minLabels - c.negative);
        return [kind, { ...c, fittable: short.length === 0, missing: short.length ? `${short.join(' and ')} ${needed === 1 ? 'label' : 'labels'} needed` : null }];
      }),
    ) as LabelCounts['kinds'];
    return { asOf: asOf.toISOString(), windowDays: await this.windowDays(shopId), minLabels, kinds, fittable: SUBJECT_KINDS.some((k) => kinds[k].fittable) };
  }

  /**
   * The rows a fit learns from: every decided subject of the period with a settled label as known
   * at `asOf`, with its decision's stored signal results, score and zone, in subject-time order.
   */
  async fitRows(shopId: string, options: { asOf: Date; from?: Date; to?: Date }): Promise<LabelledRow[]> {
    const labelled = await this.labelled(shopId, { asOf: options.asOf, withSignals: true, ...(options.from ? { from: options.from } : {}), ...(options.to ? { to: options.to } : {}) });
    const rows: LabelledRow[] = [];
    for (const { subject, label } of labelled) {
      const positive = settled(label);
      if (positive === undefined) continue;
      rows.push({
        subjectId: subject.subjectId,
        kind: subject.facts.kind,
        at: subject.facts.at,
        customerId: subject.customerId,
        positive,
        value: subject.value,
        signals: subject.signals ?? [],
        liveScore: subject.score,
        liveZone: subject.zone,
      });
    }
    return rows;
  }

  /**
   * Aging inference on the shop's stored subjects: each one whose dispute window has closed by now
   * with no dispute on its order gets a legit outcome (source `aging`) dated when the window closed,
   * so a context before that moment does not see it. `window` limits it to subjects of a period
   * (a backfill's pass); `windowDays` is the chargeback window (the backfill's aging days).
   * Idempotent. Returns how many labels were added.
   */
  async age(shopId: string, options: { trx?: Knex; windowDays?: number; window?: { from: Date; to: Date } } = {}): Promise<number> {
    const trx = options.trx ?? this.stores.db;
    const windowDays = options.windowDays ?? (await this.windowDays(shopId));
    const now = this.now();
    let afterId: string | null = null;
    let added = 0;
    for (;;) {
      const page = await this.stores.labels.agingCandidates(trx, shopId, {
        minDays: Math.min(UNDISPUTABLE_MATURITY_DAYS, windowDays), now: new Date(now), afterId, limit: AGING_PAGE, ...(options.window ? { window: options.window } : {}),
      });
      const matured = page.flatMap((c) => {
        const maturity = maturityOf(c, windowDays);
        if (maturity === null || maturity > now) return [];
        const payment = paymentClassOf(c.gateways, c.orderTotal);
        const days = Math.round((maturity - Date.parse(c.at)) / 86_400_000);
        const note = payment === 'undisputable' ? `paid by means no card network reverses: no fraud label within ${days} days` : `no dispute within ${days} days`;
        return [{ kind: c.kind, subjectId: c.subjectId, customerId: c.customerId, maturedAt: new Date(maturity).toISOString(), note }];
      });
      added += await this.stores.labels.insertAging(trx, shopId, matured);
      if (page.length < AGING_PAGE) return added;
      afterId = page[page.length - 1]!.id;
    }
  }
}

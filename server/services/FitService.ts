import { RulesetValidationError } from '../../engine/index.ts';
import { fitRuleset, type FitOptions } from '../../engine/learn/fitRuleset.ts';
import type { FitRow, RulesetNote, Stores } from '../store/index.ts';
import { FIT_MIN_LABELS, type LabelCounts, type LabelService } from './LabelService.ts';
import { Refused } from './Refused.ts';
import type { RulesetService } from './RulesetService.ts';
import type { FitRequest } from '../../contract/fits.ts';

/** What a merchant may set for a fit: the API contract's request (`contract/fits.ts`). */
export type { FitRequest };

/** A fit refused: no such fit (404), nothing to fit from or not running to cancel (409), too few labels (422, with the counts). */
export class FitRefused extends Refused {
  declare readonly status: 404 | 409 | 422;
  readonly counts?: LabelCounts;
  constructor(status: 404 | 409 | 422, message: string, counts?: LabelCounts) {
    super(status, message, counts ? { counts } : {});
    this.name = 'FitRefused';
    if (counts) this.counts = counts;
  }
}

class FitCancelled extends Error {}

const KIND_WORDS = { order: 'orders', return: 'returns', refund: 'refunds' } as const;

/** "orders: 12 fraud, 340 legit (8 more fraud labels needed); …" */
export function countsInWords(counts: LabelCounts): string {
  return (Object.keys(KIND_WORDS) as (keyof typeof KIND_WORDS)[])
    .map((kind) => {
      const c = counts.kinds[kind];
      const open = c.pending + c.immature;
      return `${KIND_WORDS[kind]}: ${c.positive} fraud, ${c.negative} legit${open ? `, ${open} still in their dispute window` : ''}${c.missing ? ` (${c.missing})` : ''}`;
    })
    .join('; ');
}

/** The engine's options from a request: only what the merchant set, with the label minimum the counts used. */
function fitOptionsOf(request: FitRequest): FitOptions {
  const { split, testShare, seed, highPrecision, mediumPrecision, l2 } = request;
  return {
    ...(split !== undefined ? { split } : {}),
    ...(testShare !== undefined ? { testShare } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(highPrecision !== undefined ? { highPrecision } : {}),
    ...(mediumPrecision !== undefined ? { mediumPrecision } : {}),
    ...(l2 !== undefined ? { l2 } : {}),
    minLabels: request.minLabels ?? FIT_MIN_LABELS,
  };
}

/**
 * Fits as jobs: `start` checks there are labels enough (refusing with the counts per kind),
 * stores a running fit (audited) and enqueues it; `list`, `get`, `cancel` (audited); `run` (the job, in a trial thread) reads the shop's settled
 * labels with their decisions' stored signal results (no signal runs again), fits the version the
 * merchant started from (`engine/learn/fitRuleset`) and saves the result as a draft version with
 * its report as note. A draft is never published by a fit.
 */
export class FitService {
  private readonly stores: Stores;
  private readonly rulesets: RulesetService;
  private readonly labels: LabelService;
  private readonly enqueue: (shopId: string, fitId: string) => Promise<void>;
  private readonly countLabels: (shopId: string, options: { asOf: Date; minLabels: number; from?: Date; to?: Date }) => Promise<LabelCounts>;
  private readonly now: () => number;

  /**
   * `countLabels` counts a shop's labels for `start` (default `labels.counts`; the server passes
   * the trial thread's, so that reading every decided subject stays off the main event loop).
   */
  constructor(stores: Stores, rulesets: RulesetService, labels: LabelService, enqueue: (shopId: string, fitId: string) => Promise<void>, options: { countLabels?: FitService['countLabels']; now?: () => number } = {}) {
    this.stores = stores;
    this.rulesets = rulesets;
    this.labels = labels;
    this.enqueue = enqueue;
    this.countLabels = options.countLabels ?? ((shopId, o) => labels.counts(shopId, o));
    this.now = options.now ?? Date.now;
  }

  async start(shopId: string, request: FitRequest, user: string): Promise<FitRow> {
    const live = await this.stores.rulesets.published(shopId);
    if (!live) throw new FitRefused(409, 'This shop has no published ruleset to fit');
    const asOf = request.asOf ? new Date(request.asOf) : new Date(this.now());
    const counts = await this.countLabels(shopId, {
      asOf,
      minLabels: request.minLabels ?? FIT_MIN_LABELS,
      ...(request.from ? { from: new Date(request.from) } : {}),
      ...(request.to ? { to: new Date(request.to) } : {}),
    });
    if (!counts.fittable) throw new FitRefused(422, `Too few labels to fit: each subject kind needs ${counts.minLabels} fraud and ${counts.minLabels} legit labels. ${countsInWords(counts)}.`, counts);
    const row = await this.stores.fits.create({ shop_id: shopId, options: { ...request }, as_of: asOf, against_version: live.version, labels: counts as unknown as Record<string, unknown>, created_by: user });
    await this.enqueue(shopId, row.id);
    await this.stores.audit.record(shopId, user, 'ruleset.fit', `v${row.against_version}`, { fit: row.id, options: request });
    return row;
  }

  /** The shop's latest fits, newest first (without their reports). */
  list(shopId: string): Promise<Omit<FitRow, 'report'>[]> {
    return this.stores.fits.list(shopId);
  }

  get(shopId: string, fitId: string): Promise<FitRow | undefined> {
    return this.stores.fits.get(shopId, fitId);
  }

  /**
   * Asks a running fit to stop (audited): the job stops at its next step, with no draft. Refused:
   * 404 for no such fit, 409 for one that is not running. Answers the fit as it now is, cancelling.
   */
  async cancel(shopId: string, fitId: string, user: string): Promise<Omit<FitRow, 'report'>> {
    const row = await this.stores.fits.get(shopId, fitId);
    if (!row) throw new FitRefused(404, 'No such fit in this shop');
    if (!(await this.stores.fits.cancel(shopId, fitId))) throw new FitRefused(409, `The fit is ${row.status}; only a running one can be cancelled`);
    await this.stores.audit.record(shopId, user, 'ruleset.fit.cancel', `v${row.against_version}`, { fit: fitId });
    const { report: _report, ...rest } = row;
    return { ...rest, status: 'cancelling' };
  }

  /** The fit job's work: progress recorded as it goes, stopping when the merchant cancels. */
  async run(shopId: string, fitId: string, options: { pause?: () => void } = {}): Promise<void> {
    const started = Date.now();
    const row = await this.stores.fits.get(shopId, fitId);
    if (!row || (row.status !== 'running' && row.status !== 'cancelling')) return;
    const step = async (progress: number) => {
      options.pause?.();
      if ((await this.stores.fits.progress(fitId, progress)) !== 'running') throw new FitCancelled();
    };
    try {
      if (row.status === 'cancelling') throw new FitCancelled();
      const request = row.options as FitRequest;
      const current = await this.stores.rulesets.get(shopId, row.against_version);
      if (!current) throw new Error(`ruleset version ${row.against_version} no longer exists`);
      const compiled = this.rulesets.compiled(current.body, current.content_hash);
      await step(0.05);
      const rows = await this.labels.fitRows(shopId, {
        asOf: row.as_of,
        ...(request.from ? { from: new Date(request.from) } : {}),
        ...(request.to ? { to: new Date(request.to) } : {}),
      });
      await step(0.4);
      let fitted: ReturnType<typeof fitRuleset>;
      try {
        fitted = fitRuleset(rows, compiled, fitOptionsOf(request));
      } catch (error) {
        if ((error as Error).name === 'FitRefused') {
          await this.stores.fits.end(fitId, 'failed', (error as Error).message, Date.now() - started, { counts: (error as { counts?: unknown }).counts ?? null, labels: row.labels });
          return;
        }
        throw error;
      }
      await step(0.9);
      const note: RulesetNote = {
        kind: 'fit',
        fitId,
        fittedFrom: row.against_version,
        asOf: row.as_of.toISOString(),
        options: row.options,
        labels: row.labels,
        report: fitted.report,
      };
      const draft = await this.rulesets.saveDraft(shopId, fitted.body, row.created_by ?? 'fit', null, note); // a fitted body that does not compile is never saved
      await this.stores.fits.finish(fitId, draft.version, fitted.report, Date.now() - started);
      await this.stores.audit.record(shopId, row.created_by ?? 'fit', 'ruleset.fit.draft', `v${draft.version}`, { fit: fitId, from: row.against_version, rows: rows.length });
    } catch (error) {
      if (error instanceof FitCancelled) await this.stores.fits.end(fitId, 'cancelled', null, Date.now() - started);
      else if (error instanceof RulesetValidationError) await this.stores.fits.end(fitId, 'failed', `the fitted ruleset does not compile: ${error.message}`, Date.now() - started);
      else await this.stores.fits.end(fitId, 'failed', (error as Error).message, Date.now() - started);
    }
  }
}

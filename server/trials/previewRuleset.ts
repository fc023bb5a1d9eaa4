import type { CompiledRuleset, Decision, ExpressionBudget, Ruleset } from '../../engine/index.ts';
import type { HistoryEvent } from '../../engine/history/index.ts';
import { changedSignals } from '../../engine/simulate/changedSignals.ts';
import { rescoreChanged, RescoreUnsupported, type RescoreReport } from '../../engine/simulate/rescoreChanged.ts';
import { reweigh, SignalMatrix } from '../../engine/simulate/signalMatrix.ts';
import type { ShopBaseline } from '../../sdk/index.ts';
import type { Stores } from '../store/index.ts';
import type { PreviewAnswer } from '../../contract/rulesets.ts';

const DAY = 86_400_000;
const ZONES = ['low', 'medium', 'high'] as const;

/** What a preview answers: the API contract's answer (`contract/rulesets.ts`). */
export type PreviewResult = PreviewAnswer;

/**
 * What a preview reads: the thread's `RulesetService` (its compiled versions) and `ScoringService`
 * (the live version, the baseline), named by what is used so that `RulesetService`, which runs
 * previews, is not imported back.
 */
export interface PreviewDeps {
  stores: Stores;
  rulesets: { compiled(body: Ruleset): CompiledRuleset };
  scoring: { rulesetFor(shopId: string): Promise<CompiledRuleset>; baselineFor(shopId: string): Promise<ShopBaseline> };
}

export interface PreviewOptions {
  /** The request's budget: every re-run custom expression is charged to it. */
  budget?: ExpressionBudget;
  /** Called every few hundred events of a re-score (a trial thread yields to live scoring there). */
  onProgress?: (done: number, total: number) => void;
  now?: number;
}

/**
 * The instant preview while editing a ruleset, over the last `days` of the shop's decisions.
 * Weights, switches, zones and cap: the stored signal results of the window re-weighed. Changed
 * signal params or versions (custom signals included): `rescoreChanged` over the shop's whole
 * history, re-running only the changed signals (and, where verdicts change, those reading them)
 * on point-in-time contexts: exact, as a full replay would be. Runs in a trial thread.
 */
export async function previewRuleset(deps: PreviewDeps, shopId: string, body: Ruleset, days: number, options: PreviewOptions = {}): Promise<PreviewResult> {
  const compiled = deps.rulesets.compiled(body);
  const started = performance.now();
  const since = new Date((options.now ?? Date.now()) - days * DAY);
  const live = await deps.scoring.rulesetFor(shopId);
  const changes = changedSignals(live, compiled);
  const liveZones = { low: 0, medium: 0, high: 0 };
  if (changes.changed.length > 0) {
    const [material, all, lists, baseline, snoozes] = await Promise.all([
      deps.stores.context.wholeShop(shopId),
      deps.stores.decisions.signalsSince(shopId, new Date(0)),
      deps.stores.lists.forShopCached(shopId),
      deps.scoring.baselineFor(shopId),
      deps.stores.snoozes.forShop(shopId),
    ]);
    if (material) {
      const events: HistoryEvent[] = [...material.events, ...material.outcomes.map((outcome): HistoryEvent => ({ type: 'outcome', outcome }))];
      const stored = SignalMatrix.fromDecisions(all.map((r) => ({ signals: r.signals, subject: { id: r.subject_id, kind: r.subject_kind } }) as unknown as Decision));
      try {
        const rescored = rescoreChanged(events, stored, live, compiled, {
          shopId,
          lists,
          snoozes,
          baseline,
          ...(options.budget ? { budget: options.budget } : {}),
          ...(options.onProgress ? { onProgress: options.onProgress, progressEvery: 200 } : {}),
        });
        const preview = { low: 0, medium: 0, high: 0 };
        let changed = 0;
        const recent = new Set((await deps.stores.decisions.signalsSince(shopId, since)).map((r) => r.subject_id));
        all.forEach((r, i) => {
          if (!recent.has(r.subject_id)) return;
          const zone = ZONES[rescored.scores.zones[i]!]!;
          liveZones[r.zone as 'low']++;
          preview[zone]++;
          if (zone !== r.zone) changed++;
        });
        return { events: recent.size, live: liveZones, preview, changed, mode: 'rescored', rescore: rescored.report, ms: Math.round(performance.now() - started) };
      } catch (error) {
        if (!(error instanceof RescoreUnsupported)) throw error;
      }
    }
  }
  const rows = await deps.stores.decisions.signalsSince(shopId, since);
  const matrix = SignalMatrix.fromDecisions(rows.map((r) => ({ signals: r.signals, subject: { id: r.subject_id, kind: r.subject_kind } }) as unknown as Decision));
  const result = reweigh(matrix, compiled);
  let changed = 0;
  rows.forEach((r, i) => {
    liveZones[r.zone as 'low']++;
    if (ZONES[result.zones[i]!] !== r.zone) changed++;
  });
  return {
    events: rows.length,
    live: liveZones,
    preview: result.counts,
    changed,
    mode: 'reweighted',
    ...(changes.changed.length > 0 ? { note: `changed params of ${changes.changed.map((c) => c.id).join(', ')} are not re-run here (the history is too large to re-score interactively); run the simulation` } : {}),
    ms: Math.round(performance.now() - started),
  };
}

import { ExpressionBudgetExhausted, type ExpressionBudget } from '../../engine/index.ts';
import type { HistoryEvent } from '../../engine/history/index.ts';
import { simulateAsync, SimulationCancelled } from '../../engine/simulate/simulate.ts';
import type { SimulationRow, Stores } from '../store/index.ts';
import type { RulesetService } from './RulesetService.ts';
import type { ScoringService } from './ScoringService.ts';
import { Refused } from './Refused.ts';

/** Thrown for a simulation that cannot start (no such version, nothing live to compare with). */
export class SimulationRefused extends Refused {
  declare readonly status: 404 | 409;
  constructor(status: 404 | 409, message: string) {
    super(status, message);
    this.name = 'SimulationRefused';
  }
}

/**
 * Simulations as jobs: `start` stores a running simulation and enqueues it; `run` (the job)
 * replays the version against the live one over the shop's history, recording progress as it
 * goes and stopping when the merchant cancels; the report is stored when done.
 */
export class SimulationService {
  private readonly stores: Stores;
  private readonly rulesets: RulesetService;
  private readonly scoring: ScoringService;
  private readonly enqueue: (shopId: string, simulationId: string) => Promise<void>;

  constructor(stores: Stores, rulesets: RulesetService, scoring: ScoringService, enqueue: (shopId: string, simulationId: string) => Promise<void>) {
    this.stores = stores;
    this.rulesets = rulesets;
    this.scoring = scoring;
    this.enqueue = enqueue;
  }

  async start(shopId: string, version: number, window: { from: Date; to: Date }, user: string): Promise<SimulationRow> {
    const [draft, live] = await Promise.all([this.stores.rulesets.get(shopId, version), this.stores.rulesets.published(shopId)]);
    if (!draft) throw new SimulationRefused(404, `No ruleset version ${version} in this shop`);
    if (!live) throw new SimulationRefused(409, 'This shop has no published ruleset to compare with');
    const row = await this.stores.simulations.create({ shop_id: shopId, version, against_version: live.version, window_from: window.from, window_to: window.to, created_by: user });
    await this.enqueue(shopId, row.id);
    return row;
  }

  /**
   * The simulation job's work (in a trial thread): `budget` is charged with every custom
   * expression the replays run; `pause` is called at each progress point (to yield to live scoring).
   */
  async run(shopId: string, simulationId: string, options: { budget?: ExpressionBudget; pause?: () => void } = {}): Promise<void> {
    const started = Date.now();
    let progressCalls = 0;
    const row = await this.stores.simulations.get(shopId, simulationId);
    if (!row || (row.status !== 'running' && row.status !== 'cancelling')) return;
    try {
      if (row.status === 'cancelling') throw new SimulationCancelled();
      const [draft, live, material, lists, baseline, snoozes] = await Promise.all([
        this.stores.rulesets.get(shopId, row.version),
        this.stores.rulesets.get(shopId, row.against_version),
        this.stores.context.wholeShop(shopId),
        this.stores.lists.forShopCached(shopId),
        this.scoring.baselineFor(shopId),
        this.stores.snoozes.forShop(shopId),
      ]);
      if (!draft || !live) throw new Error('a ruleset version of this simulation no longer exists');
      if (!material) throw new Error('this shop history is too large to simulate in one run yet');
      const events: HistoryEvent[] = [...material.events, ...material.outcomes.map((outcome): HistoryEvent => ({ type: 'outcome', outcome }))];
      const report = await simulateAsync(events, this.rulesets.compiledVersion(live), this.rulesets.compiled(draft.body, draft.content_hash), {
        shopId,
        window: { from: row.window_from.toISOString(), to: row.window_to.toISOString() },
        lists,
        snoozes,
        baseline,
        ...(options.budget ? { budget: options.budget } : {}),
        progressEvery: 250,
        onProgress: async (fraction) => {
          options.pause?.();
          // Progress (and whether the merchant cancelled) read every 1,000 events.
          if (++progressCalls % 4 !== 0) return true;
          return (await this.stores.simulations.progress(simulationId, fraction)) === 'running';
        },
      });
      await this.stores.simulations.finish(simulationId, report, Date.now() - started);
    } catch (error) {
      if (error instanceof SimulationCancelled) await this.stores.simulations.end(simulationId, 'cancelled', null, Date.now() - started);
      else if (error instanceof ExpressionBudgetExhausted) await this.stores.simulations.end(simulationId, 'failed', `stopped: ${error.message}; simplify those expressions`, Date.now() - started);
      else await this.stores.simulations.end(simulationId, 'failed', (error as Error).message, Date.now() - started);
    }
  }
}

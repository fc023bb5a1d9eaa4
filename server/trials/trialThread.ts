/**
 * A trial thread (piscina task module): previews, simulations and fits run here, off the main event
 * loop that serves webhooks and the admin. Each thread has its own database pool, signal
 * registry (plugins loaded again, as the main thread loads them) and `RulesetService` (its own
 * compiled-version cache: a content compiles once per thread; objects cannot be shared with the
 * main thread's).
 */
import { workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { createRegistry, ExpressionBudget, ExpressionBudgetExhausted, RulesetValidationError } from '../../engine/index.ts';
import { builtinSignals } from '../../signals/index.ts';
import { createKnex } from '../db/openDatabase.ts';
import { loadPlugins } from '../loadPlugins.ts';
import { RulesetService } from '../services/RulesetService.ts';
import { ScoringService } from '../services/ScoringService.ts';
import { CalibrationService } from '../services/CalibrationService.ts';
import { FitService } from '../services/FitService.ts';
import { LabelService } from '../services/LabelService.ts';
import { SimulationService } from '../services/SimulationService.ts';
import { SuggestionService } from '../services/SuggestionService.ts';
import { createStores } from '../store/index.ts';
import { LiveLoad } from './LiveLoad.ts';
import { previewRuleset } from './previewRuleset.ts';
import type { TrialOutcome, TrialTask, TrialThreadData } from './TrialThreads.ts';

const data = workerData as TrialThreadData;
const liveLoad = new LiveLoad(data.liveLoad);

const ready = (async () => {
  const knex = createKnex(data.databaseUrl, 2);
  const stores = createStores(knex);
  // The main thread has logged how each plugin loaded; here they load quietly.
  const plugins = await loadPlugins(data.config, pino({ level: 'silent' }));
  const registry = createRegistry([...builtinSignals, ...plugins.signals]);
  const rulesets = new RulesetService(stores, registry, { unavailable: (id) => plugins.unavailableReason(id), decisionSteps: data.decisionSteps });
  const scoring = new ScoringService(stores, registry, { rulesets });
  const simulations = new SimulationService(stores, rulesets, scoring, async () => {});
  const labels = new LabelService(stores);
  const fits = new FitService(stores, rulesets, labels, async () => {});
  const suggestions = new SuggestionService(stores, rulesets, labels);
  const calibrations = new CalibrationService(stores, labels);
  return { stores, registry, rulesets, scoring, simulations, fits, labels, suggestions, calibrations };
})();

/** A newer preview of the same shop replaced this one. */
class Cancelled extends Error {}

/** Runs one trial within its step budget; the main thread enforces its time and memory. */
export default async function run(task: TrialTask): Promise<TrialOutcome> {
  const deps = await ready;
  const budget = new ExpressionBudget(task.steps, { track: true });
  const pause = () => void liveLoad.yieldToLive();
  try {
    if (task.kind === 'preview') {
      const cancelled = new Int32Array(task.cancel);
      const onProgress = () => {
        if (Atomics.load(cancelled, 0) === 1) throw new Cancelled();
        pause();
      };
      return { ok: true, result: await previewRuleset(deps, task.shopId, task.body, task.days, { budget, onProgress }) };
    }
    if (task.kind === 'labels') {
      const { asOf, from, to, minLabels } = task.request;
      return {
        ok: true,
        result: await deps.labels.counts(task.shopId, {
          ...(asOf ? { asOf: new Date(asOf) } : {}),
          ...(from ? { from: new Date(from) } : {}),
          ...(to ? { to: new Date(to) } : {}),
          ...(minLabels !== undefined ? { minLabels } : {}),
        }),
      };
    }
    if (task.kind === 'calibration') return { ok: true, result: await deps.calibrations.compute(task.shopId, task.version, task.subjectKind) };
    if (task.kind === 'suggestions') {
      if (!task.accept) return { ok: true, result: await deps.suggestions.proposals(task.shopId, task.days) };
      const accepted = await deps.suggestions.accept(task.shopId, task.accept.signalIds, task.accept.user, task.days);
      return { ok: true, result: accepted && 'draft' in accepted ? { draft: accepted.draft, accepted: accepted.accepted.map((p) => p.signalId) } : accepted };
    }
    if (task.kind === 'fit') {
      await deps.fits.run(task.shopId, task.fitId, { pause });
      return { ok: true };
    }
    await deps.simulations.run(task.shopId, task.simulationId, { budget, pause });
    return { ok: true };
  } catch (error) {
    if (error instanceof Cancelled) return { ok: false, code: 'cancelled' };
    if (error instanceof ExpressionBudgetExhausted) return { ok: false, code: 'over-budget', message: error.message, heaviest: error.heaviest };
    if (error instanceof RulesetValidationError) return { ok: false, code: 'invalid', message: error.message, problems: [...error.problems] };
    throw error;
  }
}

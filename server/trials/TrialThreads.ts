import { Piscina } from 'piscina';
import type { Logger } from 'pino';
import type { RulesetProblem, Ruleset } from '../../engine/index.ts';
import type { Config } from '../config.ts';
import type { Stores } from '../store/index.ts';
import { Refused } from '../services/Refused.ts';
import { LiveLoad } from './LiveLoad.ts';
import type { PreviewResult } from './previewRuleset.ts';
import type { LabelCounts } from '../services/LabelService.ts';
import type { ProposalList } from '../services/SuggestionService.ts';
import type { AcceptOutcome } from '../services/RulesetService.ts';
import type { Calibration } from '../../engine/chargebacks/calibration.ts';
import type { SubjectKind } from '../../sdk/index.ts';

/** A label count asked for (ISO times: a task crosses to the thread as data). */
export interface LabelCountRequest {
  asOf?: string;
  from?: string;
  to?: string;
  minLabels?: number;
}

/** What accepting suggestions answers (`RulesetService`'s, whose collaborator `acceptSuggestions` is). */
export type { AcceptOutcome };

/** What a trial may use: steps of custom expressions, wall time, memory; how many previews may wait. */
export interface TrialLimits {
  /** Custom-expression steps of one preview, all its decisions together (default 20,000,000: about 1-3 s of CPU). */
  previewSteps: number;
  /** Wall time of one preview, waiting included (default 20 s). */
  previewTimeoutMs: number;
  /** Custom-expression steps of one simulation, both replays together (default 5,000,000,000). */
  simulationSteps: number;
  /** Wall time of one simulation (default 30 min; pg-boss expires the job after an hour). */
  simulationTimeoutMs: number;
  /** Wall time of one fit (default 10 min), reading its labels included. */
  fitTimeoutMs: number;
  /** Heap of a trial thread (default 1,536 MB): a trial that needs more stops, the server does not. */
  memoryMb: number;
  /** Previews waiting for the thread, all shops together (default 8); more are refused with 429. */
  maxQueuedPreviews: number;
}

export const DEFAULT_TRIAL_LIMITS: TrialLimits = {
  previewSteps: 20_000_000,
  previewTimeoutMs: 20_000,
  simulationSteps: 5_000_000_000,
  simulationTimeoutMs: 30 * 60_000,
  fitTimeoutMs: 10 * 60_000,
  memoryMb: 1_536,
  maxQueuedPreviews: 8,
};

/** The work a trial thread does. */
export type TrialTask =
  | { kind: 'preview'; shopId: string; body: Ruleset; days: number; steps: number; cancel: SharedArrayBuffer }
  | { kind: 'simulate'; shopId: string; simulationId: string; steps: number }
  | { kind: 'fit'; shopId: string; fitId: string; steps: number }
  | { kind: 'labels'; shopId: string; request: LabelCountRequest; steps: number }
  | { kind: 'calibration'; shopId: string; version: number; subjectKind: SubjectKind; steps: number }
  | { kind: 'suggestions'; shopId: string; days: number; accept?: { signalIds: string[]; user: string }; steps: number };

/** What a trial thread answers: a preview's result, or why the trial was refused. */
export type TrialOutcome =
  | { ok: true; result?: PreviewResult | LabelCounts | ProposalList | AcceptOutcome | Calibration }
  | { ok: false; code: 'cancelled' }
  | { ok: false; code: 'over-budget'; message: string; heaviest: { label: string; steps: number }[] }
  | { ok: false; code: 'invalid'; message: string; problems: RulesetProblem[] };

/** What a trial thread starts with. */
export interface TrialThreadData {
  config: Config;
  databaseUrl: string;
  liveLoad: SharedArrayBuffer;
  decisionSteps?: number;
}

/** A trial that was not carried out, with the HTTP status that says why (never a 5xx: the request, not the server, was at fault). */
export class TrialRefused extends Refused {
  override readonly name = 'TrialRefused';
  declare readonly status: 409 | 422 | 429;
  readonly code: 'superseded' | 'over-budget' | 'timeout' | 'memory' | 'busy' | 'invalid';
  readonly details: Record<string, unknown>;
  constructor(status: TrialRefused['status'], code: TrialRefused['code'], message: string, details: Record<string, unknown> = {}) {
    super(status, message, { code, ...details });
    this.code = code;
    this.details = details;
  }
}

/**
 * Previews, simulations and fits, in trial threads (piscina, one thread for previews, one for
 * simulations and fits: a fit waits while a simulation runs): the main event loop that
 * serves webhooks, `/health` and the admin never runs them. Each trial is bounded: custom
 * expressions by a step budget (in the thread), wall time by a timer that terminates the thread,
 * memory by the thread's heap limit. A shop has one preview at a time (a newer one replaces it,
 * as the editor sends one per edit), and few previews may wait. The threads pause while live
 * scoring is in flight (`liveLoad`, counted by `ScoringService`), so on a busy machine live
 * decisions come first.
 */
export class TrialThreads {
  readonly liveLoad = new LiveLoad();
  readonly limits: TrialLimits;
  private readonly previews: Piscina;
  private readonly simulations: Piscina;
  private readonly stores: Stores;
  private readonly previewOf = new Map<string, { controller: AbortController; cancel(): void }>();

  constructor(options: {
    config: Config;
    databaseUrl: string;
    stores: Stores;
    log?: Logger;
    decisionSteps?: number;
    limits?: Partial<TrialLimits>;
    /** The thread's module (tests of the limits give their own); default `trialThread.ts`. */
    threadModule?: URL;
  }) {
    this.stores = options.stores;
    this.limits = { ...DEFAULT_TRIAL_LIMITS, ...options.limits };
    const workerData: TrialThreadData = {
      config: options.config,
      databaseUrl: options.databaseUrl,
      liveLoad: this.liveLoad.buffer,
      ...(options.decisionSteps !== undefined ? { decisionSteps: options.decisionSteps } : {}),
    };
    const pool = () =>
      new Piscina({
        filename: (options.threadModule ?? new URL('./trialThread.ts', import.meta.url)).href,
        workerData,
        minThreads: 0,
        maxThreads: 1,
        idleTimeout: 60_000,
        atomics: 'disabled',
        resourceLimits: { maxOldGenerationSizeMb: this.limits.memoryMb },
      });
    this.previews = pool();
    this.simulations = pool();
    // A thread that fails with no task of its own (e.g. while starting) must not take the server down.
    for (const p of [this.previews, this.simulations]) p.on('error', (error: unknown) => options.log?.error({ err: error }, 'trial thread failed'));
  }

  /** The preview of a draft over the shop's last `days`; throws `TrialRefused` when it cannot be had within its limits. */
  async preview(shopId: string, body: Ruleset, days: number): Promise<PreviewResult> {
    // The shop's earlier preview is answered 409 now; its thread stops at its next progress point.
    this.previewOf.get(shopId)?.cancel();
    if (this.previews.queueSize >= this.limits.maxQueuedPreviews) {
      throw new TrialRefused(429, 'busy', `${this.previews.queueSize} previews are waiting already; try again in a few seconds`);
    }
    const controller = new AbortController();
    const cancelFlag = new SharedArrayBuffer(4);
    let superseded!: (error: TrialRefused) => void;
    const replaced = new Promise<never>((_, reject) => (superseded = reject));
    const entry = {
      controller,
      cancel: () => {
        Atomics.store(new Int32Array(cancelFlag), 0, 1);
        superseded(new TrialRefused(409, 'superseded', 'A newer preview of this ruleset replaced this one'));
      },
    };
    this.previewOf.set(shopId, entry);
    const seconds = Math.round(this.limits.previewTimeoutMs / 1000);
    // Past its time the thread is stopped outright (a new one starts for the next trial).
    const timer = setTimeout(
      () => controller.abort(new TrialRefused(422, 'timeout', `The preview took longer than its ${seconds} s budget and was stopped; simplify the custom expressions, or run a simulation`)),
      this.limits.previewTimeoutMs,
    );
    const running = this.run(this.previews, { kind: 'preview', shopId, body, days, steps: this.limits.previewSteps, cancel: cancelFlag }, controller.signal);
    running.catch(() => undefined); // answered by `replaced` when superseded
    try {
      const outcome = await Promise.race([running, replaced]);
      return outcome.result as PreviewResult;
    } finally {
      clearTimeout(timer);
      if (this.previewOf.get(shopId) === entry) this.previewOf.delete(shopId);
    }
  }

  /**
   * Runs a stored simulation (the simulate job). Within its budget the thread records the outcome
   * itself; past its time or memory the thread is stopped and the simulation recorded as failed here.
   */
  async simulate(shopId: string, simulationId: string): Promise<void> {
    const controller = new AbortController();
    const minutes = Math.round(this.limits.simulationTimeoutMs / 60_000);
    const timer = setTimeout(
      () => controller.abort(new TrialRefused(422, 'timeout', `stopped: the simulation ran longer than its ${minutes} min budget`)),
      this.limits.simulationTimeoutMs,
    );
    const started = Date.now();
    try {
      await this.run(this.simulations, { kind: 'simulate', shopId, simulationId, steps: this.limits.simulationSteps }, controller.signal);
    } catch (error) {
      if (!(error instanceof TrialRefused)) throw error;
      await this.stores.simulations.end(simulationId, 'failed', error.message, Date.now() - started);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Runs a stored fit (the fit job) in the simulations' thread: it reads the shop's labelled
   * decisions and fits there. Past its time or memory the thread is stopped and the fit recorded
   * as failed here.
   */
  async fit(shopId: string, fitId: string): Promise<void> {
    const controller = new AbortController();
    const seconds = Math.round(this.limits.fitTimeoutMs / 1000);
    const budget = seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
    const timer = setTimeout(
      () => controller.abort(new TrialRefused(422, 'timeout', `stopped: the fit ran longer than its ${budget} budget`)),
      this.limits.fitTimeoutMs,
    );
    const started = Date.now();
    try {
      await this.run(this.simulations, { kind: 'fit', shopId, fitId, steps: 0 }, controller.signal);
    } catch (error) {
      if (!(error instanceof TrialRefused)) throw error;
      await this.stores.fits.end(fitId, 'failed', error.message, Date.now() - started);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The shop's label counts (`LabelService.counts`), read and counted in the preview thread. */
  async labelCounts(shopId: string, request: LabelCountRequest): Promise<LabelCounts> {
    return (await this.interactive({ kind: 'labels', shopId, request, steps: 0 }, 'label count')) as LabelCounts;
  }

  /** A version's calibration for a subject kind (`CalibrationService.compute`), in the preview thread. */
  async calibration(shopId: string, version: number, subjectKind: SubjectKind): Promise<Calibration> {
    // Never refused for the queue (the order card needs it); its time budget still holds.
    return (await this.interactive({ kind: 'calibration', shopId, version, subjectKind, steps: 0 }, 'calibration', false)) as Calibration;
  }

  /** The weight suggestions as explained proposals (`SuggestionService.proposals`), in the preview thread. */
  async suggestions(shopId: string, days: number): Promise<ProposalList | undefined> {
    return (await this.interactive({ kind: 'suggestions', shopId, days, steps: 0 }, 'suggestion')) as ProposalList | undefined;
  }

  /** Accepts suggestions as a draft (`SuggestionService.accept`), in the preview thread. */
  async acceptSuggestions(shopId: string, signalIds: string[], user: string, days: number): Promise<AcceptOutcome> {
    return (await this.interactive({ kind: 'suggestions', shopId, days, accept: { signalIds, user }, steps: 0 }, 'suggestion')) as AcceptOutcome;
  }

  /**
   * A read that a request waits for (label counts, suggestions, calibrations), run in the preview thread within
   * the preview's time budget: they read and weigh every decided subject of the shop, which the
   * main event loop must not do. Refused with 429 when too many previews wait.
   */
  private async interactive(task: TrialTask, what: string, refuseWhenBusy = true): Promise<unknown> {
    if (refuseWhenBusy && this.previews.queueSize >= this.limits.maxQueuedPreviews) {
      throw new TrialRefused(429, 'busy', `${this.previews.queueSize} previews are waiting already; try again in a few seconds`);
    }
    const controller = new AbortController();
    const seconds = Math.round(this.limits.previewTimeoutMs / 1000);
    const timer = setTimeout(() => controller.abort(new TrialRefused(422, 'timeout', `The ${what} took longer than its ${seconds} s budget and was stopped`)), this.limits.previewTimeoutMs);
    try {
      return (await this.run(this.previews, task, controller.signal)).result;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    for (const { controller } of this.previewOf.values()) controller.abort(new TrialRefused(409, 'superseded', 'The server is stopping'));
    await Promise.all([this.previews.close({ force: true }), this.simulations.close({ force: true })]);
  }

  private async run(pool: Piscina, task: TrialTask, signal: AbortSignal): Promise<Extract<TrialOutcome, { ok: true }>> {
    let outcome: TrialOutcome;
    try {
      outcome = await pool.run(task, { signal });
    } catch (error) {
      if (signal.aborted && signal.reason instanceof TrialRefused) throw signal.reason;
      if ((error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
        const what = task.kind === 'simulate' ? 'simulation' : task.kind === 'labels' ? 'label count' : task.kind === 'suggestions' ? 'suggestion' : task.kind;
        throw new TrialRefused(422, 'memory', `stopped: the ${what} needed more than its ${this.limits.memoryMb} MB of memory`);
      }
      throw error;
    }
    if (outcome.ok) return outcome;
    if (outcome.code === 'cancelled') throw new TrialRefused(409, 'superseded', 'A newer preview of this ruleset replaced this one');
    if (outcome.code === 'invalid') throw new TrialRefused(422, 'invalid', outcome.message, { problems: outcome.problems });
    throw new TrialRefused(422, 'over-budget', `Stopped: ${outcome.message}. Simplify those expressions, or move shared work into a derived fact`, { heaviest: outcome.heaviest });
  }
}

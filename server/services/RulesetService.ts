import { compileRuleset, contentHashOf, createRegistry, RulesetValidationError, validateRuleset, type CompiledRuleset, type CompileOptions, type Decision, type Ruleset, type RulesetProblem, type SignalRegistry, type SimulationReport } from '../../engine/index.ts';
import type { HistoryEvent } from '../../engine/history/index.ts';
import { compareDecisions, knowledgeOf } from '../../engine/simulate/simulate.ts';
import { defineSignal, type AnySignal } from '../../sdk/index.ts';
import type { FitRow, RulesetNote, RulesetRow, Stores } from '../store/index.ts';
import type { PreviewResult } from '../trials/previewRuleset.ts';
import type { FitRequest } from '../../contract/fits.ts';
import type { ProposalList } from '../../contract/suggestions.ts';

/** Shadow mode as the admin sees it: the version in shadow since when, and its report against the live decisions. */
export type ShadowReport = { shadowVersion: null; report: null } | { shadowVersion: number; since: RulesetRow['shadow_since']; report: SimulationReport };

/** How a body is compiled (the engine's `compileRuleset`; tests pass one that counts). */
export type CompileFunction = (body: Ruleset, registry: SignalRegistry, options: CompileOptions) => CompiledRuleset;

/** What accepting suggestions answers: the draft and the accepted signal ids, the ids that are not among the current suggestions, or undefined (nothing published). */
export type AcceptOutcome = { draft: RulesetRow; accepted: string[] } | { unknown: string[] } | undefined;

/**
 * Fitting as the lifecycle uses it: `FitService` (it saves its draft through `saveDraft`, so it is
 * built over this service: see `RulesetServiceOptions.fits`).
 */
export interface Fitting {
  start(shopId: string, request: FitRequest, user: string): Promise<FitRow>;
  list(shopId: string): Promise<Omit<FitRow, 'report'>[]>;
  get(shopId: string, fitId: string): Promise<FitRow | undefined>;
  cancel(shopId: string, fitId: string, user: string): Promise<Omit<FitRow, 'report'>>;
}

/**
 * Weight suggestions as the lifecycle uses them: the main thread passes the trial threads'
 * (`TrialThreads.suggestions` and `acceptSuggestions`, which run `SuggestionService` there).
 */
export interface Suggesting {
  proposals(shopId: string, days: number): Promise<ProposalList | undefined>;
  accept(shopId: string, signalIds: string[], user: string, days: number): Promise<AcceptOutcome>;
}

export interface RulesetServiceOptions {
  /**
   * Runs an instant preview (the main thread passes the trial threads' `TrialThreads.preview`;
   * a trial thread runs `previewRuleset` itself and passes none).
   */
  preview?: (shopId: string, body: Ruleset, days: number) => Promise<PreviewResult>;
  /** Builds the fitting collaborator over this service (the main thread: a `FitService` whose label check runs in a trial thread). */
  fits?: (rulesets: RulesetService) => Fitting;
  /** Weight suggestions (the main thread: the trial threads'). */
  suggestions?: Suggesting;
  /** Says why a signal a published version names is missing (e.g. its plugin failed to load). */
  unavailable?: (signalId: string) => string;
  /** Steps all the custom expressions of one decision may use together (engine default when unset). */
  decisionSteps?: number;
  compile?: CompileFunction;
  /** Compiled versions kept (least recently used dropped first); default 256. */
  cacheSize?: number;
}

/** A content's compilation: compiled as it is, or refused (and, for a once-published version, compiled leniently). */
type Compilation = { strict: CompiledRuleset } | { refused: RulesetValidationError; lenient?: CompiledRuleset };

/** A stored version, or anything with a body and the content hash it is cached by. */
export type VersionContent = Pick<RulesetRow, 'body' | 'content_hash'>;

/**
 * A shop's ruleset versions as the admin changes them: validate, save a draft (refused unless it
 * compiles), publish (a draft that no longer compiles is never published), roll back, preview an
 * edited body (validated here with JSON pointers, re-weighed in the preview trial thread within
 * its budget), and shadow mode (a draft deciding new live events beside the live version, and
 * the report of the difference). It is the routes' one entry to the lifecycle: fits (started,
 * listed, cancelled) and weight suggestions (proposed, accepted as a draft) are delegated to their
 * collaborators (`FitService`, the trial threads' `SuggestionService`), which hold that logic and
 * save their drafts through `saveDraft`. Refusals: `RulesetValidationError` (422 with pointers),
 * `RulesetConflictError` from the store (409), `TrialRefused` from the trials, `FitRefused`;
 * `routes/errors.ts` maps them.
 *
 * It is also the one place rulesets are compiled: a cache of compiled versions keyed by content
 * hash (`contentHashOf` of the body, the `content_hash` a stored version carries), so a content
 * compiles once in a process whoever asks: a saved draft (compiled as it is stored), its publish,
 * live and backfill scoring (`ScoringService`), the simulator, fits, suggestions and previews.
 * The main thread has one instance (`composeApp.ts`); each trial thread builds its own
 * (`trials/trialThread.ts`), so a content is compiled at most once per thread.
 */
export class RulesetService {
  private readonly stores: Stores;
  private readonly registry: SignalRegistry;
  private readonly runPreview: RulesetServiceOptions['preview'];
  private readonly unavailable: (signalId: string) => string;
  private readonly compileOptions: CompileOptions;
  private readonly compile: CompileFunction;
  private readonly cacheSize: number;
  private readonly compilations = new Map<string, Compilation>();
  private readonly fitting: Fitting | undefined;
  private readonly suggesting: Suggesting | undefined;

  constructor(stores: Stores, registry: SignalRegistry, options: RulesetServiceOptions = {}) {
    this.stores = stores;
    this.registry = registry;
    this.runPreview = options.preview;
    this.unavailable = options.unavailable ?? (() => 'no loaded plugin provides it');
    this.compileOptions = options.decisionSteps === undefined ? {} : { decisionSteps: options.decisionSteps };
    this.compile = options.compile ?? compileRuleset;
    this.cacheSize = options.cacheSize ?? 256;
    this.suggesting = options.suggestions;
    this.fitting = options.fits?.(this); // last: the collaborator is built over a ready service
  }

  /** Every problem of a body, errors and warnings, with its JSON pointer. */
  validate(body: unknown): RulesetProblem[] {
    return validateRuleset(body, this.registry);
  }

  /**
   * A body compiled strictly (a draft, an edited body, a fitted one), once per content: throws
   * `RulesetValidationError` with every problem unless it compiles with this server's signals.
   */
  compiled(body: Ruleset, contentHash: string = contentHashOf(body)): CompiledRuleset {
    const compilation = this.compilation(body, contentHash);
    if ('strict' in compilation) return compilation.strict;
    throw compilation.refused;
  }

  /**
   * A published (or shadow, or once published) version, compiled once per content hash. Such a
   * version was valid when it was published; if it now names signals this server does not have
   * (a plugin that was removed or failed to load), it must still score: each missing signal
   * becomes one that answers `status: error` with the reason, so decisions complete and their
   * traces say what is missing. Any other problem still throws.
   */
  compiledVersion(row: VersionContent): CompiledRuleset {
    const compilation = this.compilation(row.body, row.content_hash);
    if ('strict' in compilation) return compilation.strict;
    if (compilation.lenient) return compilation.lenient;
    const { refused } = compilation;
    const errors = refused.problems.filter((p) => p.severity === 'error');
    if (errors.length === 0 || errors.some((p) => p.code !== 'unknown-signal')) throw refused;
    const missing = Object.keys(row.body.signals).filter((id) => !this.registry.has(id));
    const lenient = structuredClone(row.body);
    for (const id of missing) delete lenient.signals[id]!.params; // their schema is unknown
    compilation.lenient = this.compile(lenient, createRegistry([...this.registry.list(), ...missing.map((id) => unavailableSignal(id, this.unavailable(id)))]), this.compileOptions);
    return compilation.lenient;
  }

  /**
   * The version a shop scores with: its published version, or, while that is over its expression
   * budget (`RulesetBudgetGuard`), the latest version published before it that is not, or else the
   * published version without its custom signals and derived facts. Undefined: none published.
   */
  async live(shopId: string): Promise<CompiledRuleset | undefined> {
    const row = await this.stores.rulesets.publishedCached(shopId);
    if (!row) return undefined;
    if (!row.over_budget_at) return this.compiledVersion(row);
    const good = await this.stores.rulesets.lastGoodCached(shopId, row.version);
    if (good) return this.compiledVersion(good);
    const body: Ruleset = { ...row.body, customSignals: [] };
    delete body.derived;
    return this.compiledVersion({ body, content_hash: `${row.content_hash}:without-expressions` });
  }

  /** The cached compilation of a content (least recently used last), compiled now if there is none. */
  private compilation(body: Ruleset, contentHash: string): Compilation {
    const cached = this.compilations.get(contentHash);
    if (cached) {
      this.compilations.delete(contentHash);
      this.compilations.set(contentHash, cached);
      return cached;
    }
    let compilation: Compilation;
    try {
      compilation = { strict: this.compile(body, this.registry, this.compileOptions) };
    } catch (error) {
      if (!(error instanceof RulesetValidationError)) throw error;
      compilation = { refused: error };
    }
    this.compilations.set(contentHash, compilation);
    if (this.compilations.size > this.cacheSize) this.compilations.delete(this.compilations.keys().next().value!);
    return compilation;
  }

  /**
   * A new draft of `body`, over `baseVersion` (409 when a newer version exists; null: over
   * whatever is newest, as fits and accepted suggestions save theirs); throws
   * `RulesetValidationError` unless it compiles. The body is compiled as it will be stored
   * (numbered after the newest version), so its publish and scoring find it compiled; a body
   * whose own version is not a valid number is compiled as it is, to be refused as before.
   */
  async saveDraft(shopId: string, body: Ruleset, user: string, baseVersion: number | null, note: RulesetNote | null = null): Promise<RulesetRow> {
    const numbered = typeof body === 'object' && body !== null && Number.isInteger(body.version) && body.version >= 1;
    // Another save in between only means the stored content is compiled when first used.
    const next = numbered ? (baseVersion ?? (await this.stores.rulesets.newestVersion(shopId))) + 1 : undefined;
    this.compiled(next === undefined ? body : { ...body, version: next });
    return this.stores.rulesets.createDraft(shopId, body, user, baseVersion, note);
  }

  async publish(shopId: string, version: number, user: string): Promise<RulesetRow> {
    const draft = await this.stores.rulesets.get(shopId, version);
    if (draft) this.compiled(draft.body, draft.content_hash); // a draft that no longer compiles is never published
    return this.stores.rulesets.publish(shopId, version, user);
  }

  rollback(shopId: string, version: number, user: string): Promise<RulesetRow> {
    return this.stores.rulesets.rollback(shopId, version, user);
  }

  /** The preview of an edited body over the shop's last `days`: checked here (quickly, with JSON pointers), run in a trial thread within its budget. */
  preview(shopId: string, body: Ruleset, days: number): Promise<PreviewResult> {
    const problems = this.validate(body).filter((p) => p.severity === 'error');
    if (problems.length > 0) throw new RulesetValidationError(problems);
    if (!this.runPreview) throw new Error('previews run in the trial threads, not here');
    return this.runPreview(shopId, body, days);
  }

  /** Starts a fit of the published version to the shop's labels (audited): a job that ends in a draft; `FitRefused` 409/422 when it cannot start. */
  startFit(shopId: string, request: FitRequest, user: string): Promise<FitRow> {
    return this.fitCollaborator().start(shopId, request, user);
  }

  /** The shop's latest fits, newest first, without their reports. */
  fits(shopId: string): Promise<Omit<FitRow, 'report'>[]> {
    return this.fitCollaborator().list(shopId);
  }

  /** One fit with its report; undefined when the shop has no such fit. */
  fit(shopId: string, fitId: string): Promise<FitRow | undefined> {
    return this.fitCollaborator().get(shopId, fitId);
  }

  /** Asks a running fit to stop (audited); `FitRefused` 404 (no such fit) or 409 (not running). */
  cancelFit(shopId: string, fitId: string, user: string): Promise<Omit<FitRow, 'report'>> {
    return this.fitCollaborator().cancel(shopId, fitId, user);
  }

  /** The weight suggestions for the published version over the last `days`; undefined when none is published. */
  suggestions(shopId: string, days: number): Promise<ProposalList | undefined> {
    return this.suggestionCollaborator().proposals(shopId, days);
  }

  /**
   * Saves the chosen suggestions (by signal id) as a draft of the published version, their
   * evidence as its note, and audits the weights it moves (`suggestions.accept`).
   */
  async acceptSuggestions(shopId: string, signalIds: string[], user: string, days: number): Promise<AcceptOutcome> {
    const result = await this.suggestionCollaborator().accept(shopId, signalIds, user, days);
    if (result && 'draft' in result) {
      const note = result.draft.note as { kind?: string; accepted?: { signalId: string; currentWeight: number; suggestedWeight: number }[] } | null;
      const accepted = note?.kind === 'suggestions' ? (note.accepted ?? []) : [];
      await this.stores.audit.record(shopId, user, 'suggestions.accept', `v${result.draft.version}`, { signals: accepted.map((p) => ({ id: p.signalId, from: p.currentWeight, to: p.suggestedWeight })) });
    }
    return result;
  }

  private fitCollaborator(): Fitting {
    if (!this.fitting) throw new Error('fits are started from the main thread\'s RulesetService, not here');
    return this.fitting;
  }

  private suggestionCollaborator(): Suggesting {
    if (!this.suggesting) throw new Error('suggestions are asked of the main thread\'s RulesetService, not here');
    return this.suggesting;
  }

  /** Runs a draft in shadow (replacing any other), audited; 409 for a version that is not a draft. */
  async startShadow(shopId: string, version: number, user: string): Promise<RulesetRow> {
    const row = await this.stores.rulesets.setShadow(shopId, version);
    await this.stores.audit.record(shopId, user, 'ruleset.shadow', String(version), {});
    return row!;
  }

  async stopShadow(shopId: string, user: string): Promise<void> {
    await this.stores.rulesets.setShadow(shopId, null);
    await this.stores.audit.record(shopId, user, 'ruleset.shadow.stop', null, {});
  }

  /**
   * The shadow version's decisions against the live ones of the same subjects (the latest 5,000),
   * with what is known of those subjects now (labels, chargebacks, refunds) for the outcome columns;
   * everything since the shadow started counts as immature.
   */
  async shadowReport(shopId: string, now = new Date()): Promise<ShadowReport> {
    const row = await this.stores.rulesets.shadow(shopId);
    if (!row) return { shadowVersion: null, report: null };
    const pairs = await this.stores.rulesets.shadowPairs(shopId, row.version);
    const live = pairs.map((p) => p.live as Decision);
    const shadow = new Map(pairs.map((p) => [(p.shadow as Decision).subject.id, p.shadow as Decision]));
    const since = row.shadow_since!.getTime();
    const customers = [...new Set(pairs.flatMap((p) => (p.customer_id ? [p.customer_id] : [])))];
    const orders = [...new Set(pairs.flatMap((p) => (p.order_id ? [p.order_id] : [])))];
    const material = live.length > 0 ? await this.stores.context.material(shopId, customers, orders, now.toISOString()) : { events: [], outcomes: [] };
    const known = knowledgeOf([...material.events, ...material.outcomes.map((outcome): HistoryEvent => ({ type: 'outcome', outcome }))]);
    const report = compareDecisions(live, shadow, { ...known, window: { from: new Date(since).toISOString(), to: now.toISOString() }, immatureFrom: since });
    return { shadowVersion: row.version, since: row.shadow_since, report };
  }
}

function unavailableSignal(id: string, reason: string): AnySignal {
  return defineSignal({
    meta: {
      id,
      version: '0.0.0',
      title: 'Unavailable signal',
      description: `${id} is named by the ruleset but not available on this server: ${reason}.`,
      category: 'order',
      appliesTo: ['order', 'return', 'refund'],
      defaultWeight: 0,
      params: { type: 'object', properties: {} },
      needs: [],
    },
    evaluate: () => ({ status: 'error', message: `signal ${id} is not available: ${reason}` }),
  });
}

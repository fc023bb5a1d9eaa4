import type { Ruleset } from '../engine/index.ts';
import type { FitReport } from '../engine/learn/fitRuleset.ts';
import type { RulesetProblem } from '../engine/problems.ts';
import type { RescoreReport } from '../engine/simulate/rescoreChanged.ts';
import type { Instant, Zone } from './common.ts';
import type { Proposal, ProposalPreview } from './suggestions.ts';

export type { Ruleset, RulesetProblem };

/** How a fitted draft was made, kept beside its body (`note` of `GET /api/rulesets/{version}`). */
export interface FitNote {
  kind: 'fit';
  fitId: string;
  /** The version it was fitted from. */
  fittedFrom: number;
  asOf: Instant;
  options: Record<string, unknown>;
  /** Label counts per subject kind at the fit. */
  labels: Record<string, unknown>;
  report: FitReport;
}

/** A draft made of accepted weight suggestions: each with its evidence, and the preview of all of them. */
export interface SuggestionsNote {
  kind: 'suggestions';
  fittedFrom: number;
  asOf: Instant;
  accepted: Proposal[];
  preview?: ProposalPreview | null;
}

export type RulesetNote = FitNote | SuggestionsNote;

/** A ruleset version as the API answers it: without its body in lists, with it (and its note) alone. */
export interface RulesetVersion {
  version: number;
  rulesetId: string;
  status: 'draft' | 'published' | 'archived';
  contentHash: string;
  createdBy: string | null;
  createdAt: Instant;
  publishedAt: Instant | null;
  shadowSince: Instant | null;
  /** Its custom expressions kept exceeding their budget: decisions are made with `scoringWith` meanwhile. */
  overBudget: { since: Instant; reason: string | null } | null;
  /** How a draft was made: by a fit or of accepted suggestions (null: by hand). */
  madeBy: { kind: 'fit' | 'suggestions'; from: number; asOf: Instant; fitId?: string } | null;
  body?: Ruleset;
  note?: RulesetNote | null;
}

/** `GET /api/rulesets/{version}`, `POST /api/rulesets` (201): a version with its body. */
export interface RulesetWithBody extends RulesetVersion {
  body: Ruleset;
  note: RulesetNote | null;
}

/** `GET /api/rulesets`: every version (without bodies), and the one decisions are made with now. */
export interface RulesetList {
  versions: RulesetVersion[];
  scoringWith: { version: number; contentHash: string } | null;
}

/**
 * `POST /api/rulesets`: a draft of `body`. `baseVersion` is the newest version the client loaded
 * (null when there is none): 409 when a version was saved after it, 422 with pointers unless it compiles.
 */
export interface SaveDraftRequest {
  body: unknown;
  baseVersion: number | null;
}

/** `POST /api/rulesets/validate`. */
export interface ValidateRequest {
  body: unknown;
}

/** `POST /api/rulesets/validate` (`{body}`): every problem with its JSON pointer. */
export interface ValidateAnswer {
  valid: boolean;
  problems: RulesetProblem[];
}

/** `POST /api/rulesets/preview` (`days`: 1-730, default 90). */
export interface PreviewRequest {
  body: unknown;
  days?: number;
}

/** `POST /api/rulesets/preview` (`{body, days?}`): the edited body over the last days, zone counts live and previewed. */
export interface PreviewAnswer {
  events: number;
  live: Record<Zone, number>;
  preview: Record<Zone, number>;
  /** Decisions whose zone the draft changes. */
  changed: number;
  /** `reweighted`: the stored signal results re-weighed; `rescored`: changed signals run again. */
  mode: 'reweighted' | 'rescored';
  rescore?: RescoreReport;
  note?: string;
  ms: number;
}

/** `POST /api/rulesets/{version}/shadow`, `DELETE /api/rulesets/shadow`. */
export interface ShadowStarted {
  shadowVersion: number | null;
  since?: Instant | null;
}

/** `GET /api/signals`: the signal catalog (the editor's completion); plugin signals name their plugin. */
export interface CatalogSignal {
  id: string;
  version: string;
  title: string;
  description: string;
  category: string;
  appliesTo: readonly string[];
  defaultWeight: number;
  params?: Record<string, unknown>;
  deprecated: boolean;
  /** Set for signals from a plugin. */
  plugin?: { name: string; version: string };
}
export interface SignalCatalog {
  signals: CatalogSignal[];
}

/** What `POST /api/suggestions/accept` answers (201): the draft made of the accepted proposals (here, beside the other answers that are versions). */
export interface AcceptedSuggestions {
  version: number;
  status: string;
  body: Ruleset;
  note: RulesetNote | null;
  /** The signal ids of the accepted proposals (their evidence and preview are in `note`). */
  accepted: string[];
}

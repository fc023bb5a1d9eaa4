import type { Evidence, ShopifyId, SignalStatus, SubjectKind } from '../sdk/index.ts';
import type { ActionSpec, Zone } from './ruleset.ts';

/** One signal's line in a decision trace. `points` of all lines add up to the score exactly. */
export interface SignalTrace {
  id: string;
  version: string;
  /** `signal` for registered (built-in or plugin) signals, `custom` for ruleset expressions. */
  source: 'signal' | 'custom';
  status: SignalStatus;
  strength: number;
  weight: number;
  /**
   * The strength the hit counted at when the ruleset gives the signal a strength curve
   * (`signals.<id>.curve`, `curveByKind`): points = countedStrength × weight. Absent without a curve
   * (points = strength × weight).
   */
  countedStrength?: number;
  /** Contribution to the score, after clamping to 0..cap (see `Decision.scaled`). */
  points: number;
  evidence: Evidence;
  message: string;
  /** The merchant snoozed this signal for the customer: it kept its status but scored 0 points. */
  snoozed?: { until: string; by?: string; reason?: string };
  /** Only when the caller passed a clock. */
  durationMs?: number;
}

/** The annotated condition tree of an action rule (json-rules-engine's RuleResult shape). */
export type ConditionTrace = Record<string, unknown>;

export interface ActionRuleTrace {
  id: string;
  matched: boolean;
  /** The condition tree with each fact's value and each node's result, when explained. */
  conditions?: ConditionTrace;
  /** Why the rule could not be evaluated (it then does not match). */
  error?: string;
}

/** An action the decision calls for, with defaults resolved (e.g. the zone filled into a tag). */
export type ChosenAction = ActionSpec & { ruleId: string };

export interface Coverage {
  /** Signals that ran for this subject kind. */
  evaluated: number;
  hit: number;
  noHit: number;
  insufficient: number;
  error: number;
}

/**
 * Everything needed to answer "why this score" later; stored as-is. Deterministic: the same
 * context, ruleset version and signal versions give the same decision byte for byte, except
 * `timings`, which are present only when the caller passes a clock.
 */
export interface Decision {
  schema: 'refundsentry.decision/1';
  shopId: string;
  subject: { kind: SubjectKind; id: ShopifyId; at: string };
  ruleset: { id: string; version: number; contentHash: string };
  score: number;
  zone: Zone;
  /** The sum of raw points before clamping to 0..cap. */
  rawScore: number;
  /** True when clamping rescaled the points so that they still add up to the score. */
  scaled: boolean;
  coverage: Coverage;
  signals: SignalTrace[];
  /** Values of the ruleset's derived facts for this event (and errors of those that failed). */
  derived: Record<string, unknown>;
  derivedErrors?: Record<string, string>;
  /**
   * Steps the ruleset's custom expressions (derived facts, custom signals) used for this decision,
   * against the per-decision limit; `exhausted` when they ran out and custom signals were left
   * unevaluated (`error`). Absent when the ruleset has no expressions for this kind.
   */
  expressions?: { steps: number; limit: number; exhausted?: true };
  actionRules: ActionRuleTrace[];
  actions: ChosenAction[];
  timings?: { totalMs: number; signalsMs: number };
}

import type { SubjectKind } from '../sdk/index.ts';
import type { StrengthCurve } from './strengthCurve.ts';

/** TypeScript view of `rulesets/schema/ruleset.schema.json` (schema version 1). */
export interface Ruleset {
  $schema?: string;
  id: string;
  version: number;
  name?: string;
  description?: string;
  appliesTo: SubjectKind[];
  zones: ZoneConfig;
  scoring?: { method?: 'weighted-sum'; cap?: number; insufficientDataFactor?: number };
  derived?: Record<string, string>;
  signals: Record<string, SignalConfig>;
  customSignals?: CustomSignalConfig[];
  actions?: ActionRule[];
}

/** Where the zones start: a score at or above `high` is HIGH, at or above `medium` MEDIUM. */
export interface ZoneThresholds {
  medium: number;
  high: number;
}

export interface ZoneConfig extends ZoneThresholds {
  /** A subject kind listed here uses its own thresholds; the others use `medium` / `high`. */
  byKind?: Partial<Record<SubjectKind, ZoneThresholds>>;
}

export interface SignalConfig {
  weight?: number;
  /** Points at full strength for a subject kind; a kind not listed uses `weight`. Not for custom signals. */
  weightByKind?: Partial<Record<SubjectKind, number>>;
  /**
   * The strength a hit counts at, from the strength the signal reports (`strengthCurve.ts`):
   * points = curve(strength) × weight. Absent: the identity. Not for custom signals.
   */
  curve?: StrengthCurve;
  /** A subject kind's own curve (a fitted version's); a kind not listed uses `curve`. */
  curveByKind?: Partial<Record<SubjectKind, StrengthCurve>>;
  enabled?: boolean;
  params?: Record<string, unknown>;
  insufficientWeight?: number;
}

export interface CustomSignalConfig {
  id: string;
  title?: string;
  description?: string;
  appliesTo?: SubjectKind[];
  enabled?: boolean;
  when: string;
  strength?: string;
  weight: number;
  message?: string;
  evidence?: Record<string, string>;
}

export type ActionType = 'fulfillment.hold' | 'customer.tag' | 'risk.assessment' | 'flow.trigger' | 'review.queue';

export type ActionSpec =
  | { type: 'fulfillment.hold'; reason?: 'HIGH_RISK_OF_FRAUD' | 'OTHER'; note?: string }
  | { type: 'customer.tag'; tag?: string }
  | { type: 'risk.assessment'; riskLevel?: 'auto' | 'HIGH' | 'MEDIUM' | 'LOW' | 'NONE' }
  | { type: 'flow.trigger'; handle: string }
  | { type: 'review.queue'; queue?: string; priority?: 'low' | 'normal' | 'high' };

export interface ActionRule {
  id: string;
  title?: string;
  enabled?: boolean;
  on: SubjectKind[];
  conditions: Record<string, unknown>;
  do: ActionSpec[];
}

export type Zone = 'low' | 'medium' | 'high';

/** The facts action conditions may name (the schema's `factName` enum). */
export const ACTION_FACTS = Object.freeze([
  'score',
  'zone',
  'kind',
  'hits',
  'insufficient',
  'errors',
  'signals',
  'coverage',
  'now',
  'subject',
  'order',
  'return',
  'refund',
  'customer',
  'derived',
] as const);

/** The roots JSONata expressions (derived facts, custom signals) may read. */
export const EXPRESSION_ROOTS = Object.freeze([
  'now',
  'kind',
  'subject',
  'order',
  'return',
  'refund',
  'customer',
  'history',
  'baseline',
  'derived',
] as const);

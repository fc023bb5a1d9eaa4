import type { Instant, Zone } from './common.ts';

/** The shop's figures over one period (events by their own time, decisions by their subject's time), as the store counts them. */
export interface PeriodMetrics {
  orders: number;
  orderValue: number;
  returns: number;
  returnedValue: number;
  refunds: number;
  refundedValue: number;
  /** Refunded value whose refund RefundSentry scored HIGH. */
  refundValueHigh: number;
  chargebacks: number;
  chargebackAmount: number;
  /** Chargebacks of the period on orders that were also refunded or returned. */
  doubleDips: number;
  decisions: Record<Zone, number>;
  /** Holds RefundSentry placed on fulfilments of the period's orders. */
  holds: number;
}

/** The figures of a period, with the rates derived from them. */
export interface PeriodFigures extends PeriodMetrics {
  returnRate: number | null;
  highShare: number | null;
}

/** `GET /api/analytics?from=&to=&compare=`: a period against the one just before it. */
export interface Comparison {
  window: { from: Instant; to: Instant };
  /** The shop's currency (ISO 4217, from its orders) of the amounts; null before any order is stored. */
  currency: string | null;
  previousWindow: { from: Instant; to: Instant } | null;
  current: PeriodFigures;
  previous: PeriodFigures | null;
  /** For each headline figure: now, before, and the relative change (null when there is nothing to compare with). */
  changes: { metric: string; current: number | null; previous: number | null; changePct: number | null }[];
}

/** A SKU's returns over the period, per week or month. */
export interface SkuTrend {
  sku: string;
  title: string | null;
  sold: number;
  returned: number;
  /** Returned units by bucket start (YYYY-MM-DD), oldest first; every bucket of the period is present. */
  series: { bucket: string; returned: number }[];
}

/** `GET /api/analytics/skus?from=&to=&bucket=`. */
export interface SkuTrends {
  bucket: 'week' | 'month';
  skus: SkuTrend[];
}

export type GoalMetric = 'chargebackAmount' | 'chargebacks' | 'highShare' | 'returnRate' | 'refundValueHigh' | 'doubleDips';

/** A fraud-reduction goal with its progress against the period before it. */
export interface GoalProgress {
  id: string;
  metric: GoalMetric;
  label: string;
  reduceByPct: number;
  startsOn: string;
  endsOn: string;
  note: string | null;
  /** The metric over the same number of days just before the goal started (per day for counts and amounts). */
  baseline: number | null;
  target: number | null;
  /** The metric since the goal started (up to today or its end). */
  current: number | null;
  /** Share of the intended reduction achieved so far (1 = target reached); null without a baseline. */
  progress: number | null;
  status: 'not started' | 'on track' | 'behind' | 'no baseline' | 'met' | 'missed';
}

/** `GET /api/goals`: the goals, and the metrics a goal may name. */
export interface GoalList {
  goals: GoalProgress[];
  /** The shop's currency of the amount goals (ISO 4217, from its orders); null before any order is stored. */
  currency: string | null;
  metrics: Record<GoalMetric, { label: string; kind: 'rate' | 'perDay' }>;
}

/** `POST /api/goals` (201 with the goal's progress). */
export interface NewGoal {
  metric: GoalMetric;
  reduceByPct: number;
  startsOn: string;
  endsOn: string;
  note?: string;
}

/** `GET /api/insights`: the dashboard's figures over the shop's decisions. */
export interface Insights {
  zones: Record<string, number>;
  topSignals: { id: string; fired: number; points: number }[];
  riskyCustomers: { id: string; lastScore: number; zone: Zone; decisions: number; highDecisions: number }[];
  refundValueAtRisk: { high: number; medium: number; refunds: number };
  /** The shop's currency (ISO 4217, from its orders) of `refundValueAtRisk`; null before any order is stored. */
  currency: string | null;
}

/** `DELETE /api/goals/{id}`. */
export interface GoalDeleted {
  deleted: string;
}

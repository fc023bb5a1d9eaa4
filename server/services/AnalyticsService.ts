import type { GoalMetric, GoalRow, PeriodMetrics, SkuTrend, Stores } from '../store/index.ts';
import type { Comparison, GoalProgress, NewGoal, PeriodFigures } from '../../contract/analytics.ts';

export type { Comparison, GoalProgress, NewGoal, PeriodFigures };

const DAY_MS = 86_400_000;

export const GOAL_METRICS: Record<GoalMetric, { label: string; kind: 'rate' | 'perDay' }> = {
  chargebackAmount: { label: 'Chargeback amount', kind: 'perDay' },
  chargebacks: { label: 'Chargebacks', kind: 'perDay' },
  doubleDips: { label: 'Double dips', kind: 'perDay' },
  refundValueHigh: { label: 'Refund value scored HIGH', kind: 'perDay' },
  highShare: { label: 'Share of decisions scored HIGH', kind: 'rate' },
  returnRate: { label: 'Returns per order', kind: 'rate' },
};

// The answers' shapes (period figures, the comparison, a goal's progress, a new goal) are the API contract's.

function figures(m: PeriodMetrics): PeriodFigures {
  const decided = m.decisions.low + m.decisions.medium + m.decisions.high;
  return { ...m, returnRate: m.orders > 0 ? round(m.returns / m.orders, 4) : null, highShare: decided > 0 ? round(m.decisions.high / decided, 4) : null };
}

/** A goal metric's value over a period: ratios as they are, counts and amounts per day (periods differ in length). */
export function metricValue(f: PeriodFigures, metric: GoalMetric, days: number): number | null {
  if (GOAL_METRICS[metric].kind === 'rate') return f[metric as 'highShare' | 'returnRate'];
  return days > 0 ? (f[metric] as number) / days : null;
}

/** How far a goal has come: baseline from the period before it, target = baseline reduced by the share. */
export function goalProgress(goal: { metric: GoalMetric; reduceByPct: number; startsOn: Date; endsOn: Date }, baseline: number | null, current: number | null, now: Date): Pick<GoalProgress, 'baseline' | 'target' | 'current' | 'progress' | 'status'> {
  if (now < goal.startsOn) return { baseline, target: baseline === null ? null : baseline * (1 - goal.reduceByPct / 100), current: null, progress: null, status: 'not started' };
  if (baseline === null || baseline === 0 || current === null) return { baseline, target: baseline === null ? null : baseline * (1 - goal.reduceByPct / 100), current, progress: null, status: 'no baseline' };
  const target = baseline * (1 - goal.reduceByPct / 100);
  const progress = (baseline - current) / (baseline - target);
  const ended = now >= goal.endsOn;
  const reached = current <= target;
  return { baseline: round(baseline, 6), target: round(target, 6), current: round(current, 6), progress: round(progress, 4), status: ended ? (reached ? 'met' : 'missed') : reached ? 'on track' : 'behind' };
}

/** Period-over-period figures, SKU return trends and goals. */
export class AnalyticsService {
  private readonly stores: Stores;
  private readonly now: () => number;

  constructor(stores: Stores, now: () => number = Date.now) {
    this.stores = stores;
    this.now = now;
  }

  async compare(shopId: string, from: Date, to: Date, withPrevious: boolean): Promise<Comparison> {
    const previousFrom = new Date(from.getTime() - (to.getTime() - from.getTime()));
    const [current, previous, currency] = await Promise.all([
      this.stores.analytics.periodMetrics(shopId, from, to).then(figures),
      withPrevious ? this.stores.analytics.periodMetrics(shopId, previousFrom, from).then(figures) : Promise.resolve(null),
      this.stores.events.shopCurrency(shopId),
    ]);
    const headline: [string, (f: PeriodFigures) => number | null][] = [
      ['orders', (f) => f.orders],
      ['returns', (f) => f.returns],
      ['returnRate', (f) => f.returnRate],
      ['refundedValue', (f) => f.refundedValue],
      ['refundValueHigh', (f) => f.refundValueHigh],
      ['highShare', (f) => f.highShare],
      ['holds', (f) => f.holds],
      ['chargebacks', (f) => f.chargebacks],
      ['chargebackAmount', (f) => f.chargebackAmount],
      ['doubleDips', (f) => f.doubleDips],
    ];
    return {
      window: { from: from.toISOString(), to: to.toISOString() },
      previousWindow: withPrevious ? { from: previousFrom.toISOString(), to: from.toISOString() } : null,
      currency,
      current,
      previous,
      changes: headline.map(([metric, of]) => {
        const now = of(current);
        const before = previous ? of(previous) : null;
        return { metric, current: now, previous: before, changePct: now !== null && before !== null && before !== 0 ? round((now - before) / before, 4) : null };
      }),
    };
  }

  skuTrends(shopId: string, from: Date, to: Date, bucket: 'week' | 'month'): Promise<SkuTrend[]> {
    return this.stores.analytics.skuTrends(shopId, from, to, bucket);
  }

  async goals(shopId: string): Promise<GoalProgress[]> {
    const rows = await this.stores.analytics.goals(shopId);
    return Promise.all(rows.map((row) => this.progressOf(row)));
  }

  /** A new goal and its audit line, in one transaction; its progress as `goals` gives it. */
  async addGoal(shopId: string, user: string, goal: NewGoal): Promise<GoalProgress> {
    const row = await this.stores.db.transaction(async (trx) => {
      const added = await this.stores.analytics.addGoal({ shop_id: shopId, metric: goal.metric, reduce_by_pct: String(goal.reduceByPct), starts_on: goal.startsOn, ends_on: goal.endsOn, note: goal.note ?? null, created_by: user }, trx);
      await this.stores.audit.record(shopId, user, 'goal.add', String(added.id), { metric: goal.metric, reduceByPct: goal.reduceByPct, startsOn: goal.startsOn, endsOn: goal.endsOn }, trx);
      return added;
    });
    return this.progressOf(row);
  }

  /** Deletes a goal of the shop with its audit line, in one transaction; false when the shop has no such goal. */
  deleteGoal(shopId: string, user: string, id: string): Promise<boolean> {
    return this.stores.db.transaction(async (trx) => {
      if (!(await this.stores.analytics.deleteGoal(shopId, id, trx))) return false;
      await this.stores.audit.record(shopId, user, 'goal.delete', id, {}, trx);
      return true;
    });
  }

  async progressOf(row: GoalRow): Promise<GoalProgress> {
    const now = new Date(this.now());
    const startsOn = new Date(`${row.starts_on}T00:00:00Z`);
    const endsOn = new Date(Date.parse(`${row.ends_on}T00:00:00Z`) + DAY_MS); // through the end day
    const length = endsOn.getTime() - startsOn.getTime();
    const until = now < endsOn ? now : endsOn;
    const [before, since] = await Promise.all([
      this.stores.analytics.periodMetrics(row.shop_id, new Date(startsOn.getTime() - length), startsOn).then(figures),
      until > startsOn ? this.stores.analytics.periodMetrics(row.shop_id, startsOn, until).then(figures) : Promise.resolve(null),
    ]);
    const reduceByPct = Number(row.reduce_by_pct);
    const baseline = metricValue(before, row.metric, length / DAY_MS);
    const current = since ? metricValue(since, row.metric, (until.getTime() - startsOn.getTime()) / DAY_MS) : null;
    return {
      id: String(row.id),
      metric: row.metric,
      label: GOAL_METRICS[row.metric].label,
      reduceByPct,
      startsOn: row.starts_on,
      endsOn: row.ends_on,
      note: row.note,
      ...goalProgress({ metric: row.metric, reduceByPct, startsOn, endsOn }, baseline, current, now),
    };
  }
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

import type { Knex } from 'knex';

// The figures of a period and a SKU's trend are the API contract's.
export type { PeriodMetrics, SkuTrend } from '../../contract/analytics.ts';
import type { PeriodMetrics, SkuTrend } from '../../contract/analytics.ts';

// The metrics a goal may name are the API contract's.
export type { GoalMetric } from '../../contract/analytics.ts';
import type { GoalMetric } from '../../contract/analytics.ts';

export interface GoalRow {
  id: string;
  shop_id: string;
  metric: GoalMetric;
  reduce_by_pct: string;
  /** YYYY-MM-DD. */
  starts_on: string;
  ends_on: string;
  note: string | null;
  created_by: string;
  created_at: Date;
}

/**
 * A stored line item's quantity as SQL that never fails: numeric (a quantity of 2^31 or more,
 * however it was stored, would overflow an int cast and fail every read of the shop), null when
 * it is not a JSON number.
 */
export const LINE_QUANTITY = (line: string) => `(case when jsonb_typeof(${line}->'quantity') = 'number' then (${line}->>'quantity')::numeric end)`;

/**
 * Units per SKU in the line items of the shop's events of `kind` (`order`: sold, `return`:
 * returned) in [:from, :to), as SQL with the bindings :shop, :from and :to: one row per SKU (and per
 * the extra group of `extra.select`, if any), `units` null when no line's quantity is a number.
 */
function skuLineUnits(kind: 'order' | 'return', extra: { select?: string; groupBy?: string; where?: string } = {}): string {
  return `select li->>'sku' as sku${extra.select ? `, ${extra.select}` : ''}, sum(${LINE_QUANTITY('li')}) as units
           from events e cross join lateral jsonb_array_elements(e.body->'lineItems') li
          where e.shop_id = :shop and e.kind = '${kind}' and e.occurred_at >= :from and e.occurred_at < :to and li->>'sku' is not null${extra.where ? ` and ${extra.where}` : ''}
          group by 1${extra.groupBy ? `, ${extra.groupBy}` : ''}`;
}

/** A SKU's units sold and returned in a period (`AnalyticsStore.skuUnits`). */
export interface SkuUnits {
  sku: string;
  title: string | null;
  sold: number;
  returned: number;
}

/** Reporting queries over events, decisions and actions (read-only), and the shop's fraud-reduction goals. */
export class AnalyticsStore {
  private readonly db: Knex;

  constructor(db: Knex) {
    this.db = db;
  }

  async periodMetrics(shopId: string, from: Date, to: Date): Promise<PeriodMetrics> {
    const p = { shop: shopId, from, to };
    const [events, decisions, holds, refundHigh, dips] = await Promise.all([
      this.db.raw(
        `select kind, count(*)::int as n,
                coalesce(sum(case kind when 'order' then (body->>'totalPrice')::numeric when 'return' then (body->>'totalValue')::numeric
                                       else (body->>'amount')::numeric end), 0) as value
           from events where shop_id = :shop and kind in ('order', 'return', 'refund', 'chargeback') and occurred_at >= :from and occurred_at < :to
          group by kind`,
        p,
      ),
      this.db.raw(`select zone, count(*)::int as n from decisions where shop_id = :shop and decided_at >= :from and decided_at < :to group by zone`, p),
      this.db.raw(
        `select count(*)::int as n from actions a join decisions d on d.id = a.decision_id
          where d.shop_id = :shop and d.decided_at >= :from and d.decided_at < :to and a.type = 'fulfillment.hold' and a.status in ('done', 'released')`,
        p,
      ),
      this.db.raw(
        `select coalesce(sum((e.body->>'amount')::numeric), 0) as value
           from decisions d join events e on e.shop_id = d.shop_id and e.kind = 'refund' and e.resource_id = d.subject_id
          where d.shop_id = :shop and d.subject_kind = 'refund' and d.zone = 'high' and d.decided_at >= :from and d.decided_at < :to`,
        p,
      ),
      this.db.raw(
        `select count(*)::int as n from events c
          where c.shop_id = :shop and c.kind = 'chargeback' and c.occurred_at >= :from and c.occurred_at < :to
            and exists (select 1 from events r where r.shop_id = c.shop_id and r.kind in ('refund', 'return') and r.order_id = c.order_id)`,
        p,
      ),
    ]);
    const byKind = new Map((events.rows as { kind: string; n: number; value: string }[]).map((r) => [r.kind, r]));
    const count = (kind: string) => byKind.get(kind)?.n ?? 0;
    const value = (kind: string) => Number(byKind.get(kind)?.value ?? 0);
    const zones = { low: 0, medium: 0, high: 0 };
    for (const r of decisions.rows as { zone: 'low' | 'medium' | 'high'; n: number }[]) zones[r.zone] = r.n;
    return {
      orders: count('order'),
      orderValue: value('order'),
      returns: count('return'),
      returnedValue: value('return'),
      refunds: count('refund'),
      refundedValue: value('refund'),
      refundValueHigh: Number((refundHigh.rows[0] as { value: string }).value),
      chargebacks: count('chargeback'),
      chargebackAmount: value('chargeback'),
      doubleDips: (dips.rows[0] as { n: number }).n,
      decisions: zones,
      holds: (holds.rows[0] as { n: number }).n,
    };
  }

  /** The SKUs returned most in the period: units sold and returned, and returns per bucket. */
  async skuTrends(shopId: string, from: Date, to: Date, bucket: 'week' | 'month', limit = 20): Promise<SkuTrend[]> {
    const { rows } = await this.db.raw(
      `with sold as (
         ${skuLineUnits('order', { select: `max(li->>'title') as title` })}
       ), returned as (
         ${skuLineUnits('return', { select: `date_trunc(:bucket, e.occurred_at at time zone 'UTC') as b`, groupBy: '2' })}
       ), top as (
         -- Only SKUs with returned units known: a line whose quantity is not a number counts no unit
         -- (its sum is null, which sorted first in 'desc' and showed as a top SKU with no count).
         select sku, sum(units) as units from returned group by sku having sum(units) > 0 order by 2 desc, 1 limit :limit
       )
       select t.sku, s.title, coalesce(s.units, 0)::float8 as sold, t.units::float8 as returned,
              coalesce(json_agg(json_build_object('bucket', to_char(r.b, 'YYYY-MM-DD'), 'returned', r.units) order by r.b) filter (where r.b is not null), '[]') as series
         from top t left join sold s on s.sku = t.sku left join returned r on r.sku = t.sku
        group by t.sku, s.title, s.units, t.units order by t.units desc, t.sku`,
      { shop: shopId, from, to, bucket, limit },
    );
    const buckets = bucketsOf(from, to, bucket);
    return (rows as { sku: string; title: string | null; sold: number; returned: number; series: { bucket: string; returned: string | number }[] }[]).map((r) => {
      const byBucket = new Map(r.series.map((s) => [s.bucket, Number(s.returned)]));
      return { sku: r.sku, title: r.title, sold: r.sold, returned: r.returned, series: buckets.map((b) => ({ bucket: b, returned: byBucket.get(b) ?? 0 })) };
    });
  }

  /**
   * Units sold and returned per SKU in [from, to) (the figures `skuTrends` ranks, for a SKU's
   * return rate), every SKU sold or returned in the period, or only `skus`; `minReturned` and
   * `minSold` drop the SKUs below them. Most returned first.
   */
  async skuUnits(shopId: string, from: Date, to: Date, options: { skus?: readonly string[]; minReturned?: number; minSold?: number } = {}): Promise<SkuUnits[]> {
    if (options.skus && options.skus.length === 0) return [];
    const only = options.skus ? `li->>'sku' in (select jsonb_array_elements_text(cast(:skus as jsonb)))` : undefined;
    const { rows } = await this.db.raw(
      `with sold as (
         ${skuLineUnits('order', { select: `max(li->>'title') as title`, ...(only ? { where: only } : {}) })}
       ), returned as (
         ${skuLineUnits('return', only ? { where: only } : {})}
       )
       select sku, s.title, coalesce(s.units, 0)::float8 as sold, coalesce(r.units, 0)::float8 as returned
         from sold s full join returned r using (sku)
        where coalesce(r.units, 0) >= :minReturned and coalesce(s.units, 0) >= :minSold
        order by 4 desc, 1`,
      { shop: shopId, from, to, minReturned: options.minReturned ?? 0, minSold: options.minSold ?? 0, ...(options.skus ? { skus: JSON.stringify(options.skus) } : {}) },
    );
    return rows as SkuUnits[];
  }

  private static readonly GOAL_COLUMNS = ['id', 'shop_id', 'metric', 'reduce_by_pct', 'note', 'created_by', 'created_at'] as const;

  async goals(shopId: string): Promise<GoalRow[]> {
    return this.db('goals').where({ shop_id: shopId }).orderBy('id').select(...AnalyticsStore.GOAL_COLUMNS, this.db.raw(`to_char(starts_on, 'YYYY-MM-DD') as starts_on`), this.db.raw(`to_char(ends_on, 'YYYY-MM-DD') as ends_on`));
  }

  async addGoal(row: Omit<GoalRow, 'id' | 'created_at'>, trx: Knex = this.db): Promise<GoalRow> {
    const [inserted] = await trx('goals').insert(row).returning([...AnalyticsStore.GOAL_COLUMNS, this.db.raw(`to_char(starts_on, 'YYYY-MM-DD') as starts_on`), this.db.raw(`to_char(ends_on, 'YYYY-MM-DD') as ends_on`)] as never);
    return inserted as GoalRow;
  }

  /** True when a goal was deleted. */
  async deleteGoal(shopId: string, id: string, trx: Knex = this.db): Promise<boolean> {
    return (await trx('goals').where({ shop_id: shopId, id }).delete()) > 0;
  }
}

/** Every bucket start (UTC, YYYY-MM-DD) from the one holding `from` up to `to`. */
export function bucketsOf(from: Date, to: Date, bucket: 'week' | 'month'): string[] {
  const start = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), bucket === 'month' ? 1 : from.getUTCDate()));
  if (bucket === 'week') start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7)); // ISO weeks start on Monday, as date_trunc('week')
  const out: string[] = [];
  for (const d = start; d < to; bucket === 'month' ? d.setUTCMonth(d.getUTCMonth() + 1) : d.setUTCDate(d.getUTCDate() + 7)) out.push(d.toISOString().slice(0, 10));
  return out;
}

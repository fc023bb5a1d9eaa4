import type { Knex } from 'knex';
import type { RefundMethod } from '../../sdk/index.ts';

export const REFUND_METHODS: readonly RefundMethod[] = ['original_payment', 'cash', 'store_credit', 'gift_card', 'exchange', 'other'];
/** Methods that keep the money in the shop: store credit, a gift card, an exchange. */
export const PRESERVING_METHODS: ReadonlySet<string> = new Set(['store_credit', 'gift_card', 'exchange']);

// The reports' shapes are the API contract's (contract/refundMethods.ts, contract/lists.ts): the admin reads them as they are.
export type { MethodFigures, RefundMethodReport, ZoneSplit } from '../../contract/refundMethods.ts';
export type { HoldoutGroup, HoldoutReport } from '../../contract/lists.ts';
import type { MethodFigures, RefundMethodReport, ZoneSplit } from '../../contract/refundMethods.ts';
import type { HoldoutGroup, HoldoutReport } from '../../contract/lists.ts';

const round = (n: number, places = 2) => Math.round(n * 10 ** places) / 10 ** places;
const rate = (part: number, whole: number) => (whole > 0 ? round(part / whole, 4) : null);
const ZONE_ORDER = ['low', 'medium', 'high', 'undecided'];

/** Reports over refunds and the outcomes of decisions: refund methods by zone, holdout vs acted. */
export class RefundReportStore {
  private readonly db: Knex;
  constructor(db: Knex) {
    this.db = db;
  }

  async refundMethods(shopId: string, range: { from?: string; to?: string } = {}): Promise<Omit<RefundMethodReport, 'currency'>> {
    const { rows } = await this.db.raw(
      `with r as (
         select e.resource_id, m.method, m.amount, m.method = coalesce(e.body->>'method', 'other') as main,
                coalesce((select sum((li->>'subtotal')::numeric) from jsonb_array_elements(coalesce(e.body->'lineItems', '[]'::jsonb)) li), 0) as lines_value,
                coalesce(dr.zone, 'undecided') as refund_zone, coalesce(dor.zone, 'undecided') as order_zone
           from events e
           -- A refund split across methods (methodAmounts) counts each method's money; it is counted once, under its main method.
           cross join lateral (
             select key as method, value::numeric as amount from jsonb_each_text(case when jsonb_typeof(e.body->'methodAmounts') = 'object' then e.body->'methodAmounts' else '{}'::jsonb end)
             union all
             select coalesce(e.body->>'method', 'other'), coalesce((e.body->>'amount')::numeric, 0) where jsonb_typeof(e.body->'methodAmounts') is distinct from 'object'
           ) m
           left join decisions dr on dr.shop_id = e.shop_id and dr.subject_kind = 'refund' and dr.subject_id = e.resource_id
           left join decisions dor on dor.shop_id = e.shop_id and dor.subject_kind = 'order' and dor.subject_id = e.order_id
          where e.shop_id = ? and e.kind = 'refund'
            and (cast(? as timestamptz) is null or e.occurred_at >= cast(? as timestamptz))
            and (cast(? as timestamptz) is null or e.occurred_at < cast(? as timestamptz))
       )
       select method, refund_zone, order_zone, count(*) filter (where main)::int as count, sum(amount)::float8 as amount,
              sum(case when method = 'exchange' then greatest(amount, lines_value) else amount end)::float8 as value
         from r group by method, refund_zone, order_zone`,
      [shopId, range.from ?? null, range.from ?? null, range.to ?? null, range.to ?? null],
    );
    const groups = rows as { method: string; refund_zone: string; order_zone: string; count: number; amount: number; value: number }[];
    const byMethod = (subset: typeof groups): MethodFigures[] => {
      const map = new Map<string, MethodFigures>(REFUND_METHODS.map((m) => [m, { method: m, count: 0, amount: 0, value: 0 }]));
      for (const g of subset) {
        const f = map.get(g.method) ?? { method: g.method, count: 0, amount: 0, value: 0 };
        f.count += g.count;
        f.amount = round(f.amount + g.amount);
        f.value = round(f.value + g.value);
        map.set(g.method, f);
      }
      return [...map.values()];
    };
    const split = (key: 'refund_zone' | 'order_zone'): ZoneSplit[] =>
      ZONE_ORDER.map((zone) => {
        const methods = byMethod(groups.filter((g) => g[key] === zone));
        const value = round(methods.reduce((s, m) => s + m.value, 0));
        const preservedValue = round(methods.filter((m) => PRESERVING_METHODS.has(m.method)).reduce((s, m) => s + m.value, 0));
        return { zone, count: methods.reduce((s, m) => s + m.count, 0), value, preservedValue, preservationRate: rate(preservedValue, value), byMethod: methods };
      });
    const methods = byMethod(groups);
    const preserved = methods.filter((m) => PRESERVING_METHODS.has(m.method));
    // preservedCount: refunds whose main part was kept in the shop.
    const total = {
      count: methods.reduce((s, m) => s + m.count, 0),
      amount: round(methods.reduce((s, m) => s + m.amount, 0)),
      value: round(methods.reduce((s, m) => s + m.value, 0)),
      preservedValue: round(preserved.reduce((s, m) => s + m.value, 0)),
      preservedCount: preserved.reduce((s, m) => s + m.count, 0),
    };
    return {
      from: range.from ?? null,
      to: range.to ?? null,
      total,
      preservationRate: rate(total.preservedValue, total.value),
      preservationRateByCount: rate(total.preservedCount, total.count),
      byMethod: methods,
      byRefundZone: split('refund_zone'),
      byOrderZone: split('order_zone'),
    };
  }

  /**
   * HIGH decisions of the holdout sample (actions deliberately not executed) against those acted
   * on (at least one action not skipped): how many of their orders later saw a chargeback, a
   * refund, or a fraud label.
   */
  async holdout(shopId: string, range: { from?: string; to?: string } = {}): Promise<HoldoutReport> {
    const { rows } = await this.db.raw(
      `select case when d.holdout then 'holdout' when exists (select 1 from actions a where a.shop_id = d.shop_id and a.decision_id = d.id and a.status <> 'skipped') then 'acted' else 'none' end as grp,
              count(*)::int as decisions,
              count(*) filter (where exists (select 1 from events c where c.shop_id = d.shop_id and c.kind = 'chargeback' and c.order_id = d.order_id and c.occurred_at > d.decided_at))::int as with_chargeback,
              count(*) filter (where rf.n > 0)::int as with_refund,
              coalesce(sum(rf.amount), 0)::float8 as refunded_value,
              count(*) filter (where exists (select 1 from outcomes o where o.shop_id = d.shop_id and o.subject_id = d.subject_id and o.label = 'fraud'))::int as labelled_fraud
         from decisions d
         cross join lateral (select count(*) as n, sum(coalesce((r.body->>'amount')::numeric, 0)) as amount from events r
                              where r.shop_id = d.shop_id and r.kind = 'refund' and r.order_id = d.order_id and r.occurred_at > d.decided_at) rf
        where d.shop_id = ? and d.zone = 'high'
          and (cast(? as timestamptz) is null or d.decided_at >= cast(? as timestamptz))
          and (cast(? as timestamptz) is null or d.decided_at < cast(? as timestamptz))
        group by 1`,
      [shopId, range.from ?? null, range.from ?? null, range.to ?? null, range.to ?? null],
    );
    const byGroup = new Map((rows as { grp: string; decisions: number; with_chargeback: number; with_refund: number; refunded_value: number; labelled_fraud: number }[]).map((r) => [r.grp, r]));
    const groups = (['holdout', 'acted'] as const).map((group): HoldoutGroup => {
      const r = byGroup.get(group);
      const decisions = r?.decisions ?? 0;
      return {
        group,
        decisions,
        withChargeback: r?.with_chargeback ?? 0,
        withRefund: r?.with_refund ?? 0,
        refundedValue: round(r?.refunded_value ?? 0),
        labelledFraud: r?.labelled_fraud ?? 0,
        chargebackRate: rate(r?.with_chargeback ?? 0, decisions),
        refundRate: rate(r?.with_refund ?? 0, decisions),
        fraudLabelRate: rate(r?.labelled_fraud ?? 0, decisions),
      };
    });
    return { from: range.from ?? null, to: range.to ?? null, groups, notActedOn: byGroup.get('none')?.decisions ?? 0 };
  }
}

import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../auth/sessionAuth.ts';
import type { ChargebackReport } from '../../services/ChargebackService.ts';
import { INSTANT, object } from '../fields.ts';
import { schema } from '../validate.ts';
import type { ApiDeps } from './context.ts';
import { csvResponse } from './csv.ts';
import type { ChargebackReport as ChargebackAnswer, Sendable } from '../../../contract/index.ts';

const DAY_MS = 86_400_000;
const windowQuery = object({ from: INSTANT, to: INSTANT });
const TABLES = ['disputes', 'repeat-offenders', 'double-dips', 'unshipped', 'by-month'] as const;
type Table = (typeof TABLES)[number];

/** The period asked for: `from`/`to` (ISO dates or date-times, validated by the query schema), by default the last 365 days. */
function windowOf(query: { from?: string; to?: string }): { from: Date; to: Date } {
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 365 * DAY_MS);
  if (from >= to) throw Boom.badRequest(`from (${from.toISOString()}) must be before to (${to.toISOString()})`);
  return { from, to };
}

function tableOf(report: ChargebackReport, table: Table): { columns: string[]; rows: unknown[][] } {
  switch (table) {
    case 'disputes':
      return { columns: ['order', 'disputed_at', 'amount', 'order_score', 'order_zone', 'decision'], rows: report.prediction.rows.map((r) => [r.orderId, r.disputedAt, r.amount, r.score ?? '', r.zone ?? '', r.decisionId ?? '']) };
    case 'repeat-offenders':
      return { columns: ['customer', 'chargebacks', 'amount', 'last_at'], rows: report.repeatOffenders.map((r) => [r.customerId, r.chargebacks, r.amount, r.lastAt]) };
    case 'double-dips':
      return { columns: ['order', 'customer', 'refunded', 'returns', 'charged_back', 'first_refund_or_return_at', 'disputed_at'], rows: report.doubleDips.rows.map((r) => [r.orderId, r.customerId ?? '', r.refunded, r.returns, r.chargedBack, r.firstRefundOrReturnAt, r.disputedAt]) };
    case 'unshipped':
      return { columns: ['order', 'decision', 'customer', 'score', 'zone', 'total', 'ordered_at', 'chargeback_probability'], rows: report.unshipped.map((r) => [r.orderId, r.decisionId, r.customerId ?? '', r.score, r.zone, r.total, r.orderedAt, r.chargebackRisk?.probability ?? '']) };
    case 'by-month':
      return { columns: ['month', 'disputes', 'amount'], rows: report.summary.byMonth.map((r) => [r.month, r.disputes, r.amount]) };
  }
}

/** Chargeback analytics (exposure, repeat offenders, prediction accuracy, double dips, orders at risk); an order's dispute evidence is under `/api/orders` (orders.ts). */
export function chargebackRoutes(deps: ApiDeps): ServerRoute[] {
  const { chargebacks } = deps;
  return [
    {
      method: 'GET',
      path: '/api/chargebacks',
      options: { validate: { query: schema(windowQuery, 'query') } },
      handler: async (request) => {
        const { from, to } = windowOf(request.query as { from?: string; to?: string });
        return (await chargebacks.report(shopOf(request).shop, from, to)) satisfies Sendable<ChargebackAnswer>;
      },
    },
    {
      method: 'GET',
      path: '/api/chargebacks/{table}.csv',
      options: {
        validate: {
          params: schema(object({ table: { enum: TABLES } }, ['table']), 'params'),
          query: schema(windowQuery, 'query'),
        },
      },
      handler: async (request, h) => {
        const { from, to } = windowOf(request.query as { from?: string; to?: string });
        const table = (request.params as { table: Table }).table;
        const { columns, rows } = tableOf(await chargebacks.report(shopOf(request).shop, from, to), table);
        return csvResponse(h, `chargebacks-${table}`, columns, rows);
      },
    },
  ];
}

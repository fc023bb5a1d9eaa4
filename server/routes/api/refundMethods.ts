import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../auth/sessionAuth.ts';
import { INSTANT, object } from '../fields.ts';
import { schema } from '../validate.ts';
import type { ApiDeps } from './context.ts';
import { csvResponse } from './csv.ts';
import type { RefundMethodReport, Sendable } from '../../../contract/index.ts';

const RANGE = schema(object({ from: INSTANT, to: INSTANT }), 'query');

function rangeOf(query: { from?: string; to?: string }) {
  if (query.from && query.to && Date.parse(query.from) >= Date.parse(query.to)) throw Boom.badRequest('"from" must be before "to"');
  return query;
}

/** Refunds by method (cash/original payment vs store credit, gift card, exchange), revenue preservation, split by risk zone. */
export function refundMethodRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/refund-methods',
      options: { validate: { query: RANGE } },
      handler: async (request) => {
        const { shop } = shopOf(request);
        const [report, currency] = await Promise.all([deps.stores.refundReports.refundMethods(shop, rangeOf(request.query as { from?: string; to?: string })), deps.stores.events.shopCurrency(shop)]);
        return { ...report, currency } satisfies Sendable<RefundMethodReport>;
      },
    },
    {
      method: 'GET',
      path: '/api/refund-methods.csv',
      options: { validate: { query: RANGE } },
      handler: async (request, h) => {
        const report = await deps.stores.refundReports.refundMethods(shopOf(request).shop, rangeOf(request.query as { from?: string; to?: string }));
        const rows: (string | number)[][] = [];
        for (const m of report.byMethod) rows.push(['all', 'all', m.method, m.count, m.amount, m.value]);
        for (const [by, splits] of [['refund_zone', report.byRefundZone], ['order_zone', report.byOrderZone]] as const) {
          for (const split of splits) for (const m of split.byMethod) if (m.count > 0) rows.push([by, split.zone, m.method, m.count, m.amount, m.value]);
        }
        return csvResponse(h, 'refund-methods', ['split', 'zone', 'method', 'count', 'amount', 'value'], rows);
      },
    },
  ];
}

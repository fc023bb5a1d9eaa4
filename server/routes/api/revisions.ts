import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../auth/sessionAuth.ts';
import { refundRevisionDaysOf } from '../../services/ScoringService.ts';
import { limit, object, ROW_ID } from '../fields.ts';
import { schema } from '../validate.ts';
import type { ApiDeps } from './context.ts';
import type { RevisionList, RevisionSettings, Sendable } from '../../../contract/index.ts';

/**
 * Decision revisions across the shop (issue 23): `GET /api/revisions`, the decisions revised
 * lately (what changed since the merchant last looked), and `/api/revisions/settings`, how long a
 * refund's decision stays open to revision (an order's and a return's follow their own state:
 * shipped or cancelled, closed).
 */
export function revisionRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/revisions',
      options: { validate: { query: schema(object({ limit: limit(200, 50), before: ROW_ID }), 'query') } },
      handler: async (request) => {
        const { shop } = shopOf(request);
        const query = request.query as unknown as { limit: number; before?: string };
        const rows = await deps.stores.decisions.recentlyRevised(shop, query.limit, query.before);
        return {
          revisions: rows.map((row) => ({
            decisionId: row.id,
            kind: row.subject_kind,
            subjectId: row.subject_id,
            customerId: row.customer_id,
            revision: row.revision ?? 0,
            score: Number(row.score),
            zone: row.zone,
            previous: { score: Number(row.previous_score), zone: row.previous_zone },
            trigger: row.trigger ?? null,
            revisedAt: row.revised_at!,
          })),
          next: rows.length === query.limit ? rows[rows.length - 1]!.id : null,
        } satisfies Sendable<RevisionList>;
      },
    },
    {
      method: 'GET',
      path: '/api/revisions/settings',
      handler: async (request) => {
        const { shop } = shopOf(request);
        const row = await deps.stores.shops.get(shop);
        return { refundDays: refundRevisionDaysOf(row?.settings) } satisfies Sendable<RevisionSettings>;
      },
    },
    {
      method: 'PUT',
      path: '/api/revisions/settings',
      options: { validate: { payload: schema(object({ refundDays: { type: 'integer', minimum: 0, maximum: 90 } }, ['refundDays']), 'payload') } },
      handler: async (request) => {
        const { shop, user } = shopOf(request);
        const { refundDays } = request.payload as RevisionSettings;
        const settings = await deps.stores.db.transaction(async (trx) => {
          const updated = await deps.stores.shops.updateSettings(shop, { refundRevisionDays: refundDays }, trx);
          await deps.stores.audit.record(shop, user, 'revisions.settings', null, { refundDays }, trx);
          return updated;
        });
        deps.stores.shops.forget(shop); // after the commit: the scoring workers read it cached
        return { refundDays: refundRevisionDaysOf(settings) } satisfies Sendable<RevisionSettings>;
      },
    },
  ];
}

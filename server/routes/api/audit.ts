import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../auth/sessionAuth.ts';
import { ACTION_TOKEN, AUDIT_SUBJECT, limit, object, ROW_ID } from '../fields.ts';
import { schema } from '../validate.ts';
import type { ApiDeps } from './context.ts';
import type { AuditPage, Sendable } from '../../../contract/index.ts';

const listQuery = object({ subject: AUDIT_SUBJECT, action: ACTION_TOKEN, limit: limit(200, 50), before: ROW_ID });

/**
 * `GET /api/audit`: the shop's audit log, newest first — revisions the app made by itself
 * (`decision.revise`), labels, hold releases, publishes, snoozes, … — filtered by subject and by
 * action (or family), paged by keyset on the row id (`next` → `before`).
 */
export function auditRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/audit',
      options: { validate: { query: schema(listQuery, 'query') } },
      handler: async (request) => {
        const { shop } = shopOf(request);
        const query = request.query as unknown as { subject?: string; action?: string; limit: number; before?: string };
        // One more than asked: a full page is followed by "Load more" only when there is more.
        const rows = await deps.stores.audit.list(shop, { ...query, limit: query.limit + 1 });
        const entries = rows.slice(0, query.limit).map((r) => ({ id: r.id, at: r.at, actor: r.actor, action: r.action, subject: r.subject, details: r.details }));
        return { entries, next: rows.length > query.limit ? entries.at(-1)!.id : null } satisfies Sendable<AuditPage>;
      },
    },
  ];
}

import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../auth/sessionAuth.ts';
import type { SnoozeRow } from '../../store/index.ts';
import { days, gid, INSTANT, object, ROW_ID, text } from '../fields.ts';
import { schema } from '../validate.ts';
import type { ApiDeps } from './context.ts';
import type { Removed, Sendable, Snooze, SnoozeAdded, SnoozeList, SnoozeRequest } from '../../../contract/index.ts';

const DAY_MS = 86_400_000;

function snoozeOut(row: SnoozeRow, now: number) {
  const active = new Date(row.starts_at).getTime() <= now && new Date(row.expires_at).getTime() > now;
  return { id: row.id, customerId: row.customer_id, signalId: row.signal_id, startsAt: row.starts_at, expiresAt: row.expires_at, createdBy: row.created_by, reason: row.reason, active } satisfies Sendable<Snooze>;
}

/** Per-customer snoozes of a signal (it scores 0 for that customer until the snooze expires): list, add, remove. */
export function snoozeRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/snoozes',
      options: { validate: { query: schema(object({ customerId: gid('Customer'), active: { type: 'boolean' } }), 'query') } },
      handler: async (request) => {
        const { shop } = shopOf(request);
        const { customerId, active } = request.query as { customerId?: string; active?: boolean };
        const now = Date.now();
        const rows = await deps.stores.snoozes.list(shop, { customerId, activeAt: active ? new Date(now).toISOString() : undefined });
        return { snoozes: rows.map((row) => snoozeOut(row, now)) } satisfies Sendable<SnoozeList>;
      },
    },
    {
      method: 'POST',
      path: '/api/snoozes',
      options: {
        validate: {
          payload: schema(object({ customerId: gid('Customer'), signalId: text(120, 1), days: days(365), until: INSTANT, reason: text(500) }, ['customerId', 'signalId']), 'payload'),
        },
      },
      handler: async (request, h) => {
        const { shop, user } = shopOf(request);
        const input = request.payload as SnoozeRequest;
        if (!deps.registry.get(input.signalId)) throw Boom.badRequest(`/signalId ${input.signalId} is not a known signal`);
        if ((input.days === undefined) === (input.until === undefined)) throw Boom.badRequest('Give exactly one of "days" (1-365) or "until" (an ISO 8601 time)');
        const now = Date.now();
        const expires = input.until ? Date.parse(input.until) : now + input.days! * DAY_MS;
        if (Number.isNaN(expires)) throw Boom.badRequest('/until is not an ISO 8601 time');
        if (expires <= now) throw Boom.badRequest('/until must be in the future');
        if (expires > now + 366 * DAY_MS) throw Boom.badRequest('/until must be within a year');
        const row = await deps.stores.db.transaction(async (trx) => {
          const added = await deps.stores.snoozes.add(shop, { customerId: input.customerId, signalId: input.signalId, expiresAt: new Date(expires).toISOString(), createdBy: user, reason: input.reason, startsAt: new Date(now).toISOString() }, trx);
          await deps.stores.audit.record(shop, user, 'snooze.add', input.customerId, { signalId: input.signalId, expiresAt: added.expires_at, reason: input.reason ?? null }, trx);
          return added;
        });
        return h.response({ snooze: snoozeOut(row, now) } satisfies Sendable<SnoozeAdded>).code(201);
      },
    },
    {
      method: 'DELETE',
      path: '/api/snoozes/{id}',
      options: { validate: { params: schema(object({ id: ROW_ID }, ['id']), 'params') } },
      handler: async (request) => {
        const { shop, user } = shopOf(request);
        const { id } = request.params as { id: string };
        await deps.stores.db.transaction(async (trx) => {
          if (!(await deps.stores.snoozes.remove(shop, id, trx))) throw Boom.notFound('No such snooze in this shop');
          await deps.stores.audit.record(shop, user, 'snooze.remove', id, {}, trx);
        });
        return { removed: true } satisfies Removed;
      },
    },
  ];
}

import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import { RING_POINTS } from '../../../engine/rings/index.ts';
import { shopOf } from '../../auth/sessionAuth.ts';
import type { RingAlertRow, RingBuildRow, RingRow } from '../../store/index.ts';
import { limit, object, ROW_ID } from '../fields.ts';
import { schema } from '../validate.ts';
import type { ApiDeps } from './context.ts';
import type { RingAlert, RingAlerts, RingBuildStatus, RingDetail, RingList, RingRebuild, RingSummary, Sendable } from '../../../contract/index.ts';

const idParams = schema(object({ id: ROW_ID }, ['id']), 'params');
const listQuery = schema(object({ limit: limit(500, 100), minScore: { type: 'number', minimum: 0, maximum: 100, default: 0 } }), 'query');
const alertQuery = schema(object({ limit: limit(500, 100) }), 'query');

/** `customer:<id>` → the customer id; `guest:<order id>` → the guest order's id. */
function memberOf(key: string): { customerId: string | null; guestOrderId: string | null } {
  return key.startsWith('customer:') ? { customerId: key.slice('customer:'.length), guestOrderId: null } : { customerId: null, guestOrderId: key.slice(key.indexOf(':') + 1) };
}

/** The guest order a member key names (`guest:<order id>`), if it is one. */
const guestOrderOf = (key: string) => memberOf(key).guestOrderId;

/** The names of the orders these rings, alerts and member keys name, for the views below. */
function orderNames(deps: ApiDeps, shop: string, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  return deps.stores.events.orderNames(shop, ids.filter((id): id is string => id !== null));
}

function ringView(row: RingRow, names: ReadonlyMap<string, string>) {
  return {
    id: String(row.id),
    key: row.ring_key,
    keyOrderName: names.get(guestOrderOf(row.ring_key) ?? '') ?? null,
    score: Number(row.score),
    members: row.members,
    components: row.components,
    firstOrderAt: row.first_order_at,
    lastOrderAt: row.last_order_at,
    builtAt: row.built_at,
  } satisfies Sendable<RingSummary>;
}

function buildView(row: RingBuildRow | undefined) {
  return row ? { status: row.status, requestedAt: row.requested_at, startedAt: row.started_at, finishedAt: row.finished_at, stats: row.stats, error: row.error } satisfies Sendable<RingBuildStatus> : ({ status: 'never' } satisfies RingBuildStatus);
}

function alertView(row: RingAlertRow, names: ReadonlyMap<string, string>) {
  return {
    id: String(row.id),
    ringId: row.ring_id === null ? null : String(row.ring_id),
    ringKey: row.ring_key,
    orderId: row.order_id,
    orderName: names.get(row.order_id) ?? null,
    customerId: row.customer_id,
    member: row.member,
    matched: row.matched,
    ringScore: Number(row.ring_score),
    ringMembers: row.ring_members,
    orderAt: row.order_at,
    createdAt: row.created_at,
  } satisfies Sendable<RingAlert>;
}

/**
 * Fraud rings: the shop's rings (clusters of customers linked by shared identifier hashes) with
 * their score and its parts, one ring's members and links, the alerts raised by new orders that
 * matched a ring, and a rebuild on demand (the rings job).
 */
export function ringRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/rings',
      options: { validate: { query: listQuery } },
      handler: async (request) => {
        const { shop } = shopOf(request);
        const { limit, minScore } = request.query as unknown as { limit: number; minScore: number };
        const [rows, total, build] = await Promise.all([deps.stores.rings.list(shop, { limit, minScore }), deps.stores.rings.count(shop), deps.stores.rings.build(shop)]);
        const names = await orderNames(deps, shop, rows.map((r) => guestOrderOf(r.ring_key)));
        return { rings: rows.map((r) => ringView(r, names)), total, build: buildView(build), scoring: { maxPoints: RING_POINTS } } satisfies Sendable<RingList>;
      },
    },
    {
      method: 'POST',
      path: '/api/rings/rebuild',
      handler: async (request, h) => {
        const { shop, user } = shopOf(request);
        await deps.rings.request(shop);
        await deps.stores.audit.record(shop, user, 'rings.rebuild', shop, {});
        return h.response({ build: buildView(await deps.stores.rings.build(shop)) } satisfies Sendable<RingRebuild>).code(202);
      },
    },
    {
      method: 'GET',
      path: '/api/rings/alerts',
      options: { validate: { query: alertQuery } },
      handler: async (request) => {
        const { shop } = shopOf(request);
        const { limit } = request.query as unknown as { limit: number };
        const alerts = await deps.stores.rings.alerts(shop, { limit });
        const names = await orderNames(deps, shop, alerts.map((a) => a.order_id));
        return { alerts: alerts.map((a) => alertView(a, names)) } satisfies Sendable<RingAlerts>;
      },
    },
    {
      method: 'GET',
      path: '/api/rings/{id}',
      options: { validate: { params: idParams } },
      handler: async (request) => {
        const { shop } = shopOf(request);
        const { id } = request.params as { id: string };
        const found = await deps.stores.rings.get(shop, id);
        if (!found) throw Boom.notFound(`ring ${id} not found (rings are rebuilt whole: reload the list)`);
        const { ring, members, links } = found;
        const alerts = await deps.stores.rings.alerts(shop, { ringKey: ring.ring_key, limit: 50 });
        const linksByKind: Record<string, number> = {};
        for (const link of links) for (const kind of link.kinds) linksByKind[kind] = (linksByKind[kind] ?? 0) + 1;
        const names = await orderNames(deps, shop, [guestOrderOf(ring.ring_key), ...members.map((m) => guestOrderOf(m.member_key)), ...alerts.map((a) => a.order_id)]);
        return {
          ...ringView(ring, names),
          memberList: members.map((m) => ({
            key: m.member_key,
            ...memberOf(m.member_key),
            guestOrderName: names.get(guestOrderOf(m.member_key) ?? '') ?? null,
            orders: m.orders,
            returnedOrders: m.returned_orders,
            chargebacks: m.chargebacks,
            fraudLabels: m.fraud_labels,
            firstOrderAt: m.first_order_at,
            lastOrderAt: m.last_order_at,
            zone: m.current_zone,
            lastScore: m.last_score,
          })),
          links: links.map((l) => ({ source: l.source, target: l.target, kinds: l.kinds, identifiers: l.identifiers })),
          linksByKind,
          alerts: alerts.map((a) => alertView(a, names)),
        } satisfies Sendable<RingDetail>;
      },
    },
  ];
}

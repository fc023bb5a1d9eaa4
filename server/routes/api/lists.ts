import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import type { IdentifierKind } from '../../../sdk/index.ts';
import { shopOf } from '../../auth/sessionAuth.ts';
import type { FromDecisionInput, ListEntryInput } from '../../services/ListService.ts';
import type { ListEntryRow, ListName } from '../../store/index.ts';
import { HASH, object, ROW_ID, text } from '../fields.ts';
import { schema } from '../validate.ts';
import type { ApiDeps } from './context.ts';
import type { ListEntries, ListEntry, ListEntryAdded, Removed, Sendable } from '../../../contract/index.ts';

const KINDS: IdentifierKind[] = ['email', 'phone', 'address', 'ip', 'device', 'payment'];
const LIST = { enum: ['blocked', 'allowed'] } as const;

const listEntrySchema = object(
  {
    list: LIST,
    kind: { enum: KINDS },
    /** A raw email, phone or IP address: hashed with the shop's key at once, never stored. */
    value: text(320, 1),
    /** A raw postal address: hashed at once like the addresses of orders, never stored. */
    address: object(
      { address1: text(200, 1), address2: text(200), city: text(100), zip: text(20), provinceCode: text(10), countryCode: text(2, 2) },
      ['address1', 'countryCode'],
    ),
    /** A keyed hash already known (e.g. from a decision's evidence or a customer's identity). */
    hash: HASH,
    note: text(500),
    nonOverridable: { type: 'boolean' },
  },
  ['list', 'kind'],
);

const fromDecisionSchema = object(
  { decisionId: ROW_ID, list: LIST, kinds: { type: 'array', items: { enum: KINDS }, minItems: 1, maxItems: KINDS.length, uniqueItems: true }, note: text(500), nonOverridable: { type: 'boolean' } },
  ['decisionId', 'list'],
);

function entryOut(row: ListEntryRow) {
  return { list: row.list, kind: row.kind, hash: row.hash, note: row.note, nonOverridable: row.non_overridable, createdBy: row.created_by, createdAt: row.created_at } satisfies Sendable<ListEntry>;
}

/**
 * Block/allow lists of hashed identifiers: list, add one (a raw value hashed at once by
 * `ListService`, never stored), add the identifiers of a decided order, remove one.
 */
export function listRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/lists',
      options: { validate: { query: schema(object({ list: LIST }), 'query') } },
      handler: async (request) => {
        const { shop } = shopOf(request);
        const entries = await deps.stores.lists.entries(shop, (request.query as { list?: ListName }).list);
        return { entries: entries.map(entryOut) } satisfies Sendable<ListEntries>;
      },
    },
    {
      method: 'POST',
      path: '/api/lists',
      options: { validate: { payload: schema(listEntrySchema, 'payload') } },
      handler: async (request, h) => {
        const { shop, user } = shopOf(request);
        const row = await deps.lists.add(shop, user, request.payload as ListEntryInput);
        return h.response({ entry: entryOut(row) } satisfies Sendable<ListEntryAdded>).code(201);
      },
    },
    {
      method: 'POST',
      path: '/api/lists/from-decision',
      options: { validate: { payload: schema(fromDecisionSchema, 'payload') } },
      handler: async (request, h) => {
        const { shop, user } = shopOf(request);
        const rows = await deps.lists.addFromDecision(shop, user, request.payload as FromDecisionInput);
        return h.response({ entries: rows.map(entryOut) } satisfies Sendable<ListEntries>).code(201);
      },
    },
    {
      method: 'DELETE',
      path: '/api/lists/{list}/{kind}/{hash}',
      options: { validate: { params: schema(object({ list: LIST, kind: { enum: KINDS }, hash: HASH }, ['list', 'kind', 'hash']), 'params') } },
      handler: async (request) => {
        const { shop, user } = shopOf(request);
        const { list, kind, hash } = request.params as { list: ListName; kind: IdentifierKind; hash: string };
        if (!(await deps.lists.remove(shop, user, list, kind, hash))) throw Boom.notFound(`No ${kind} entry with that hash on the ${list} list`);
        return { removed: true } satisfies Removed;
      },
    },
  ];
}

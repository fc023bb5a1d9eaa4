import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import type { IdentifierKind, OrderRecord } from '../../../sdk/index.ts';
import { shopOf } from '../../auth/sessionAuth.ts';
import { emailFacts } from '../../normalize/identityFacts.ts';
import { ipHash, phoneHash } from '../../shopify/normalize/identityHashes.ts';
import { addressHash } from '../../shopify/normalize/summarizeAddress.ts';
import { holdoutShareOf } from '../../services/ScoringService.ts';
import type { ListEntryRow, SnoozeRow } from '../../store/index.ts';
import { days, gid, HASH, INSTANT, object, ROW_ID, text } from '../fields.ts';
import { schema } from '../validate.ts';
import type { ApiDeps } from './context.ts';

const KINDS: IdentifierKind[] = ['email', 'phone', 'address', 'ip', 'device', 'payment'];
const LIST = { enum: ['blocked', 'allowed'] } as const;
const RANGE = object({ from: INSTANT, to: INSTANT });

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

type ListEntryInput = {
  list: 'blocked' | 'allowed';
  kind: IdentifierKind;
  value?: string;
  address?: { address1: string; address2?: string; city?: string; zip?: string; provinceCode?: string; countryCode: string };
  hash?: string;
  note?: string;
  nonOverridable?: boolean;
};

/** The keyed hash of what the merchant typed, as the normalizers would have hashed it on an order. */
function hashOf(key: string, input: ListEntryInput): string {
  const given = [input.value !== undefined, input.address !== undefined, input.hash !== undefined].filter(Boolean).length;
  if (given !== 1) throw Boom.badRequest('Give exactly one of "value" (a raw email, phone or IP), "address" (a postal address) or "hash" (a keyed hash)');
  if (input.hash) return input.hash;
  if (input.address) {
    if (input.kind !== 'address') throw Boom.badRequest(`"address" is for kind address, not ${input.kind}`);
    const a = input.address;
    const hash = addressHash(key, { address1: a.address1, address2: a.address2 ?? null, city: a.city ?? null, zip: a.zip ?? null, province_code: a.provinceCode ?? null, country_code: a.countryCode });
    if (!hash) throw Boom.badRequest('/address/address1 has no letters or digits');
    return hash;
  }
  const value = input.value!;
  switch (input.kind) {
    case 'email': {
      const facts = emailFacts(key, value);
      if (!facts) throw Boom.badRequest('/value is not an email address');
      return facts.hash;
    }
    case 'phone': {
      const hash = phoneHash(key, value);
      if (!hash) throw Boom.badRequest('/value is not a phone number (at least 7 digits)');
      return hash;
    }
    case 'ip': {
      if (!/^[0-9a-fA-F.:]{3,45}$/.test(value.trim())) throw Boom.badRequest('/value is not an IP address');
      return ipHash(key, value)!;
    }
    case 'address':
      throw Boom.badRequest('An address is given as "address": { address1, city, zip, provinceCode, countryCode }');
    default:
      throw Boom.badRequest(`A ${input.kind} identifier is only known as a hash: give "hash"`);
  }
}

function entryOut(row: ListEntryRow) {
  return { list: row.list, kind: row.kind, hash: row.hash, note: row.note, nonOverridable: row.non_overridable, createdBy: row.created_by, createdAt: row.created_at };
}

function snoozeOut(row: SnoozeRow, now: number) {
  const active = new Date(row.starts_at).getTime() <= now && new Date(row.expires_at).getTime() > now;
  return { id: row.id, customerId: row.customer_id, signalId: row.signal_id, startsAt: row.starts_at, expiresAt: row.expires_at, createdBy: row.created_by, reason: row.reason, active };
}

/** Block/allow lists of hashed identifiers, per-customer snoozes of a signal, and the holdout sample. */
export function listRoutes(deps: ApiDeps): ServerRoute[] {
  const keyOf = async (shop: string) => {
    const row = await deps.stores.shops.getCached(shop);
    if (!row) throw Boom.notFound('Unknown shop');
    return row.hash_key;
  };
  return [
    {
      method: 'GET',
      path: '/api/lists',
      options: { validate: { query: schema(object({ list: LIST }), 'query') } },
      handler: async (request) => {
        const { shop } = shopOf(request);
        const entries = await deps.stores.lists.entries(shop, (request.query as { list?: 'blocked' | 'allowed' }).list);
        return { entries: entries.map(entryOut) };
      },
    },
    {
      method: 'POST',
      path: '/api/lists',
      options: { validate: { payload: schema(listEntrySchema, 'payload') } },
      handler: async (request, h) => {
        const { shop, user } = shopOf(request);
        const input = request.payload as ListEntryInput;
        if (input.nonOverridable && input.list !== 'blocked') throw Boom.badRequest('/nonOverridable applies to block entries only');
        const hash = hashOf(await keyOf(shop), input);
        const row = await deps.stores.db.transaction(async (trx) => {
          const added = await deps.stores.lists.add(shop, input.list, input.kind, hash, input.note, { nonOverridable: input.nonOverridable, createdBy: user, trx });
          await deps.stores.audit.record(shop, user, `lists.${input.list}.add`, `${input.kind}:${hash}`, { nonOverridable: added.non_overridable }, trx);
          return added;
        });
        deps.stores.lists.forget(shop); // after the commit
        return h.response({ entry: entryOut(row) }).code(201);
      },
    },
    {
      method: 'POST',
      path: '/api/lists/from-decision',
      options: {
        validate: {
          payload: schema(
            object(
              { decisionId: ROW_ID, list: LIST, kinds: { type: 'array', items: { enum: KINDS }, minItems: 1, maxItems: KINDS.length, uniqueItems: true }, note: text(500), nonOverridable: { type: 'boolean' } },
              ['decisionId', 'list'],
            ),
            'payload',
          ),
        },
      },
      handler: async (request, h) => {
        const { shop, user } = shopOf(request);
        const input = request.payload as { decisionId: string; list: 'blocked' | 'allowed'; kinds?: IdentifierKind[]; note?: string; nonOverridable?: boolean };
        if (input.nonOverridable && input.list !== 'blocked') throw Boom.badRequest('/nonOverridable applies to block entries only');
        const decision = await deps.stores.decisions.get(shop, input.decisionId);
        if (!decision) throw Boom.notFound('No such decision in this shop');
        const order = decision.order_id ? await deps.stores.events.get<OrderRecord>(shop, 'order', decision.order_id) : undefined;
        if (!order) throw Boom.conflict("The decision's order is not stored: its identifiers are unknown");
        // The order's keyed hashes (as stored: the raw values never were), and its addresses'.
        const known: [IdentifierKind, string][] = Object.entries(order.identity ?? {}).map(([kind, hash]) => [kind as IdentifierKind, hash as string]);
        for (const address of [order.shippingAddress, order.billingAddress]) if (address?.hash) known.push(['address', address.hash]);
        const wanted = known.filter(([kind], i) => (!input.kinds || input.kinds.includes(kind)) && known.findIndex((k) => k[0] === kind && k[1] === known[i]![1]) === i);
        if (wanted.length === 0) throw Boom.conflict(`The order has no hashed ${input.kinds ? input.kinds.join('/') : ''} identifier to list`.replace(/\s+/g, ' '));
        // Every entry and the audit line, or nothing.
        const rows = await deps.stores.db.transaction(async (trx) => {
          const added = [];
          for (const [kind, hash] of wanted) added.push(await deps.stores.lists.add(shop, input.list, kind, hash, input.note ?? `from decision ${decision.id}`, { nonOverridable: input.nonOverridable, createdBy: user, trx }));
          await deps.stores.audit.record(shop, user, `lists.${input.list}.add`, decision.subject_id, { kinds: wanted.map(([kind]) => kind), nonOverridable: input.nonOverridable === true }, trx);
          return added;
        });
        deps.stores.lists.forget(shop); // after the commit
        return h.response({ entries: rows.map(entryOut) }).code(201);
      },
    },
    {
      method: 'DELETE',
      path: '/api/lists/{list}/{kind}/{hash}',
      options: { validate: { params: schema(object({ list: LIST, kind: { enum: KINDS }, hash: HASH }, ['list', 'kind', 'hash']), 'params') } },
      handler: async (request) => {
        const { shop, user } = shopOf(request);
        const { list, kind, hash } = request.params as { list: 'blocked' | 'allowed'; kind: IdentifierKind; hash: string };
        await deps.stores.db.transaction(async (trx) => {
          if (!(await deps.stores.lists.remove(shop, list, kind, hash, trx))) throw Boom.notFound(`No ${kind} entry with that hash on the ${list} list`);
          await deps.stores.audit.record(shop, user, `lists.${list}.remove`, `${kind}:${hash}`, {}, trx);
        });
        deps.stores.lists.forget(shop); // after the commit
        return { removed: true };
      },
    },
    {
      method: 'GET',
      path: '/api/snoozes',
      options: { validate: { query: schema(object({ customerId: gid('Customer'), active: { type: 'boolean' } }), 'query') } },
      handler: async (request) => {
        const { shop } = shopOf(request);
        const { customerId, active } = request.query as { customerId?: string; active?: boolean };
        const now = Date.now();
        const rows = await deps.stores.snoozes.list(shop, { customerId, activeAt: active ? new Date(now).toISOString() : undefined });
        return { snoozes: rows.map((row) => snoozeOut(row, now)) };
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
        const input = request.payload as { customerId: string; signalId: string; days?: number; until?: string; reason?: string };
        if (!deps.registry.get(input.signalId)) throw Boom.badRequest(`/signalId ${input.signalId} is not a known signal`);
        if ((input.days === undefined) === (input.until === undefined)) throw Boom.badRequest('Give exactly one of "days" (1-365) or "until" (an ISO 8601 time)');
        const now = Date.now();
        const expires = input.until ? Date.parse(input.until) : now + input.days! * 86_400_000;
        if (Number.isNaN(expires)) throw Boom.badRequest('/until is not an ISO 8601 time');
        if (expires <= now) throw Boom.badRequest('/until must be in the future');
        if (expires > now + 366 * 86_400_000) throw Boom.badRequest('/until must be within a year');
        const row = await deps.stores.db.transaction(async (trx) => {
          const added = await deps.stores.snoozes.add(shop, { customerId: input.customerId, signalId: input.signalId, expiresAt: new Date(expires).toISOString(), createdBy: user, reason: input.reason, startsAt: new Date(now).toISOString() }, trx);
          await deps.stores.audit.record(shop, user, 'snooze.add', input.customerId, { signalId: input.signalId, expiresAt: added.expires_at, reason: input.reason ?? null }, trx);
          return added;
        });
        return h.response({ snooze: snoozeOut(row, now) }).code(201);
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
        return { removed: true };
      },
    },
    {
      method: 'GET',
      path: '/api/holdout',
      options: { validate: { query: schema(RANGE, 'query') } },
      handler: async (request) => {
        const { shop } = shopOf(request);
        const row = await deps.stores.shops.get(shop);
        const range = request.query as { from?: string; to?: string };
        return { percent: Math.round(holdoutShareOf(row?.settings) * 1000) / 10, report: await deps.stores.refundReports.holdout(shop, range) };
      },
    },
    {
      method: 'PUT',
      path: '/api/holdout',
      options: { validate: { payload: schema(object({ percent: { type: 'number', minimum: 0, maximum: 20 } }, ['percent']), 'payload') } },
      handler: async (request) => {
        const { shop, user } = shopOf(request);
        const { percent } = request.payload as { percent: number };
        const settings = await deps.stores.db.transaction(async (trx) => {
          const updated = await deps.stores.shops.updateSettings(shop, { holdoutPercent: percent }, trx);
          await deps.stores.audit.record(shop, user, 'holdout.set', null, { percent }, trx);
          return updated;
        });
        deps.stores.shops.forget(shop); // after the commit
        return { percent: Number(settings.holdoutPercent) };
      },
    },
  ];
}

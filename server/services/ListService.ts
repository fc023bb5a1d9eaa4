import type { IdentifierKind, OrderRecord } from '../../sdk/index.ts';
import { emailFacts } from '../normalize/identityFacts.ts';
import { ipHash, phoneHash } from '../shopify/normalize/identityHashes.ts';
import { addressHash } from '../shopify/normalize/summarizeAddress.ts';
import type { ListEntryRow, ListName, Stores } from '../store/index.ts';
import { Refused } from './Refused.ts';
import type { FromDecisionInput, ListEntryInput } from '../../contract/lists.ts';

export type { FromDecisionInput, ListEntryInput };

// What the merchant gives (POST /api/lists, /api/lists/from-decision) is the API contract's.

/**
 * Block and allow lists of hashed identifiers: what the merchant types is hashed with the shop's
 * key as the normalizers hash an order's identifiers (the raw value is never stored), and every
 * change is written with its audit line in one transaction; the shop's cached lists are dropped
 * after the commit. Refusals are `Refused` (400: a value that is no such identifier; 404: no such
 * shop or decision; 409: a decision whose order's identifiers are unknown).
 */
export class ListService {
  private readonly stores: Stores;

  constructor(stores: Stores) {
    this.stores = stores;
  }

  async add(shopId: string, user: string, input: ListEntryInput): Promise<ListEntryRow> {
    refuseNonOverridableAllow(input);
    const hash = hashOf(await this.keyOf(shopId), input);
    const row = await this.stores.db.transaction(async (trx) => {
      const added = await this.stores.lists.add(shopId, input.list, input.kind, hash, input.note, { nonOverridable: input.nonOverridable, createdBy: user, trx });
      await this.stores.audit.record(shopId, user, `lists.${input.list}.add`, `${input.kind}:${hash}`, { nonOverridable: added.non_overridable }, trx);
      return added;
    });
    this.stores.lists.forget(shopId); // after the commit
    return row;
  }

  /** Lists the keyed hashes stored with a decided order (its identity and its addresses'): every entry and the audit line, or nothing. */
  async addFromDecision(shopId: string, user: string, input: FromDecisionInput): Promise<ListEntryRow[]> {
    refuseNonOverridableAllow(input);
    const decision = await this.stores.decisions.get(shopId, input.decisionId);
    if (!decision) throw new Refused(404, 'No such decision in this shop');
    const order = decision.order_id ? await this.stores.events.get<OrderRecord>(shopId, 'order', decision.order_id) : undefined;
    if (!order) throw new Refused(409, "The decision's order is not stored: its identifiers are unknown");
    // The order's keyed hashes (as stored: the raw values never were), and its addresses'.
    const known: [IdentifierKind, string][] = Object.entries(order.identity ?? {}).map(([kind, hash]) => [kind as IdentifierKind, hash as string]);
    for (const address of [order.shippingAddress, order.billingAddress]) if (address?.hash) known.push(['address', address.hash]);
    const wanted = known.filter(([kind], i) => (!input.kinds || input.kinds.includes(kind)) && known.findIndex((k) => k[0] === kind && k[1] === known[i]![1]) === i);
    if (wanted.length === 0) throw new Refused(409, `The order has no hashed ${input.kinds ? input.kinds.join('/') : ''} identifier to list`.replace(/\s+/g, ' '));
    const rows = await this.stores.db.transaction(async (trx) => {
      const added = [];
      for (const [kind, hash] of wanted) added.push(await this.stores.lists.add(shopId, input.list, kind, hash, input.note ?? `from decision ${decision.id}`, { nonOverridable: input.nonOverridable, createdBy: user, trx }));
      await this.stores.audit.record(shopId, user, `lists.${input.list}.add`, decision.subject_id, { kinds: wanted.map(([kind]) => kind), nonOverridable: input.nonOverridable === true }, trx);
      return added;
    });
    this.stores.lists.forget(shopId); // after the commit
    return rows;
  }

  /** Removes an entry with its audit line; false when the list has no such entry. */
  async remove(shopId: string, user: string, list: ListName, kind: IdentifierKind, hash: string): Promise<boolean> {
    const removed = await this.stores.db.transaction(async (trx) => {
      if (!(await this.stores.lists.remove(shopId, list, kind, hash, trx))) return false;
      await this.stores.audit.record(shopId, user, `lists.${list}.remove`, `${kind}:${hash}`, {}, trx);
      return true;
    });
    if (removed) this.stores.lists.forget(shopId); // after the commit
    return removed;
  }

  private async keyOf(shopId: string): Promise<string> {
    const row = await this.stores.shops.getCached(shopId);
    if (!row) throw new Refused(404, 'Unknown shop');
    return row.hash_key;
  }
}

function refuseNonOverridableAllow(input: { list: ListName; nonOverridable?: boolean }): void {
  if (input.nonOverridable && input.list !== 'blocked') throw new Refused(400, '/nonOverridable applies to block entries only');
}

/** The keyed hash of what the merchant typed, as the normalizers would have hashed it on an order. */
export function hashOf(key: string, input: ListEntryInput): string {
  const given = [input.value !== undefined, input.address !== undefined, input.hash !== undefined].filter(Boolean).length;
  if (given !== 1) throw new Refused(400, 'Give exactly one of "value" (a raw email, phone or IP), "address" (a postal address) or "hash" (a keyed hash)');
  if (input.hash) return input.hash;
  if (input.address) {
    if (input.kind !== 'address') throw new Refused(400, `"address" is for kind address, not ${input.kind}`);
    const a = input.address;
    const hash = addressHash(key, { address1: a.address1, address2: a.address2 ?? null, city: a.city ?? null, zip: a.zip ?? null, province_code: a.provinceCode ?? null, country_code: a.countryCode });
    if (!hash) throw new Refused(400, '/address/address1 has no letters or digits');
    return hash;
  }
  const value = input.value!;
  switch (input.kind) {
    case 'email': {
      const facts = emailFacts(key, value);
      if (!facts) throw new Refused(400, '/value is not an email address');
      return facts.hash;
    }
    case 'phone': {
      const hash = phoneHash(key, value);
      if (!hash) throw new Refused(400, '/value is not a phone number (at least 7 digits)');
      return hash;
    }
    case 'ip': {
      if (!/^[0-9a-fA-F.:]{3,45}$/.test(value.trim())) throw new Refused(400, '/value is not an IP address');
      return ipHash(key, value)!;
    }
    case 'address':
      throw new Refused(400, 'An address is given as "address": { address1, city, zip, provinceCode, countryCode }');
    default:
      throw new Refused(400, `A ${input.kind} identifier is only known as a hash: give "hash"`);
  }
}

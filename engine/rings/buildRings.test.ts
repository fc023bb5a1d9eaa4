import { describe, expect, it } from 'vitest';
import { generateShop } from '../../scenarios/generateShop.ts';
import { makeOrder } from '../../sdk/testing/index.ts';
import type { IdentityHashes } from '../../sdk/index.ts';
import { ShopHistory, type HistoryEvent } from '../history/ShopHistory.ts';
import { buildRings, linkRings, RING_POINTS } from './buildRings.ts';

const order = (n: number, customer: number | null, identity: IdentityHashes, createdAt = `2025-01-${String(10 + (n % 20)).padStart(2, '0')}T00:00:00Z`): HistoryEvent => ({
  type: 'order',
  order: makeOrder({ id: `gid://shopify/Order/${n}`, customerId: customer === null ? null : `gid://shopify/Customer/${customer}`, createdAt, identity }),
});

describe('buildRings', () => {
  it('on a generated shop finds exactly the fraud rings, and links no honest customer', () => {
    const shop = generateShop({ seed: 7, customers: 600 });
    const ringMembers = new Set(shop.labels.filter((l) => l.pattern === 'fraud-ring').map((l) => `customer:${l.customerId}`));
    const { rings, stats } = buildRings(shop.events);
    expect(rings.length).toBeGreaterThan(0);
    expect(new Set(rings.flatMap((r) => r.members.map((m) => m.key)))).toEqual(ringMembers);
    expect(stats.linkedCustomers).toBe(ringMembers.size);
    for (const ring of rings) {
      // The generator's rings share address, device and payment: every link carries all three.
      expect(ring.links.every((l) => l.kinds.join() === 'address,device,payment')).toBe(true);
      expect(ring.components.points.links).toBe(RING_POINTS.links);
      const sum = Object.values(ring.components.points).reduce((a, b) => a + b, 0);
      expect(ring.score).toBeCloseTo(sum, 1);
      expect(ring.components.chargebacks).toBe(ring.members.reduce((s, m) => s + m.chargebacks, 0));
    }
  });

  it('does not link through a hub identifier, and says how many it skipped', () => {
    const events = [...Array.from({ length: 12 }, (_, i) => order(i, i, { address: 'WAREHOUSE', email: `e${i}` })), order(100, 100, { device: 'D' }), order(101, 101, { device: 'D' })];
    const { rings, stats } = buildRings(events, { maxSharedWith: 10 });
    expect(stats.hubIdentifiers).toBe(1);
    expect(rings.map((r) => r.members.map((m) => m.key))).toEqual([['customer:gid://shopify/Customer/100', 'customer:gid://shopify/Customer/101']]);
    // With a higher cap the warehouse address joins its 12 users into one ring.
    expect(buildRings(events, { maxSharedWith: 20 }).rings.map((r) => r.members.length).sort()).toEqual([12, 2]);
  });

  it('joins chains (A–B by device, B–C by payment) and guest orders into one ring, scored from their outcomes', () => {
    const events: HistoryEvent[] = [
      order(1, 1, { device: 'D1' }, '2025-01-01T00:00:00Z'),
      order(2, 2, { device: 'D1', payment: 'P1' }, '2025-01-02T00:00:00Z'),
      order(3, null, { payment: 'P1' }, '2025-01-03T00:00:00Z'),
      { type: 'chargeback', chargeback: { id: 'gid://shopify/ShopifyPaymentsDispute/1', orderId: 'gid://shopify/Order/3', initiatedAt: '2025-02-01T00:00:00Z', amount: 10 } },
      order(9, 9, { device: 'other' }),
    ];
    const { rings } = buildRings(events);
    expect(rings).toHaveLength(1);
    const [ring] = rings;
    expect(ring!.key).toBe('customer:gid://shopify/Customer/1');
    expect(ring!.members.map((m) => m.key)).toEqual(['customer:gid://shopify/Customer/1', 'customer:gid://shopify/Customer/2', 'guest:gid://shopify/Order/3']);
    expect(ring!.components).toMatchObject({ members: 3, links: 2, strongLinks: 0, linksByKind: { device: 1, payment: 1 }, chargebacks: 1, chargebackMembers: 1 });
    expect(ring!.components.points.chargebacks).toBeCloseTo(RING_POINTS.chargebacks * (2 / 3), 1);
    expect(ring!.identifiers).toContainEqual({ kind: 'payment', hash: 'P1', members: 2 });
  });
});

describe('linkRings', () => {
  it('on the neighbourhood of each ring (its members’ records, their identifiers’ users, a hub’s cut short) gives the ring buildRings gives', () => {
    const shop = generateShop({ seed: 5, customers: 300, households: 8 });
    const maxSharedWith = 2; // households and the ring both link; a few identifiers are hubs
    const build = buildRings(shop.events, { maxSharedWith });
    expect(build.rings.length).toBeGreaterThan(2);
    expect(build.stats.hubIdentifiers).toBeGreaterThan(0);
    const history = ShopHistory.from(shop.events);
    for (const ring of build.rings) {
      const keys = new Set(ring.members.map((m) => m.key));
      const orderIds = new Set(shop.events.flatMap((e) => (e.type === 'order' && keys.has(e.order.customerId ? `customer:${e.order.customerId}` : `guest:${e.order.id}`) ? [e.order.id] : [])));
      const events = shop.events.filter((e) => (e.type === 'order' && orderIds.has(e.order.id)) || (e.type === 'return' && orderIds.has(e.return.orderId)) || (e.type === 'chargeback' && orderIds.has(e.chargeback.orderId)));
      // As the store reads them: each identifier any member used, with its first maxSharedWith + 2 users.
      const identifiers = [...history.identifiers]
        .filter(([, uses]) => uses.some((u) => keys.has(u.key)))
        .map(([identifier, uses]) => [identifier, [...new Set(uses.map((u) => u.key))].slice(0, maxSharedWith + 2)] as const);
      const rings = linkRings({ events, identifiers, shopReturnRate: build.stats.shopReturnRate }, { maxSharedWith });
      expect(rings).toEqual([ring]);
    }
  });

  it('finds no ring where no non-hub identifier is shared, and splits a neighbourhood whose link became a hub', () => {
    const events = [order(1, 1, { device: 'D' }), order(2, 2, { device: 'D', address: 'A' }), order(3, 3, { address: 'A' })];
    const identifiers = (users: number) => [['device:D', ['customer:gid://shopify/Customer/1', 'customer:gid://shopify/Customer/2']], ['address:A', Array.from({ length: users }, (_, i) => `customer:gid://shopify/Customer/${i + 2}`)]] as const;
    expect(linkRings({ events, identifiers: identifiers(2), shopReturnRate: 0 }).map((r) => r.members.length)).toEqual([3]);
    // The address now has 4 users with maxSharedWith 2: a hub; only the device still links.
    const [ring, ...none] = linkRings({ events, identifiers: identifiers(4), shopReturnRate: 0 }, { maxSharedWith: 2 });
    expect(none).toEqual([]);
    expect(ring!.members.map((m) => m.key)).toEqual(['customer:gid://shopify/Customer/1', 'customer:gid://shopify/Customer/2']);
    expect(ring!.identifiers.map((i) => `${i.kind}:${i.hash}`)).toEqual(['device:D']);
    expect(linkRings({ events: [order(9, 9, { device: 'X' })], identifiers: [['device:X', ['customer:gid://shopify/Customer/9']]], shopReturnRate: 0 })).toEqual([]);
  });
});

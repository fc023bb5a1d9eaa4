import { describe, expect, it } from 'vitest';
import { generateShop } from '../../scenarios/generateShop.ts';
import { makeOrder } from '../../sdk/testing/index.ts';
import { RING_LIST_LIMIT, ringOf, type IdentityHashes, type RingNeighbourhood } from '../../sdk/index.ts';
import { contextAt } from './contextAt.ts';
import { ringAt } from './ringAt.ts';
import { sortEvents } from './replayHistory.ts';
import { ShopHistory, type HistoryEvent } from './ShopHistory.ts';

const customer = (n: number) => `gid://shopify/Customer/${n}`;
const order = (n: number, customerId: string | null, createdAt: string, identity: IdentityHashes) => makeOrder({ id: `gid://shopify/Order/${n}`, customerId, createdAt, identity });
const ringAtOrder = (history: ShopHistory, o: ReturnType<typeof makeOrder>): RingNeighbourhood => ringOf(contextAt({ kind: 'order', id: o.id, at: o.createdAt, order: o }, history, { shopId: 's' }))!;

describe('the ring neighbourhood in the context (point-in-time)', () => {
  const fraudster = order(1, customer(1), '2025-03-01T00:00:00Z', { address: 'A', device: 'D', email: 'e1' });
  const chargeback = { type: 'chargeback' as const, chargeback: { id: 'gid://shopify/ShopifyPaymentsDispute/1', orderId: fraudster.id, initiatedAt: '2025-04-01T00:00:00Z', amount: 90 } };
  const subject = order(2, customer(2), '2025-05-01T00:00:00Z', { address: 'A', device: 'D', email: 'e2' });

  it('links customers who used the same identifier earlier, with their history as of then', () => {
    const history = ShopHistory.from([{ type: 'order', order: fraudster }, chargeback, { type: 'order', order: subject }]);
    const ring = ringAtOrder(history, subject);
    expect(ring.linked).toEqual([{ id: customer(1), via: [{ kind: 'address', sharedWith: 1 }, { kind: 'device', sharedWith: 1 }], orders: 1, returnedOrders: 0, chargebacks: 1, fraudLabels: 0 }]);
    expect(ring.identifiers).toEqual([{ kind: 'address', sharedWith: 1 }, { kind: 'device', sharedWith: 1 }, { kind: 'email', sharedWith: 0 }]);
  });

  it('a link (or a chargeback) created after the event does not count', () => {
    const lateLink = order(3, customer(3), '2025-05-02T00:00:00Z', { device: 'D' });
    const lateChargeback = { type: 'chargeback' as const, chargeback: { ...chargeback.chargeback, id: 'gid://shopify/ShopifyPaymentsDispute/2', initiatedAt: '2025-06-01T00:00:00Z' } };
    const before = ShopHistory.from([{ type: 'order', order: fraudster }, { type: 'order', order: subject }]);
    const after = ShopHistory.from([{ type: 'order', order: fraudster }, { type: 'order', order: subject }, { type: 'order', order: lateLink }, lateChargeback]);
    expect(ringAtOrder(after, subject)).toEqual(ringAtOrder(before, subject));
    expect(ringAtOrder(after, subject).linked[0]!.chargebacks).toBe(0);
    // The same history, judged later, sees both.
    const later = order(4, customer(2), '2025-07-01T00:00:00Z', { device: 'D' });
    after.add({ type: 'order', order: later });
    const seen = ringAtOrder(after, later);
    expect(seen.linked.map((n) => [n.id, n.chargebacks])).toEqual([[customer(1), 1], [customer(3), 0]]);
  });

  it('an identifier shared by more than the list limit is counted (up to the limit + 1), its users not listed', () => {
    const events: HistoryEvent[] = [];
    for (let n = 10; n < 10 + RING_LIST_LIMIT + 40; n++) events.push({ type: 'order', order: order(n, customer(n), '2025-01-01T00:00:00Z', { address: 'WAREHOUSE' }) });
    const mine = order(999, customer(999), '2025-02-01T00:00:00Z', { address: 'WAREHOUSE', device: 'mine' });
    const ring = ringAtOrder(ShopHistory.from([...events, { type: 'order', order: mine }]), mine);
    expect(ring.identifiers).toContainEqual({ kind: 'address', sharedWith: RING_LIST_LIMIT + 1 });
    expect(ring.linked).toEqual([]);
  });

  it('counts each identifier as a full count of its earlier users would, capped at the limit + 1, in any order of uses', () => {
    // Uses in no particular time order, with repeats (several orders per user) and later uses
    // mixed in, as a live batch's history holds them: the early stop at the cap changes nothing.
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const users of [3, RING_LIST_LIMIT, RING_LIST_LIMIT + 1, RING_LIST_LIMIT + 2, 400]) {
      const uses = Array.from({ length: users * 3 }, () => ({ key: `customer:${customer(Math.floor(random() * users))}`, at: Date.parse('2025-01-01T00:00:00Z') + Math.floor(random() * 60) * 86_400_000 }));
      const at = Date.parse('2025-02-01T00:00:00Z');
      const self = `customer:${customer(0)}`;
      const source = { identifiers: new Map([['address:HUB', uses]]), ledgerByKey: () => ({ orders: [], returns: [], chargebacks: [], outcomes: [] }) };
      const mine = order(1, customer(0), '2025-02-01T00:00:00Z', { address: 'HUB' });
      const earlier = new Set(uses.filter((u) => u.at < at && u.key !== self).map((u) => u.key));
      const ring = ringAt(source, self, [mine], at);
      expect(ring.identifiers).toEqual([{ kind: 'address', sharedWith: Math.min(earlier.size, RING_LIST_LIMIT + 1) }]);
      expect(ring.linked.map((n) => `customer:${n.id}`).sort()).toEqual(earlier.size <= RING_LIST_LIMIT ? [...earlier].sort() : []);
    }
  });

  it('a guest order is linked like a customer, by its order id', () => {
    const guest = order(5, null, '2025-04-15T00:00:00Z', { payment: 'P' });
    const mine = order(6, customer(6), '2025-04-20T00:00:00Z', { payment: 'P' });
    const ring = ringAtOrder(ShopHistory.from([{ type: 'order', order: guest }, { type: 'order', order: mine }]), mine);
    expect(ring.linked.map((n) => n.id)).toEqual([guest.id]);
  });

  it('on a generated shop: ring members link to each other only, honest customers to no one', () => {
    const shop = generateShop({ seed: 11, customers: 300 });
    const pattern = new Map(shop.labels.map((l) => [l.customerId, l.pattern]));
    const events = sortEvents(shop.events);
    const history = ShopHistory.from(events);
    let ringOrders = 0;
    let ringLinkedOrders = 0;
    for (const event of events) {
      if (event.type !== 'order' || !event.order.customerId) continue;
      const ring = ringAtOrder(history, event.order);
      const mine = pattern.get(event.order.customerId);
      if (mine === 'fraud-ring') {
        ringOrders++;
        if (ring.linked.length > 0) ringLinkedOrders++;
        for (const n of ring.linked) expect(pattern.get(n.id)).toBe('fraud-ring');
      } else if (mine !== undefined) {
        expect(ring.linked).toEqual([]);
      }
    }
    expect(ringOrders).toBeGreaterThan(0);
    // Only the very first order of a ring links to no one.
    expect(ringLinkedOrders).toBeGreaterThan(0);
  });
});

import { describe, expect, it } from 'vitest';
import { CONTEXT_NEEDS, IDENTITY_RECENT_LIMIT, RING_LIST_LIMIT, identityOf, type ContextNeed, type IdentityFacts, type IdentityHashes, type OrderRecord } from '../../sdk/index.ts';
import { makeOrder } from '../../sdk/testing/index.ts';
import { contextAt } from './contextAt.ts';
import { HistoryStream } from './HistoryStream.ts';
import { sortEvents, subjectOf } from './replayHistory.ts';
import { ShopHistory, type HistoryEvent } from './ShopHistory.ts';

const base = Date.parse('2026-04-01T12:00:00Z');
const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
const order = (n: number, customer: number | null, minutes: number, identity: IdentityHashes): OrderRecord =>
  makeOrder({ id: `gid://shopify/Order/${n}`, customerId: customer === null ? null : `gid://shopify/Customer/${customer}`, createdAt: at(minutes), identity });
const events = (...orders: OrderRecord[]): HistoryEvent[] => orders.map((o) => ({ type: 'order', order: o }));
const identityAtOrder = (history: ShopHistory, o: OrderRecord): IdentityFacts => identityOf(contextAt({ kind: 'order', id: o.id, at: o.createdAt, order: o }, history, { shopId: 's' }))!;
const ALL = new Set<ContextNeed>(CONTEXT_NEEDS);

describe('the identity facts in the context (point-in-time)', () => {
  const subject = order(10, 1, 0, { device: 'D', ip: 'I', payment: 'card-1', email: 'e1' });

  it('counts other accounts and guests, orders of the last hour and day, and cards, from before the order only', () => {
    const history = ShopHistory.from(
      events(
        order(1, 1, -3 * 24 * 60, { payment: 'card-0', email: 'e1' }), // the customer's own earlier order and card
        order(2, 2, -25 * 60, { device: 'D', payment: 'card-2' }), // over a day before
        order(3, 3, -120, { device: 'D', ip: 'I', payment: 'card-3' }),
        order(4, null, -30, { device: 'D', payment: 'card-4' }), // a guest
        order(5, 3, -10, { device: 'D', ip: 'I', payment: 'card-3' }),
        subject,
        order(11, 4, 0, { device: 'D' }), // same moment: not before
        order(12, 5, 5, { device: 'D', payment: 'card-1' }), // later
      ),
    );
    expect(identityAtOrder(history, subject)).toEqual({
      identifiers: [
        { kind: 'device', sharedWith: 3, accounts: 2, guests: 1, lastHour: 2, lastDay: 3 },
        { kind: 'email', sharedWith: 0, accounts: 0, guests: 0, lastHour: 0, lastDay: 0 },
        { kind: 'ip', sharedWith: 1, accounts: 1, guests: 0, lastHour: 1, lastDay: 2 },
        { kind: 'payment', sharedWith: 0, accounts: 0, guests: 0, lastHour: 0, lastDay: 0 },
      ],
      // card-0 and card-1 for the customer; card-3, card-4 and card-1 on the device within the day.
      cards: { customer: 2, device: 3 },
      guestSharesAccount: [],
    });
  });

  it('a later order never changes the facts', () => {
    const before = ShopHistory.from(events(order(3, 3, -120, { device: 'D' }), subject));
    const after = ShopHistory.from(events(order(3, 3, -120, { device: 'D' }), subject, order(12, 5, 1, { device: 'D', payment: 'card-9' }), order(13, 6, 0, { ip: 'I' })));
    expect(identityAtOrder(after, subject)).toEqual(identityAtOrder(before, subject));
  });

  it('a guest checkout names the kinds an account used before; other guests do not count as accounts', () => {
    const guest = order(20, null, 0, { payment: 'card-1', email: 'g', phone: 'P' });
    const history = ShopHistory.from(events(order(1, 1, -500, { payment: 'card-1' }), order(2, null, -400, { phone: 'P' }), guest));
    const facts = identityAtOrder(history, guest);
    expect(facts.guestSharesAccount).toEqual(['payment']);
    expect(facts.cards).toEqual({ customer: 1 });
  });

  it('caps a hub: its sharing at RING_LIST_LIMIT + 1 with no split, its orders of the day at IDENTITY_RECENT_LIMIT', () => {
    const office = Array.from({ length: 80 }, (_, i) => order(100 + i, 100 + i, -600 + i, { ip: 'office', payment: `card-${i}`, device: 'common-browser' }));
    const last = order(500, 1, 0, { ip: 'office', device: 'common-browser' });
    const facts = identityAtOrder(ShopHistory.from(events(...office, last)), last);
    expect(facts.identifiers).toEqual([
      { kind: 'device', sharedWith: RING_LIST_LIMIT + 1, accounts: null, guests: null, lastHour: 0, lastDay: IDENTITY_RECENT_LIMIT },
      { kind: 'ip', sharedWith: RING_LIST_LIMIT + 1, accounts: null, guests: null, lastHour: 0, lastDay: IDENTITY_RECENT_LIMIT },
    ]);
    // The device's cards: from its latest IDENTITY_RECENT_LIMIT orders only (+ none of its own).
    expect(facts.cards.device).toBe(IDENTITY_RECENT_LIMIT);
    // Orders placed within the hour count in the hour too (capped alike).
    const burst = Array.from({ length: 40 }, (_, i) => order(600 + i, 600 + i, -50 + i, { ip: 'burst' }));
    const next = order(700, 1, 0, { ip: 'burst' });
    expect(identityAtOrder(ShopHistory.from(events(...burst, next)), next).identifiers[0]).toMatchObject({ lastHour: IDENTITY_RECENT_LIMIT, lastDay: IDENTITY_RECENT_LIMIT });
  });

  it('the same order filed twice (a store read and its own record) counts once; records out of order are sorted', () => {
    const history = ShopHistory.from(events(subject, order(5, 3, -10, { device: 'D' }), order(3, 3, -120, { device: 'D' })));
    history.addIdentifierOrder('device:D', 'gid://shopify/Order/5', Date.parse(at(-10)), undefined);
    history.addIdentifierOrder('device:D', 'gid://shopify/Order/6', Date.parse(at(-5)), 'card-6');
    expect(identityAtOrder(history, subject).identifiers.find((i) => i.kind === 'device')).toMatchObject({ lastHour: 2, lastDay: 3 });
    expect(identityAtOrder(history, subject).cards.device).toBe(2);
  });

  it('HistoryStream gives the same identity facts as contextAt, order by order, in a shop of bursts', () => {
    const orders: OrderRecord[] = [];
    for (let i = 0; i < 300; i++) {
      const customer = i % 7 === 0 ? null : 1 + (i % 40);
      orders.push(order(1000 + i, customer, i * 7, { device: `dev-${i % 9}`, ip: `ip-${i % 5}`, payment: `card-${i % 23}`, ...(i % 3 ? { email: `email-${i % 40}` } : {}) }));
    }
    // Two orders at one moment, and a return whose context has no identity facts.
    orders.push(order(2000, 3, 700, { device: 'dev-1', payment: 'card-1' }), order(2001, 4, 700, { device: 'dev-1', payment: 'card-2' }));
    const all: HistoryEvent[] = [...events(...orders), { type: 'return', return: { id: 'gid://shopify/Return/1', orderId: orders[5]!.id, customerId: orders[5]!.customerId, status: 'open', createdAt: at(900), lineItems: [], exchangeLineItemCount: 0, totalValue: 0 } }];
    const history = ShopHistory.from(all);
    const stream = new HistoryStream();
    let compared = 0;
    let withReturn = 0;
    for (const event of sortEvents(all)) {
      stream.add(event);
      const subject = subjectOf(event, stream);
      if (!subject) continue;
      const ours = stream.contextOf(subject, ALL, { shopId: 's' });
      const theirs = contextAt(subject, history, { shopId: 's' });
      expect(JSON.stringify(ours.derived), subject.id).toBe(JSON.stringify(theirs.derived));
      if (subject.kind === 'return') {
        expect(ours.derived.identity).toBeUndefined();
        withReturn++;
      } else compared++;
    }
    expect(compared).toBe(orders.length);
    expect(withReturn).toBe(1);
  });
});

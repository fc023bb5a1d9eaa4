import { describe, it } from 'vitest';
import { SignalTester, makeOrder, orderContext } from '../../sdk/testing/index.ts';
import type { IdentityFacts, OrderRecord } from '../../sdk/index.ts';
import cardChurn from './card-churn.ts';

const order = makeOrder({ id: 'gid://shopify/Order/9', createdAt: '2026-03-31T12:00:00Z', identity: { device: 'd', payment: 'card-now' } });
const earlier = (n: number, card: string | undefined, createdAt = '2026-03-20T12:00:00Z'): OrderRecord =>
  makeOrder({ id: `gid://shopify/Order/${n}`, createdAt, identity: card ? { payment: card } : {} });
/** Identity facts with the device's cards of the day (`undefined`: no device hash) and its sharing. */
const facts = (deviceCards: number | undefined, deviceSharedWith = 0, customer = 1): IdentityFacts => ({
  identifiers: deviceCards === undefined ? [] : [{ kind: 'device', sharedWith: deviceSharedWith, accounts: deviceSharedWith, guests: 0, lastHour: 0, lastDay: 0 }],
  cards: deviceCards === undefined ? { customer } : { customer, device: deviceCards },
  guestSharesAccount: [],
});
const ctx = (orders: OrderRecord[], identity: IdentityFacts, subject = order) => orderContext(subject, { history: { orders }, derived: { identity } });

new SignalTester({ describe, it }).run(cardChurn, {
  hits: [
    {
      name: 'a third card in a month',
      ctx: ctx([earlier(1, 'card-a'), earlier(2, 'card-b')], facts(1, 0, 3)),
      strength: 0.3,
      messageId: 'customer',
      evidence: { customerCards: 3, customerCardsEver: 3 },
      message: '3 different cards on this customer’s orders in 30 days.',
    },
    {
      name: 'six cards on one device within a day (card testing across accounts)',
      ctx: ctx([], facts(6, 4)),
      strength: 1,
      message: '6 different cards on this device’s orders within 24 hours.',
    },
    {
      name: 'four cards on a device the shop calls common above 2 users, used by 2',
      ctx: ctx([], facts(4, 2)),
      params: { maxDeviceSharedWith: 2 },
      strength: [0.5, 0.55],
    },
  ],
  quiet: [
    {
      name: 'a renewed card: two cards in a month',
      ctx: ctx([earlier(1, 'card-old')], facts(1, 0, 2)),
      messageId: 'few',
      message: '2 card(s) on this customer’s orders in 30 days, 1 on this device within 24 hours.',
    },
    {
      name: 'a couple’s two cards on a family device',
      ctx: ctx([earlier(1, 'card-hers', '2026-03-31T09:00:00Z')], facts(2, 1, 2)),
    },
    {
      name: 'cards from years ago are out of the window',
      ctx: ctx([earlier(1, 'card-a', '2024-01-01T00:00:00Z'), earlier(2, 'card-b', '2025-01-01T00:00:00Z')], facts(1, 0, 3)),
      evidence: { customerCards: 1, customerCardsEver: 3 },
    },
    {
      name: 'a popular browser shared by forty others: its cards are not judged',
      ctx: ctx([], facts(12, 40)),
      evidence: { deviceJudged: false, deviceCards: 0 },
    },
  ],
  insufficient: [
    { name: 'no identity facts', ctx: orderContext(order), messageId: 'noFacts' },
    { name: 'no card anywhere', ctx: ctx([earlier(1, undefined)], facts(undefined, 0, 0), makeOrder({ id: 'gid://shopify/Order/10', identity: {} })), messageId: 'noCards' },
  ],
  invalidParams: [
    { name: 'one card is not churn', params: { minCards: 1 }, pointer: '/minCards' },
    { name: 'a device threshold the read cannot reach', params: { minDeviceCards: 26 }, pointer: '/minDeviceCards' },
  ],
});

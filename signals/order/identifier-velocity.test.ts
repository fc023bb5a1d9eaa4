import { describe, it } from 'vitest';
import { SignalTester, makeOrder, orderContext } from '../../sdk/testing/index.ts';
import type { IdentifierFacts } from '../../sdk/index.ts';
import identifierVelocity from './identifier-velocity.ts';

const order = makeOrder({ id: 'gid://shopify/Order/1', createdAt: '2026-03-31T12:00:00Z', identity: { email: 'e', ip: 'i', device: 'd', payment: 'p' } });
/** An identifier with its earlier orders in the hour and the day, and how many others used it before. */
const id = (kind: IdentifierFacts['kind'], lastHour: number, lastDay: number, sharedWith = 0): IdentifierFacts => ({ kind, sharedWith, accounts: sharedWith, guests: 0, lastHour, lastDay });
const ctx = (...identifiers: IdentifierFacts[]) => orderContext(order, { derived: { identity: { identifiers, cards: { customer: 1 }, guestSharesAccount: [] } } });

new SignalTester({ describe, it }).run(identifierVelocity, {
  hits: [
    {
      name: 'card testing: a fifth order on one device within the hour, other accounts',
      ctx: ctx(id('device', 4, 4, 3), id('ip', 4, 4, 3), id('payment', 0, 0)),
      strength: [0.5, 0.6],
      evidence: { kind: 'device', lastHour: 4, lastDay: 4 },
      message: '4 earlier order(s) in the hour and 4 in the day carried this device.',
    },
    {
      name: 'six orders with one card within the hour: full strength',
      ctx: ctx(id('payment', 6, 6, 0)),
      strength: 1,
    },
    {
      name: 'a day-long burst on one email',
      ctx: ctx(id('email', 1, 9, 0)),
      strength: [0.5, 0.6],
      evidence: { kind: 'email', maxDay: 9 },
    },
    {
      name: 'a stricter shop: a second order in the hour',
      ctx: ctx(id('payment', 1, 1)),
      params: { perHour: 1 },
      strength: 0.3,
    },
  ],
  quiet: [
    {
      name: 'a customer who ordered twice today',
      ctx: ctx(id('email', 1, 2), id('payment', 1, 2), id('device', 1, 2)),
      messageId: 'calm',
      message: 'No burst: at most 1 earlier order(s) in the hour and 2 in the day on one identifier.',
    },
    {
      name: "the shop's office IP: busy, used by thirty others",
      ctx: ctx(id('ip', 12, 25, 30), id('email', 0, 0)),
      evidence: { busyIgnored: ['ip'], maxHour: 0 },
    },
    {
      name: 'a family device ordering a few times in a day',
      ctx: ctx(id('device', 1, 4, 2), id('address', 1, 4, 2)),
    },
    {
      name: 'a burst on a kind the shop does not judge',
      ctx: ctx(id('ip', 5, 5), id('email', 0, 0)),
      params: { kinds: ['email', 'payment'] },
    },
  ],
  insufficient: [
    { name: 'no identity facts', ctx: orderContext(order), messageId: 'noFacts' },
    { name: 'no identifier of the kinds judged', ctx: ctx(id('ip', 5, 5)), params: { kinds: ['payment'] }, messageId: 'noIdentifiers' },
  ],
  invalidParams: [
    { name: 'an hour threshold the count cannot reach', params: { perHour: 25 }, pointer: '/perHour' },
    { name: 'an unknown kind', params: { kinds: ['fax'] }, pointer: '/kinds/0' },
  ],
});

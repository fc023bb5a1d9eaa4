import { describe, it } from 'vitest';
import { SignalTester, makeOrder, orderContext } from '../../sdk/testing/index.ts';
import type { IdentifierFacts, IdentityFacts } from '../../sdk/index.ts';
import sharedIdentifier from './shared-identifier.ts';

const order = makeOrder({ id: 'gid://shopify/Order/1', createdAt: '2026-03-31T12:00:00Z', identity: { email: 'e', ip: 'i', device: 'd', address: 'a', payment: 'p' } });
/** An identifier's facts: `accounts` other accounts (and `guests` guest orders) before the order. */
const id = (kind: IdentifierFacts['kind'], accounts: number | null, guests = 0, sharedWith = accounts === null ? 51 : accounts + guests): IdentifierFacts => ({
  kind,
  sharedWith,
  accounts,
  guests: accounts === null ? null : guests,
  lastHour: 0,
  lastDay: 0,
});
const facts = (...identifiers: IdentifierFacts[]): IdentityFacts => ({ identifiers, cards: { customer: 1 }, guestSharesAccount: [] });
const ctx = (...identifiers: IdentifierFacts[]) => orderContext(order, { derived: { identity: facts(...identifiers) } });

new SignalTester({ describe, it }).run(sharedIdentifier, {
  hits: [
    {
      name: 'a card another account used',
      ctx: ctx(id('payment', 1), id('email', 0), id('ip', 0)),
      strength: 0.6,
      evidence: { kinds: ['payment'], maxAccounts: 1 },
      message: 'Used before by other accounts: payment (1 account).',
    },
    {
      name: 'a card three other accounts used',
      ctx: ctx(id('payment', 3)),
      strength: 1,
    },
    {
      name: 'a device and an IP shared by three other accounts (multi-accounting)',
      ctx: ctx(id('device', 3), id('ip', 3), id('email', 0)),
      strength: [0.55, 0.65],
      evidence: { kinds: ['device', 'ip'], maxAccounts: 3, householdIgnored: [], commonIgnored: [] },
      message: 'Used before by other accounts: device (3 accounts), ip (3 accounts).',
    },
    {
      name: 'an email another account used, beside a household address',
      ctx: ctx(id('email', 1), id('address', 1)),
      strength: 0.48,
      evidence: { kinds: ['email'], householdIgnored: ['address'] },
    },
    {
      name: 'a drop address used by five other accounts',
      ctx: ctx(id('address', 5)),
      strength: 0.35,
    },
    {
      name: 'a shop that calls two accounts on one device a sign',
      ctx: ctx(id('device', 1)),
      params: { householdAccounts: 0 },
      strength: 0.36,
    },
  ],
  quiet: [
    {
      name: 'nothing used before',
      ctx: ctx(id('email', 0), id('device', 0), id('payment', 0)),
      messageId: 'none',
      message: 'No identifier of this order was used before by other accounts.',
    },
    {
      name: 'a household: address, IP and family device shared with one other account',
      ctx: ctx(id('address', 1), id('ip', 1), id('device', 1), id('email', 0), id('payment', 0)),
      evidence: { householdIgnored: ['address', 'ip', 'device'] },
      message: 'No identifier of this order was used before by other accounts (set aside: address of a household, ip of a household, device of a household).',
    },
    {
      name: "the shop's office IP, used by thirty others",
      ctx: ctx(id('ip', 25, 5), id('email', 0)),
      evidence: { commonIgnored: ['ip'] },
    },
    {
      name: 'a hub (a popular browser): its users are not even listed',
      ctx: ctx(id('device', null), id('payment', 0)),
      evidence: { commonIgnored: ['device'] },
    },
    {
      name: 'the same person as earlier guest orders (guests are not other accounts)',
      ctx: ctx(id('email', 0, 3), id('payment', 0, 3), id('device', 0, 3)),
    },
    {
      name: 'a card shared with another account when the shop gives cards no weight',
      ctx: ctx(id('payment', 1)),
      params: { paymentStrength: 0 },
    },
  ],
  insufficient: [
    { name: 'no identity facts (an older context)', ctx: orderContext(order), messageId: 'noFacts' },
    { name: 'no identifier on the order', ctx: ctx(), messageId: 'noIdentifiers' },
  ],
  invalidParams: [
    { name: 'strength above 1', params: { deviceStrength: 1.5 }, pointer: '/deviceStrength' },
    { name: 'household of eleven', params: { householdAccounts: 11 }, pointer: '/householdAccounts' },
  ],
});

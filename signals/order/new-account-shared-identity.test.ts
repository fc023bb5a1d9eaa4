import { describe, it } from 'vitest';
import { SignalTester, makeOrder, orderContext } from '../../sdk/testing/index.ts';
import type { CustomerSnapshot, IdentifierFacts, IdentityFacts } from '../../sdk/index.ts';
import newAccountSharedIdentity from './new-account-shared-identity.ts';

const order = makeOrder({ id: 'gid://shopify/Order/1', createdAt: '2026-03-31T12:00:00Z', identity: { email: 'e', ip: 'i', device: 'd', payment: 'p' } });
const id = (kind: IdentifierFacts['kind'], accounts: number | null, sharedWith = accounts === null ? 51 : accounts): IdentifierFacts => ({ kind, sharedWith, accounts, guests: accounts === null ? null : 0, lastHour: 0, lastDay: 0 });
const facts = (...identifiers: IdentifierFacts[]): IdentityFacts => ({ identifiers, cards: { customer: 1 }, guestSharesAccount: [] });
const customer = (createdAt: string | undefined, accountState?: CustomerSnapshot['accountState']): CustomerSnapshot => ({ id: 'gid://shopify/Customer/1', ...(createdAt ? { createdAt } : {}), tags: [], identity: {}, ...(accountState ? { accountState } : {}) });
const ctx = (who: CustomerSnapshot | null, ...identifiers: IdentifierFacts[]) => orderContext(order, { customer: who, derived: { identity: facts(...identifiers) } });
const SECONDS_OLD = '2026-03-31T11:59:40Z';

new SignalTester({ describe, it }).run(newAccountSharedIdentity, {
  hits: [
    {
      name: 'an account opened 20 seconds before, on a device two other accounts used',
      ctx: ctx(customer(SECONDS_OLD, 'enabled'), id('device', 2), id('ip', 0)),
      strength: 1,
      evidence: { kinds: ['device'], accounts: 2, accountMinutes: 0.33 },
      message: 'Account opened 0.33 minutes before, on a device that 2 other account(s) used before.',
    },
    {
      name: 'a new account on a card one other account used (state not given)',
      ctx: ctx(customer('2026-03-31T11:30:00Z'), id('payment', 1)),
      strength: 0.5,
    },
    {
      name: 'a new account whose email and phone other accounts used',
      ctx: ctx(customer(SECONDS_OLD, 'invited'), id('email', 3), id('phone', 1)),
      strength: 1,
      evidence: { kinds: ['email', 'phone'], accounts: 3 },
    },
  ],
  quiet: [
    { name: 'an account two hours old on a shared device', ctx: ctx(customer('2026-03-31T10:00:00Z', 'enabled'), id('device', 4)), messageId: 'established' },
    { name: "a guest's customer record made by the checkout (state disabled)", ctx: ctx(customer(SECONDS_OLD, 'disabled'), id('device', 4)), messageId: 'checkoutRecord' },
    { name: 'a new account on its own device and card', ctx: ctx(customer(SECONDS_OLD, 'enabled'), id('device', 0), id('payment', 0)), messageId: 'unshared' },
    { name: 'a new account behind a shared office IP and building address only', ctx: ctx(customer(SECONDS_OLD, 'enabled'), id('ip', 5), id('address', 3)), messageId: 'unshared' },
    { name: 'a new account on a browser dozens share (a hub)', ctx: ctx(customer(SECONDS_OLD, 'enabled'), id('device', null)), messageId: 'unshared' },
    { name: 'a guest checkout', ctx: ctx(null, id('device', 3)), messageId: 'guest' },
    { name: 'IPs count when a shop says so, but not here', ctx: ctx(customer(SECONDS_OLD, 'enabled'), id('ip', 3)), params: { kinds: ['payment'] }, messageId: 'unshared' },
  ],
  insufficient: [
    { name: 'no creation time', ctx: ctx(customer(undefined, 'enabled'), id('device', 3)), messageId: 'noFacts' },
    { name: 'no identity facts', ctx: orderContext(order, { customer: customer(SECONDS_OLD, 'enabled') }), messageId: 'noFacts' },
  ],
  invalidParams: [{ name: 'an unknown kind', params: { kinds: ['shoe-size'] } }],
});

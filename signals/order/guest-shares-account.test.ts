import { describe, it } from 'vitest';
import { SignalTester, makeOrder, orderContext } from '../../sdk/testing/index.ts';
import type { IdentifierFacts, IdentifierKind } from '../../sdk/index.ts';
import guestSharesAccount from './guest-shares-account.ts';

const guest = makeOrder({ id: 'gid://shopify/Order/1', customerId: null, createdAt: '2026-03-31T12:00:00Z', identity: { email: 'e', ip: 'i', device: 'd', address: 'a', payment: 'p' } });
const member = makeOrder({ id: 'gid://shopify/Order/2', createdAt: '2026-03-31T12:00:00Z', identity: { email: 'e' } });
/** An identifier used before by `accounts` accounts and `guests` guest orders (null: a hub). */
const id = (kind: IdentifierKind, accounts: number | null, guests = 0): IdentifierFacts => ({
  kind,
  sharedWith: accounts === null ? 51 : accounts + guests,
  accounts,
  guests: accounts === null ? null : guests,
  lastHour: 0,
  lastDay: 0,
});
const ctx = (order: typeof guest, ...identifiers: IdentifierFacts[]) =>
  orderContext(order, {
    derived: { identity: { identifiers, cards: { customer: 1 }, guestSharesAccount: identifiers.filter((i) => !order.customerId && (i.accounts ?? 0) > 0).map((i) => i.kind) } },
  });

new SignalTester({ describe, it }).run(guestSharesAccount, {
  hits: [
    {
      name: 'a guest paying with an account’s card',
      ctx: ctx(guest, id('payment', 1), id('email', 0)),
      strength: 0.8,
      evidence: { linkedKinds: ['payment'] },
      message: 'A guest checkout with the payment of an existing account.',
    },
    {
      name: 'the account’s owner, not logged in (email, phone, device: weak on its own)',
      ctx: ctx(guest, id('email', 1), id('phone', 1), id('device', 1), id('address', 1)),
      strength: 0.7,
      evidence: { linkedKinds: ['email', 'phone', 'device'] },
    },
    {
      name: 'a shop that judges addresses too',
      ctx: ctx(guest, id('address', 2)),
      params: { kinds: ['address'] },
      strength: 0.3,
    },
  ],
  quiet: [
    {
      name: 'an order of an account',
      ctx: ctx(member, id('email', 2)),
      messageId: 'account',
    },
    {
      name: 'a guest at a household address shared with an account, from the home IP',
      ctx: ctx(guest, id('address', 1), id('ip', 1), id('email', 0)),
      messageId: 'none',
    },
    {
      name: 'a guest sharing only with earlier guest orders (the same buyer as a guest before)',
      ctx: ctx(guest, id('email', 0, 3), id('payment', 0, 3)),
    },
    {
      name: 'a popular browser shared with many (a hub) and an office device used by twenty',
      ctx: ctx(guest, id('device', null), id('phone', 15, 5)),
    },
  ],
  insufficient: [{ name: 'no identity facts', ctx: orderContext(guest), messageId: 'noFacts' }],
  invalidParams: [{ name: 'an unknown kind', params: { kinds: ['cookie'] }, pointer: '/kinds/0' }],
});

import { describe, it } from 'vitest';
import { SignalTester, makeOrder, orderContext, refundContext, returnContext } from '../../sdk/testing/index.ts';
import allowlistMatch from './allowlist-match.ts';

const order = makeOrder({
  identity: { email: 'h-email', ip: 'h-ip' },
  shippingAddress: { countryCode: 'US', hash: 'h-ship' },
});
const customer = { id: 'gid://shopify/Customer/1', tags: [], identity: { email: 'h-old-email', payment: 'h-card' } };

new SignalTester({ describe, it }).run(allowlistMatch, {
  hits: [
    {
      name: "the customer's earlier email is trusted",
      ctx: orderContext(order, { customer, lists: { allowed: { email: ['h-old-email'] }, blocked: {} } }),
      strength: 1,
      evidence: { kinds: ['email'] },
      message: 'On the allowlist: email.',
    },
    {
      name: 'a trusted shipping address on a return',
      ctx: returnContext(undefined, order, { customer, lists: { allowed: { address: ['h-ship'] }, blocked: {} } }),
      strength: 0.5,
      evidence: { kinds: ['address'] },
    },
    {
      name: 'a trusted IP and address on a refund',
      ctx: refundContext(undefined, order, { customer, lists: { allowed: { address: ['h-ship'], ip: ['h-ip'] }, blocked: {} } }),
      strength: [0.59, 0.61],
      evidence: { kinds: ['ip', 'address'] },
    },
    {
      name: 'an ordinary block of the same buyer does not cancel the trust',
      ctx: orderContext(order, { customer, lists: { allowed: { address: ['h-ship'] }, blocked: { ip: ['h-ip'] } } }),
      strength: 0.5,
      evidence: { kinds: ['address'] },
    },
  ],
  quiet: [
    {
      name: 'a non-overridable block of the same buyer cancels the trust',
      ctx: orderContext(order, { customer, lists: { allowed: { address: ['h-ship'] }, blocked: { ip: ['h-ip'] }, locked: { ip: ['h-ip'] } } }),
      messageId: 'lockedBlock',
      evidence: { kinds: ['address'], lockedBy: ['ip'] },
      message: 'On the allowlist (address), but a non-overridable blocklist entry (ip) wins.',
    },
    { name: 'an empty allowlist', ctx: orderContext(order, { customer }), messageId: 'notListed', evidence: { checked: 4 } },
    {
      name: 'a blocklisted email is not trust',
      ctx: orderContext(order, { customer, lists: { allowed: { phone: ['h-email'] }, blocked: { email: ['h-email'] } } }),
    },
  ],
  insufficient: [
    { name: 'a guest with no hashed identifiers', ctx: orderContext(makeOrder({ customerId: null }), { customer: null }), messageId: 'noIdentity' },
  ],
  invalidParams: [{ name: 'no params are accepted', params: { kinds: ['email'] }, pointer: '/kinds' }],
});

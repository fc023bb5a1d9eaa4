import { describe, it } from 'vitest';
import { SignalTester, makeOrder, orderContext, refundContext, returnContext } from '../../sdk/testing/index.ts';
import blocklistMatch from './blocklist-match.ts';

const order = makeOrder({
  identity: { email: 'h-email', ip: 'h-ip', device: 'h-device' },
  shippingAddress: { countryCode: 'US', hash: 'h-ship' },
  billingAddress: { countryCode: 'US', hash: 'h-bill' },
});
const customer = { id: 'gid://shopify/Customer/1', tags: [], identity: { phone: 'h-phone', payment: 'h-card' } };

new SignalTester({ describe, it }).run(blocklistMatch, {
  hits: [
    {
      name: 'a blocked email',
      ctx: orderContext(order, { customer, lists: { blocked: { email: ['x', 'h-email'] }, allowed: {} } }),
      strength: 1,
      evidence: { kinds: ['email'] },
      message: 'On the blocklist: email.',
    },
    {
      name: 'a blocked billing address and IP on a return',
      ctx: returnContext(undefined, order, { customer, lists: { blocked: { address: ['h-bill'], ip: ['h-ip'] }, allowed: {} } }),
      strength: [0.69, 0.71],
      evidence: { kinds: ['ip', 'address'] },
    },
    {
      name: "the customer's card on a refund",
      ctx: refundContext(undefined, order, { customer, lists: { blocked: { payment: ['h-card'] }, allowed: {} } }),
      strength: 1,
      evidence: { kinds: ['payment'] },
    },
    {
      name: 'a non-overridable block wins over an allow entry, and only the locked kinds count',
      ctx: orderContext(order, { customer, lists: { blocked: { email: ['h-email'], ip: ['h-ip'] }, locked: { ip: ['h-ip'] }, allowed: { phone: ['h-phone'] } } }),
      strength: 0.5,
      evidence: { kinds: ['ip'], nonOverridable: ['ip'], allowlisted: ['phone'] },
      messageId: 'lockedOverAllow',
    },
    {
      name: 'a blocked IP alone',
      ctx: orderContext(order, { customer, lists: { blocked: { ip: ['h-ip'] }, allowed: {} } }),
      strength: 0.5,
    },
  ],
  quiet: [
    { name: 'an empty blocklist', ctx: orderContext(order, { customer }), messageId: 'clear', evidence: { checked: 6 } },
    {
      name: 'an allow entry overrides an ordinary block',
      ctx: orderContext(order, { customer, lists: { blocked: { email: ['h-email'] }, allowed: { payment: ['h-card'] } } }),
      messageId: 'overridden',
      evidence: { kinds: ['email'], overriddenBy: ['payment'] },
      message: 'On the blocklist (email), but the allowlist overrides it (payment).',
    },
    {
      name: 'a locked entry of another buyer does not stop the override',
      ctx: orderContext(order, { customer, lists: { blocked: { email: ['h-email'], ip: ['other'] }, locked: { ip: ['other'] }, allowed: { email: ['h-email'] } } }),
      messageId: 'overridden',
    },
    {
      name: 'hashes of another kind do not match',
      ctx: orderContext(order, { customer, lists: { blocked: { phone: ['h-email'] }, allowed: { email: ['h-email'] } } }),
    },
  ],
  insufficient: [
    { name: 'a guest with no hashed identifiers', ctx: orderContext(makeOrder({ customerId: null }), { customer: null }), messageId: 'noIdentity' },
  ],
  invalidParams: [{ name: 'no params are accepted', params: { strength: 1 }, pointer: '/strength' }],
});

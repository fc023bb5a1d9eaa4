import { describe, it } from 'vitest';
import { SignalTester, makeOrder, orderContext, refundContext, returnContext } from '../../sdk/testing/index.ts';
import newAccount from './new-account.ts';

const order = makeOrder({ id: 'gid://shopify/Order/1', createdAt: '2026-03-31T00:00:00Z' });
const customer = (createdAt?: string) => ({ id: 'gid://shopify/Customer/1', createdAt, tags: [], identity: {} });

new SignalTester({ describe, it }).run(newAccount, {
  hits: [
    {
      name: 'account created at checkout',
      ctx: orderContext(order, { customer: customer('2026-03-31T00:00:00Z') }),
      strength: 1,
      evidence: { accountDays: 0 },
      message: 'Account created 0 days ago (under 30).',
    },
    {
      name: 'account stamped a second after the order',
      ctx: orderContext(order, { customer: customer('2026-03-31T00:00:01Z') }),
      strength: 1,
    },
    {
      name: 'fifteen days old at the return',
      ctx: returnContext(undefined, order, { customer: customer('2026-01-05T10:00:00Z') }),
      strength: [0.6, 0.7],
      evidence: { accountDays: 15 },
    },
    {
      name: 'twenty-nine days old',
      ctx: orderContext(order, { customer: customer('2026-03-02T00:00:00Z') }),
      strength: [0.3, 0.35],
    },
  ],
  quiet: [
    { name: 'a year-old account', ctx: orderContext(order, { customer: customer('2025-03-31T00:00:00Z') }), messageId: 'established', evidence: { accountDays: 365 } },
    { name: 'exactly the limit', ctx: refundContext(undefined, order, { customer: customer('2025-12-26T10:00:00Z') }) },
    { name: 'a shorter window', ctx: orderContext(order, { customer: customer('2026-03-11T00:00:00Z') }), params: { maxDays: 7 } },
  ],
  insufficient: [
    { name: 'guest checkout', ctx: orderContext(order, { customer: null }), messageId: 'unknown' },
    { name: 'creation date unknown', ctx: orderContext(order, { customer: customer() }) },
  ],
  invalidParams: [{ name: 'zero days', params: { maxDays: 0 }, pointer: '/maxDays' }],
});

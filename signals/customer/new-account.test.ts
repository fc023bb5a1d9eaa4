import { describe, it } from 'vitest';
import { SignalTester, makeOrder, orderContext, refundContext, returnContext } from '../../sdk/testing/index.ts';
import newAccount from './new-account.ts';

const order = makeOrder({ id: 'gid://shopify/Order/1', createdAt: '2026-03-31T00:00:00Z' });
const customer = (createdAt?: string, accountState?: 'disabled' | 'invited' | 'enabled' | 'declined') => ({ id: 'gid://shopify/Customer/1', createdAt, tags: [], identity: {}, ...(accountState ? { accountState } : {}) });

new SignalTester({ describe, it }).run(newAccount, {
  hits: [
    {
      name: 'an account opened (state enabled) a minute before the order',
      ctx: orderContext(order, { customer: customer('2026-03-30T23:59:00Z', 'enabled') }),
      strength: 1,
      messageId: 'moments',
    },
    {
      name: 'account created two seconds before the order',
      ctx: orderContext(order, { customer: customer('2026-03-30T23:59:58Z') }),
      strength: 1,
      evidence: { accountMinutes: 0.03, accountAge: '2 seconds' },
      message: 'Account created 2 seconds before (within 10 minutes).',
    },
    {
      name: 'account stamped a second after the order',
      ctx: orderContext(order, { customer: customer('2026-03-31T00:00:01Z') }),
      strength: 1,
      evidence: { accountMinutes: 0 },
    },
    {
      name: 'eight minutes old: still full strength',
      ctx: orderContext(order, { customer: customer('2026-03-30T23:52:00Z') }),
      strength: 1,
      messageId: 'moments',
    },
    {
      name: 'an hour old',
      ctx: orderContext(order, { customer: customer('2026-03-30T23:00:00Z') }),
      strength: [0.75, 0.85],
      message: 'Account created 1 hour before (under 30 days).',
    },
    {
      name: 'a day old',
      ctx: orderContext(order, { customer: customer('2026-03-30T00:00:00Z') }),
      strength: [0.4, 0.55],
      evidence: { accountDays: 1, accountAge: '1 day' },
    },
    {
      name: 'fifteen days old at the return',
      ctx: returnContext(undefined, order, { customer: customer('2026-01-05T10:00:00Z') }),
      strength: [0.1, 0.25],
      evidence: { accountDays: 15 },
    },
    {
      name: 'twenty-nine days old: the floor',
      ctx: orderContext(order, { customer: customer('2026-03-02T00:00:00Z') }),
      strength: [0.1, 0.12],
    },
    {
      name: 'full strength for an hour when the shop says so',
      ctx: orderContext(order, { customer: customer('2026-03-30T23:10:00Z') }),
      params: { fullMinutes: 60 },
      strength: 1,
    },
    {
      name: 'no full-strength window: seconds still count as a minute',
      ctx: orderContext(order, { customer: customer('2026-03-30T23:59:30Z') }),
      params: { fullMinutes: 0 },
      strength: 1,
    },
  ],
  quiet: [
    {
      name: "a guest's customer record made by the checkout seconds before (Shopify's state disabled: no account opened)",
      ctx: orderContext(order, { customer: customer('2026-03-30T23:59:58Z', 'disabled') }),
      messageId: 'checkoutRecord',
      evidence: { accountState: 'disabled', accountAge: '2 seconds' },
      message: 'No account was opened: the checkout made this customer record (2 seconds before).',
    },
    { name: 'a year-old account',  ctx: orderContext(order, { customer: customer('2025-03-31T00:00:00Z') }), messageId: 'established', evidence: { accountDays: 365 } },
    { name: 'exactly the limit', ctx: refundContext(undefined, order, { customer: customer('2025-12-26T10:00:00Z') }) },
    { name: 'a shorter window', ctx: orderContext(order, { customer: customer('2026-03-11T00:00:00Z') }), params: { maxDays: 7 } },
  ],
  insufficient: [
    { name: 'guest checkout', ctx: orderContext(order, { customer: null }), messageId: 'unknown' },
    { name: 'creation date unknown', ctx: orderContext(order, { customer: customer() }) },
  ],
  invalidParams: [
    { name: 'zero days', params: { maxDays: 0 }, pointer: '/maxDays' },
    { name: 'a full window over a day', params: { fullMinutes: 1441 }, pointer: '/fullMinutes' },
  ],
});

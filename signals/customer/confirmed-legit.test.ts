import { describe, it } from 'vitest';
import type { PastOutcome } from '../../sdk/index.ts';
import { SignalTester, makeOrder, orderContext, refundContext, returnContext } from '../../sdk/testing/index.ts';
import confirmedLegit from './confirmed-legit.ts';

const order = makeOrder({ id: 'gid://shopify/Order/1', createdAt: '2026-06-01T00:00:00Z' });
const outcomes = (...labels: ('fraud' | 'legit')[]): PastOutcome[] =>
  labels.map((label, i) => ({ subjectId: `gid://shopify/Order/${10 + i}`, label, at: `2026-0${i + 1}-01T00:00:00Z`, source: 'aging' }));

new SignalTester({ describe, it }).run(confirmedLegit, {
  hits: [
    {
      name: 'one legit outcome',
      ctx: orderContext(order, { history: { outcomes: outcomes('legit') } }),
      strength: [0.33, 0.34],
      evidence: { legitCount: 1, fraudCount: 0 },
      message: '1 earlier case(s) confirmed legitimate, none fraud.',
    },
    { name: 'four legit outcomes', ctx: returnContext(undefined, order, { history: { outcomes: outcomes('legit', 'legit', 'legit', 'legit') } }), strength: 1 },
    { name: 'two of two needed', ctx: refundContext(undefined, order, { history: { outcomes: outcomes('legit', 'legit') } }), params: { minLegit: 2, fullAt: 2 }, strength: 1 },
  ],
  quiet: [
    {
      name: 'legit outcomes but one fraud',
      ctx: orderContext(order, { history: { outcomes: outcomes('legit', 'legit', 'fraud') } }),
      evidence: { legitCount: 2, fraudCount: 1 },
      messageId: 'fraudOnRecord',
    },
    { name: 'no outcomes yet', ctx: orderContext(order), messageId: 'notEnough' },
    { name: 'fewer than required', ctx: orderContext(order, { history: { outcomes: outcomes('legit') } }), params: { minLegit: 2 } },
  ],
  insufficient: [{ name: 'guest checkout', ctx: orderContext(order, { customer: null }), messageId: 'guest' }],
  invalidParams: [{ name: 'zero legit needed', params: { minLegit: 0 }, pointer: '/minLegit' }],
});

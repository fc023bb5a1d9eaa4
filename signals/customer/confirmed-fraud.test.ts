import { describe, it } from 'vitest';
import type { PastOutcome } from '../../sdk/index.ts';
import { SignalTester, makeOrder, orderContext, refundContext, returnContext } from '../../sdk/testing/index.ts';
import confirmedFraud from './confirmed-fraud.ts';

const order = makeOrder({ id: 'gid://shopify/Order/1', createdAt: '2026-06-01T00:00:00Z' });
const outcome = (n: number, label: 'fraud' | 'legit', at: string): PastOutcome => ({
  subjectId: `gid://shopify/Order/${n}`,
  label,
  at,
  source: 'merchant',
});

new SignalTester({ describe, it }).run(confirmedFraud, {
  hits: [
    {
      name: 'one confirmed fraud',
      ctx: orderContext(order, { history: { outcomes: [outcome(5, 'legit', '2026-01-01T00:00:00Z'), outcome(6, 'fraud', '2026-03-02T00:00:00Z')] } }),
      strength: 0.8,
      evidence: { fraudCount: 1, lastAt: '2026-03-02', lastSubjectId: 'gid://shopify/Order/6' },
      message: '1 earlier case(s) confirmed as fraud, the last on 2026-03-02.',
    },
    {
      name: 'two confirmed frauds before a return, listed out of order',
      ctx: returnContext(undefined, order, { history: { outcomes: [outcome(6, 'fraud', '2025-12-01T00:00:00Z'), outcome(5, 'fraud', '2025-11-01T00:00:00Z')] } }),
      strength: 1,
      evidence: { fraudCount: 2, lastAt: '2025-12-01', lastSubjectId: 'gid://shopify/Order/6' },
    },
  ],
  quiet: [
    { name: 'no outcomes', ctx: orderContext(order), messageId: 'none' },
    { name: 'only legit outcomes', ctx: refundContext(undefined, order, { history: { outcomes: [outcome(5, 'legit', '2026-01-01T00:00:00Z')] } }) },
    {
      name: 'fraud older than the window',
      ctx: orderContext(order, { history: { outcomes: [outcome(5, 'fraud', '2023-01-01T00:00:00Z')] } }),
      evidence: { fraudCount: 0 },
    },
  ],
  insufficient: [{ name: 'guest checkout', ctx: orderContext(order, { customer: null }), messageId: 'guest' }],
  invalidParams: [{ name: 'zero look-back', params: { lookbackDays: 0 }, pointer: '/lookbackDays' }],
});

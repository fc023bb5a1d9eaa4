import { describe, it } from 'vitest';
import { SignalTester, makeOrder, makeRefund, makeReturn, refundContext, returnContext } from '../../sdk/testing/index.ts';
import returnFrequencySpike from './return-frequency-spike.ts';

const order = makeOrder({ createdAt: '2026-05-01T10:00:00Z' });
const subject = makeReturn(order, { createdAt: '2026-06-01T00:00:00Z' });
const returnOn = (day: string) => makeReturn(order, { createdAt: `${day}T12:00:00Z` });
const recentReturns = (n: number) => Array.from({ length: n }, (_, i) => returnOn(`2026-05-${String(10 + i).padStart(2, '0')}`));
/** 22 returns spread over the year before: about 2 per 30 days. */
const steadyReturns = Array.from({ length: 22 }, (_, i) => returnOn(`2025-${String(7 + Math.floor(i / 5)).padStart(2, '0')}-${String(1 + (i % 5) * 5).padStart(2, '0')}`));

new SignalTester({ describe, it }).run(returnFrequencySpike, {
  hits: [
    {
      name: 'four returns this month after a quiet year',
      ctx: returnContext(subject, order, { history: { orders: [order], returns: recentReturns(3) } }),
      strength: [0.5, 0.55],
      evidence: { recent: 4, earlier: 0, earlierDays: 335, usualPace: 0, threshold: 3 },
      messageId: 'spike',
    },
    {
      name: 'a refund after five returns this month',
      ctx: refundContext(makeRefund(order, { createdAt: '2026-06-01T00:00:00Z' }), order, {
        history: { orders: [order], returns: [returnOn('2025-09-01'), returnOn('2025-12-01'), ...recentReturns(5)] },
      }),
      strength: [0.75, 0.8],
      evidence: { recent: 5, earlier: 2 },
    },
    {
      name: 'six returns against a usual two a month',
      ctx: returnContext(subject, order, { history: { orders: [order], returns: [...steadyReturns, ...recentReturns(5)] } }),
      strength: [0.3, 0.35],
      evidence: { recent: 6, earlier: 22, usualPace: 1.97, threshold: 5.91 },
      message: '6 returns in the last 30 days against a usual 1.97 per 30 days (burst from 5.91).',
    },
  ],
  quiet: [
    {
      name: 'two returns this month',
      ctx: returnContext(subject, order, { history: { orders: [order], returns: recentReturns(1) } }),
      evidence: { recent: 2 },
      messageId: 'normal',
    },
    {
      name: 'five returns is the usual pace times less than three',
      ctx: returnContext(subject, order, { history: { orders: [order], returns: [...steadyReturns, ...recentReturns(4)] } }),
      evidence: { recent: 5, threshold: 5.91 },
    },
    {
      name: 'a higher minimum',
      ctx: returnContext(subject, order, { history: { orders: [order], returns: recentReturns(3) } }),
      params: { minRecent: 5 },
    },
  ],
  insufficient: [
    {
      name: 'an account two months old',
      ctx: returnContext(subject, order, {
        customer: { id: 'gid://shopify/Customer/1', createdAt: '2026-04-01T00:00:00Z', tags: [], identity: {} },
        history: { orders: [order], returns: recentReturns(3) },
      }),
      evidence: { historyDays: 61, minHistoryDays: 90 },
      messageId: 'tooNew',
    },
    {
      name: 'a guest with a single recent order',
      ctx: returnContext(subject, order, { customer: null, history: { orders: [order], returns: recentReturns(3) } }),
      evidence: { historyDays: 30 },
    },
  ],
  invalidParams: [
    { name: 'multiple below 1', params: { multiple: 0.5 }, pointer: '/multiple' },
    { name: 'unknown param', params: { days: 30 }, pointer: '/days' },
  ],
});

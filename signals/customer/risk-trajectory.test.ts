import { describe, it } from 'vitest';
import type { PastDecision } from '../../sdk/index.ts';
import { SignalTester, makeOrder, orderContext, refundContext, returnContext } from '../../sdk/testing/index.ts';
import riskTrajectory from './risk-trajectory.ts';

const order = makeOrder({ id: 'gid://shopify/Order/1', createdAt: '2026-06-01T00:00:00Z' });
const decisions = (...scores: number[]): PastDecision[] =>
  scores.map((score, i) => ({
    subjectId: `gid://shopify/Order/${100 + i}`,
    kind: 'order',
    at: `2026-0${i + 1}-10T00:00:00Z`,
    score,
    zone: score >= 66 ? 'high' : score >= 33 ? 'medium' : 'low',
  }));

new SignalTester({ describe, it }).run(riskTrajectory, {
  hits: [
    {
      name: 'scores 10, 12, 45, 55',
      ctx: orderContext(order, { history: { decisions: decisions(10, 12, 45, 55) } }),
      strength: [0.8, 0.9],
      evidence: { decisions: 4, recentMean: 50, earlierMean: 11, direction: 'rising' },
      messageId: 'rising',
    },
    {
      name: 'out-of-order history is sorted by time first',
      ctx: returnContext(undefined, order, { history: { decisions: decisions(20, 30, 40).reverse() } }),
      evidence: { recentMean: 35, earlierMean: 20, slope: 10 },
      strength: [0.3, 0.45],
      message: 'Recent scores average 35 against 20 before (3 decisions, +10 per decision).',
    },
    {
      name: 'steady climb caught by the slope with one recent decision',
      ctx: refundContext(undefined, order, { history: { decisions: decisions(10, 20, 30, 40) } }),
      params: { recentCount: 1, minRise: 50 },
      evidence: { recentMean: 40, earlierMean: 20, slope: 10 },
    },
  ],
  quiet: [
    {
      name: 'flat scores',
      ctx: orderContext(order, { history: { decisions: decisions(20, 22, 21, 20) } }),
      evidence: { direction: 'flat' },
      messageId: 'steady',
    },
    {
      name: 'falling scores',
      ctx: orderContext(order, { history: { decisions: decisions(70, 50, 20, 10) } }),
      evidence: { direction: 'falling', recentMean: 15 },
    },
    {
      name: 'a small rise',
      ctx: orderContext(order, { history: { decisions: decisions(20, 25, 28) } }),
    },
  ],
  insufficient: [
    {
      name: 'two decisions',
      ctx: orderContext(order, { history: { decisions: decisions(10, 80) } }),
      evidence: { decisions: 2, needed: 3 },
      messageId: 'tooFew',
    },
    {
      name: 'recent group needs an earlier group',
      ctx: orderContext(order, { history: { decisions: decisions(10, 40, 80) } }),
      params: { recentCount: 3 },
      evidence: { needed: 4 },
    },
    { name: 'guest checkout', ctx: orderContext(order, { customer: null, history: { decisions: decisions(10, 50, 80) } }) },
  ],
  invalidParams: [
    { name: 'one decision is no trend', params: { minDecisions: 1 }, pointer: '/minDecisions' },
    { name: 'zero recent', params: { recentCount: 0 }, pointer: '/recentCount' },
  ],
});

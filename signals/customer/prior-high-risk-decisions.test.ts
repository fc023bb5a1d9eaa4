import { describe, it } from 'vitest';
import type { PastDecision } from '../../sdk/index.ts';
import { SignalTester, makeOrder, makeReturn, orderContext, refundContext, returnContext } from '../../sdk/testing/index.ts';
import priorHighRiskDecisions from './prior-high-risk-decisions.ts';

const order = makeOrder({ id: 'gid://shopify/Order/1', createdAt: '2026-01-10T10:00:00Z' });
const ret = makeReturn(order, { id: 'gid://shopify/Return/1' });
const decision = (subjectId: string, zone: string, at = '2025-12-01T00:00:00Z'): PastDecision => ({
  subjectId,
  kind: 'order',
  at,
  score: zone === 'high' ? 80 : zone === 'medium' ? 50 : 10,
  zone,
});

new SignalTester({ describe, it }).run(priorHighRiskDecisions, {
  hits: [
    {
      name: 'one high and one medium',
      ctx: orderContext(order, { history: { decisions: [decision('gid://shopify/Order/7', 'high'), decision('gid://shopify/Order/8', 'medium'), decision('gid://shopify/Order/9', 'low')] } }),
      strength: 0.5,
      evidence: { high: 1, medium: 1, weighted: 1.5 },
      message: '1 high-risk and 1 medium-risk decision(s) in the last 365 days.',
    },
    {
      name: 'three high decisions',
      ctx: orderContext(order, { history: { decisions: ['7', '8', '9'].map((n) => decision(`gid://shopify/Order/${n}`, 'HIGH')) } }),
      strength: 1,
      evidence: { high: 3 },
    },
    {
      name: 'a lone medium decision',
      ctx: returnContext(ret, order, { history: { orders: [order], decisions: [decision('gid://shopify/Order/7', 'medium')] } }),
      strength: [0.16, 0.17],
    },
  ],
  quiet: [
    { name: 'no decisions', ctx: orderContext(order), messageId: 'none' },
    {
      name: 'only low decisions and old high ones',
      ctx: orderContext(order, { history: { decisions: [decision('gid://shopify/Order/7', 'low'), decision('gid://shopify/Order/8', 'high', '2024-06-01T00:00:00Z')] } }),
      evidence: { high: 0 },
    },
    {
      name: 'the same order and return scored high earlier',
      ctx: refundContext(undefined, order, { return: ret, history: { decisions: [decision(order.id, 'high'), decision(ret.id, 'high', '2026-01-20T10:00:00Z')] } }),
      evidence: { high: 0, medium: 0 },
    },
    {
      name: 'medium ignored by params',
      ctx: orderContext(order, { history: { decisions: [decision('gid://shopify/Order/7', 'medium')] } }),
      params: { mediumWeight: 0 },
    },
  ],
  insufficient: [{ name: 'guest checkout', ctx: orderContext(order, { customer: null }), messageId: 'guest' }],
  invalidParams: [{ name: 'medium weight above 1', params: { mediumWeight: 1.5 }, pointer: '/mediumWeight' }],
});

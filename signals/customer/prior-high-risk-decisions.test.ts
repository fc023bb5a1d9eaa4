import { describe, it } from 'vitest';
import type { PastDecision, SubjectKind } from '../../sdk/index.ts';
import { SignalTester, makeOrder, makeRefund, makeReturn, orderContext, refundContext, returnContext } from '../../sdk/testing/index.ts';
import priorHighRiskDecisions from './prior-high-risk-decisions.ts';

// The subject: order 1 (2026-01-10 10:00), its return 1 (01-20) and refund 1 (01-25).
const order = makeOrder({ id: 'gid://shopify/Order/1', createdAt: '2026-01-10T10:00:00Z' });
const ret = makeReturn(order, { id: 'gid://shopify/Return/1', createdAt: '2026-01-20T10:00:00Z' });
const refund = makeRefund(order, { id: 'gid://shopify/Refund/1', createdAt: '2026-01-25T10:00:00Z' });

const HOUR_BEFORE = '2026-01-10T09:00:00Z';
const decision = (subjectId: string, zone: string, at = HOUR_BEFORE, kind: SubjectKind = 'order', score = zone.toLowerCase() === 'high' ? 80 : zone === 'medium' ? 50 : 10): PastDecision => ({
  subjectId,
  kind,
  at,
  score,
  zone,
});
const orderN = (n: number) => `gid://shopify/Order/${n}`;
const highOrders = (...ns: number[]) => ns.map((n) => decision(orderN(n), 'high'));

// An earlier order 7 with its return and refund, each judged HIGH: one incident.
const order7 = makeOrder({ id: orderN(7), createdAt: '2025-12-01T10:00:00Z' });
const return7 = makeReturn(order7, { id: 'gid://shopify/Return/70', createdAt: '2025-12-10T10:00:00Z' });
const refund7 = makeRefund(order7, { id: 'gid://shopify/Refund/71', createdAt: '2025-12-12T10:00:00Z' });
const incident7 = [
  decision(order7.id, 'high', '2025-12-01T10:00:00Z'),
  decision(return7.id, 'high', '2025-12-10T10:00:00Z', 'return'),
  decision(refund7.id, 'high', '2025-12-12T10:00:00Z', 'refund'),
];

/** Earlier return decisions with these scores, one a month from 2025-09, each of another order. */
const returnScores = (...scores: number[]): PastDecision[] =>
  scores.map((score, i) => decision(`gid://shopify/Return/${200 + i}`, score >= 66 ? 'high' : score >= 31 ? 'medium' : 'low', `2025-${String(9 + i).padStart(2, '0')}-15T00:00:00Z`, 'return', score));

new SignalTester({ describe, it }).run(priorHighRiskDecisions, {
  hits: [
    {
      name: 'two other orders judged high: half strength',
      ctx: orderContext(order, { history: { decisions: highOrders(7, 8) } }),
      strength: 0.5,
      evidence: { highIncidents: 2, weighted: 2, repeat: 0.5, trend: 0 },
      message: 'Other orders judged high risk in the last 365 days: 2 (and 0 medium), counting 2 with a 180-day half-life, the first 1 free.',
    },
    {
      name: 'three other orders judged high: full strength',
      ctx: orderContext(order, { history: { decisions: highOrders(7, 8, 9) } }),
      strength: 1,
      evidence: { highIncidents: 3 },
      messageId: 'repeated',
    },
    {
      name: "an order, its return and its refund judged high are one incident; with another order's, two",
      ctx: returnContext(ret, order, { history: { orders: [order7, order], returns: [return7], refunds: [refund7], decisions: [...incident7, decision(orderN(8), 'high', '2026-01-15T00:00:00Z')] } }),
      strength: [0.3, 0.45],
      evidence: { highIncidents: 2 },
    },
    {
      name: 'return scores rising: the trend alone gives at most trendStrength',
      ctx: returnContext(ret, order, { history: { decisions: returnScores(10, 12, 40, 50) } }),
      strength: 0.22,
      evidence: { highIncidents: 0, kindDecisions: 4, recentMean: 45, earlierMean: 11, rise: 34, repeat: 0 },
      message: 'Recent return scores average 45 against 11 before (4 decisions).',
    },
    {
      name: 'three high incidents 180 days old count half each',
      ctx: orderContext(order, { history: { decisions: [7, 8, 9].map((n) => decision(orderN(n), 'high', '2025-07-14T10:00:00Z')) } }),
      strength: 0.25,
      evidence: { highIncidents: 3, weighted: 1.5 },
    },
    {
      name: 'medium verdicts count when the ruleset says so',
      ctx: orderContext(order, { history: { decisions: [decision(orderN(7), 'medium'), decision(orderN(8), 'medium'), decision(orderN(9), 'high')] } }),
      params: { mediumWeight: 1 },
      strength: 1,
      evidence: { highIncidents: 1, mediumIncidents: 2 },
    },
    {
      name: 'no grace: one verdict counts a third',
      ctx: orderContext(order, { history: { decisions: highOrders(7) } }),
      params: { graceIncidents: 0 },
      strength: 0.33,
    },
  ],
  quiet: [
    { name: 'no decisions', ctx: orderContext(order), messageId: 'none', evidence: { highIncidents: 0, weighted: 0 } },
    {
      name: 'one other order judged high counts nothing',
      ctx: orderContext(order, { history: { decisions: highOrders(7) } }),
      messageId: 'notRepeated',
      evidence: { highIncidents: 1, weighted: 1, repeat: 0 },
      message: '1 other order(s) judged high risk in the last 365 days, counting 1 once faded: not above the 1 that count nothing (one verdict alone is no pattern).',
    },
    {
      name: 'one incident judged high three times (order, return, refund) is still one',
      ctx: orderContext(order, { history: { orders: [order7], returns: [return7], refunds: [refund7], decisions: incident7 } }),
      evidence: { highIncidents: 1 },
      messageId: 'notRepeated',
    },
    {
      name: "the subject's own order and return judged high earlier",
      ctx: refundContext(refund, order, { return: ret, history: { returns: [ret], decisions: [decision(order.id, 'high', '2026-01-10T10:00:00Z'), decision(ret.id, 'high', '2026-01-20T10:00:00Z', 'return')] } }),
      evidence: { highIncidents: 0 },
      messageId: 'none',
    },
    {
      name: 'three high incidents 300 days old have faded below one',
      ctx: orderContext(order, { history: { decisions: [7, 8, 9].map((n) => decision(orderN(n), 'high', '2025-03-16T10:00:00Z')) } }),
      evidence: { highIncidents: 3, weighted: 0.94 },
    },
    {
      name: 'high verdicts beyond the lookback and low verdicts',
      ctx: orderContext(order, { history: { decisions: [decision(orderN(7), 'high', '2024-06-01T00:00:00Z'), decision(orderN(8), 'low')] } }),
      evidence: { highIncidents: 0 },
    },
    {
      name: 'medium verdicts count nothing by default',
      ctx: orderContext(order, { history: { decisions: [decision(orderN(7), 'medium'), decision(orderN(8), 'medium'), decision(orderN(9), 'medium')] } }),
      evidence: { mediumIncidents: 3, weighted: 0 },
    },
    {
      name: 'order scores are not compared with return scores',
      ctx: returnContext(ret, order, { history: { decisions: [...[5, 6, 5].map((s, i) => decision(orderN(30 + i), 'low', `2025-0${6 + i}-01T00:00:00Z`, 'order', s)), ...returnScores(45, 50)] } }),
      evidence: { kindDecisions: 2, trend: 0 },
    },
    {
      name: 'falling return scores',
      ctx: returnContext(ret, order, { history: { decisions: returnScores(60, 50, 20, 10) } }),
      evidence: { rise: -40, trend: 0 },
    },
    {
      name: 'a rise below minRise',
      ctx: returnContext(ret, order, { history: { decisions: returnScores(20, 25, 28, 30) } }),
      evidence: { trend: 0 },
    },
  ],
  insufficient: [{ name: 'guest checkout', ctx: orderContext(order, { customer: null, history: { decisions: highOrders(7, 8, 9) } }), messageId: 'guest' }],
  invalidParams: [
    { name: 'medium weight above 1', params: { mediumWeight: 1.5 }, pointer: '/mediumWeight' },
    { name: 'a half-life under a day', params: { halfLifeDays: 0 }, pointer: '/halfLifeDays' },
    { name: 'trend strength above 1', params: { trendStrength: 2 }, pointer: '/trendStrength' },
  ],
});

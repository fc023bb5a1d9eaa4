import { describe, expect, it } from 'vitest';
import type { PastDecision } from '../../sdk/index.ts';
import { evaluateSignal, resolveParams } from '../../sdk/index.ts';
import { makeOrder, orderContext, refundContext, returnContext } from '../../sdk/testing/index.ts';
import riskTrajectory from './risk-trajectory.ts';

// Retired: SignalTester needs hit cases, and this signal has none left; these check what stays.
const order = makeOrder({ id: 'gid://shopify/Order/1', createdAt: '2026-06-01T00:00:00Z' });
const decisions: PastDecision[] = [10, 40, 70, 90].map((score, i) => ({
  subjectId: `gid://shopify/Order/${100 + i}`,
  kind: 'order',
  at: `2026-0${i + 1}-10T00:00:00Z`,
  score,
  zone: score >= 66 ? 'high' : score >= 31 ? 'medium' : 'low',
}));
const customer = { id: 'gid://shopify/Customer/1', tags: ['refundsentry:high-risk'], identity: {} };

describe('riskTrajectory.meta.id (retired)', () => {
  it('is deprecated in favour of customer.prior-high-risk-decisions, at default weight 0', () => {
    expect(riskTrajectory.meta.deprecated).toBe(true);
    expect(riskTrajectory.meta.replacedBy).toEqual(['customer.prior-high-risk-decisions']);
    expect(riskTrajectory.meta.defaultWeight).toBe(0);
    expect(riskTrajectory.meta.needs).toEqual([]);
  });

  it('still accepts the params rulesets gave it, so they compile', () => {
    expect(resolveParams(riskTrajectory, { minDecisions: 2, recentCount: 1, minRise: 1, minSlope: 0.5 }).ok).toBe(true);
    expect(resolveParams(riskTrajectory, { unknown: 1 }).ok).toBe(false);
  });

  it('adds nothing, even for scores climbing from 10 to 90 over four decisions', () => {
    const resolved = resolveParams(riskTrajectory, {});
    if (!resolved.ok) throw new Error('defaults refused');
    const params = resolved.params;
    for (const ctx of [orderContext(order, { customer, history: { decisions } }), returnContext(undefined, order, { customer, history: { decisions } }), refundContext(undefined, order, { customer, history: { decisions } })]) {
      expect(evaluateSignal(riskTrajectory, Object.freeze(ctx), params)).toEqual({
        status: 'no_hit',
        strength: 0,
        evidence: {},
        messageId: 'retired',
        message: riskTrajectory.meta.messages!.retired,
      });
    }
  });
});

import { describe, expect, it } from 'vitest';
import type { PastDecision } from '../../sdk/index.ts';
import { evaluateSignal, resolveParams } from '../../sdk/index.ts';
import { makeOrder, orderContext, refundContext, returnContext } from '../../sdk/testing/index.ts';
import priorRiskTags from './prior-risk-tags.ts';

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

describe('priorRiskTags.meta.id (retired)', () => {
  it('is deprecated in favour of customer.prior-high-risk-decisions, at default weight 0', () => {
    expect(priorRiskTags.meta.deprecated).toBe(true);
    expect(priorRiskTags.meta.replacedBy).toEqual(['customer.prior-high-risk-decisions']);
    expect(priorRiskTags.meta.defaultWeight).toBe(0);
    expect(priorRiskTags.meta.needs).toEqual([]);
  });

  it('still accepts the params rulesets gave it, so they compile', () => {
    expect(resolveParams(priorRiskTags, { tagPrefix: 'rs-', mediumStrength: 1 }).ok).toBe(true);
    expect(resolveParams(priorRiskTags, { unknown: 1 }).ok).toBe(false);
  });

  it('adds nothing, even for the customer tagged "refundsentry:high-risk" by an earlier HIGH decision', () => {
    const resolved = resolveParams(priorRiskTags, {});
    if (!resolved.ok) throw new Error('defaults refused');
    const params = resolved.params;
    for (const ctx of [orderContext(order, { customer, history: { decisions } }), returnContext(undefined, order, { customer, history: { decisions } }), refundContext(undefined, order, { customer, history: { decisions } })]) {
      expect(evaluateSignal(priorRiskTags, Object.freeze(ctx), params)).toEqual({
        status: 'no_hit',
        strength: 0,
        evidence: {},
        messageId: 'retired',
        message: priorRiskTags.meta.messages!.retired,
      });
    }
  });
});

import type { Decision, SignalTrace } from '../../engine/decision.ts';

/** A decision for executor tests: signals as `[id, points]` pairs (message derived from the id). */
export function testDecision(signals: [id: string, points: number][], overrides: Partial<Decision> = {}): Decision {
  const traces: SignalTrace[] = signals.map(([id, points]) => ({
    id,
    version: '1.0.0',
    source: 'signal',
    status: points === 0 ? 'no_hit' : 'hit',
    strength: 1,
    weight: Math.abs(points),
    points,
    evidence: {},
    message: `Signal ${id} fired.`,
  }));
  const score = Math.max(0, Math.min(100, traces.reduce((sum, trace) => sum + trace.points, 0)));
  return {
    schema: 'refundsentry.decision/1',
    shopId: 'example.myshopify.com',
    subject: { kind: 'order', id: 'gid://shopify/Order/1001', at: '2026-07-01T10:00:00Z' },
    ruleset: { id: 'default', version: 3, contentHash: 'abc123' },
    score,
    zone: score >= 66 ? 'high' : score >= 31 ? 'medium' : 'low',
    rawScore: score,
    scaled: false,
    coverage: { evaluated: traces.length, hit: traces.filter((t) => t.status === 'hit').length, noHit: 0, insufficient: 0, error: 0 },
    signals: traces,
    derived: {},
    actionRules: [],
    actions: [],
    ...overrides,
  };
}

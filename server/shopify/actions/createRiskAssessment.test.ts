import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schemaSuiteTitle, startDoubleWithClient } from '../../testing/doubleClient.ts';
import { adminSchemaAvailable } from '../../testing/shopifyDouble.ts';
import type { ShopifyDouble } from '../../testing/shopifyDouble.ts';
import { AdminGraphqlClient } from '../AdminGraphqlClient.ts';
import { testDecision } from '../../testing/testDecision.ts';
import { createRiskAssessment } from './createRiskAssessment.ts';
import { riskFacts } from './riskFacts.ts';

const ORDER = 'gid://shopify/Order/4783296544821';

describe('riskFacts', () => {
  it('starts with the score and zone, then signals by |points|, skipping zero points', () => {
    const facts = riskFacts(testDecision([['a.small', 4], ['b.trust', -12], ['c.none', 0], ['d.big', 30], ['e.mid', 12]]));
    expect(facts.map((fact) => [fact.sentiment, fact.description])).toEqual([
      ['NEUTRAL', 'RefundSentry score 34, MEDIUM risk (ruleset default v3)'],
      ['NEGATIVE', '+30 pts: Signal d.big fired. (d.big)'],
      ['POSITIVE', '-12 pts: Signal b.trust fired. (b.trust)'],
      ['NEGATIVE', '+12 pts: Signal e.mid fired. (e.mid)'],
      ['NEGATIVE', '+4 pts: Signal a.small fired. (a.small)'],
    ]);
  });

  it('keeps at most 20 facts, the largest signals', () => {
    const signals = Array.from({ length: 30 }, (_, i): [string, number] => [`s.${String(i).padStart(2, '0')}`, i + 1]);
    const facts = riskFacts(testDecision(signals));
    expect(facts).toHaveLength(20);
    expect(facts[1].description).toMatch(/^\+30 pts/);
    expect(facts[19].description).toMatch(/^\+12 pts/);
  });

  it('truncates descriptions to 256 characters without splitting a character', () => {
    const decision = testDecision([['long.signal', 20]]);
    decision.signals[0].message = '🙂'.repeat(400);
    const [, fact] = riskFacts(decision);
    expect(Array.from(fact.description)).toHaveLength(256);
    expect(fact.description.endsWith('🙂…')).toBe(true);
  });
});

const title = schemaSuiteTitle('createRiskAssessment');

describe.skipIf(!adminSchemaAvailable())(title, () => {
  let double: ShopifyDouble;
  let client: AdminGraphqlClient;

  beforeEach(async () => {
    ({ double, client } = await startDoubleWithClient());
  });
  afterEach(() => double.close());

  it('writes the assessment with the level of the zone', async () => {
    double.state.addOrder({ id: ORDER });
    const decision = testDecision([['order.address-mismatch', 40], ['customer.prior-chargebacks', 35], ['customer.trusted', -5]]);
    const result = await createRiskAssessment(client, { orderId: ORDER, riskLevel: 'auto', decision });
    expect(result.skipped).toBeUndefined();
    expect(result.riskLevel).toBe('HIGH');
    expect(double.state.orders.get(ORDER)!.riskAssessments).toEqual([{ riskLevel: 'HIGH', facts: result.facts }]);
    expect(result.facts).toHaveLength(4);
  });

  it('sends at most 20 facts, which Shopify accepts', async () => {
    double.state.addOrder({ id: ORDER });
    const signals = Array.from({ length: 40 }, (_, i): [string, number] => [`s.${i}`, 1 + (i % 7)]);
    const result = await createRiskAssessment(client, { orderId: ORDER, riskLevel: 'MEDIUM', decision: testDecision(signals) });
    expect(result.skipped).toBeUndefined();
    expect(double.state.orders.get(ORDER)!.riskAssessments[0].facts).toHaveLength(20);
  });

  it('reports an already fulfilled order as skipped', async () => {
    double.state.addOrder({ id: ORDER, fulfilled: true });
    const result = await createRiskAssessment(client, { orderId: ORDER, riskLevel: 'auto', decision: testDecision([['x', 70]]) });
    expect(result.skipped).toBe('already-fulfilled');
    expect(double.state.orders.get(ORDER)!.riskAssessments).toEqual([]);
  });

  it('reports an unknown order as skipped', async () => {
    const result = await createRiskAssessment(client, { orderId: ORDER, riskLevel: 'LOW', decision: testDecision([]) });
    expect(result.skipped).toBe('order-not-found');
  });
});

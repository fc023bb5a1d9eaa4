import { describe, it } from 'vitest';
import type { ShopifyRiskSummary } from '../../sdk/index.ts';
import { SignalTester, makeOrder, orderContext } from '../../sdk/testing/index.ts';
import shopifyRiskLevel from './shopify-risk-level.ts';

const at = '2026-03-31T10:00:00Z';
const rated = (risk: ShopifyRiskSummary | undefined) => orderContext(makeOrder({ id: 'gid://shopify/Order/1', createdAt: at, ...(risk ? { shopifyRisk: risk } : {}) }));

new SignalTester({ describe, it }).run(shopifyRiskLevel, {
  hits: [
    { name: 'high, with its facts', ctx: rated({ level: 'high', assessedAt: '2026-03-31T10:00:20Z', facts: { negative: 3, neutral: 1, positive: 0 } }), strength: 1, evidence: { level: 'high', negativeFacts: 3 }, message: 'Shopify rated the order high risk (3 negative, 0 positive fact(s)).' },
    { name: 'medium', ctx: rated({ level: 'medium', assessedAt: at }), strength: 0.5, message: 'Shopify rated the order medium risk.' },
    { name: 'medium at the strength the shop chose', ctx: rated({ level: 'medium', assessedAt: at }), params: { mediumStrength: 0.8 }, strength: 0.8 },
  ],
  quiet: [{ name: 'low', ctx: rated({ level: 'low', assessedAt: at }), messageId: 'low' }],
  insufficient: [
    { name: 'no assessment stored', ctx: rated(undefined), messageId: 'none' },
    { name: 'none: Shopify gives no recommendation', ctx: rated({ level: 'none', assessedAt: at }), messageId: 'noAssessment' },
    { name: 'still pending', ctx: rated({ level: 'pending', assessedAt: at }) },
    { name: 'assessed a day after the checkout', ctx: rated({ level: 'high', assessedAt: '2026-04-01T10:00:00Z' }), messageId: 'late' },
  ],
  invalidParams: [{ name: 'a strength over 1', params: { mediumStrength: 2 }, pointer: '/mediumStrength' }],
});

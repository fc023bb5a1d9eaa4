import type { IsoTime, RiskAssessmentRecord, ShopifyRiskLevel } from '../../../sdk/index.ts';
import { riskAssessmentPayload } from './riskAssessmentPayload.ts';
import { shopifyGid } from './shopifyGid.ts';

const LEVELS: readonly ShopifyRiskLevel[] = ['high', 'medium', 'low', 'none', 'pending'];

/** Why a risk assessment body gives no record (the caller acknowledges and ignores it). */
export type RiskIgnored = { ignored: string };

/** How many of an assessment's facts weigh for, against or neither (GraphQL `RiskFact.sentiment`). */
export function sentimentCounts(sentiments: readonly string[]): { negative: number; neutral: number; positive: number } {
  const counts = { negative: 0, neutral: 0, positive: 0 };
  for (const sentiment of sentiments) {
    const key = sentiment.toLowerCase();
    if (key === 'negative' || key === 'neutral' || key === 'positive') counts[key]++;
  }
  return counts;
}

/**
 * An orders/risk_assessment_changed body as the order's stored Shopify risk assessment. Only
 * Shopify's own assessment counts (`provider_id` null): an app's, RefundSentry's own included
 * (it writes one per decision), would feed our verdicts back as an input. A body naming no order
 * (Shopify's sample names none) or a level we do not know is ignored. `assessedAt`: the body's
 * `created_at`, else the delivery's time. The backfill's `Order.risk.assessments` come through
 * here too, with their facts' sentiments.
 */
export function normalizeRiskAssessment(body: unknown, options: { triggeredAt?: IsoTime | null; facts?: readonly string[] } = {}): RiskAssessmentRecord | RiskIgnored {
  const p = riskAssessmentPayload(body);
  if (p.provider_id !== null) return { ignored: "an app's risk assessment, not Shopify's" };
  const orderId = p.admin_graphql_api_order_id ?? (p.order_id === null ? null : shopifyGid('Order', p.order_id));
  if (!orderId) return { ignored: 'risk assessment names no order' };
  const level = p.risk_level.trim().toLowerCase() as ShopifyRiskLevel;
  if (!LEVELS.includes(level)) return { ignored: `unknown risk level ${JSON.stringify(p.risk_level.slice(0, 32))}` };
  const assessedAt = p.created_at ?? options.triggeredAt ?? null;
  if (!assessedAt) return { ignored: 'risk assessment carries no time, and the delivery none either' };
  return {
    id: `${orderId}#shopify`,
    orderId,
    level,
    assessedAt,
    ...(options.facts ? { facts: sentimentCounts(options.facts) } : {}),
  };
}

import { payloadValidator } from './validatePayload.ts';
import { gidSchema, ID, nullable, TIME, type NumericId } from './schemaParts.ts';

/** An orders/risk_assessment_changed body (Shopify's sample: `orders_risk_assessment_changed.json`, every field but the level null). */
export interface RiskAssessmentPayload {
  risk_level: string;
  provider_id: NumericId | string | null;
  provider_title?: string | null;
  created_at?: string | null;
  order_id: NumericId | null;
  admin_graphql_api_order_id: string | null;
}

export const RISK_ASSESSMENT_SCHEMA = {
  type: 'object',
  required: ['risk_level', 'provider_id', 'order_id', 'admin_graphql_api_order_id'],
  properties: {
    risk_level: { type: 'string', maxLength: 32 },
    // An app's id (numeric, or a gid): null when Shopify made the assessment.
    provider_id: { type: ['integer', 'string', 'null'], minimum: 0, maximum: Number.MAX_SAFE_INTEGER, maxLength: 255 },
    provider_title: { type: ['string', 'null'], maxLength: 255 },
    created_at: nullable(TIME),
    order_id: nullable(ID),
    admin_graphql_api_order_id: nullable(gidSchema('Order')),
  },
} as const;

/** Checks an orders/risk_assessment_changed body; throws PayloadError naming the first problem. */
export const riskAssessmentPayload = payloadValidator<RiskAssessmentPayload>('orders/risk_assessment_changed', RISK_ASSESSMENT_SCHEMA);

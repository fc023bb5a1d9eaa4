import type { Decision } from '../../../engine/decision.ts';
import type { AdminGraphqlClient } from '../AdminGraphqlClient.ts';
import { ORDER_RISK_ASSESSMENT_CREATE } from '../operations.ts';
import { ActionError, describeUserErrors } from './ActionError.ts';
import type { UserError } from './ActionError.ts';
import { riskFacts } from './riskFacts.ts';
import type { RiskFact } from './riskFacts.ts';

/** Shopify's RiskAssessmentResult. */
export type RiskLevel = 'HIGH' | 'MEDIUM' | 'LOW' | 'NONE' | 'PENDING';

export interface CreateRiskAssessmentInput {
  orderId: string;
  /** `auto` maps the decision's zone: high → HIGH, medium → MEDIUM, low → LOW. */
  riskLevel: RiskLevel | 'auto';
  decision: Decision;
}

export interface CreateRiskAssessmentResult {
  riskLevel: RiskLevel;
  facts: RiskFact[];
  skipped?: 'already-fulfilled' | 'order-not-found';
}

interface RiskAssessmentCreateData {
  orderRiskAssessmentCreate: {
    orderRiskAssessment: { riskLevel: RiskLevel; facts: RiskFact[] } | null;
    userErrors: UserError[];
  } | null;
}

const ZONE_LEVEL: Record<Decision['zone'], RiskLevel> = { high: 'HIGH', medium: 'MEDIUM', low: 'LOW' };

/**
 * Writes the decision as a risk assessment on the order (needs an offline token and write_orders,
 * FACTS 4.3). A fulfilled order no longer takes assessments: that is reported, not thrown.
 */
export async function createRiskAssessment(
  client: AdminGraphqlClient,
  input: CreateRiskAssessmentInput,
): Promise<CreateRiskAssessmentResult> {
  const riskLevel = input.riskLevel === 'auto' ? ZONE_LEVEL[input.decision.zone] : input.riskLevel;
  const facts = riskFacts(input.decision);
  const { data } = await client.request<RiskAssessmentCreateData>(ORDER_RISK_ASSESSMENT_CREATE, {
    input: { orderId: input.orderId, riskLevel, facts },
  });
  const payload = data.orderRiskAssessmentCreate;
  if (!payload) throw new ActionError('createRiskAssessment', `orderRiskAssessmentCreate returned no payload for ${input.orderId}`);
  const codes = new Set(payload.userErrors.map((error) => error.code));
  if (codes.has('ORDER_ALREADY_FULFILLED')) return { riskLevel, facts, skipped: 'already-fulfilled' };
  if (codes.has('NOT_FOUND')) return { riskLevel, facts, skipped: 'order-not-found' };
  if (payload.userErrors.length > 0) {
    throw new ActionError(
      'createRiskAssessment',
      `Shopify refused the risk assessment for ${input.orderId}: ${describeUserErrors(payload.userErrors)}`,
      payload.userErrors,
    );
  }
  return { riskLevel, facts };
}

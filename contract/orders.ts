import type { OutcomeRisk } from '../../engine/chargebacks/calibration.ts';

// The shape GET /api/orders/{id}/risk answers, on its own (types only) so that the order-details
// admin extension (extensions/order-risk-card) type-checks against it without the server's imports.

/** What the admin's order-details block shows: the order's score and why, the customer, what to do. */
export interface OrderRiskCard {
  orderId: string;
  decision: { id: string; score: number; zone: 'low' | 'medium' | 'high'; decidedAt: string; rulesetVersion: number } | null;
  topSignals: { id: string; points: number; message: string }[];
  customer: { id: string; orders: number; returns: number; refunds: number; refundedValue: number; chargebacks: number; highDecisions: number; currentZone: string | null } | null;
  hold: { actionId: string; status: string } | null;
  /**
   * The order decision's calibrated fraud risk (the version that decided it: observed rate in its
   * score band, with the count), or `probability: null` with "Not enough outcomes yet" in
   * `explanation`; null when the order is not scored.
   */
  chargebackRisk: OutcomeRisk | null;
  recommendation: string;
}


import type { OutcomeRisk } from '../engine/chargebacks/calibration.ts';
import type { Instant, Zone } from './common.ts';

/**
 * `GET /api/orders/{id}/risk`: what the admin's order-details block (extensions/order-risk-card)
 * shows — the order's score and why, the customer, what to do.
 */
export interface OrderRiskCard {
  orderId: string;
  decision: { id: string; score: number; zone: Zone; decidedAt: Instant; rulesetVersion: number } | null;
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

/** `GET /api/holds`: the fulfilment holds in force. */
export interface HoldList {
  /** `orderName`: the held order's name ("#1001"), null when the order is not stored. */
  holds: { actionId: string; decisionId: string; orderName: string | null; result: unknown; heldAt: Instant }[];
}

/** `POST /api/actions/{id}/release`: the holds released (or that it was released already). */
export interface ReleaseAnswer {
  released: string[];
  alreadyReleased?: boolean;
}

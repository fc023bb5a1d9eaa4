import type { Calibration, OutcomeRisk } from '../engine/chargebacks/calibration.ts';
import type { Instant, Zone } from './common.ts';

export type { Calibration };

/** The period's disputes: counts and amounts, open ones, by status, reason and month. */
export interface ChargebackSummary {
  disputes: number;
  amount: number;
  /** Disputes still open (needs response / under review) or without a status yet, and their amount. */
  open: { disputes: number; amount: number };
  byStatus: { status: string; disputes: number; amount: number }[];
  byReason: { reason: string; disputes: number; amount: number }[];
  byMonth: { month: string; disputes: number; amount: number }[];
}

/** `GET /api/chargebacks?from=&to=`: exposure, how well scoring predicted the disputes, double dips, orders still to ship. */
export interface ChargebackReport {
  window: { from: Instant; to: Instant };
  /** The shop's currency (ISO 4217, from its orders) of every amount here; null before any order is stored. */
  currency: string | null;
  summary: ChargebackSummary;
  /** Share of the period's chargebacks whose order RefundSentry had scored MEDIUM or HIGH when it was placed. */
  prediction: {
    disputes: number;
    /** Disputes whose order has a decision from order time. */
    scored: number;
    flagged: number;
    high: number;
    accuracy: number | null;
    rows: { orderId: string; orderName: string | null; disputedAt: Instant; amount: number; decisionId: string | null; score: number | null; zone: Zone | null }[];
  };
  repeatOffenders: { customerId: string; chargebacks: number; amount: number; lastAt: Instant }[];
  doubleDips: {
    orders: number;
    refunded: number;
    chargedBack: number;
    rows: { orderId: string; orderName: string | null; customerId: string | null; refunded: number; returns: number; chargedBack: number; firstRefundOrReturnAt: Instant; disputedAt: Instant }[];
  };
  /** Recent orders not shipped yet, with their calibrated fraud risk: what can still be held. Every row's `orderName` is the order's name ("#1001"), null when it is not stored. */
  unshipped: { orderId: string; orderName: string | null; decisionId: string; rulesetVersion: number; customerId: string | null; score: number; zone: Zone; total: number; orderedAt: Instant; chargebackRisk: OutcomeRisk }[];
  /** The live version's calibration for orders (score band → observed fraud rate, with counts); null without a published version. */
  calibration: Calibration | null;
}

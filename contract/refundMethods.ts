import type { Instant } from './common.ts';

/** Refunds of one method: count, money paid back, value. */
export interface MethodFigures {
  method: string;
  /** Refunds whose main (largest) part went this way. */
  count: number;
  /** Money paid back (an exchange pays nothing back). */
  amount: number;
  /** Value of the refund: the amount, or for an exchange the value of the exchanged lines. */
  value: number;
}

/** Refunds of one zone by method, and how much of their value stayed in the shop. */
export interface ZoneSplit {
  zone: string;
  count: number;
  value: number;
  preservedValue: number;
  /** Share of the refunded value kept as store credit, gift card or exchange (null with no value). */
  preservationRate: number | null;
  byMethod: MethodFigures[];
}

/** `GET /api/refund-methods?from=&to=`: refunds by method, revenue preservation, split by risk zone. */
export interface RefundMethodReport {
  from: Instant | null;
  to: Instant | null;
  /** The shop's currency (ISO 4217, from its orders) of the amounts and values; null before any order is stored. */
  currency: string | null;
  total: { count: number; amount: number; value: number; preservedValue: number; preservedCount: number };
  /** Preserved value / value of all refunds. */
  preservationRate: number | null;
  /** Preserved refunds / all refunds, by count. */
  preservationRateByCount: number | null;
  byMethod: MethodFigures[];
  /** By the zone of the refund's own decision ('undecided' when it was not scored). */
  byRefundZone: ZoneSplit[];
  /** By the zone of the decision of the refund's order. */
  byOrderZone: ZoneSplit[];
}

import type { Percentiles, SignalContext } from './context.ts';

/**
 * The measures a shop baseline holds, as percentiles over the shop's own history. Signals read
 * them through `baselinePercentile` and fall back to their own documented default when the shop
 * has no baseline yet (or too few observations).
 */
export const BASELINE_MEASURES = Object.freeze({
  /** Per customer with at least 2 orders: share of their orders that had a return. */
  customerReturnRate: 'customer.returnRate',
  /** At each return: how many returns the customer made in the 90 days before. */
  customerReturns90d: 'customer.returns90d',
  /** At each refund: refund money the customer received in the 30 days before. */
  customerRefundValue30d: 'customer.refundValue30d',
  /** At each order: how many orders the customer placed in the 30 days before. */
  customerOrders30d: 'customer.orders30d',
  /** Order total price. */
  orderValue: 'order.value',
  /** Units in an order. */
  orderUnits: 'order.units',
  /** Share of an order's pre-discount value removed by discounts. */
  orderDiscountShare: 'order.discountShare',
  /** Unit price of a line item. */
  lineItemPrice: 'lineItem.price',
  /** Value of a return. */
  returnValue: 'return.value',
  /** Units in a return. */
  returnUnits: 'return.units',
  /** Days from delivery (or fulfilment, or order) to the return request. */
  returnDaysAfterDelivery: 'return.daysAfterDelivery',
  /** Refund amount. */
  refundAmount: 'refund.amount',
} as const);

export type BaselineMeasure = (typeof BASELINE_MEASURES)[keyof typeof BASELINE_MEASURES];

/** Fewer observations than this and a measure is not trusted; signals use their defaults. */
export const MIN_BASELINE_OBSERVATIONS = 30;

/**
 * The shop's percentile of a measure, or `fallback` when the shop has no (trustworthy)
 * baseline for it yet.
 */
export function baselinePercentile(
  ctx: Pick<SignalContext, 'baseline'>,
  measure: BaselineMeasure,
  percentile: keyof Omit<Percentiles, 'n'>,
  fallback: number,
): number {
  const p = ctx.baseline.measures[measure];
  return p !== undefined && p.n >= MIN_BASELINE_OBSERVATIONS ? p[percentile] : fallback;
}

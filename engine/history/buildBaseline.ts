import { BASELINE_MEASURES, type OrderRecord, type Percentiles, type ShopBaseline } from '../../sdk/index.ts';
import type { Ledger } from './ShopHistory.ts';

export interface BaselineOptions {
  /** Build from events strictly before this moment (ISO). */
  asOf: string;
  /** SKUs sold fewer times than this get no return rate (too noisy). Default 20. */
  minSkuSold?: number;
}

const DAY_MS = 86_400_000;

/**
 * Per-shop calibration from the shop's own history before `asOf`: percentiles of the measures
 * in `BASELINE_MEASURES`, per-SKU return rates and the shop-wide return rate. Pure: the same
 * records and `asOf` give the same baseline. Signals use it so that thresholds fit the shop (a
 * fashion store with 35 % returns is not a jewellery store with 5 %).
 */
export function buildBaseline(all: Ledger, options: BaselineOptions): ShopBaseline {
  const asOf = Date.parse(options.asOf);
  const before = (time: string) => Date.parse(time) < asOf;
  const orders = all.orders.filter((o) => before(o.createdAt) && !o.cancelledAt);
  const returns = all.returns.filter((r) => before(r.createdAt));
  const refunds = all.refunds.filter((r) => before(r.createdAt));
  const fulfillments = all.fulfillments.filter((f) => before(f.createdAt));
  const orderById = new Map(orders.map((o) => [o.id, o]));

  const samples: Record<string, number[]> = Object.fromEntries(Object.values(BASELINE_MEASURES).map((m) => [m, []]));
  const add = (measure: string, value: number) => {
    if (Number.isFinite(value)) samples[measure].push(value);
  };

  // Orders: value, units, discount share, line prices, and each customer's 30-day order count.
  const ordersByCustomer = groupTimes(orders, (o) => o.customerId, (o) => o.createdAt);
  for (const order of orders) {
    add(BASELINE_MEASURES.orderValue, order.totalPrice);
    add(BASELINE_MEASURES.orderUnits, units(order));
    const gross = order.subtotalPrice + order.totalDiscounts;
    add(BASELINE_MEASURES.orderDiscountShare, gross > 0 ? order.totalDiscounts / gross : 0);
    for (const item of order.lineItems) add(BASELINE_MEASURES.lineItemPrice, item.price);
    if (order.customerId) add(BASELINE_MEASURES.customerOrders30d, countWithin(ordersByCustomer.get(order.customerId)!, Date.parse(order.createdAt), 30));
  }

  // Returns: value, units, days after delivery, and each customer's 90-day return count.
  const deliveries = new Map<string, number>();
  for (const f of fulfillments) {
    const at = Date.parse(f.deliveredAt && before(f.deliveredAt) ? f.deliveredAt : f.createdAt);
    deliveries.set(f.orderId, Math.min(deliveries.get(f.orderId) ?? Infinity, at));
  }
  const returnsByCustomer = groupTimes(returns, (r) => r.customerId ?? orderById.get(r.orderId)?.customerId, (r) => r.createdAt);
  const returnedOrdersByCustomer = new Map<string, Set<string>>();
  for (const ret of returns) {
    const customerId = ret.customerId ?? orderById.get(ret.orderId)?.customerId;
    add(BASELINE_MEASURES.returnValue, ret.totalValue);
    add(BASELINE_MEASURES.returnUnits, ret.lineItems.reduce((sum, i) => sum + i.quantity, 0));
    const order = orderById.get(ret.orderId);
    const delivered = deliveries.get(ret.orderId) ?? (order ? Date.parse(order.createdAt) : undefined);
    if (delivered !== undefined) add(BASELINE_MEASURES.returnDaysAfterDelivery, (Date.parse(ret.createdAt) - delivered) / DAY_MS);
    if (customerId) {
      add(BASELINE_MEASURES.customerReturns90d, countWithin(returnsByCustomer.get(customerId)!, Date.parse(ret.createdAt), 90));
      let set = returnedOrdersByCustomer.get(customerId);
      if (!set) returnedOrdersByCustomer.set(customerId, (set = new Set()));
      set.add(ret.orderId);
    }
  }
  for (const [customerId, times] of ordersByCustomer) {
    if (times.length >= 2) add(BASELINE_MEASURES.customerReturnRate, (returnedOrdersByCustomer.get(customerId)?.size ?? 0) / times.length);
  }

  // Refunds: amount, and each customer's refund money in the 30 days before each refund.
  const refundsByCustomer = new Map<string, { at: number; amount: number }[]>();
  for (const refund of refunds) {
    add(BASELINE_MEASURES.refundAmount, refund.amount);
    const customerId = refund.customerId ?? orderById.get(refund.orderId)?.customerId;
    if (!customerId) continue;
    const list = refundsByCustomer.get(customerId) ?? [];
    list.push({ at: Date.parse(refund.createdAt), amount: refund.amount });
    refundsByCustomer.set(customerId, list);
  }
  for (const list of refundsByCustomer.values()) {
    list.sort((a, b) => a.at - b.at);
    for (const refund of list) {
      add(BASELINE_MEASURES.customerRefundValue30d, list.filter((r) => r.at < refund.at && refund.at - r.at <= 30 * DAY_MS).reduce((sum, r) => sum + r.amount, 0));
    }
  }

  const measures: Record<string, Percentiles> = {};
  for (const [measure, values] of Object.entries(samples)) if (values.length > 0) measures[measure] = percentiles(values);
  const { skuReturnRates, shopReturnRate } = returnRates(orders, returns, options.minSkuSold ?? 20);
  return { builtAt: options.asOf, measures, skuReturnRates, ...(shopReturnRate === undefined ? {} : { shopReturnRate }) };
}

/** Nearest-rank percentiles. */
export function percentiles(values: number[]): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
  return { p50: at(0.5), p75: at(0.75), p90: at(0.9), p95: at(0.95), p99: at(0.99), n: sorted.length };
}

function units(order: OrderRecord): number {
  return order.lineItems.reduce((sum, item) => sum + item.quantity, 0);
}

function groupTimes<T>(records: T[], key: (r: T) => string | null | undefined, time: (r: T) => string): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (const record of records) {
    const k = key(record);
    if (!k) continue;
    const list = groups.get(k) ?? [];
    list.push(Date.parse(time(record)));
    groups.set(k, list);
  }
  for (const list of groups.values()) list.sort((a, b) => a - b);
  return groups;
}

/** How many of the sorted times fall in the `days` before `at` (excluding `at` itself). */
function countWithin(sortedTimes: number[], at: number, days: number): number {
  let count = 0;
  for (const t of sortedTimes) if (t < at && at - t <= days * DAY_MS) count++;
  return count;
}

function returnRates(orders: OrderRecord[], returns: Ledger['returns'], minSold: number): { skuReturnRates: ShopBaseline['skuReturnRates']; shopReturnRate?: number } {
  const sold = new Map<string, number>();
  const skuByLine = new Map<string, string>();
  let soldUnits = 0;
  for (const order of orders) {
    for (const item of order.lineItems) {
      soldUnits += item.quantity;
      if (!item.sku) continue;
      sold.set(item.sku, (sold.get(item.sku) ?? 0) + item.quantity);
      skuByLine.set(item.id, item.sku);
    }
  }
  const returned = new Map<string, number>();
  let returnedUnits = 0;
  for (const ret of returns) {
    for (const item of ret.lineItems) {
      returnedUnits += item.quantity;
      const sku = item.sku ?? skuByLine.get(item.lineItemId);
      if (sku) returned.set(sku, (returned.get(sku) ?? 0) + item.quantity);
    }
  }
  const skuReturnRates: ShopBaseline['skuReturnRates'] = {};
  for (const [sku, count] of [...sold].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (count >= minSold) skuReturnRates[sku] = { rate: Math.min(1, (returned.get(sku) ?? 0) / count), sold: count };
  }
  return soldUnits > 0 ? { skuReturnRates, shopReturnRate: Math.min(1, returnedUnits / soldUnits) } : { skuReturnRates };
}

import { describe, it } from 'vitest';
import { SignalTester, makeLineItem, makeOrder, makeReturn, returnContext } from '../../sdk/testing/index.ts';
import bulkReturn from './bulk-return.ts';

/** An order of `lines` line items with `quantity` units each. */
const orderOf = (lines: number, quantity: number) =>
  makeOrder({ lineItems: Array.from({ length: lines }, () => makeLineItem({ quantity })) });
/** A return of the first `lines` lines of the order, `quantity` units each. */
const returnOf = (order: ReturnType<typeof makeOrder>, lines: number, quantity: number) =>
  makeReturn(order, {
    lineItems: order.lineItems.slice(0, lines).map((li) => ({ lineItemId: li.id, quantity, unitPrice: li.price })),
  });
const bulk = (orderLines: number, orderQty: number, lines: number, qty: number, baseline = {}) => {
  const order = orderOf(orderLines, orderQty);
  return returnContext(returnOf(order, lines, qty), order, { baseline });
};
const unitsBaseline = { measures: { 'return.units': { p50: 1, p75: 2, p90: 8, p95: 10, p99: 20, n: 400 } } };

new SignalTester({ describe, it }).run(bulkReturn, {
  hits: [
    {
      name: 'twelve units on two lines',
      ctx: bulk(4, 6, 2, 6),
      strength: [0.75, 0.8],
      evidence: { units: 12, lineItems: 2, unitThreshold: 5, sharePercent: 50 },
      messageId: 'bulk',
    },
    {
      name: 'six lines of one unit each',
      ctx: bulk(10, 1, 6, 1),
      strength: [0.45, 0.5],
      evidence: { units: 6, lineItems: 6 },
    },
    {
      name: 'a whole six-unit order',
      ctx: bulk(3, 2, 3, 2, unitsBaseline),
      strength: 1,
      evidence: { units: 6, orderUnits: 6, sharePercent: 100, unitThreshold: 10 },
      message: '6 units on 3 lines returned, 100% of a 6-unit order (bulk above 10 units or 4 lines).',
    },
  ],
  quiet: [
    { name: 'one unit', ctx: bulk(1, 1, 1, 1), evidence: { units: 1, sharePercent: 100 }, messageId: 'normal' },
    { name: "twelve units under the shop's p95 of twenty", ctx: bulk(4, 6, 2, 6, { measures: { 'return.units': { ...unitsBaseline.measures['return.units'], p95: 20 } } }), evidence: { unitThreshold: 20 } },
    { name: 'half of a large order', ctx: bulk(10, 1, 4, 1), evidence: { sharePercent: 40 } },
    { name: 'a whole order, but a higher large-order size', ctx: bulk(3, 2, 3, 2, unitsBaseline), params: { largeOrderUnits: 10 } },
  ],
  invalidParams: [
    { name: 'share above 1', params: { maxShare: 1.5 }, pointer: '/maxShare' },
    { name: 'zero units', params: { maxUnits: 0 }, pointer: '/maxUnits' },
  ],
});

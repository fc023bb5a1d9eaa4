import { describe, it } from 'vitest';
import type { OrderRecord } from '../../sdk/index.ts';
import { SignalTester, makeLineItem, makeOrder, makeReturn, returnContext } from '../../sdk/testing/index.ts';
import fullOrderReturns from './full-order-returns.ts';

const basket = (units = 3) => makeOrder({ lineItems: [makeLineItem({ quantity: units - 1 }), makeLineItem()] });
const returnAll = (order: OrderRecord, createdAt = '2026-01-05T00:00:00Z') =>
  makeReturn(order, { createdAt, lineItems: order.lineItems.map((l) => ({ lineItemId: l.id, quantity: l.quantity, reason: 'UNWANTED' })) });
const returnOne = (order: OrderRecord, createdAt = '2026-01-05T00:00:00Z') =>
  makeReturn(order, { createdAt, lineItems: [{ lineItemId: order.lineItems[1].id, quantity: 1, reason: 'UNWANTED' }] });

const pastFull = [basket(), basket(), basket(4)];
const single = makeOrder();
const partly = basket();
const current = basket();
const historyWith = (orders: OrderRecord[], returns = orders.map((o) => returnAll(o))) => ({ orders: [...orders, current], returns });
const now = (extra: ReturnType<typeof historyWith>, ret = returnAll(current, '2026-01-20T10:00:00Z')) =>
  returnContext(ret, current, { history: extra });

new SignalTester({ describe, it }).run(fullOrderReturns, {
  hits: [
    {
      name: 'third whole basket returned',
      ctx: now(historyWith(pastFull.slice(0, 2))),
      strength: 0.4,
      evidence: { fullReturns: 3, orderUnits: 3 },
      messageId: 'repeated',
    },
    {
      name: 'fourth, finished by a second return of this order',
      ctx: now(
        { ...historyWith(pastFull), returns: [...pastFull.map((o) => returnAll(o)), returnOne(current, '2026-01-10T00:00:00Z')] },
        makeReturn(current, { createdAt: '2026-01-20T10:00:00Z', lineItems: [{ lineItemId: current.lineItems[0].id, quantity: 2 }] }),
      ),
      strength: [0.59, 0.61],
      evidence: { fullReturns: 4 },
    },
  ],
  quiet: [
    { name: 'this return is partial', ctx: now(historyWith(pastFull), returnOne(current, '2026-01-20T10:00:00Z')), messageId: 'notFull' },
    {
      name: 'past returns were partial or single-item orders',
      ctx: now(historyWith([pastFull[0], partly, single], [returnAll(pastFull[0]), returnOne(partly), returnAll(single)])),
      evidence: { fullReturns: 2 },
      messageId: 'normal',
    },
    { name: 'a higher threshold', ctx: now(historyWith(pastFull.slice(0, 2))), params: { minOrders: 4 } },
  ],
  insufficient: [
    { name: 'guest checkout', ctx: returnContext(returnAll(current, '2026-01-20T10:00:00Z'), current, { customer: null }), messageId: 'guest' },
  ],
  invalidParams: [{ name: 'one order is not repeated', params: { minOrders: 1 }, pointer: '/minOrders' }],
});

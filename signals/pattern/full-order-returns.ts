import { defineSignal } from '../../sdk/index.ts';
import type { OrderRecord, ReturnRecord } from '../../sdk/index.ts';
import { orderedUnits, ramp, returnedUnits, returnsIncludingSubject } from '../support.ts';

interface Params {
  minOrders: number;
  minUnits: number;
}

/** Every unit of the order has gone back, over all its returns. */
function fullyReturned(order: OrderRecord, returns: readonly ReturnRecord[]): boolean {
  const units = returns.filter((r) => r.orderId === order.id).reduce((sum, r) => sum + returnedUnits(r), 0);
  return units >= orderedUnits(order);
}

/** The customer sends back whole multi-item orders again and again. */
export default defineSignal<Params>({
  meta: {
    id: 'pattern.full-order-returns',
    version: '1.0.0',
    title: 'Whole orders returned repeatedly',
    description:
      'With this return the whole order goes back, and the customer has returned whole orders before. Repeatedly buying baskets and returning everything points to try-on-and-return or wear-and-return habits.',
    category: 'pattern',
    appliesTo: ['return'],
    defaultWeight: 12,
    params: {
      type: 'object',
      properties: {
        minOrders: {
          type: 'integer',
          minimum: 2,
          maximum: 100,
          default: 3,
          description: 'Fully returned orders (this one included) that count as repeated.',
        },
        minUnits: {
          type: 'integer',
          minimum: 1,
          maximum: 100,
          default: 2,
          description: 'Units an order needs to count (returning a one-item order whole is ordinary).',
        },
      },
    },
    needs: ['subject', 'customer', 'history.orders', 'history.returns'],
    messages: {
      repeated: '{{fullReturns}} orders returned in full, this one included.',
      normal: '{{fullReturns}} order(s) returned in full.',
      notFull: 'This return does not complete a whole-order return.',
      guest: 'Guest checkout: no customer history to count whole-order returns in.',
    },
  },
  evaluate(ctx, params) {
    const subject = ctx.subject;
    if (subject.kind !== 'return') return { status: 'no_hit' };
    const returns = returnsIncludingSubject(ctx);
    if (orderedUnits(subject.order) < params.minUnits || !fullyReturned(subject.order, returns)) {
      return { status: 'no_hit', messageId: 'notFull' };
    }
    if (ctx.customer === null) return { status: 'insufficient_data', messageId: 'guest' };
    const pastOrderIds = new Set(ctx.history.returns.map((r) => r.orderId));
    pastOrderIds.delete(subject.order.id);
    const pastFull = ctx.history.orders.filter(
      (o) => pastOrderIds.has(o.id) && orderedUnits(o) >= params.minUnits && fullyReturned(o, ctx.history.returns),
    ).length;
    const fullReturns = pastFull + 1;
    const evidence = { fullReturns, orderUnits: orderedUnits(subject.order) };
    if (fullReturns < params.minOrders) return { status: 'no_hit', messageId: 'normal', evidence };
    return { status: 'hit', strength: ramp(fullReturns, params.minOrders, params.minOrders + 3, 0.4), messageId: 'repeated', evidence };
  },
});

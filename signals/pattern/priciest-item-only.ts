import { defineSignal } from '../../sdk/index.ts';
import type { OrderRecord, ReturnRecord } from '../../sdk/index.ts';
import { ramp } from '../support.ts';

interface Params {
  minOrders: number;
  minPriceRatio: number;
}

/** The return holds only the order's most expensive line, clearly pricier than the rest. */
function priciestOnly(ret: ReturnRecord, order: OrderRecord | undefined, minPriceRatio: number): boolean {
  if (!order || order.lineItems.length < 2) return false;
  const returned = new Set(ret.lineItems.map((i) => i.lineItemId));
  const [top, next] = [...order.lineItems].sort((a, b) => b.price - a.price);
  return returned.size === 1 && returned.has(top.id) && top.price > next.price && top.price >= minPriceRatio * next.price;
}

/** Across orders, only the most expensive item is returned and the cheap ones kept. */
export default defineSignal<Params>({
  meta: {
    id: 'pattern.priciest-item-only',
    version: '1.0.0',
    title: 'Only the priciest item returned, again',
    description:
      'The return holds only the most expensive item of a multi-item order while the cheaper ones are kept, and the customer did the same on other orders. Cheap items can qualify the order for free shipping or a discount, and the expensive one is where a worn or swapped item pays off.',
    category: 'pattern',
    appliesTo: ['return'],
    defaultWeight: 10,
    params: {
      type: 'object',
      properties: {
        minOrders: {
          type: 'integer',
          minimum: 1,
          maximum: 50,
          default: 2,
          description: 'Orders (this one included) where only the priciest item went back.',
        },
        minPriceRatio: {
          type: 'number',
          minimum: 1,
          maximum: 100,
          default: 1.5,
          description: 'How many times pricier than the next item the returned one must be.',
        },
      },
    },
    needs: ['subject', 'customer', 'history.orders', 'history.returns'],
    messages: {
      repeated: 'Only the priciest item ({{price}}) returned from {{orders}} orders, this one included.',
      once: 'Only the priciest item returned here; not on other orders.',
      normal: 'Not a return of only the priciest item.',
      guest: 'Guest checkout: no customer history to see whether this repeats.',
    },
  },
  evaluate(ctx, params) {
    const subject = ctx.subject;
    if (subject.kind !== 'return') return { status: 'no_hit' };
    if (!priciestOnly(subject.return, subject.order, params.minPriceRatio)) return { status: 'no_hit', messageId: 'normal' };
    if (ctx.customer === null) return { status: 'insufficient_data', messageId: 'guest' };
    const orderIds = new Set([subject.order.id]);
    for (const r of ctx.history.returns) {
      if (priciestOnly(r, ctx.history.orders.find((o) => o.id === r.orderId), params.minPriceRatio)) orderIds.add(r.orderId);
    }
    const price = Math.max(...subject.order.lineItems.map((l) => l.price));
    const evidence = { orders: orderIds.size, price };
    if (orderIds.size < params.minOrders) return { status: 'no_hit', messageId: 'once', evidence };
    return { status: 'hit', strength: ramp(orderIds.size, params.minOrders, params.minOrders + 2, 0.4), messageId: 'repeated', evidence };
  },
});

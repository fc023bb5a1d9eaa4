import { defineSignal } from '../../sdk/index.ts';
import { ramp } from '../support.ts';

interface Params {
  minOrders: number;
}

/** A returning customer suddenly ships somewhere they never shipped before. */
export default defineSignal<Params>({
  meta: {
    id: 'order.new-shipping-address',
    version: '1.0.0',
    title: 'New shipping address',
    description:
      'A returning customer ships this order to an address none of their earlier orders used. A taken-over account is typically redirected to a new address; people also move or send gifts, so this is weak evidence alone. It weighs more when the customer always used the same address before.',
    category: 'order',
    appliesTo: ['order'],
    defaultWeight: 6,
    params: {
      type: 'object',
      properties: {
        minOrders: {
          type: 'integer',
          minimum: 1,
          maximum: 100,
          default: 2,
          description: 'Earlier orders with a known shipping address needed to judge; full strength at 4 times this.',
        },
      },
    },
    needs: ['subject', 'customer', 'history.orders'],
    messages: {
      newAddress: 'New shipping address after {{priorOrders}} earlier orders to {{priorAddresses}} other address(es).',
      known: 'Ships to an address used on earlier orders.',
      guest: 'Guest checkout: no earlier addresses to compare.',
      noAddress: 'The order has no shipping address to compare.',
      tooFew: 'Only {{priorOrders}} earlier order(s) with a shipping address; {{minOrders}} needed.',
    },
  },
  evaluate(ctx, params) {
    if (ctx.customer === null) return { status: 'insufficient_data', messageId: 'guest' };
    const hash = ctx.subject.order.shippingAddress?.hash;
    if (hash === undefined) return { status: 'insufficient_data', messageId: 'noAddress' };
    const uses = new Map<string, number>();
    for (const order of ctx.history.orders) {
      const prior = order.shippingAddress?.hash;
      if (prior !== undefined) uses.set(prior, (uses.get(prior) ?? 0) + 1);
    }
    const priorOrders = [...uses.values()].reduce((sum, n) => sum + n, 0);
    const evidence = { priorOrders, priorAddresses: uses.size, minOrders: params.minOrders };
    if (priorOrders < params.minOrders) return { status: 'insufficient_data', messageId: 'tooFew', evidence };
    if (uses.has(hash)) return { status: 'no_hit', messageId: 'known', evidence };
    // More history, and a customer who always used one address, make the new one more telling.
    const consistency = Math.max(...uses.values()) / priorOrders;
    const strength = ramp(priorOrders, params.minOrders, 4 * params.minOrders, 0.4) * (0.5 + 0.5 * consistency);
    return { status: 'hit', strength, messageId: 'newAddress', evidence };
  },
});

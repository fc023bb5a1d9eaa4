import { defineSignal } from '../../sdk/index.ts';
import { ms, ramp } from '../support.ts';

interface Params {
  minOrders: number;
}

/**
 * The order ships to a country the customer never shipped to before, although all their earlier
 * orders went elsewhere. For a return, the returned order is compared with the orders before it.
 */
export default defineSignal<Params>({
  meta: {
    id: 'order.geo-anomaly',
    version: '1.0.0',
    title: 'Ships to a new country',
    description:
      'The order ships to a country this customer has never used, while all of their earlier orders went to other countries: a sign of a taken-over account or reshipping.',
    category: 'order',
    appliesTo: ['order', 'return'],
    defaultWeight: 10,
    params: {
      type: 'object',
      properties: {
        minOrders: { type: 'integer', minimum: 1, maximum: 100, default: 3, description: 'Earlier orders with a known country needed before judging.' },
      },
    },
    needs: ['subject', 'history.orders'],
    messages: {
      newCountry: 'Ships to {{country}}; the {{priorOrders}} earlier orders went to {{priorCountries}}.',
      usual: 'Ships to {{country}}, as before.',
      unknown: 'Shipping country unknown or only {{priorOrders}} earlier orders with a known country ({{minOrders}} needed).',
    },
  },
  evaluate(ctx, params) {
    const order = ctx.subject.order;
    const country = order.shippingAddress?.countryCode?.toUpperCase();
    const before = ctx.history.orders.filter((o) => o.id !== order.id && ms(o.createdAt) < ms(order.createdAt));
    const priorCountries = [...new Set(before.map((o) => o.shippingAddress?.countryCode?.toUpperCase()).filter((c) => c !== undefined && c !== ''))];
    const priorOrders = before.filter((o) => o.shippingAddress?.countryCode).length;
    if (!country || priorOrders < params.minOrders) {
      return { status: 'insufficient_data', messageId: 'unknown', evidence: { priorOrders, minOrders: params.minOrders } };
    }
    const evidence = { country, priorOrders, priorCountries: priorCountries.slice(0, 5).join(', ') };
    if (priorCountries.includes(country)) return { status: 'no_hit', messageId: 'usual', evidence };
    // A longer history in other countries makes the new one more telling.
    return { status: 'hit', strength: ramp(priorOrders, params.minOrders, params.minOrders * 3, 0.5), messageId: 'newCountry', evidence };
  },
});

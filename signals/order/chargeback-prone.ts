import { BASELINE_MEASURES, baselinePercentile, defineSignal } from '../../sdk/index.ts';
import { daysBetween, round2 } from '../support.ts';

interface Params {
  minFactors: number;
  maxAccountDays: number;
  fallbackValue: number;
  resellableTypes: string[];
}

/** The friendly-fraud pattern: new buyer, big basket, easy-to-resell goods, far-away IP. */
export default defineSignal<Params>({
  meta: {
    id: 'order.chargeback-prone',
    version: '1.0.0',
    title: 'Chargeback-prone order',
    description:
      'The order matches the pattern behind most "friendly fraud" chargebacks: a new customer, a high order value, easy-to-resell or digital goods (gift cards, electronics, sneakers, items that need no shipping), and a browser located in another country than the delivery address. Strength is the share of these four factors present.',
    category: 'order',
    appliesTo: ['order'],
    defaultWeight: 18,
    params: {
      type: 'object',
      properties: {
        minFactors: { type: 'integer', minimum: 1, maximum: 4, default: 2, description: 'Factors (of 4) needed to fire.' },
        maxAccountDays: {
          type: 'integer',
          minimum: 0,
          maximum: 3650,
          default: 30,
          description: 'An account younger than this many days counts as new, even with earlier orders.',
        },
        fallbackValue: {
          type: 'number',
          minimum: 0,
          maximum: 1000000,
          default: 250,
          description: "Order value that counts as high when the shop has no baseline (else the shop's p90 order value).",
        },
        resellableTypes: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          minItems: 0,
          maxItems: 50,
          default: ['electronics', 'gift card', 'sneakers', 'phone', 'console'],
          description: 'Product types (matched case-insensitively as part of the type) that resell easily.',
        },
      },
    },
    needs: ['subject', 'customer', 'history.orders', 'baseline'],
    messages: {
      prone: '{{count}} of 4 chargeback risk factors: {{factors}}.',
      normal: '{{count}} of 4 chargeback risk factors.',
    },
  },
  evaluate(ctx, params) {
    const order = ctx.subject.order;
    const customer = ctx.customer;
    const newCustomer =
      customer === null ||
      ctx.history.orders.length === 0 ||
      (customer.createdAt !== undefined && daysBetween(customer.createdAt, ctx.now) < params.maxAccountDays);
    const threshold = baselinePercentile(ctx, BASELINE_MEASURES.orderValue, 'p90', params.fallbackValue);
    const highValue = order.totalPrice > threshold;
    const types = params.resellableTypes.map((type) => type.toLowerCase());
    const resellable = order.lineItems.some(
      (item) =>
        item.giftCard === true ||
        item.requiresShipping === false ||
        types.some((type) => item.productType?.toLowerCase().includes(type)),
    );
    const ip = order.browserIpCountryCode?.toUpperCase();
    const destination = (order.shippingAddress?.countryCode ?? order.billingAddress?.countryCode)?.toUpperCase();
    const ipMismatch = ip !== undefined && destination !== undefined && ip !== destination;
    const present = Object.entries({ 'new customer': newCustomer, 'high value': highValue, resellable, 'foreign IP': ipMismatch })
      .filter(([, on]) => on)
      .map(([factor]) => factor);
    const evidence = { count: present.length, factors: present, value: round2(order.totalPrice), threshold: round2(threshold) };
    if (present.length < params.minFactors) return { status: 'no_hit', messageId: 'normal', evidence };
    const data = { count: present.length, factors: present.join(', ') };
    return { status: 'hit', strength: present.length / 4, messageId: 'prone', evidence, data };
  },
});

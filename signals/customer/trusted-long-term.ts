import { defineSignal } from '../../sdk/index.ts';

interface Params {
  minOrders: number;
  minAccountDays: number;
  maxReturnRate: number;
}

const DAY_MS = 86_400_000;

/** A negative-weight trust signal: an old account with many kept orders and no disputes. */
export default defineSignal<Params>({
  meta: {
    id: 'customer.trusted-long-term',
    version: '1.0.0',
    title: 'Trusted long-term customer',
    description:
      'A long-standing customer with many orders, few returns and no chargebacks. Lowers the score (negative weight).',
    category: 'customer',
    appliesTo: ['order', 'return', 'refund'],
    defaultWeight: -15,
    params: {
      type: 'object',
      properties: {
        minOrders: { type: 'integer', minimum: 1, default: 5, description: 'Orders needed to be trusted.' },
        minAccountDays: { type: 'integer', minimum: 0, default: 180, description: 'Account age needed, in days.' },
        maxReturnRate: { type: 'number', minimum: 0, maximum: 1, default: 0.25, description: 'Highest return rate allowed.' },
      },
    },
    needs: ['customer', 'history.orders', 'history.returns', 'history.chargebacks'],
    messages: {
      trusted: 'Customer for {{accountDays}} days, {{orders}} orders, {{returnRatePercent}}% returned, no chargebacks.',
      notTrusted: 'Not (yet) a trusted long-term customer.',
      guest: 'Guest checkout: no account to trust.',
    },
  },
  evaluate(ctx, params) {
    const customer = ctx.customer;
    if (customer === null || customer.createdAt === undefined) return { status: 'insufficient_data', messageId: 'guest' };
    const accountDays = Math.floor((Date.parse(ctx.now) - Date.parse(customer.createdAt)) / DAY_MS);
    const orders = ctx.history.orders.length;
    const returnedOrders = new Set(ctx.history.returns.map((r) => r.orderId)).size;
    const returnRate = orders === 0 ? 0 : returnedOrders / orders;
    const evidence = { accountDays, orders, returnRatePercent: Math.round(returnRate * 100) };
    const trusted =
      accountDays >= params.minAccountDays &&
      orders >= params.minOrders &&
      returnRate <= params.maxReturnRate &&
      ctx.history.chargebacks.length === 0;
    if (!trusted) return { status: 'no_hit', messageId: 'notTrusted', evidence };
    // Full trust at twice the order requirement.
    return { status: 'hit', strength: Math.min(1, orders / (2 * params.minOrders)), messageId: 'trusted', evidence };
  },
});

import { defineSignal, identityOf } from '../../sdk/index.ts';
import { DAY_MS, ms, ramp } from '../support.ts';

interface Params {
  minCards: number;
  days: number;
  minDeviceCards: number;
  maxDeviceSharedWith: number;
}

/**
 * Many different cards (keyed fingerprints, `identity.payment`) on one customer's orders lately, or
 * on the orders of one device within a day, this order's card included: stolen cards are tried one
 * after another until one passes. A device used by more than `maxDeviceSharedWith` others (a
 * popular browser: the device hash is the user agent and language) is not judged.
 */
export default defineSignal<Params>({
  meta: {
    id: 'customer.card-churn',
    version: '1.0.0',
    title: 'Many cards',
    description:
      "The customer paid with many different cards lately, or many different cards were used on this order's device within a day (this order's card included): stolen cards are tried one after another until one passes. A renewed card or a couple's two cards on a family device stay below the thresholds.",
    category: 'customer',
    appliesTo: ['order'],
    defaultWeight: 15,
    params: {
      type: 'object',
      properties: {
        minCards: { type: 'integer', minimum: 2, maximum: 50, default: 3, description: "Distinct cards on the customer's orders within `days` (this one included) that count (full strength at three more)." },
        days: { type: 'integer', minimum: 1, maximum: 365, default: 30, description: "The window of the customer's orders whose cards are counted." },
        minDeviceCards: { type: 'integer', minimum: 2, maximum: 25, default: 3, description: "Distinct cards on the device's orders within 24 hours (this one included) that count (full strength at three more)." },
        maxDeviceSharedWith: { type: 'integer', minimum: 1, maximum: 50, default: 10, description: 'A device used by more others than this is common (a popular browser) and is not judged.' },
      },
    },
    needs: ['derived', 'history.orders'],
    messages: {
      customer: '{{customerCards}} different cards on this customer’s orders in {{days}} days.',
      device: '{{deviceCards}} different cards on this device’s orders within 24 hours.',
      few: '{{customerCards}} card(s) on this customer’s orders in {{days}} days, {{deviceCards}} on this device within 24 hours.',
      noCards: 'No card fingerprint on this order or the customer’s recent ones.',
      noFacts: 'The context carries no identity facts.',
    },
  },
  evaluate(ctx, params) {
    const identity = identityOf(ctx);
    if (!identity) return { status: 'insufficient_data', messageId: 'noFacts' };
    const since = ms(ctx.now) - params.days * DAY_MS;
    const cards = new Set<string>();
    const own = ctx.subject.order.identity?.payment;
    if (own) cards.add(own);
    for (const order of ctx.history.orders) if (order.identity?.payment && ms(order.createdAt) >= since) cards.add(order.identity.payment);
    const device = identity.identifiers.find((id) => id.kind === 'device');
    const deviceJudged = device !== undefined && device.sharedWith <= params.maxDeviceSharedWith && identity.cards.device !== undefined;
    const deviceCards = deviceJudged ? identity.cards.device! : 0;
    if (cards.size === 0 && deviceCards === 0) return { status: 'insufficient_data', messageId: 'noCards' };
    const evidence = { customerCards: cards.size, customerCardsEver: identity.cards.customer, deviceCards, deviceJudged, days: params.days };
    const byCustomer = cards.size >= params.minCards ? ramp(cards.size, params.minCards, params.minCards + 3) : 0;
    const byDevice = deviceCards >= params.minDeviceCards ? ramp(deviceCards, params.minDeviceCards, params.minDeviceCards + 3) : 0;
    if (byCustomer === 0 && byDevice === 0) return { status: 'no_hit', messageId: 'few', evidence };
    const strength = Math.round(Math.max(byCustomer, byDevice) * 100) / 100;
    return { status: 'hit', strength, messageId: byDevice > byCustomer ? 'device' : 'customer', evidence };
  },
});

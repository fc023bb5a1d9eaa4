import { defineSignal } from '../../sdk/index.ts';

/** The buyer's browser was in another country than the order's shipping and billing addresses. */
export default defineSignal<Record<string, never>>({
  meta: {
    id: 'order.ip-country-mismatch',
    version: '1.0.0',
    title: 'Browser in another country',
    description:
      "The order was placed from a browser located in another country than the shipping address (and billing address). Fraudsters abroad ship to drop addresses in the card owner's country; travellers and VPNs explain some cases, so this is weak evidence alone.",
    category: 'order',
    appliesTo: ['order'],
    defaultWeight: 8,
    params: { type: 'object', properties: {} },
    needs: ['subject'],
    messages: {
      mismatch: 'Browser in {{ipCountry}}, shipping to {{shippingCountry}}, billing in {{billingCountry}}.',
      match: 'Browser country {{ipCountry}} matches the order.',
      unknown: 'The browser country or the address country is unknown.',
    },
  },
  evaluate(ctx) {
    const order = ctx.subject.order;
    const ipCountry = order.browserIpCountryCode?.toUpperCase();
    const shippingCountry = order.shippingAddress?.countryCode?.toUpperCase() ?? null;
    const billingCountry = order.billingAddress?.countryCode?.toUpperCase() ?? null;
    const known = [shippingCountry, billingCountry].filter((country) => country !== null);
    if (!ipCountry || known.length === 0) return { status: 'insufficient_data', messageId: 'unknown' };
    const evidence = { ipCountry, shippingCountry, billingCountry };
    const mismatches = known.filter((country) => country !== ipCountry).length;
    if (mismatches === 0) return { status: 'no_hit', messageId: 'match', evidence };
    // Differs from both addresses: 1; from the only known one: 0.8; from one of two (e.g. a gift sent home): 0.5.
    const strength = mismatches < known.length ? 0.5 : known.length === 2 ? 1 : 0.8;
    const data = { ipCountry, shippingCountry: shippingCountry ?? 'unknown', billingCountry: billingCountry ?? 'unknown' };
    return { status: 'hit', strength, messageId: 'mismatch', evidence, data };
  },
});

import { defineSignal, type SignalOutcome } from '../../sdk/index.ts';
import { ramp } from '../support.ts';

interface Params {
  minKm: number;
  fullKm: number;
}

/** The browser was far from the order's shipping and billing addresses. */
export default defineSignal<Params>({
  meta: {
    id: 'order.ip-far-from-address',
    version: '1.0.0',
    title: 'Browser far from the addresses',
    description:
      "The buyer's browser IP is far from the shipping and billing addresses: at least `minKm` between the address and the nearest border of the IP's country (IP data are country-level, so this is a lower bound and a neighbouring country's border town stays quiet). Unlike a plain country mismatch it tells a buyer across a border from one on another continent, the usual shape of a stolen card used from abroad. Strength grows to 1 at `fullKm`; half when only one of two known addresses is far (a gift sent abroad).",
    category: 'order',
    appliesTo: ['order'],
    defaultWeight: 8,
    params: {
      type: 'object',
      properties: {
        minKm: { type: 'integer', minimum: 1, maximum: 20000, default: 500, description: 'Distance (km) from an address to the IP country that counts as far.' },
        fullKm: { type: 'integer', minimum: 1, maximum: 20000, default: 3000, description: 'Distance (km) at which the signal reaches full strength.' },
      },
    },
    needs: ['subject'],
    messages: {
      far: 'Browser in {{ipCountry}}, at least {{km}} km from the {{addresses}}.',
      near: 'Browser in {{ipCountry}}, within {{minKm}} km of the addresses.',
      unknown: "The browser IP's country or the addresses' coordinates are unknown.",
    },
  },
  evaluate(ctx, params): SignalOutcome {
    const order = ctx.subject.order;
    const ipCountry = order.browserIpCountryCode;
    const shippingKm = order.browserIpShippingMinKm ?? null;
    const billingKm = order.browserIpBillingMinKm ?? null;
    const known = [shippingKm, billingKm].filter((km) => km !== null);
    if (!ipCountry || known.length === 0) return { status: 'insufficient_data', messageId: 'unknown' };
    const evidence = { ipCountry, shippingKm, billingKm, minKm: params.minKm };
    const far = known.filter((km) => km >= params.minKm);
    if (far.length === 0) return { status: 'no_hit', messageId: 'near', evidence, data: { ipCountry, minKm: params.minKm } };
    // The nearest far address decides the strength; far from only one of two known: half.
    const km = Math.min(...far);
    const strength = ramp(km, params.minKm, params.fullKm, 0.5) * (far.length < known.length ? 0.5 : 1);
    const addresses =
      far.length < known.length ? (shippingKm !== null && shippingKm >= params.minKm ? 'shipping address' : 'billing address')
      : known.length === 2 ? 'shipping and billing addresses'
      : shippingKm !== null ? 'shipping address' : 'billing address';
    return { status: 'hit', strength, messageId: 'far', evidence, data: { ipCountry, km, addresses } };
  },
});

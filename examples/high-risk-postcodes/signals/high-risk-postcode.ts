import { defineSignal } from '@refundsentry/sdk';

export interface HighRiskPostcodeParams {
  /** The shop's high-risk areas: ISO country code and postcode prefix, e.g. { country: 'GB', prefix: 'E1' }. */
  areas: { country: string; prefix: string }[];
  /** Orders below this total (shop currency) are not flagged: small parcels are rarely worth the risk. */
  minOrderValue: number;
}

const normalize = (postcode: string) => postcode.replace(/\s+/g, '').toUpperCase();

/**
 * Fires when the order (or the order a return or refund belongs to) ships to a postcode area
 * on the shop's own list, e.g. drop-shipping hubs or areas where parcels "never arrive".
 * RefundSentry stores only the first characters of a postcode, so list prefixes no longer
 * than that (the outward code in the UK, three digits in the US).
 */
export default defineSignal<HighRiskPostcodeParams>({
  meta: {
    id: 'acme.high-risk-postcode',
    version: '1.0.0',
    title: 'Ships to a high-risk postcode',
    description: 'The order ships to a postcode area the shop lists as high risk (its own list of parcel-fraud hot spots).',
    category: 'order',
    appliesTo: ['order', 'return', 'refund'],
    defaultWeight: 20,
    params: {
      type: 'object',
      properties: {
        areas: {
          type: 'array',
          maxItems: 5000,
          items: {
            type: 'object',
            required: ['country', 'prefix'],
            additionalProperties: false,
            properties: {
              country: { type: 'string', pattern: '^[A-Za-z]{2}$' },
              prefix: { type: 'string', minLength: 1, maxLength: 8 },
            },
          },
          default: [],
        },
        minOrderValue: { type: 'number', minimum: 0, default: 0 },
      },
    },
    needs: ['subject'],
    messages: {
      listed: 'Ships to {{country}} {{postcode}}, listed as high risk ({{prefix}}).',
      unlisted: '{{country}} {{postcode}} is not on the high-risk list.',
      noPostcode: 'The order has no shipping postcode to check.',
      small: 'Ships to a listed area, but the order ({{total}}) is below {{minOrderValue}}.',
    },
  },
  evaluate(ctx, params) {
    if (params.areas.length === 0) return { status: 'no_hit' };
    const { order } = ctx.subject;
    const address = order.shippingAddress;
    if (!address?.countryCode || !address.postcodePrefix) return { status: 'insufficient_data', messageId: 'noPostcode' };
    const country = address.countryCode.toUpperCase();
    const postcode = normalize(address.postcodePrefix);
    const match = params.areas.find((area) => area.country.toUpperCase() === country && postcode.startsWith(normalize(area.prefix)));
    if (!match) return { status: 'no_hit', messageId: 'unlisted', evidence: { country, postcode } };
    const evidence = { country, postcode, prefix: normalize(match.prefix), total: order.totalPrice };
    if (order.totalPrice < params.minOrderValue) return { status: 'no_hit', messageId: 'small', evidence, data: { total: order.totalPrice, minOrderValue: params.minOrderValue } };
    return { status: 'hit', strength: 1, messageId: 'listed', evidence };
  },
});

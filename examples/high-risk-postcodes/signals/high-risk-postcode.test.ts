import { describe, it } from 'vitest';
import { SignalTester, makeOrder, orderContext, returnContext } from '@refundsentry/sdk/testing';
import highRiskPostcode from './high-risk-postcode.ts';

const areas = [
  { country: 'GB', prefix: 'E1' },
  { country: 'us', prefix: '331' },
];
const shippedTo = (countryCode: string | undefined, postcodePrefix: string | undefined, totalPrice = 120) =>
  makeOrder({ totalPrice, shippingAddress: countryCode || postcodePrefix ? { countryCode, postcodePrefix } : undefined });

new SignalTester({ describe, it }).run(highRiskPostcode, {
  hits: [
    {
      name: 'a listed UK outward code',
      ctx: orderContext(shippedTo('GB', 'E1W')),
      params: { areas },
      strength: 1,
      evidence: { country: 'GB', postcode: 'E1W', prefix: 'E1', total: 120 },
      message: 'Ships to GB E1W, listed as high risk (E1).',
    },
    {
      name: 'the return of an order that went to a listed US area (case and spaces ignored)',
      ctx: returnContext(undefined, shippedTo('US', '331 ')),
      params: { areas },
      evidence: { country: 'US', postcode: '331' },
      messageId: 'listed',
    },
  ],
  quiet: [
    { name: 'no list configured', ctx: orderContext(shippedTo('GB', 'E1W')) },
    { name: 'same prefix, another country', ctx: orderContext(shippedTo('US', 'E1W')), params: { areas }, messageId: 'unlisted' },
    { name: 'an unlisted area', ctx: orderContext(shippedTo('GB', 'SW1A')), params: { areas }, evidence: { country: 'GB', postcode: 'SW1A' } },
    {
      name: 'a listed area, but a small order',
      ctx: orderContext(shippedTo('GB', 'E1W', 15)),
      params: { areas, minOrderValue: 50 },
      message: 'Ships to a listed area, but the order (15) is below 50.',
    },
  ],
  insufficient: [
    { name: 'no shipping address (a digital order)', ctx: orderContext(shippedTo(undefined, undefined)), params: { areas }, messageId: 'noPostcode' },
    { name: 'a country without postcodes', ctx: returnContext(undefined, shippedTo('IE', undefined)), params: { areas } },
  ],
  invalidParams: [
    { name: 'a country that is not an ISO code', params: { areas: [{ country: 'United Kingdom', prefix: 'E1' }] }, pointer: '/areas/0/country' },
    { name: 'a negative minimum', params: { minOrderValue: -1 }, pointer: '/minOrderValue' },
  ],
});

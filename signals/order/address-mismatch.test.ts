import { describe, it } from 'vitest';
import type { AddressSummary } from '../../sdk/index.ts';
import { SignalTester, makeOrder, orderContext } from '../../sdk/testing/index.ts';
import addressMismatch from './address-mismatch.ts';

const london: AddressSummary = { countryCode: 'GB', provinceCode: 'ENG', postcodePrefix: 'SW1A', latitude: 51.5, longitude: -0.13, hash: 'a1' };
const camden: AddressSummary = { ...london, postcodePrefix: 'NW1', latitude: 51.54, longitude: -0.14, hash: 'a2' };
const manchester: AddressSummary = { countryCode: 'GB', provinceCode: 'ENG', postcodePrefix: 'M1', latitude: 53.48, longitude: -2.24, hash: 'a3' };
const paris: AddressSummary = { countryCode: 'FR', provinceCode: 'IDF', postcodePrefix: '750', latitude: 48.86, longitude: 2.35, hash: 'a4' };
const ctx = (shippingAddress?: AddressSummary, billingAddress?: AddressSummary) =>
  orderContext(makeOrder({ shippingAddress, billingAddress }));

new SignalTester({ describe, it }).run(addressMismatch, {
  hits: [
    {
      name: 'billed in London, shipped to Paris',
      ctx: ctx(paris, london),
      strength: 1,
      evidence: { countryDiffers: true, distanceKm: 343 },
      message: 'Billing and shipping differ: country, region, postcode area, 343 km apart.',
    },
    {
      name: 'London to Manchester, 262 km',
      ctx: ctx(manchester, london),
      strength: [0.4, 0.43],
      evidence: { countryDiffers: false, provinceDiffers: false, postcodeDiffers: true, distanceKm: 262 },
      messageId: 'mismatch',
    },
    {
      name: 'another region without coordinates',
      ctx: ctx({ countryCode: 'US', provinceCode: 'NY' }, { countryCode: 'US', provinceCode: 'NJ' }),
      strength: 0.5,
      evidence: { provinceDiffers: true, distanceKm: null },
    },
    { name: 'a nearby postcode area', ctx: ctx(camden, london), strength: 0.25, evidence: { postcodeDiffers: true, distanceKm: 5 } },
  ],
  quiet: [
    { name: 'the same address', ctx: ctx(london, { ...london }), messageId: 'match', evidence: { sameAddress: true } },
    {
      name: 'same postcode area, nearby, different hashes',
      ctx: ctx({ ...london, hash: 'b1' }, { ...london, latitude: 51.51, hash: 'b2' }),
      evidence: { distanceKm: 1 },
    },
    {
      name: 'postcode prefixes compared on their common length',
      ctx: ctx({ countryCode: 'US', postcodePrefix: '941' }, { countryCode: 'US', postcodePrefix: '94107' }),
    },
  ],
  insufficient: [
    { name: 'no billing address', ctx: ctx(london, undefined), messageId: 'missing', evidence: { billing: false } },
    { name: 'addresses with nothing comparable', ctx: ctx({ hash: 'c1' }, { hash: 'c2' }) },
  ],
  invalidParams: [{ name: 'zero distance', params: { maxDistanceKm: 0 }, pointer: '/maxDistanceKm' }],
});

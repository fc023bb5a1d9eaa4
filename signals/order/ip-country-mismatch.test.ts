import { describe, it } from 'vitest';
import { SignalTester, makeOrder, orderContext } from '../../sdk/testing/index.ts';
import ipCountryMismatch from './ip-country-mismatch.ts';

const order = (ip?: string, ship?: string, bill?: string) =>
  orderContext(
    makeOrder({
      browserIpCountryCode: ip,
      shippingAddress: ship ? { countryCode: ship } : undefined,
      billingAddress: bill ? { countryCode: bill } : undefined,
    }),
  );

new SignalTester({ describe, it }).run(ipCountryMismatch, {
  hits: [
    {
      name: 'a browser in Vietnam for a US order',
      ctx: order('VN', 'US', 'US'),
      strength: 1,
      message: 'Browser in VN, shipping to US, billing in US.',
    },
    {
      name: 'only a shipping country, and it differs',
      ctx: order('RO', 'GB'),
      strength: 0.8,
      evidence: { billingCountry: null },
      message: 'Browser in RO, shipping to GB, billing in unknown.',
    },
    { name: 'shipping abroad from the billing country', ctx: order('FR', 'DE', 'fr'), strength: 0.5, evidence: { shippingCountry: 'DE', billingCountry: 'FR' } },
  ],
  quiet: [
    { name: 'all in the US', ctx: order('US', 'US', 'US'), messageId: 'match' },
    { name: 'case does not matter, billing only', ctx: order('ca', undefined, 'CA'), evidence: { ipCountry: 'CA' } },
  ],
  insufficient: [
    { name: 'no browser country', ctx: order(undefined, 'US', 'US'), messageId: 'unknown' },
    { name: 'no address countries', ctx: order('US') },
  ],
  invalidParams: [{ name: 'no params are accepted', params: { strict: true }, pointer: '/strict' }],
});

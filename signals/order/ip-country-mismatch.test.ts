import { describe, it } from 'vitest';
import { SignalTester, makeOrder, orderContext } from '../../sdk/testing/index.ts';
import { normalizeOrder } from '../../server/shopify/normalize/normalizeOrder.ts';
import { variant } from '../../server/shopify/fixtures/webhookVariants.ts';
import ipCountryMismatch from './ip-country-mismatch.ts';

const order = (ip?: string, ship?: string, bill?: string) =>
  orderContext(
    makeOrder({
      browserIpCountryCode: ip,
      shippingAddress: ship ? { countryCode: ship } : undefined,
      billingAddress: bill ? { countryCode: bill } : undefined,
    }),
  );

/** Shopify's sample order (shipping and billing in the US) placed from `browserIp`, through the real normalizer and its offline IP data. */
const realOrder = (browserIp: string) =>
  orderContext(normalizeOrder(variant('orders_create', (o) => (o.client_details = { browser_ip: browserIp })), 'shop-key').order);

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
    {
      name: "the sample order placed from RIPE NCC's Amsterdam server (real normalizer)",
      ctx: realOrder('193.0.6.139'),
      strength: 1,
      message: 'Browser in NL, shipping to US, billing in US.',
    },
  ],
  quiet: [
    { name: 'all in the US', ctx: order('US', 'US', 'US'), messageId: 'match' },
    { name: 'case does not matter, billing only', ctx: order('ca', undefined, 'CA'), evidence: { ipCountry: 'CA' } },
    { name: "the sample order placed from Google's US resolver over IPv6 (real normalizer)", ctx: realOrder('2001:4860:4860::8888'), evidence: { ipCountry: 'US' } },
  ],
  insufficient: [
    { name: 'no browser country', ctx: order(undefined, 'US', 'US'), messageId: 'unknown' },
    { name: 'no address countries', ctx: order('US') },
    { name: 'a private IP is placed nowhere (real normalizer)', ctx: realOrder('192.168.1.20') },
  ],
  invalidParams: [{ name: 'no params are accepted', params: { strict: true }, pointer: '/strict' }],
});

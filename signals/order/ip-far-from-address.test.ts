import { describe, it } from 'vitest';
import { SignalTester, makeOrder, orderContext } from '../../sdk/testing/index.ts';
import { normalizeOrder } from '../../server/shopify/normalize/normalizeOrder.ts';
import { variant } from '../../server/shopify/fixtures/webhookVariants.ts';
import ipFarFromAddress from './ip-far-from-address.ts';

const order = (ipCountry: string | undefined, shippingKm?: number, billingKm?: number) =>
  orderContext(makeOrder({ browserIpCountryCode: ipCountry, browserIpShippingMinKm: shippingKm, browserIpBillingMinKm: billingKm }));

/** Shopify's sample order (Louisville, Kentucky, for both addresses) placed from `browserIp`, through the real normalizer. */
const fromLouisville = (browserIp: string) =>
  orderContext(
    normalizeOrder(
      variant('orders_create', (o) => {
        o.browser_ip = browserIp;
        for (const address of [o.shipping_address, o.billing_address]) {
          address.latitude = 38.2527;
          address.longitude = -85.7585;
        }
      }),
      'shop-key',
    ).order,
  );

new SignalTester({ describe, it }).run(ipFarFromAddress, {
  hits: [
    {
      name: 'another continent from both addresses',
      ctx: order('VN', 13_000, 13_000),
      strength: 1,
      evidence: { ipCountry: 'VN', shippingKm: 13_000, billingKm: 13_000 },
      message: 'Browser in VN, at least 13000 km from the shipping and billing addresses.',
    },
    { name: 'just past the threshold', ctx: order('MX', 500, 600), strength: 0.5 },
    { name: 'half way to full strength', ctx: order('BR', 1750, 1750), strength: [0.74, 0.76] },
    { name: 'only the shipping address is known', ctx: order('RU', 4000), strength: 1, message: 'Browser in RU, at least 4000 km from the shipping address.' },
    {
      name: 'far from the shipping address only: a gift sent abroad, half strength',
      ctx: order('FR', 6000, 0),
      strength: 0.5,
      message: 'Browser in FR, at least 6000 km from the shipping address.',
    },
    { name: 'a stricter threshold', ctx: order('CA', 150, 150), params: { minKm: 100, fullKm: 200 }, strength: 0.75 },
    {
      name: "the sample order placed from RIPE NCC's Amsterdam server (real normalizer)",
      ctx: fromLouisville('193.0.6.139'),
      strength: 1,
      message: /^Browser in NL, at least 6\d{3} km from the shipping and billing addresses\.$/,
    },
  ],
  quiet: [
    { name: 'in the same country', ctx: order('US', 0, 0), messageId: 'near', message: 'Browser in US, within 500 km of the addresses.' },
    { name: 'across a nearby border', ctx: order('CA', 105, 105) },
    { name: 'the sample order placed from a US IP (real normalizer)', ctx: fromLouisville('73.162.0.1'), evidence: { ipCountry: 'US', shippingKm: 0, billingKm: 0 } },
  ],
  insufficient: [
    { name: 'no IP country', ctx: order(undefined, 100, 100), messageId: 'unknown' },
    { name: 'no address coordinates', ctx: order('US') },
    { name: "the sample order's addresses carry no coordinates (real normalizer)", ctx: orderContext(normalizeOrder(variant('orders_create', (o) => (o.browser_ip = '193.0.6.139')), 'shop-key').order) },
  ],
  invalidParams: [
    { name: 'zero km', params: { minKm: 0 }, pointer: '/minKm' },
    { name: 'beyond half the earth', params: { fullKm: 30000 }, pointer: '/fullKm' },
  ],
});

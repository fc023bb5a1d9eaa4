import { describe, it } from 'vitest';
import { SignalTester, makeOrder, orderContext } from '../../sdk/testing/index.ts';
import { normalizeOrder } from '../../server/shopify/normalize/normalizeOrder.ts';
import { variant } from '../../server/shopify/fixtures/webhookVariants.ts';
import hostingIp from './hosting-ip.ts';

const order = (facts: { asn?: number; hosting?: boolean; network?: string; country?: string }) =>
  orderContext(makeOrder({ browserIpAsn: facts.asn, browserIpHosting: facts.hosting, browserIpNetwork: facts.network, browserIpCountryCode: facts.country }));

/** Shopify's sample order placed from `browserIp`, through the real normalizer and its offline IP data. */
const realOrder = (browserIp: string) =>
  orderContext(normalizeOrder(variant('orders_create', (o) => (o.browser_ip = browserIp)), 'shop-key').order);

new SignalTester({ describe, it }).run(hostingIp, {
  hits: [
    {
      name: 'a DigitalOcean droplet',
      ctx: order({ asn: 14061, hosting: true, network: 'DigitalOcean, LLC', country: 'US' }),
      strength: 1,
      evidence: { asn: 14061, network: 'DigitalOcean, LLC', ipCountry: 'US' },
      message: 'Placed from a hosting or VPN network: DigitalOcean, LLC (AS14061).',
    },
    { name: 'a hosting network without a name', ctx: order({ asn: 64512, hosting: true }), strength: 1, evidence: { network: null, ipCountry: null } },
    {
      name: 'the sample order from a Hetzner server over IPv6 (real normalizer)',
      ctx: realOrder('2a01:4f8::1'),
      strength: 1,
      message: 'Placed from a hosting or VPN network: Hetzner Online GmbH (AS24940).',
    },
  ],
  quiet: [
    { name: 'a home broadband network', ctx: order({ asn: 7922, hosting: false, country: 'US' }), messageId: 'residential', message: 'Placed from AS7922, not a hosting network.' },
    { name: 'iCloud Private Relay through Cloudflare (real normalizer)', ctx: realOrder('1.1.1.1'), evidence: { asn: 13335, network: null } },
  ],
  insufficient: [
    { name: 'no browser IP', ctx: order({}), messageId: 'unknown' },
    { name: 'a documentation IP is placed nowhere (real normalizer)', ctx: realOrder('203.0.113.9') },
  ],
  invalidParams: [{ name: 'no params are accepted', params: { strict: true }, pointer: '/strict' }],
});

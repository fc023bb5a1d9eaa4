import { defineSignal, type SignalOutcome } from '../../sdk/index.ts';

/** The order was placed from a hosting, datacenter or VPN network, not a home or mobile connection. */
export default defineSignal<Record<string, never>>({
  meta: {
    id: 'order.hosting-ip',
    version: '1.0.0',
    title: 'Placed from a hosting network',
    description:
      "The buyer's browser IP belongs to a hosting, datacenter or commercial VPN network (a cloud server, a rented proxy, a VPN exit) rather than a home or mobile connection. Card testers, bots and fraudsters hiding their location check out from such networks; privacy-minded shoppers on a commercial VPN do too, so it is medium evidence. Privacy relays such as iCloud Private Relay do not count. Judged at normalization from offline IP data (the AS and a reviewed rule over its organisation).",
    category: 'order',
    appliesTo: ['order'],
    defaultWeight: 12,
    params: { type: 'object', properties: {} },
    needs: ['subject'],
    messages: {
      hosting: 'Placed from a hosting or VPN network: {{network}} (AS{{asn}}).',
      residential: 'Placed from AS{{asn}}, not a hosting network.',
      unknown: "The browser IP's network is unknown.",
    },
  },
  evaluate(ctx): SignalOutcome {
    const order = ctx.subject.order;
    const asn = order.browserIpAsn;
    if (order.browserIpHosting === undefined || asn === undefined) return { status: 'insufficient_data', messageId: 'unknown' };
    const network = order.browserIpNetwork ?? null;
    const evidence = { asn, network, ipCountry: order.browserIpCountryCode ?? null };
    if (!order.browserIpHosting) return { status: 'no_hit', messageId: 'residential', evidence, data: { asn } };
    return { status: 'hit', strength: 1, messageId: 'hosting', evidence, data: { asn, network: network ?? 'unnamed network' } };
  },
});

/**
 * Is an autonomous system a hosting, datacenter or VPN network, i.e. are browsers on it most
 * likely a server, a rented proxy or a commercial VPN rather than a home or mobile connection?
 *
 * No maintained list of such networks is published as an npm package (the lists that exist are
 * GitHub files, web APIs, or packages that download at install time), so this is a documented
 * rule over the AS number and the AS organisation name of @ip-location-db/asn, reviewed against
 * that data (`ipIntelligenceHosting.test.ts` holds the cases both ways). In order:
 *
 * 1. **Privacy relays are not hosting**: Apple's iCloud Private Relay leaves through Akamai,
 *    Cloudflare and Fastly, Cloudflare WARP through Cloudflare. Ordinary shoppers on Safari with
 *    iCloud+ come from these networks, so they are never judged hosting (their names would match
 *    "cloud" below). Akamai's cloud (ex-Linode, AS63949) stays hosting.
 * 2. **Known clouds, hosts and VPN operators** whose names do not say so (`PROVIDER_ASNS`,
 *    `PROVIDER_NAMES`): AWS, Google Cloud, Azure, Oracle, Alibaba, Tencent, DigitalOcean, OVH,
 *    Hetzner, Vultr, Linode, Leaseweb, M247 and Datacamp (where most commercial VPNs rent their
 *    exits), NordVPN's PacketHub, Mullvad's 31173 Services, Proton…
 * 3. **Names that say so**: hosting, a name starting with "host", server(s), data center /
 *    centre / IDC, VPS, colocation, dedicated, VPN, proxy, a name starting with "cloud" — except
 *    the few residential or Wi-Fi networks that carry such words (`NOT_HOSTING_NAMES`).
 *
 * Limits: small hosts with plain company names are missed (false negatives, quiet signals);
 * corporate networks of the big clouds (a Microsoft employee at work) count as hosting.
 */

/** Networks that carry consumers through a privacy relay (rule 1). */
const PRIVACY_RELAY_ASNS = new Set([
  13335, 14789, 132892, 209242, // Cloudflare (WARP, iCloud Private Relay egress)
  20940, 16625, 36183, // Akamai (36183: iCloud Private Relay)
  54113, // Fastly (iCloud Private Relay)
]);
const PRIVACY_RELAY_NAMES = /\b(cloudflare|fastly)\b|^akamai (technologies|international)\b/i;
/** Akamai Connected Cloud (Linode): hosting, although its name starts with Akamai. */
const AKAMAI_CLOUD_ASN = 63949;

/** Clouds and VPN operators whose AS names are plain company names (rule 2). */
const PROVIDER_ASNS = new Set([
  16509, 14618, 8987, // Amazon Web Services
  15169, 396982, 19527, // Google (its own servers and Google Cloud; Google Fiber, AS16591, is an ISP)
  8075, 8068, 8069, // Microsoft (Azure)
  31898, // Oracle Cloud
  37963, 45102, // Alibaba Cloud
  45090, 132203, // Tencent Cloud
  20473, // Vultr (The Constant Company)
  AKAMAI_CLOUD_ASN,
]);
const PROVIDER_NAMES = new RegExp(
  [
    'digitalocean', '\\bovh\\b', 'hetzner', '\\blinode\\b', '\\bleaseweb\\b', '\\bm247\\b', '\\bdatacamp limited',
    '\\bpackethub\\b', '^31173 services\\b', '^proton ag\\b', '\\bwindscribe\\b', '\\bcontabo\\b', '\\bscaleway\\b',
    '\\bquadranet\\b', '\\bpsychz\\b', '\\bzenlayer\\b', '\\bg-core labs\\b', '\\bionos\\b', '^strato ag\\b', '\\bnetcup\\b',
    '\\bfrantech\\b', '\\baeza\\b', '\\bselectel\\b', '\\btimeweb\\b', '\\bkamatera\\b', '\\bliquid web\\b', '\\bnamecheap\\b',
    '\\bgodaddy\\b', '\\bworldstream\\b', '\\bserverius\\b', '\\bi3d\\.net\\b', '\\bclouvider\\b', '\\blatitude\\.sh\\b',
    '\\bperformive\\b', '\\btzulo\\b', '\\blimestone networks\\b', '\\bnforce entertainment\\b', '\\bfly\\.io\\b',
    '\\bpacket host\\b', '\\bcolocrossing\\b', '\\bstark industries\\b', '\\bbuyvm\\b', '\\bracknerd\\b', '\\bhostwinds\\b',
  ].join('|'),
  'i',
);

/** Rule 3: the organisation's name says hosting, servers, a data centre, a VPN or a proxy. */
const HOSTING_WORDS =
  /hosting|\bhost|servers?\b|\bserver|data ?cent(er|re)s?\b|datacenter|\bidc\b|\bvps\b|\bcolo(cation)?\b|\bdedicated\b|\bvpn\b|\bproxy\b|\bproxies\b|\bcloud/i;
/** Networks whose names carry those words but whose users are households or Wi-Fi hotspots. */
const NOT_HOSTING_NAMES = /^the cloud networks\b/i;

/** The rule above, for one AS. */
export function isHostingNetwork(asn: number, organization: string): boolean {
  if (asn === AKAMAI_CLOUD_ASN) return true;
  if (PRIVACY_RELAY_ASNS.has(asn) || PRIVACY_RELAY_NAMES.test(organization)) return false;
  if (PROVIDER_ASNS.has(asn) || PROVIDER_NAMES.test(organization)) return true;
  return HOSTING_WORDS.test(organization) && !NOT_HOSTING_NAMES.test(organization);
}

import type { Random } from './random.ts';

/**
 * Real public IPv4 networks of consumer internet providers, per country, for the generated
 * buyers' `browser_ip`: each a /16 of one provider's residential (or mobile) address space. A
 * buyer gets a host address inside one of them, so buyers do not share addresses by accident
 * (a shared IP is evidence the signals read), and the address is placed by the app's own
 * offline IP data (`server/normalize/ipIntelligence.ts`) in that country, on a network that is
 * not a hosting one: `publicIps.test.ts` checks every /24 of every block against it.
 * AS numbers as the data give them, for the reader.
 */
export interface IpBlock {
  /** The first address of the /16, dotted. */
  network: string;
  country: string;
  provider: string;
  asn: number;
}

export const IP_BLOCKS: readonly IpBlock[] = [
  { network: '73.162.0.0', country: 'US', provider: 'Comcast', asn: 7922 },
  { network: '24.4.0.0', country: 'US', provider: 'Comcast', asn: 7922 },
  { network: '76.104.0.0', country: 'US', provider: 'Comcast', asn: 7922 },
  { network: '67.180.0.0', country: 'US', provider: 'Comcast', asn: 7922 },
  { network: '98.207.0.0', country: 'US', provider: 'Comcast', asn: 7922 },
  { network: '71.190.0.0', country: 'US', provider: 'Verizon Fios', asn: 701 },
  { network: '108.30.0.0', country: 'US', provider: 'Verizon Fios', asn: 701 },
  { network: '99.100.0.0', country: 'US', provider: 'AT&T', asn: 7018 },
  { network: '174.64.0.0', country: 'US', provider: 'Cox', asn: 22773 },
  { network: '47.146.0.0', country: 'US', provider: 'Frontier', asn: 5650 },
  { network: '172.58.0.0', country: 'US', provider: 'T-Mobile (mobile)', asn: 21928 },
  { network: '102.89.0.0', country: 'NG', provider: 'MTN Nigeria', asn: 29465 },
  { network: '197.210.0.0', country: 'NG', provider: 'MTN Nigeria', asn: 29465 },
  { network: '102.88.0.0', country: 'NG', provider: 'MTN Nigeria', asn: 29465 },
  { network: '95.24.0.0', country: 'RU', provider: 'Beeline', asn: 8402 },
  { network: '37.144.0.0', country: 'RU', provider: 'Beeline', asn: 8402 },
  { network: '91.77.0.0', country: 'RU', provider: 'MTS', asn: 8359 },
  { network: '113.160.0.0', country: 'VN', provider: 'VNPT', asn: 45899 },
  { network: '14.160.0.0', country: 'VN', provider: 'VNPT', asn: 45899 },
  { network: '27.64.0.0', country: 'VN', provider: 'Viettel', asn: 7552 },
  { network: '42.112.0.0', country: 'VN', provider: 'FPT Telecom', asn: 18403 },
];

/** The mobile network a phone orders from (a home address is fixed, a phone's is its carrier's). */
export const MOBILE = (block: IpBlock) => block.provider.endsWith('(mobile)');

export function blocksOf(country: string, which: (block: IpBlock) => boolean = () => true): IpBlock[] {
  const blocks = IP_BLOCKS.filter((b) => b.country === country && which(b));
  if (blocks.length === 0) throw new Error(`no IP block for ${country}`);
  return blocks;
}

/** A host address of the block: its third and fourth octets drawn (1-254, no network or broadcast-looking ends). */
export function hostIn(block: IpBlock, random: Random): string {
  const [a, b] = block.network.split('.');
  return `${a}.${b}.${random.int(0, 255)}.${random.int(1, 254)}`;
}

/**
 * A host address in one of the country's blocks that `taken` does not hold yet (added to it):
 * distinct buyers never share an address.
 */
export function freshIp(country: string, random: Random, taken: Set<string>, which?: (block: IpBlock) => boolean): string {
  const blocks = blocksOf(country, which);
  for (;;) {
    const ip = hostIn(random.pick(blocks), random);
    if (!taken.has(ip)) {
      taken.add(ip);
      return ip;
    }
  }
}

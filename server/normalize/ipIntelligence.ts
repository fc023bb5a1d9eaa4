import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Reader, type Response } from 'maxmind';
import { AsnTable, type AsnEntry } from './ipIntelligenceAsn.ts';
import { isPublicIp, parseIp, type ParsedIp } from './ipIntelligenceAddress.ts';
import { isHostingNetwork } from './ipIntelligenceHosting.ts';

export { kmFromCountry } from './ipIntelligenceDistance.ts';

/**
 * What RefundSentry judges from a buyer's IP address before dropping it (README.md beside this
 * file: the data, its licences and how to refresh it). Offline: the data are npm packages, read
 * from node_modules; nothing is looked up over the network.
 */
export interface IpFacts {
  /** ISO 3166-1 alpha-2 country (upper case) of the address, when the data place it. */
  countryCode?: string;
  /** The autonomous system announcing the address. */
  asn?: number;
  /** The AS is a hosting, datacenter or VPN network (`ipIntelligenceHosting.ts`); set whenever `asn` is. */
  hosting?: boolean;
  /** The AS organisation, only for a hosting network (a company; a residential network's name is not kept). */
  network?: string;
}

const requireHere = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(requireHere.resolve(`${name}/package.json`));

/**
 * The databases, each loaded once per process or worker thread, on the first address that needs
 * it (importing this module loads nothing): the country MMDB (7.8 MB, read with maxmind's reader),
 * then the ASN table of the address's family (IPv4 or IPv6).
 */
let countryReader: Reader<Response> | undefined;
const asnTables: { 4?: AsnTable; 6?: AsnTable } = {};
const hostingByAsn = new Map<number, boolean>();

function countryOf(ip: ParsedIp): string | undefined {
  countryReader ??= new Reader<Response>(readFileSync(join(packageDir('@ip-location-db/geo-whois-asn-country-mmdb'), 'geo-whois-asn-country.mmdb')));
  // Records of this database are `{ country_code }`, not one of MaxMind's own response shapes.
  const code = (countryReader.get(ip.text) as { country_code?: unknown } | null)?.country_code;
  return typeof code === 'string' && /^[A-Za-z]{2}$/.test(code) ? code.toUpperCase() : undefined;
}

function asnTable(family: 4 | 6): AsnTable {
  const table = (asnTables[family] ??= AsnTable.load(join(packageDir('@ip-location-db/asn'), family === 4 ? 'asn-ipv4-num.csv' : 'asn-ipv6.csv'), family));
  return table;
}

function hosting(entry: AsnEntry): boolean {
  let judged = hostingByAsn.get(entry.asn);
  if (judged === undefined) {
    judged = isHostingNetwork(entry.asn, entry.organization);
    hostingByAsn.set(entry.asn, judged);
  }
  return judged;
}

/**
 * Country, AS and hosting judgement of an IP address as Shopify sends it (`browser_ip`).
 * Undefined for a malformed or non-public address (private, loopback, documentation…: no
 * database can place those, though some answer for them).
 */
export function ipFacts(raw: string | null | undefined): IpFacts | undefined {
  const ip = parseIp(raw);
  if (!ip || !isPublicIp(ip)) return undefined;
  const facts: IpFacts = {};
  const countryCode = countryOf(ip);
  if (countryCode) facts.countryCode = countryCode;
  const as = asnTable(ip.family).lookup(ip);
  if (as && as.asn > 0) {
    facts.asn = as.asn;
    facts.hosting = hosting(as);
    if (facts.hosting && as.organization) facts.network = as.organization;
  }
  return facts;
}

/** Loads every database now (a worker can call it at start instead of on its first order); returns the milliseconds each took. */
export function preloadIpData(): { countryMs: number; asnV4Ms: number; asnV6Ms: number } {
  const time = (load: () => unknown) => {
    const start = performance.now();
    load();
    return Math.round((performance.now() - start) * 10) / 10;
  };
  return {
    countryMs: time(() => countryOf({ family: 4, value: 0x08080808, text: '8.8.8.8' })),
    asnV4Ms: time(() => asnTable(4)),
    asnV6Ms: time(() => asnTable(6)),
  };
}

import { isIPv4, isIPv6 } from 'node:net';

/**
 * An IP address as numbers: IPv4 as one unsigned 32-bit value, IPv6 as four (most significant
 * first). IPv4-mapped (`::ffff:a.b.c.d`) and NAT64 (`64:ff9b::a.b.c.d`) IPv6 addresses are the
 * IPv4 address they carry.
 */
export type ParsedIp = { family: 4; value: number; text: string } | { family: 6; words: [number, number, number, number]; text: string };

function ipv4Value(text: string): number {
  const [a, b, c, d] = text.split('.').map(Number);
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

function ipv4Text(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/** The eight 16-bit groups of a valid IPv6 address (without zone); a trailing dotted IPv4 part is read as two groups. */
function ipv6Groups(text: string): number[] {
  let hex = text;
  const lastColon = hex.lastIndexOf(':');
  if (hex.includes('.', lastColon)) {
    const v4 = ipv4Value(hex.slice(lastColon + 1));
    hex = `${hex.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = hex.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = parse(halves[0]);
  const right = halves.length > 1 ? parse(halves[1]) : [];
  const zeros = halves.length > 1 ? 8 - left.length - right.length : 0;
  return [...left, ...Array<number>(zeros).fill(0), ...right];
}

/** Parses an IP address as Shopify sends `browser_ip` (trimmed; an IPv6 zone such as `%eth0` dropped); undefined when it is not one. */
export function parseIp(raw: string | null | undefined): ParsedIp | undefined {
  const text = raw?.trim().replace(/%.*$/, '');
  if (!text) return undefined;
  if (isIPv4(text)) {
    const value = ipv4Value(text);
    return { family: 4, value, text: ipv4Text(value) };
  }
  if (!isIPv6(text)) return undefined;
  const g = ipv6Groups(text.toLowerCase());
  const words: [number, number, number, number] = [
    ((g[0] << 16) | g[1]) >>> 0,
    ((g[2] << 16) | g[3]) >>> 0,
    ((g[4] << 16) | g[5]) >>> 0,
    ((g[6] << 16) | g[7]) >>> 0,
  ];
  const mapped = words[0] === 0 && words[1] === 0 && words[2] === 0xffff;
  const nat64 = words[0] === 0x0064ff9b && words[1] === 0 && words[2] === 0;
  if (mapped || nat64) return { family: 4, value: words[3], text: ipv4Text(words[3]) };
  return { family: 6, words, text: text.toLowerCase() };
}

/** IPv4 blocks that are not public unicast (IANA special-purpose registry, RFC 6890 and after): [first address, prefix length]. */
const SPECIAL_V4: [string, number][] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation (TEST-NET-1)
  ['192.88.99.0', 24], // 6to4 relay anycast (deprecated)
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation (TEST-NET-2)
  ['203.0.113.0', 24], // documentation (TEST-NET-3)
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the broadcast address
];
const SPECIAL_V4_RANGES = SPECIAL_V4.map(([first, bits]) => {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { network: (ipv4Value(first) & mask) >>> 0, mask };
});

/**
 * True for an address an IP database can honestly place: public unicast. Private, loopback,
 * link-local, CGNAT, multicast, documentation and other special-purpose addresses are not (the
 * IP data on npm does answer for some of them, e.g. 203.0.113.0/24, which must be ignored). IPv6
 * must be global unicast (2000::/3) outside its documentation (2001:db8::/32, 3fff::/20),
 * IETF protocol (2001::/23, Teredo included) and 6to4 (2002::/16) blocks.
 */
export function isPublicIp(ip: ParsedIp): boolean {
  if (ip.family === 4) return !SPECIAL_V4_RANGES.some(({ network, mask }) => ((ip.value & mask) >>> 0) === network);
  const [w0] = ip.words;
  const top16 = w0 >>> 16;
  if (top16 >>> 13 !== 0b001) return false; // outside 2000::/3
  if (w0 === 0x20010db8) return false; // 2001:db8::/32
  if (top16 === 0x2001 && (w0 & 0xffff) >>> 9 === 0) return false; // 2001::/23
  if (top16 === 0x2002) return false; // 6to4
  if (w0 >>> 12 === 0x3fff0) return false; // 3fff::/20
  return true;
}

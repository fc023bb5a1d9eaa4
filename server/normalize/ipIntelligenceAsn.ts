import { readFileSync } from 'node:fs';
import type { ParsedIp } from './ipIntelligenceAddress.ts';

/** An autonomous system: its number and the organisation that holds it (as the data names it). */
export interface AsnEntry {
  asn: number;
  organization: string;
}

const COMMA = 44;
const NEWLINE = 10;
const QUOTE = 34;
const ZERO = 48;

/** One CSV field `"…"` or `…` starting at `at`, to the end of its line. */
function organizationAt(buf: Buffer, at: number, lineEnd: number): string {
  const raw = buf.toString('utf8', at, lineEnd).trim();
  return raw.startsWith('"') ? raw.slice(1, raw.endsWith('"') ? -1 : undefined).replaceAll('""', '"') : raw;
}

function countLines(buf: Buffer): number {
  let lines = 0;
  for (let at = buf.indexOf(NEWLINE); at !== -1; at = buf.indexOf(NEWLINE, at + 1)) lines++;
  return buf.length > 0 && buf[buf.length - 1] !== NEWLINE ? lines + 1 : lines;
}

const COLON = 58;

/** Value of an ASCII hex digit, -1 for any other byte. */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

const groups = new Uint16Array(8);

/**
 * Reads an IPv6 address written in hex groups (`2001:200::`, `2001:200:ffff:…:ffff`, as in
 * `asn-ipv6.csv`) up to the next comma into four 32-bit words, most significant first. Returns
 * the index after the comma.
 */
function readIpv6(buf: Buffer, at: number, into: Uint32Array, row: number): number {
  groups.fill(0);
  let count = 0;
  let gap = -1; // where "::" stands, in groups
  let value = 0;
  let digits = 0;
  for (;;) {
    const c = buf[at++];
    const d = hexDigit(c);
    if (d >= 0) {
      value = (value << 4) | d;
      digits++;
      continue;
    }
    if (digits > 0) groups[count++] = value;
    value = 0;
    digits = 0;
    if (c === COLON && buf[at] === COLON) {
      gap = count;
      at++;
    }
    if (c !== COLON) break;
  }
  if (gap !== -1) {
    const tail = count - gap;
    for (let i = 0; i < tail; i++) groups[7 - i] = groups[count - 1 - i];
    for (let i = gap; i < 8 - tail; i++) groups[i] = 0;
  }
  for (let w = 0; w < 4; w++) into[row * 4 + w] = ((groups[w * 2] << 16) | groups[w * 2 + 1]) >>> 0;
  return at;
}

/**
 * The ASN ranges of one address family, sorted by their first address (as the files are), in
 * typed arrays: about 411,000 IPv4 ranges in 6.6 MB, 103,000 IPv6 ranges in 4.5 MB. AS
 * organisation names are kept once per ASN.
 */
export class AsnTable {
  readonly family: 4 | 6;
  /** IPv4: one word per range; IPv6: four. */
  private readonly starts: Uint32Array;
  private readonly ends: Uint32Array;
  private readonly asns: Uint32Array;
  private readonly organizations: Map<number, string>;

  private constructor(family: 4 | 6, starts: Uint32Array, ends: Uint32Array, asns: Uint32Array, organizations: Map<number, string>) {
    this.family = family;
    this.starts = starts;
    this.ends = ends;
    this.asns = asns;
    this.organizations = organizations;
  }

  get size(): number {
    return this.asns.length;
  }

  /** Reads `asn-ipv4-num.csv` / `asn-ipv6.csv` of @ip-location-db/asn: `start,end,asn,organization` per line (IPv4 as numbers, IPv6 in hex groups). */
  static load(path: string, family: 4 | 6): AsnTable {
    const buf = readFileSync(path);
    const rows = countLines(buf);
    const width = family === 4 ? 1 : 4;
    const starts = new Uint32Array(rows * width);
    const ends = new Uint32Array(rows * width);
    const asns = new Uint32Array(rows);
    const organizations = new Map<number, string>();
    let at = 0;
    let n = 0;
    let previousAsn = -1;
    while (at < buf.length && n < rows) {
      if (family === 4) {
        let start = 0, end = 0, c: number;
        while ((c = buf[at++]) !== COMMA) start = start * 10 + c - ZERO;
        while ((c = buf[at++]) !== COMMA) end = end * 10 + c - ZERO;
        starts[n] = start;
        ends[n] = end;
      } else {
        at = readIpv6(buf, at, starts, n);
        at = readIpv6(buf, at, ends, n);
      }
      let asn = 0, c: number;
      while ((c = buf[at++]) !== COMMA) asn = asn * 10 + c - ZERO;
      let lineEnd = buf.indexOf(NEWLINE, at);
      if (lineEnd === -1) lineEnd = buf.length;
      if (asn !== previousAsn && !organizations.has(asn)) organizations.set(asn, organizationAt(buf, at, lineEnd));
      previousAsn = asn;
      asns[n++] = asn;
      at = lineEnd + 1;
    }
    return new AsnTable(family, starts.subarray(0, n * width), ends.subarray(0, n * width), asns.subarray(0, n), organizations);
  }

  /** -1, 0, 1: the range `row`'s start (or end) against the address. */
  private compare(bound: Uint32Array, row: number, ip: ParsedIp): number {
    if (ip.family === 4) return bound[row] < ip.value ? -1 : bound[row] > ip.value ? 1 : 0;
    for (let w = 0; w < 4; w++) {
      const a = bound[row * 4 + w];
      const b = ip.words[w];
      if (a !== b) return a < b ? -1 : 1;
    }
    return 0;
  }

  /** The AS announcing the address: the last range starting at or before it, if it ends at or after it. */
  lookup(ip: ParsedIp): AsnEntry | undefined {
    if (ip.family !== this.family) return undefined;
    let low = 0;
    let high = this.asns.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      if (this.compare(this.starts, mid, ip) <= 0) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    if (found === -1 || this.compare(this.ends, found, ip) < 0) return undefined;
    const asn = this.asns[found];
    return { asn, organization: this.organizations.get(asn) ?? '' };
  }

  /** Every ASN with its organisation (for reviewing the hosting rule over the whole data). */
  entries(): IterableIterator<[number, string]> {
    return this.organizations.entries();
  }
}

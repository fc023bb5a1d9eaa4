import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ipFacts, kmFromCountry } from './ipIntelligence.ts';
import { isPublicIp, parseIp } from './ipIntelligenceAddress.ts';
import { AsnTable } from './ipIntelligenceAsn.ts';

describe('parseIp', () => {
  it('reads IPv4 and IPv6 as Shopify may send them', () => {
    expect(parseIp(' 8.8.8.8 ')).toEqual({ family: 4, value: 0x08080808, text: '8.8.8.8' });
    expect(parseIp('2001:4860:4860::8888')).toEqual({ family: 6, words: [0x20014860, 0x48600000, 0, 0x8888], text: '2001:4860:4860::8888' });
    expect(parseIp('2A01:4F8::1')).toMatchObject({ words: [0x2a0104f8, 0, 0, 1], text: '2a01:4f8::1' });
    expect(parseIp('::1')).toMatchObject({ family: 6, words: [0, 0, 0, 1] });
    expect(parseIp('fe80::1%eth0')).toMatchObject({ family: 6, words: [0xfe800000, 0, 0, 1] });
  });

  it('reads an IPv4-mapped or NAT64 IPv6 address as the IPv4 address it carries', () => {
    expect(parseIp('::ffff:8.8.8.8')).toEqual({ family: 4, value: 0x08080808, text: '8.8.8.8' });
    expect(parseIp('::ffff:808:808')).toMatchObject({ family: 4, text: '8.8.8.8' });
    expect(parseIp('64:ff9b::193.0.6.139')).toMatchObject({ family: 4, text: '193.0.6.139' });
  });

  it('refuses what is not an address', () => {
    for (const raw of [null, undefined, '', ' ', 'not-an-ip', '256.1.1.1', '1.2.3', '1:2:3', '8.8.8.8.8', '::ffff:1.2.3.4.5']) {
      expect(parseIp(raw), String(raw)).toBeUndefined();
    }
  });
});

describe('isPublicIp', () => {
  it('refuses private, loopback, link-local, CGNAT, multicast, reserved and documentation addresses', () => {
    const special = [
      '0.1.2.3', '10.20.30.40', '100.64.0.1', '100.127.255.254', '127.0.0.1', '169.254.1.1', '172.16.0.1', '172.31.255.255',
      '192.0.0.8', '192.0.2.1', '192.88.99.1', '192.168.1.1', '198.18.0.1', '198.19.255.255', '198.51.100.1', '203.0.113.77',
      '224.0.0.1', '239.255.255.250', '240.0.0.1', '255.255.255.255',
      '::', '::1', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1', '2001:db8::1', '2001:0:4136:e378::1', '2001:1ff::1',
      '2002:c000:204::1', '3fff::1', '3fff:fff::1', '100::1',
    ];
    for (const raw of special) expect(isPublicIp(parseIp(raw)!), raw).toBe(false);
  });

  it('accepts public unicast next to those blocks', () => {
    const publicIps = ['8.8.8.8', '1.1.1.1', '100.63.255.255', '100.128.0.1', '172.15.255.255', '172.32.0.1', '192.0.3.1', '198.17.255.255', '198.20.0.1', '203.0.114.1', '223.255.255.255', '2001:200::1', '2001:4860:4860::8888', '2a01:4f8::1', '3ffe::1', '3fff:1000::1'];
    for (const raw of publicIps) expect(isPublicIp(parseIp(raw)!), raw).toBe(true);
  });
});

describe('ipFacts on real public addresses (stable networks)', () => {
  it("places Google's resolver in the US, on Google's AS, a hosting network, over IPv4 and IPv6", () => {
    for (const ip of ['8.8.8.8', '8.8.4.4', '2001:4860:4860::8888', '::ffff:8.8.8.8']) {
      expect(ipFacts(ip), ip).toEqual({ countryCode: 'US', asn: 15169, hosting: true, network: 'Google LLC' });
    }
  });

  it("RIPE NCC's web server: the Netherlands, AS3333, not hosting (its name is kept only for hosting)", () => {
    expect(ipFacts('193.0.6.139')).toEqual({ countryCode: 'NL', asn: 3333, hosting: false });
  });

  it('Cloudflare (1.1.1.1, also the egress of iCloud Private Relay and WARP) is not judged hosting', () => {
    expect(ipFacts('1.1.1.1')).toMatchObject({ asn: 13335, hosting: false });
    expect(ipFacts('2606:4700:4700::1111')).toMatchObject({ countryCode: 'US', asn: 13335, hosting: false });
  });

  it('datacenters are hosting: Hetzner over IPv6, DigitalOcean, AWS', () => {
    expect(ipFacts('2a01:4f8::1')).toEqual({ countryCode: 'DE', asn: 24940, hosting: true, network: 'Hetzner Online GmbH' });
    expect(ipFacts('104.131.0.1')).toMatchObject({ asn: 14061, hosting: true, network: 'DigitalOcean, LLC' });
    expect(ipFacts('52.95.110.1')).toMatchObject({ asn: 16509, hosting: true });
  });

  it('a home broadband network is not hosting (Comcast, over IPv4 and IPv6)', () => {
    expect(ipFacts('73.162.0.1')).toEqual({ countryCode: 'US', asn: 7922, hosting: false });
    expect(ipFacts('2601:600::1')).toEqual({ countryCode: 'US', asn: 7922, hosting: false });
  });

  it('answers nothing for documentation, private and malformed addresses (the data place 203.0.113.0/24 in AU)', () => {
    for (const ip of ['192.0.2.1', '198.51.100.7', '203.0.113.77', '2001:db8::1', '10.0.0.1', '127.0.0.1', 'nonsense', '', null]) {
      expect(ipFacts(ip), String(ip)).toBeUndefined();
    }
  });
});

describe('AsnTable', () => {
  const dir = mkdtempSync(join(tmpdir(), 'asn-table-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the range holding an address, and none in the gaps or outside (IPv4 numbers)', () => {
    const file = join(dir, 'v4.csv');
    writeFileSync(file, ['16777216,16777471,13335,"Cloudflare, Inc."', '16778240,16779263,38803,Gtelecom Pty Ltd', '16779264,16779264,7,"A ""quoted"" name"'].join('\n') + '\n');
    const table = AsnTable.load(file, 4);
    expect(table.size).toBe(3);
    const at = (ip: string) => table.lookup(parseIp(ip)!);
    expect(at('1.0.0.0')).toEqual({ asn: 13335, organization: 'Cloudflare, Inc.' });
    expect(at('1.0.0.255')).toEqual({ asn: 13335, organization: 'Cloudflare, Inc.' });
    expect(at('1.0.1.0')).toBeUndefined(); // a gap
    expect(at('1.0.4.0')).toMatchObject({ asn: 38803 });
    expect(at('1.0.8.0')).toEqual({ asn: 7, organization: 'A "quoted" name' });
    expect(at('0.255.255.255')).toBeUndefined();
    expect(at('1.0.8.1')).toBeUndefined();
    expect(at('2001:200::1')).toBeUndefined(); // another family
  });

  it('reads IPv6 ranges in hex groups, compressed or not, without a final newline', () => {
    const file = join(dir, 'v6.csv');
    writeFileSync(file, ['2001:200::,2001:200:ffff:ffff:ffff:ffff:ffff:ffff,2500,WIDE Project', '2001:500:30ff::,2001:500:30ff::2f,396585,VeriSign', '2001:500:30ff::30,2001:500:30ff::30,396552,VeriSign B'].join('\n'));
    const table = AsnTable.load(file, 6);
    const at = (ip: string) => table.lookup(parseIp(ip)!)?.asn;
    expect(at('2001:200::')).toBe(2500);
    expect(at('2001:200:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(2500);
    expect(at('2001:201::')).toBeUndefined();
    expect(at('2001:500:30ff::2f')).toBe(396585);
    expect(at('2001:500:30ff::30')).toBe(396552);
    expect(at('2001:500:30ff::31')).toBeUndefined();
  });
});

describe('kmFromCountry', () => {
  it('is 0 for a point inside the country, overseas states included', () => {
    expect(kmFromCountry('US', 38.3, -85.8)).toBe(0); // Louisville
    expect(kmFromCountry('us', 61.2, -149.9)).toBe(0); // Anchorage
    expect(kmFromCountry('FR', 48.9, 2.4)).toBe(0); // Paris
  });

  it('is the distance to the nearest border of the country (a lower bound of the distance to its IPs)', () => {
    expect(kmFromCountry('CA', 47.6, -122.3)).toBeLessThan(200); // Seattle, near British Columbia
    expect(kmFromCountry('GB', 48.9, 2.4)).toBeGreaterThan(150); // Paris, across the Channel
    expect(kmFromCountry('GB', 48.9, 2.4)).toBeLessThan(350);
    expect(kmFromCountry('NG', 40.7, -74.0)).toBeGreaterThan(7_500); // New York to Nigeria
    expect(kmFromCountry('VN', 40.7, -74.0)).toBeGreaterThan(12_000);
  });

  it('leaves out territories with their own ISO code, which IP data name by that code', () => {
    // Puerto Rico is PR, not US, in IP data; from New York it is ~2,500 km away.
    expect(kmFromCountry('PR', 40.7, -74.0)).toBeGreaterThan(2_000);
    // Bonaire (BQ) and Aruba (AW) are not the Netherlands of an NL IP: Louisville is an ocean away from it.
    expect(kmFromCountry('NL', 38.3, -85.8)).toBeGreaterThan(6_000);
  });

  it('answers nothing for a code without borders', () => {
    expect(kmFromCountry('XX', 40.7, -74.0)).toBeUndefined();
  });
});

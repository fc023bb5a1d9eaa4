import { describe, expect, it } from 'vitest';
import { isHostingNetwork } from './ipIntelligenceHosting.ts';

/** AS numbers and organisation names as @ip-location-db/asn has them. */
const HOSTING: [number, string][] = [
  [16509, 'Amazon.com, Inc.'],
  [396982, 'Google LLC'],
  [8075, 'Microsoft Corporation'],
  [14061, 'DigitalOcean, LLC'],
  [16276, 'OVH SAS'],
  [24940, 'Hetzner Online GmbH'],
  [20473, 'The Constant Company, LLC'], // Vultr
  [63949, 'Akamai Technologies, Inc.'], // Akamai Connected Cloud (Linode)
  [9009, 'M247 Europe SRL'],
  [212238, 'Datacamp Limited'],
  [136787, 'PacketHub S.A.'], // NordVPN
  [39351, '31173 Services AB'], // Mullvad
  [208172, 'Proton AG'],
  [36351, 'IBM Cloud'],
  [47583, 'Hostinger International Limited'],
  [33070, 'Rackspace Hosting'],
  [7979, 'Servers.com, Inc.'],
  [55990, 'Huawei Cloud Service data center'],
  [30058, 'FDCservers.net'],
  [38283, 'CHINANET SiChuan Telecom Internet Data Center'],
  [9952, 'Hostway IDC'],
  [21769, 'Colocation America Corporation'],
  [63018, 'Dedicated.com'],
  [397540, 'Windscribe'],
];

const NOT_HOSTING: [number, string][] = [
  [7922, 'Comcast Cable Communications, LLC'],
  [3320, 'Deutsche Telekom AG'],
  [3215, 'Orange S.A.'],
  [16591, 'Google Fiber Inc.'],
  [13335, 'Cloudflare, Inc.'], // WARP and iCloud Private Relay
  [209242, 'Cloudflare London, LLC'],
  [36183, 'Akamai Technologies, Inc.'], // iCloud Private Relay
  [20940, 'Akamai International B.V.'],
  [54113, 'Fastly, Inc.'],
  [714, 'Apple Inc.'],
  [37611, 'AFRIHOST SP (PTY) LTD'], // a South African home ISP: "host" inside a word
  [12586, 'GHOSTnet GmbH'],
  [41012, 'The Cloud Networks Limited'], // public Wi-Fi hotspots
  [3333, 'Reseaux IP Europeens Network Coordination Centre (RIPE NCC)'],
  [34947, 'Alibaba Travel Company (LTD)'],
  [5696, 'Express Scripts Incorporated'],
];

describe('isHostingNetwork', () => {
  it.each(HOSTING)('AS%i %s is a hosting, datacenter or VPN network', (asn, organization) => {
    expect(isHostingNetwork(asn, organization)).toBe(true);
  });

  it.each(NOT_HOSTING)('AS%i %s is not', (asn, organization) => {
    expect(isHostingNetwork(asn, organization)).toBe(false);
  });
});

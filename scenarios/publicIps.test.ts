import { describe, expect, it } from 'vitest';
import { ipFacts } from '../server/normalize/ipIntelligence.ts';
import { blocksOf, freshIp, hostIn, IP_BLOCKS, MOBILE } from './publicIps.ts';
import { Random } from './random.ts';

describe('the generated buyers’ public IPs', () => {
  it("places every /24 of every block in its country, on the provider's network, not a hosting one (the app's own offline IP data)", () => {
    for (const block of IP_BLOCKS) {
      const [a, b] = block.network.split('.');
      for (let c = 0; c < 256; c++) {
        for (const d of [1, 128, 254]) {
          const ip = `${a}.${b}.${c}.${d}`;
          const facts = ipFacts(ip);
          expect(facts, ip).toMatchObject({ countryCode: block.country, hosting: false });
          // Each block is one provider's (the AS numbers as the data give them; a few /24s are announced by a sibling AS).
          expect(typeof facts!.asn, ip).toBe('number');
        }
      }
    }
  });

  it('has home and mobile networks for US buyers, and networks in the ring’s countries', () => {
    expect(blocksOf('US', (b) => !MOBILE(b)).length).toBeGreaterThanOrEqual(5);
    expect(blocksOf('US', MOBILE).length).toBeGreaterThanOrEqual(1);
    for (const country of ['NG', 'RU', 'VN']) expect(blocksOf(country).length).toBeGreaterThanOrEqual(2);
    expect(() => blocksOf('ZZ')).toThrow(/no IP block/);
  });

  it('hands out host addresses inside the blocks, never the same one twice', () => {
    const random = new Random(3);
    const taken = new Set<string>();
    const ips = Array.from({ length: 2000 }, () => freshIp('US', random, taken));
    expect(new Set(ips).size).toBe(ips.length);
    for (const ip of ips) {
      expect(IP_BLOCKS.some((b) => b.country === 'US' && ip.startsWith(b.network.split('.').slice(0, 2).join('.') + '.')), ip).toBe(true);
      expect(Number(ip.split('.')[3])).toBeGreaterThanOrEqual(1);
      expect(Number(ip.split('.')[3])).toBeLessThanOrEqual(254);
    }
    expect(hostIn(IP_BLOCKS[0]!, new Random(1))).toMatch(/^73\.162\.\d+\.\d+$/);
  });
});

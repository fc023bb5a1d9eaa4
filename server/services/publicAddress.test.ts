import { describe, expect, it } from 'vitest';
import { nonPublicHostProblem, nonPublicKind } from './publicAddress.ts';

describe('public addresses (where a production server may post an alert)', () => {
  it('names loopback, private, link-local and other non-public addresses, IPv4-mapped ones too', () => {
    const kinds: [string, string | undefined][] = [
      ['127.0.0.1', 'a loopback address'],
      ['127.8.9.10', 'a loopback address'],
      ['10.1.2.3', 'a private address'],
      ['172.20.0.1', 'a private address'],
      ['192.168.1.10', 'a private address'],
      ['169.254.169.254', 'a link-local address'],
      ['100.64.0.1', 'a carrier-grade NAT (shared) address'],
      ['0.0.0.0', 'an unspecified ("this network") address'],
      ['224.0.0.1', 'a multicast address'],
      ['::1', 'a loopback address'],
      ['::', 'an unspecified address'],
      ['fe80::1', 'a link-local address'],
      ['fd12:3456::1', 'a unique-local (private) address'],
      ['::ffff:127.0.0.1', 'a loopback address'],
      ['::ffff:a00:1', 'a private address'],
      ['64:ff9b::a9fe:a9fe', 'a link-local address'],
      ['1.1.1.1', undefined],
      ['8.8.8.8', undefined],
      ['172.32.0.1', undefined],
      ['2606:4700:4700::1111', undefined],
      ['::ffff:808:808', undefined],
    ];
    for (const [address, kind] of kinds) expect(nonPublicKind(address), address).toBe(kind);
  });

  it('checks what a URL’s host is or resolves to, in every spelling the URL parser accepts', async () => {
    expect(await nonPublicHostProblem(new URL('http://127.0.0.1:8080/hook'))).toBe('its host 127.0.0.1 is a loopback address');
    expect(await nonPublicHostProblem(new URL('http://2130706433/hook'))).toBe('its host 127.0.0.1 is a loopback address');
    expect(await nonPublicHostProblem(new URL('http://0x7f.1/hook'))).toBe('its host 127.0.0.1 is a loopback address');
    expect(await nonPublicHostProblem(new URL('http://[::ffff:127.0.0.1]/hook'))).toBe('its host ::ffff:7f00:1 is a loopback address');
    expect(await nonPublicHostProblem(new URL('http://[fe80::1]/hook'))).toBe('its host fe80::1 is a link-local address');
    expect(await nonPublicHostProblem(new URL('http://localhost:3000/hook'))).toMatch(/^its host localhost resolves to (127\.0\.0\.1|::1), a loopback address$/);
    expect(await nonPublicHostProblem(new URL('https://1.1.1.1/hook'))).toBeUndefined();
    expect(await nonPublicHostProblem(new URL('https://refundsentry-alerts.invalid/hook'))).toMatch(/^its host refundsentry-alerts\.invalid does not resolve/);
  });
});

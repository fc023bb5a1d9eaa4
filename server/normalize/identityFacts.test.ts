import { describe, expect, it } from 'vitest';
import { emailFacts, isDisposableDomain, keyedHash } from './identityFacts.ts';

describe('identity facts', () => {
  it('hashes with the shop key, so the same email differs between shops', () => {
    expect(keyedHash('shop-a', 'email', 'x@example.com')).toMatch(/^[0-9a-f]{64}$/);
    expect(keyedHash('shop-a', 'email', 'x@example.com')).not.toBe(keyedHash('shop-b', 'email', 'x@example.com'));
    expect(keyedHash('shop-a', 'email', 'x')).not.toBe(keyedHash('shop-a', 'phone', 'x'));
  });

  it('normalizes before hashing and keeps no raw value', () => {
    const a = emailFacts('k', '  Jon@Example.COM ');
    const b = emailFacts('k', 'jon@example.com');
    expect(a).toEqual(b);
    expect(JSON.stringify(a)).not.toContain('example');
    expect(a!.disposable).toBe(false);
  });

  it("judges disposable domains from mailchecker's list, including subdomains", () => {
    expect(isDisposableDomain('mailinator.com')).toBe(true);
    expect(isDisposableDomain('eu.mailinator.com')).toBe(true);
    expect(isDisposableDomain('gmail.com')).toBe(false);
    expect(emailFacts('k', 'someone@mailinator.com')!.disposable).toBe(true);
  });

  it('refuses malformed emails', () => {
    expect(emailFacts('k', 'no-at-sign')).toBeUndefined();
    expect(emailFacts('k', '@example.com')).toBeUndefined();
    expect(emailFacts('k', 'x@')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { deliveryHeaderProblem, isShopDomain, type DeliveryHeaders } from './deliveryHeaders.ts';

const NOW = Date.parse('2026-11-22T10:00:00Z');
const GOOD: DeliveryHeaders = { domain: 'shop-a.myshopify.com', topic: 'orders/create', webhookId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043', eventId: '7b7c4f9e-1111-4e2b-9a4e-8d5f6c1e2a3b', triggeredAt: '2026-11-22T09:59:58.123456789Z' };
const problem = (change: Partial<DeliveryHeaders>) => deliveryHeaderProblem({ ...GOOD, ...change }, NOW);

describe('deliveryHeaderProblem: the unsigned headers, checked before they reach SQL (issue 19)', () => {
  it("accepts Shopify's headers, in both topic forms, with or without the optional ones", () => {
    expect(problem({})).toBeNull();
    expect(problem({ topic: 'ORDERS_CREATE' })).toBeNull();
    expect(problem({ topic: 'app.scopes_update' })).toBeNull();
    expect(problem({ eventId: null, triggeredAt: null })).toBeNull();
    expect(problem({ triggeredAt: '2021-12-31T19:00:00-05:00' })).toBeNull();
    expect(problem({ webhookId: 'w'.repeat(255) })).toBeNull();
  });

  it('names the header of each problem', () => {
    expect(problem({ domain: 'shop-a.example.com' })).toMatch(/^X-Shopify-Shop-Domain: /);
    expect(problem({ domain: 'Shop-A.myshopify.com' })).toMatch(/^X-Shopify-Shop-Domain: /);
    expect(problem({ domain: `${'a'.repeat(250)}.myshopify.com` })).toMatch(/^X-Shopify-Shop-Domain: /);
    expect(problem({ topic: 'orders/create\u0000' })).toMatch(/^X-Shopify-Topic: /);
    expect(problem({ topic: 'orders/' + 'x'.repeat(300) })).toMatch(/^X-Shopify-Topic: /);
    expect(problem({ webhookId: 'w'.repeat(256) })).toBe('X-Shopify-Webhook-Id: longer than 255 characters');
    expect(problem({ webhookId: 'a\u0000b' })).toBe('X-Shopify-Webhook-Id: holds a control character');
    expect(problem({ webhookId: 'a\ud800b' })).toBe('X-Shopify-Webhook-Id: not well-formed text');
    expect(problem({ eventId: 'e'.repeat(6000) })).toBe('X-Shopify-Event-Id: longer than 255 characters');
  });

  it('refuses a Triggered-At that is no real time, or not between 2000-01-01 and a day from now', () => {
    for (const triggeredAt of ['not-a-date', '2023-02-30T00:00:00Z', '2026-11-22T10:00:00', '']) {
      expect(problem({ triggeredAt }), triggeredAt).toBe('X-Shopify-Triggered-At: not an ISO 8601 time with an offset');
    }
    for (const triggeredAt of ['0000-01-01T00:00:00Z', '1999-12-31T23:59:59Z', '2026-11-23T10:00:01Z', '9999-12-31T23:59:59Z']) {
      expect(problem({ triggeredAt }), triggeredAt).toBe('X-Shopify-Triggered-At: not between 2000-01-01 and a day from now');
    }
    expect(problem({ triggeredAt: '2026-11-23T09:59:59Z' })).toBeNull();
  });

  it('isShopDomain: *.myshopify.com, lowercase, at most 255 characters', () => {
    expect(isShopDomain('demo.myshopify.com')).toBe(true);
    for (const domain of ['myshopify.com', '.myshopify.com', '-a.myshopify.com', 'a.myshopify.com.evil.example', 'a.b.myshopify.com', '{shop}.myshopify.com']) expect(isShopDomain(domain), domain).toBe(false);
  });
});

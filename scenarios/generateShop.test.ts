import { describe, expect, it } from 'vitest';
import { ABUSIVE_PATTERNS, generateShop } from './generateShop.ts';

describe('generateShop', () => {
  const shop = generateShop({ seed: 11, customers: 300 });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(JSON.stringify(generateShop({ seed: 11, customers: 300 }))).toBe(JSON.stringify(shop));
    expect(JSON.stringify(generateShop({ seed: 12, customers: 300 }).events)).not.toBe(JSON.stringify(shop.events));
  });

  it('labels every scored event, with every abuse pattern and honest customers present', () => {
    const scored = shop.events.filter((e) => e.type === 'order' || e.type === 'return' || e.type === 'refund');
    expect(shop.labels).toHaveLength(scored.length);
    const patterns = new Set(shop.labels.map((l) => l.pattern));
    for (const pattern of [...ABUSIVE_PATTERNS, 'honest', 'honest-heavy-returner'] as const) expect(patterns).toContain(pattern);
    for (const pattern of ABUSIVE_PATTERNS) expect(shop.labels.some((l) => l.pattern === pattern && l.target)).toBe(true);
    expect(shop.labels.filter((l) => l.pattern === 'honest' || l.pattern === 'honest-heavy-returner').every((l) => !l.target)).toBe(true);
  });

  it('injects the patterns it claims', () => {
    const orders = new Map(shop.events.flatMap((e) => (e.type === 'order' ? [[e.order.id, e.order] as const] : [])));
    const labelOf = new Map(shop.labels.map((l) => [l.subjectId, l]));
    // Fraud-ring members share an address and a device hash.
    const ringOrders = [...orders.values()].filter((o) => labelOf.get(o.id)?.pattern === 'fraud-ring');
    const addresses = new Set(ringOrders.map((o) => o.identity.address));
    expect(addresses.size).toBeLessThan(new Set(ringOrders.map((o) => o.customerId)).size);
    // Bracketers order one product in three sizes and send back two.
    const bracketReturns = shop.events.filter((e) => e.type === 'return' && labelOf.get(e.return.id)?.pattern === 'bracketer');
    expect(bracketReturns.length).toBeGreaterThan(0);
    for (const e of bracketReturns) if (e.type === 'return') expect(e.return.lineItems).toHaveLength(2);
    // Double dippers dispute an order and then return it.
    const disputed = new Set(shop.events.flatMap((e) => (e.type === 'chargeback' ? [e.chargeback.orderId] : [])));
    const dips = shop.events.filter((e) => e.type === 'return' && labelOf.get(e.return.id)?.pattern === 'double-dipper' && labelOf.get(e.return.id)?.target);
    expect(dips.length).toBeGreaterThan(0);
    for (const e of dips) if (e.type === 'return') expect(disputed.has(e.return.orderId)).toBe(true);
  });

  it('writes ids as Shopify GID strings and times in ISO order-compatible form', () => {
    for (const e of shop.events) {
      const record = Object.values(e)[1] as { id: string };
      expect(record.id).toMatch(/^gid:\/\/shopify\/\w+\/\d+$/);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { fixtureTopic, readWebhookFixture, WEBHOOK_FIXTURES } from '../fixtures/readWebhookFixture.ts';
import { PLANTED_PII, returnWithLines, richOrder, type Body } from '../fixtures/webhookVariants.ts';
import { normalizeOrder } from './normalizeOrder.ts';
import { normalizeWebhook } from './normalizeWebhook.ts';
import { parseWebhookBody } from './parseWebhookBody.ts';

/** Keys whose string values identify a person (or a shop owner) wherever they appear. */
const PII_KEYS = new Set([
  'email', 'contact_email', 'customer_email', 'phone', 'first_name', 'last_name', 'company',
  'address1', 'address2', 'city', 'zip', 'browser_ip', 'user_agent', 'shop_owner',
]);

/** `name` is PII only on a person, address or shop object, not on an order or product line. */
const isPersonLike = (object: Body) => 'address1' in object || 'first_name' in object || 'shop_owner' in object;

function collectPii(value: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(value)) value.forEach((item) => collectPii(item, into));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === 'string' && item.trim().length >= 3 && (PII_KEYS.has(key) || (key === 'name' && isPersonLike(value)))) into.add(item);
      else collectPii(item, into);
    }
  }
  return into;
}

const piiInSamples = new Set<string>();
for (const name of WEBHOOK_FIXTURES) collectPii(parseWebhookBody(readWebhookFixture(name)), piiInSamples);
for (const body of [richOrder(), returnWithLines()]) collectPii(body, piiInSamples);
for (const planted of Object.values(PLANTED_PII)) piiInSamples.add(planted);

function leaks(output: unknown): string[] {
  const json = JSON.stringify(output).toLowerCase();
  return [...piiInSamples].filter((pii) => json.includes(pii.toLowerCase()));
}

describe('privacy: normalized output holds no raw PII', () => {
  it('found the PII in the samples to look for', () => {
    for (const expected of [
      'jon@example.com', 'john@example.com', 'super@supertoys.com', '555-555-SHIP', '123-123-1234', '555-625-1199', '3213213210',
      'Steve', 'Shipper', 'Steve Shipper', 'John', 'Smith', 'Shipping Company', '123 Shipping Street', '123 Elm St.',
      '190 MacLaren Street', 'Shippington', 'Ottawa', 'Houston', '40003', 'K2H7A8', 'John Smith',
      PLANTED_PII.browserIp, PLANTED_PII.userAgent,
    ]) {
      expect(piiInSamples, expected).toContain(expected);
    }
    // The check itself works: the raw bodies are full of it.
    expect(leaks(parseWebhookBody(readWebhookFixture('orders_create'))).length).toBeGreaterThan(15);
    expect(leaks(returnWithLines())).toContain(PLANTED_PII.noteEmail);
  });

  it.each(WEBHOOK_FIXTURES)('%s', (name) => {
    const output = normalizeWebhook(fixtureTopic(name), readWebhookFixture(name), 'shop-key', { triggeredAt: '2026-03-14T09:30:00Z' });
    expect(leaks(output)).toEqual([]);
  });

  it('variants with a browser IP, user agent and contact details in return notes', () => {
    const { order, customer } = normalizeOrder(richOrder(), 'shop-key');
    expect(leaks({ order, customer })).toEqual([]);
    const ret = normalizeWebhook('returns/request', JSON.stringify(returnWithLines()), 'shop-key', { triggeredAt: '2026-03-14T09:30:00Z', order });
    expect(leaks(ret)).toEqual([]);
    expect(JSON.stringify(ret)).toContain('Too tight');
  });
});

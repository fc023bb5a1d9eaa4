import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readWebhookFixture, WEBHOOK_FIXTURES } from '../fixtures/readWebhookFixture.ts';
import { parseWebhookBody } from './parseWebhookBody.ts';
import { PayloadError } from './PayloadError.ts';

describe('parseWebhookBody', () => {
  it('keeps ids beyond MAX_SAFE_INTEGER exact, as decimal strings', () => {
    const raw = readWebhookFixture('orders_create');
    const body = parseWebhookBody(raw) as Record<string, any>;
    expect(body.id).toBe('820982911946154508');
    expect(body.customer.id).toBe('115310627314723954');
    expect(body.line_items[0].product_id).toBe('788032119674292922');
    expect(body.line_items[1].sales_line_item_group_id).toBe('234567890123456789');
    // What JSON.parse would have done (FACTS §1).
    expect(String((JSON.parse(raw) as { id: number }).id)).toBe('820982911946154500');
  });

  it('returns safe integers and decimals as numbers', () => {
    const body = parseWebhookBody(readWebhookFixture('orders_create')) as Record<string, any>;
    expect(body.number).toBe(234);
    expect(body.total_weight).toBe(0);
    expect(body.line_items[3].sales_line_item_group_id).toBe(142831562);
    const refund = parseWebhookBody(readWebhookFixture('refunds_create')) as Record<string, any>;
    expect(refund.refund_line_items[0].subtotal).toBe(89.99);
    expect(refund.refund_line_items[0].total_tax).toBe(0);
    expect(parseWebhookBody('{"a":-9007199254740993,"b":9007199254740991,"c":1.5e3}')).toEqual({ a: '-9007199254740993', b: 9007199254740991, c: 1500 });
  });

  it('refuses a body that is not JSON with a PayloadError for the whole body', () => {
    for (const raw of ['', '{"id": 1', 'not json', '{"id": 1}}']) {
      const error = (() => {
        try {
          parseWebhookBody(raw, 'orders/create');
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(PayloadError);
      expect(error).toMatchObject({ topic: 'orders/create', pointer: '' });
      expect((error as Error).message).toMatch(/^orders\/create payload: not valid JSON/);
    }
  });
});

describe('webhook fixtures', () => {
  it('are byte-for-byte the Shopify samples (SHA256SUMS from the provenance notes)', () => {
    const sums = readFileSync(new URL('../fixtures/webhooks/SHA256SUMS', import.meta.url), 'utf8').trim().split('\n');
    const expected = new Map(sums.map((line) => line.split(/\s+/)).map(([hash, file]) => [file!, hash!]));
    expect(expected.size).toBe(WEBHOOK_FIXTURES.length);
    for (const name of WEBHOOK_FIXTURES) {
      const hash = createHash('sha256').update(readWebhookFixture(name)).digest('hex');
      expect(hash, name).toBe(expected.get(`${name}.json`));
    }
  });
});

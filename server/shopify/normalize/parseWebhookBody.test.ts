import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { isInteger, isSafeNumber, parse as parseLossless } from 'lossless-json';
import { describe, expect, it } from 'vitest';
import { OTHER_TOPIC_FIXTURES, readWebhookFixture, WEBHOOK_FIXTURES } from '../fixtures/readWebhookFixture.ts';
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

  it('reads any JSON exactly as lossless-json does (unsafe integers as strings, other numbers as numbers)', () => {
    const reference = (text: string) => parseLossless(text, null, (value) => (isInteger(value) && !isSafeNumber(value) ? value : Number(value)));
    class RawToken {
      readonly text: string;
      constructor(text: string) {
        this.text = text;
      }
    }
    const longInteger = fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n }).map((n) => new RawToken(n.toString()));
    // JSON values with long integers spliced in as raw tokens, also as object members and inside strings.
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 1 }), longInteger, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.string(), tie('node'), { maxKeys: 4 })),
    })).node;
    const write = (v: unknown): string =>
      v instanceof RawToken ? v.text
        : Array.isArray(v) ? `[${v.map(write).join(', ')}]`
          : v && typeof v === 'object' ? `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)} :${write(x)}`).join(',')}}`
            : JSON.stringify(v);
    fc.assert(fc.property(value, fc.bigInt({ min: 10n ** 15n, max: 10n ** 20n }), (v, digits) => {
      const text = write({ v, inString: `id ${digits} end`, exponent: Number(`${digits}e-3`), decimal: `${digits}.5` });
      expect(parseWebhookBody(text)).toEqual(reference(text));
    }), { numRuns: 400 });
  });

  it('does not turn a long integer used as an object key into valid JSON', () => {
    expect(() => parseWebhookBody('{12345678901234567890: 1}')).toThrow(PayloadError);
    expect(() => parseWebhookBody('{"a": 1, 12345678901234567890 : 2}')).toThrow(PayloadError);
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
    expect(expected.size).toBe(WEBHOOK_FIXTURES.length + OTHER_TOPIC_FIXTURES.length);
    for (const name of [...WEBHOOK_FIXTURES, ...OTHER_TOPIC_FIXTURES]) {
      const hash = createHash('sha256').update(readWebhookFixture(name)).digest('hex');
      expect(hash, name).toBe(expected.get(`${name}.json`));
    }
  });
});

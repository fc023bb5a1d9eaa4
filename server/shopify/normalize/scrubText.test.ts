import { describe, expect, it } from 'vitest';
import { readWebhookFixture } from '../fixtures/readWebhookFixture.ts';
import { normalizeWebhook } from './normalizeWebhook.ts';
import { parseWebhookBody } from './parseWebhookBody.ts';
import { mayHoldUnstorableText, parseScrubbedJson, scrubString, scrubStrings } from './scrubText.ts';

describe('scrubText: what PostgreSQL cannot store becomes U+FFFD', () => {
  it('replaces NUL and lone surrogates, keeps well-formed pairs and everything else', () => {
    expect(scrubString('a\u0000b')).toBe('a\uFFFDb');
    expect(scrubString('\ud800')).toBe('\uFFFD');
    expect(scrubString('x\udfffy\ud83dz')).toBe('x\uFFFDy\uFFFDz');
    expect(scrubString('smile \ud83d\ude00 tab\t')).toBe('smile \ud83d\ude00 tab\t');
    const clean = 'plain';
    expect(scrubString(clean)).toBe(clean);
  });

  it('walks strings and keys of a parsed value in place, at any depth', () => {
    const value = parseScrubbedJson('{"a": "x\\u0000", "b": [1, "\\ud800", {"c\\u0000": {"d": "\\uDC00"}}], "e": null, "f": true}');
    expect(value).toEqual({ a: 'x\uFFFD', b: [1, '\uFFFD', { 'c\uFFFD': { d: '\uFFFD' } }], e: null, f: true });
    expect(scrubStrings('\u0000')).toBe('\uFFFD');
    // A key of a parsed body may be __proto__: it stays a plain property.
    const proto = parseScrubbedJson('{"__proto__": "\\u0000"}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(proto, '__proto__')?.value).toBe('\uFFFD');
  });

  it('walks a body nested 400,000 levels deep (JSON.parse reads it; a recursive walk would overflow the stack)', () => {
    const depth = 400_000;
    const value = parseScrubbedJson(`${'['.repeat(depth)}"\\u0000"${']'.repeat(depth)}`);
    let node = value;
    for (let i = 0; i < depth; i++) node = (node as unknown[])[0];
    expect(node).toBe('\uFFFD');
  });

  it('tests the raw text first: only the escapes \\u0000 and \\uD800-\\uDFFF can produce them', () => {
    for (const text of ['"\\u0000"', '"\\ud800"', '"\\uDBFF"', '"\\uDc00"', '"\\ud83d\\ude00"']) expect(mayHoldUnstorableText(text), text).toBe(true);
    for (const text of ['"\\u0001"', '"\\u00e9"', '"\\uD7FF"', '"\\ue000"', '"no escapes"', readWebhookFixture('orders_create')]) expect(mayHoldUnstorableText(text), text).toBe(false);
  });

  it('parseWebhookBody scrubs, and the normalizers then store the scrubbed text', () => {
    expect(parseWebhookBody('{"id": 820982911946154508, "t": "\\u0000"}')).toEqual({ id: '820982911946154508', t: '\uFFFD' });
    const raw = readWebhookFixture('orders_create').replace('"title": "Aviator sunglasses"', '"title": "Aviator\\u0000sun\\ud800glasses"');
    const webhook = normalizeWebhook('orders/create', raw, 'k');
    expect(webhook.kind === 'order' && webhook.order.lineItems[0]!.title).toBe('Aviator\uFFFDsun\uFFFDglasses');
    expect(JSON.stringify(webhook)).not.toMatch(/\\u0000|\\ud800/i);
  });
});

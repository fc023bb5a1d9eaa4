import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assembleBulkJsonl, BulkResultError, gidType } from './bulkJsonl.ts';

const SAMPLE = new URL('../../../../shared/shopify/admin-api-captures/bulk_operation_result_nested.jsonl', import.meta.url);

describe('assembleBulkJsonl', () => {
  it.skipIf(!existsSync(SAMPLE))("puts the children of Shopify's real nested result under their parent, by type", () => {
    const roots = assembleBulkJsonl(readFileSync(SAMPLE, 'utf8'));
    expect(roots).toHaveLength(1);
    expect(roots[0].node.id).toBe('gid://shopify/Product/10243914727730'); // escaped slashes read as slashes
    expect([...roots[0].children.keys()].sort()).toEqual(['MediaImage', 'Metafield', 'ProductVariant']);
    expect(roots[0].children.get('ProductVariant')![0]).not.toHaveProperty('__parentId');
  });

  it('takes children wherever they come (groupObjects: false), in file order', () => {
    const text = [
      '{"id":"gid:\\/\\/shopify\\/Order\\/1"}',
      '{"id":"gid:\\/\\/shopify\\/Order\\/2"}',
      '{"id":"gid:\\/\\/shopify\\/LineItem\\/20","__parentId":"gid:\\/\\/shopify\\/Order\\/2"}',
      '{"id":"gid:\\/\\/shopify\\/LineItem\\/10","__parentId":"gid:\\/\\/shopify\\/Order\\/1"}',
      '{"id":"gid:\\/\\/shopify\\/LineItem\\/11","__parentId":"gid:\\/\\/shopify\\/Order\\/1"}',
      '',
    ].join('\n');
    const roots = assembleBulkJsonl(text);
    expect(roots.map((r) => [r.node.id, r.children.get('LineItem')?.map((c) => c.id)])).toEqual([
      ['gid://shopify/Order/1', ['gid://shopify/LineItem/10', 'gid://shopify/LineItem/11']],
      ['gid://shopify/Order/2', ['gid://shopify/LineItem/20']],
    ]);
  });

  it('names the line of a broken or truncated result', () => {
    expect(() => assembleBulkJsonl('{"id":"gid://shopify/Order/1"}\n{"id":', 'orders bulk result')).toThrow(new BulkResultError('orders bulk result line 2: not JSON (Unexpected end of JSON input)'));
    expect(() => assembleBulkJsonl('{"id":"gid://shopify/LineItem/1","__parentId":"gid://shopify/Order/9"}')).toThrow(/line 1: parent gid:\/\/shopify\/Order\/9 is not in the result/);
    expect(() => assembleBulkJsonl('{"title":"no id"}')).toThrow(/line 1: no "id"/);
  });

  it('replaces NUL and lone surrogates with U+FFFD, as webhook bodies get (PostgreSQL stores neither)', () => {
    const text = [
      '{"id":"gid://shopify/Order/1","name":"#1\\u0000"}',
      '{"id":"gid://shopify/LineItem/10","__parentId":"gid://shopify/Order/1","title":"Lamp \\ud800","sku\\u0000":"x"}',
    ].join('\n');
    const [root] = assembleBulkJsonl(text);
    expect(root!.node.name).toBe('#1\uFFFD');
    expect(root!.children.get('LineItem')![0]).toEqual({ id: 'gid://shopify/LineItem/10', title: 'Lamp \uFFFD', 'sku\uFFFD': 'x' });
  });

  it('reads the type of a gid', () => {
    expect(gidType('gid://shopify/ShopifyPaymentsDispute/5')).toBe('ShopifyPaymentsDispute');
    expect(gidType('not a gid')).toBe('Unknown');
  });
});
